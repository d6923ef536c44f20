"""Round-12 shapes of forbidden speech (corpus/probes/forbidden_w/y/z/stock_a, read: a northern
agent's 甭/咋/啥, a young southern agent's 亲/哦/嘛, a bureaucrat's whole turns), and the
proper speech beside them that earlier shapes flagged (forbidden_x's and forbidden_y's
proper look-alikes)."""

from __future__ import annotations

import pytest

from tests.test_rules_patterns import found_as, said


@pytest.mark.parametrize(
    ("agent", "category"),
    [
        ("宽带的事甭找我们了。", "推诿"),
        ("发票的事你问财务那边儿去吧。", "推诿"),
        ("你跟你们领导理论去吧。", "推诿"),
        ("我就是个接电话的，管不着。", "推卸"),
        ("补发？没门儿。", "否定"),
        ("这个月想延期？那不成。", "否定"),
        ("你这信用压根儿批不下来。", "否定"),
        ("表格填完再说。", "命令"),
        ("剩下的你自己看着办。", "命令"),
        ("怎么又打来了？", "不耐烦"),
        ("你快点，我这边可等不了。", "不耐烦"),
        ("合同你自己签的你不知道？", "质问"),
        ("卡丢了三天了，早干嘛去了？", "质问"),
        ("别人都能登录，怎么就你登不上？", "质问"),
        ("你咋不先看看说明书？", "质问"),
        ("要投诉？投呗。", "讽刺"),
        ("就你那点积分还想换手机？", "不文明"),
        ("报上去了，等通知就完事了。", "搪塞"),
        ("说来话长，甭细问了。", "搪塞"),
        ("要怪就怪快递公司。", "推卸"),
        ("滞纳金是你自找的。", "推卸"),
        ("密码泄露肯定是你自己的问题。", "推卸"),
        ("停电跟我们公司可没半毛钱关系。", "推卸"),
        ("摔坏了可怨不着我们。", "推卸"),
        ("那得怪孩子自己没复习。", "推卸"),
        ("一边儿待着去。", "不文明"),
        ("您这人咋这么难缠。", "不文明"),
    ],
)
def test_round_twelve_shapes(agent: str, category: str) -> None:
    found_as(agent, category)


@pytest.mark.parametrize(
    ("agent", "category"),
    [
        # forbidden_y: brusque, or polite in form only
        ("退货这块我们这边不管的。", "否定"),
        ("赔偿？想都不要想。", "否定"),
        ("没办法。", "否定"),
        ("会员费交了就是不退。", "否定"),
        ("以后别再打电话过来了。", "命令"),
        ("你到底要办什么，讲重点。", "不耐烦"),
        ("验证码都记不住？", "质问"),
        ("你是不是想白拿啊？", "质问"),
        ("亲，您可真是大老板呢。", "讽刺"),
        ("买得起新车，保养费交不起啊？", "讽刺"),
        ("应该快了，到时候再说吧。", "搪塞"),
        ("小孩自己乱跑摔的，我们又不是保姆。", "推卸"),
        ("少在这儿嚷嚷。", "不文明"),
        # forbidden_z: the rude part inside ordinary service talk
        ("单号我查到了，换表是站里排的，跟我们热线没什么关系。", "推诿"),
        ("我们就是个转派的，您直接找供电所。", "推诿"),
        ("这个减免我们不办。", "否定"),
        ("说什么都没用，规定就是规定。", "否定"),
        ("照片今天不传就别想处理。", "命令"),
        ("单子登上了，这两天别再打进来了。", "命令"),
        ("你一次次打来问有什么用？", "不耐烦"),
        ("没记就算了，我也懒得再念。", "不耐烦"),
        ("是不是你们自己拆过？", "质问"),
        ("改了五次行程，您可真够忙的。", "讽刺"),
        ("早晚的事，系统就这样。", "搪塞"),
        ("超期没保养造成的，厂家不会认的。", "推卸"),
        ("账单上写得清清楚楚，你不识字吗？", "讽刺"),
    ],
)
def test_round_twelve_whole_turn_shapes(agent: str, category: str) -> None:
    found_as(agent, category)


@pytest.mark.parametrize(
    "agent",
    [
        "你怎么这么多问题？",
        "那你想怎么办？",
        "怎么这么麻烦。",
        "这是规定。",
        "不会用就别用。",
        "信不信由你。",
        "至于这么大惊小怪吗？",
        "吃饱了撑的。",
        "你有毛病吧？",
        "简直无理取闹。",
    ],
)
def test_round_twelve_stock_rebuffs(agent: str) -> None:
    assert said(agent).status == "fail", said(agent)


@pytest.mark.parametrize(
    ("agent", "category"),
    [
        # forbidden_stock_a: a training handout's list
        ("那是别的部门负责的。", "推诿"),
        ("不能办。", "否定"),
        ("说不退就不退。", "否定"),
        ("把身份证号报一下。", "命令"),
        ("你下周再来。", "命令"),
        ("又打来了？", "不耐烦"),
        ("谁跟你说的？", "质问"),
        ("你是不是没充值？", "质问"),
        ("这还用问吗？", "讽刺"),
        ("我们研究研究。", "搪塞"),
        ("是您没听清楚。", "推卸"),
        ("当初是您自己签的字。", "推卸"),
        ("找死啊。", "不文明"),
    ],
)
def test_round_twelve_stock_list_shapes(agent: str, category: str) -> None:
    found_as(agent, category)


@pytest.mark.parametrize(
    "agent",
    [
        # 甭担心 is not 笨蛋 by sound
        "您甭担心，款项三个工作日内退回。",
        # a call back offered, with 您 in the turn
        "如果您方便的话，稍后可以再打过来，我们会优先处理。",
        "很抱歉系统暂时查不到，您看是我给您回电，还是您方便的时候再打过来？",
        # the agent goes to ask, for the customer
        "我帮您问问财务那边去，请您稍等。",
        # a worry taken off the customer
        "这个跟您没关系，是我们系统的问题，我马上处理。",
        # a colleague offered, not the customer sent
        "我跟技术同事商量一下，稍后给您回电。",
        # 您的遭遇 is not 您得找 by sound
        "对于您的遭遇我们很抱歉，这笔交易我们会立即提交调查。",
        # an apology before a no, and a policy said politely
        "您可以直接联系航空公司，也可以由我帮您转达。",
        "我们一律不收取手续费，请您放心。",
        # the stock rebuffs and list items, in proper speech
        "请问您还有什么不明白的地方吗？",
        "麻烦您把身份证号报一下。",
        "您明天再来的话，记得带上身份证。",
        "这个都不会影响您的正常使用。",
        "那您想怎么办理呢？我帮您看看哪种方式更方便。",
        "很抱歉，这是公司的规定，我帮您申请特殊处理。",
        "您可以把旧设备放到一边去，新设备到了再连。",
        "很抱歉，我这边也看不到物流信息，我马上帮您联系快递公司。",
    ],
)
def test_round_twelve_shapes_leave_proper_speech_alone(agent: str) -> None:
    assert said(agent).status == "pass", said(agent)


def test_a_bare_call_back_is_still_a_brush_off() -> None:
    found_as("现在查不了，晚点再打过来。", "命令")


@pytest.mark.parametrize(
    "agent",
    [
        "好的，您的订单我这边查到了。卡号报过来。",  # a courtesy guard sees its own sentence
        "请您稍等。查好了再打过来。",
        "这个退不了。您还有其他问题吗？",  # a refusal ends its sentence, not the turn
        "地址已经发出去了，改不了。您看还有别的需要吗？",
    ],
)
def test_a_polite_sentence_beside_it_does_not_excuse_a_rude_one(agent: str) -> None:
    assert said(agent).status == "fail", said(agent)


@pytest.mark.parametrize(
    "agent",
    [
        "让您久等了。维修师傅二十分钟内上门，会先把总阀关掉。",  # what the technician will do
        "请您稍等。我先把您的信息核对一下。",
        "很抱歉，这个退不了。我帮您申请优惠券作为补偿。",
    ],
)
def test_proper_sentences_stay_proper_on_their_own(agent: str) -> None:
    assert said(agent).status == "pass", said(agent)
