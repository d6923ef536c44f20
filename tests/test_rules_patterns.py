"""Forbidden speech found by its shape (scorecard `patterns`), in wordings no list names."""

from __future__ import annotations

import pytest

from callqa.scoring.kinds.forbidden_phrases import Pattern
from tests.helpers_transcripts import judge

OPEN = ("agent", 0.5, 5.0, "您好，星河通信，工号1023，请问有什么可以帮您？")
ASK = ("customer", 5.5, 11.0, "我的宽带从昨天开始就断断续续的，怎么回事？")


def said(agent: str, *, customer: str = "好的。") -> object:
    turns = [OPEN, ASK, ("agent", 12.0, 18.0, agent), ("customer", 18.5, 20.0, customer)]
    return judge("forbidden_phrases", turns)


def found_as(agent: str, category: str) -> None:
    """`agent` fails the item with a hit noted as `category`."""
    result = said(agent)
    assert result.status == "fail", result.message
    assert any(category in e.note for e in result.evidence), result.evidence


@pytest.mark.parametrize(
    ("agent", "category"),
    [
        ("宽带坏了这事跟我们没关系。", "推诿"),
        ("这个我们管不着，你找物业去。", "推诿"),
        ("你问我也没用，找别人吧。", "推诿"),
        ("这个根本办不了。", "否定"),
        ("你赶紧把路由器重启一下。", "命令"),
        ("你自己到网上查一下吧。", "命令"),
        ("我都跟你讲了三遍了，重启路由器。", "不耐烦"),
        ("我刚才都说过了，重启。", "不耐烦"),
        ("你到底想怎么样？", "不耐烦"),
        ("你听明白了没有？", "质问"),
        ("这都不懂，网线插上就行。", "讽刺"),
        ("你不会自己看吗？说明书上写着。", "质问"),
        ("爱信不信，反正就是这样。", "搪塞"),
        ("这又不是我们的问题。", "推卸"),
        ("那是你自己的问题，线是你拔的。", "推卸"),
    ],
)
def test_new_wordings_are_found_by_shape(agent: str, category: str) -> None:
    found_as(agent, category)


@pytest.mark.parametrize(
    "agent",
    [
        "您必须携带身份证原件到营业厅办理。",  # 您: the polite instruction
        "请您别着急，我马上帮您查询。",
        "很抱歉，这个我们暂时处理不了，我帮您登记转给技术部门。",  # apology first
        "这些都不会影响您的正常使用。",
        "您可以自己在手机应用上查询账单。",
        "您的问题我已经为您记录好了。",
        "我们一块儿来看一下说明书。",
        "您说的是光猫上的那个灯吗？",
        "请问您听得清楚吗？",
        "侵犯人身权的，可以打举报电话。",  # 犯人 is not 烦人 (no sound match there)
    ],
)
def test_proper_speech_is_not_a_hit(agent: str) -> None:
    assert said(agent).status == "pass", agent


def test_shapes_find_what_no_phrase_lists() -> None:
    result = said("我都跟你讲了三遍了，重启路由器。")
    assert [e.note for e in result.evidence] == ["不耐烦; by pattern"]


def test_a_homophone_is_found_by_sound_and_noted() -> None:
    result = said("保修是厂家管，你照厂家去。")  # 照 for 找, as Whisper wrote it
    assert result.status == "fail"
    assert any("照厂家去 by sound" in e.note for e in result.evidence)


def test_customers_shapes_never_count() -> None:
    assert said("好的，我帮您查一下。", customer="你到底想怎么样？这跟我没关系。").status == "pass"


@pytest.mark.parametrize(
    ("regex", "problem"),
    [
        ("(a+)+b", "repeats a group"),
        ("(不归", "not a valid regular expression"),
        ("x?", "matches empty text"),
        ("a" * 201, "longer than"),
    ],
)
def test_bad_patterns_are_refused(regex: str, problem: str) -> None:
    assert any(problem in message for _, message in Pattern(regex).problems())


@pytest.mark.parametrize(
    ("agent", "category"),
    [
        ("这单不是我今首的。", "推卸"),  # 今首 jin shou ≈ 经手 jing shou (nasal fold)
        ("好了好了，知道了。", "不耐烦"),
        ("这个没得商量。", "否定"),
    ],
)
def test_folded_sounds_and_repeated_dismissals(agent: str, category: str) -> None:
    result = said(agent)
    assert result.status == "fail" and any(category in e.note for e in result.evidence)


@pytest.mark.parametrize(
    "agent",
    ["您得找一下购买时的发票。", "这里有您的订单。", "好的，我知道了，马上为您处理。"],
)
def test_instructions_and_acknowledgements_are_not_hits(agent: str) -> None:
    assert said(agent).status == "pass", agent


@pytest.mark.parametrize(
    ("agent", "category"),
    [
        ("这个问题你得去问银行，我们这边处理不了。", "推诿"),
        ("这事不是我们部门管的，你打别的电话吧。", "推诿"),
        ("退款是不可能的。", "否定"),
        ("不能退就是不能退。", "否定"),
        ("我们没有这个义务。", "否定"),
        ("你先把单号报过来。", "命令"),
        ("你按我说的去做就行了。", "命令"),
        ("你怎么老是问这个。", "不耐烦"),
        ("我很忙，没空跟你解释。", "不耐烦"),
        ("这么简单的事都不会弄吗？", "讽刺"),
        ("你连密码都记不住吗？", "讽刺"),
        ("你是第一次用手机吗？", "讽刺"),
        ("我只是个接电话的，我哪知道。", "推卸"),
        ("你要投诉就去投诉吧。", "搪塞"),
        ("少废话。", "不文明"),
        ("你找当时卖给你的业务员去。", "推诿"),
        ("签了就是签了，改不了。", "否定"),
        ("你等着，我查一下。", "命令"),
        ("你到底退不退？", "不耐烦"),
        ("跟你说了你也不懂。", "讽刺"),
        ("下单的时候干嘛去了？", "质问"),
        ("这是上面规定的，我没办法。", "推卸"),
        ("反正已经登记了，你回去等吧。", "搪塞"),
        ("你凭什么说是我们的错？", "质问"),
        ("你是不是自己填错了？", "质问"),
        ("又没人逼你办这张卡。", "讽刺"),
        ("什么时候到我也说不准，到时候再说。", "搪塞"),
        ("丢件那是快递公司的事，我们不负责。", "推卸"),
        ("你现在马上把合同拍照发过来。", "命令"),
    ],
)
def test_round_four_shapes(agent: str, category: str) -> None:
    """Broader shapes of the same classes (scorecard comment: written from the usual 服务禁语
    classes, checked against every unlabelled agent line of the corpus and the seeds)."""
    found_as(agent, category)


@pytest.mark.parametrize(
    "agent",
    [
        "若有可能，请根据客户的需求，引导客户拨打其它号码。",  # seed 004's own guidance
        "您连续三个月都没有欠费，可以申请提额。",  # 连续 is not 你连…都不
        "很抱歉，这种情况我们暂时不受理，我帮您登记。",  # apology first
        "如果你把路由器重启一下，网络就会恢复。",  # a condition, not an order
        "请您把订单号告诉我。",
        "按照合同是这样规定的，您可以申请复核。",
        "那我先挂了，祝您生活愉快，再见。",  # an ordinary goodbye, not 不…我就挂了
        "请您等一下，我马上为您查询。",
        "您提交之前可以再核对一下信息。",
        "我马上把您的报修升级为紧急工单。",  # the agent's own action, not an order
        "请问报名时用的手机号是多少？",  # 是多 is not 事多 (no sound match there)
        "退不了，下个月开始才有优惠。还有其他事吗？",  # an explanation (a corpus non-hit)
    ],
)
def test_round_four_shapes_leave_proper_speech_alone(agent: str) -> None:
    assert said(agent).status == "pass", said(agent)


def _probe_good_lines() -> list[str]:
    import json
    from pathlib import Path

    probes = Path(__file__).resolve().parent.parent / "corpus" / "probes"
    return [
        line
        for path in sorted(probes.glob("forbidden_*.json"))
        if path.stem not in REPORT_ONLY
        for line in json.loads(path.read_text("utf-8"))["good"]
    ]


REPORT_ONLY = {"forbidden_c", "forbidden_f", "forbidden_i", "forbidden_l"}
"""Probes never read to write a rule (benchmarks/eval_probes.py reports them): a test
failing on one would print its line, so they stay out of the tests."""


@pytest.mark.parametrize("agent", _probe_good_lines())
def test_no_proper_line_of_the_probes_is_a_hit(agent: str) -> None:
    """corpus/probes: proper look-alikes written by helpers who never saw the rules."""
    assert said(agent).status == "pass", said(agent)


@pytest.mark.parametrize(
    ("agent", "category"),
    [
        ("这个你直接联系物业，我们不管。", "推诿"),
        ("路由器的事你打我们这儿干嘛？", "推诿"),
        ("宽带的问题别打这个号。", "推诿"),
        ("不行，改不了。", "否定"),
        ("补偿？一分钱都没有。", "否定"),
        ("账号报过来。", "命令"),
        ("把工单号给我，别的不用讲。", "命令"),
        ("同一件事你都问第四遍了。", "不耐烦"),
        ("没事了吧？没事我挂了。", "不耐烦"),
        ("装机的时候你怎么不当面检查？", "质问"),
        ("那么大的按钮，看不见吗？", "讽刺"),
        ("现在知道着急了？", "讽刺"),
        ("在修了在修了。", "搪塞"),
        ("线是你自己拔的，能怪谁？", "推卸"),
        ("网速慢是你家路由器的问题。", "推卸"),
    ],
)
def test_round_six_shapes(agent: str, category: str) -> None:
    found_as(agent, category)


@pytest.mark.parametrize(
    "agent",
    [
        "不好意思，您那边声音有点小，麻烦您稍微大声一点。",  # 稍微 is not 喂 (a word)
        "很抱歉，这个套餐改不了，我帮您看看别的。",  # apology first
        "请您把工单号报给我，我帮您查一下。",  # a request with 请
        "我刚来不久，这个问题我请老同事给您解答。",  # an excuse that hands over, politely
        "您稍后重新拨打我们的热线就可以了。",
        "不好意思打扰您了，这边做个回访。",  # 不好意思 is not 好意思
        "这不怪您，是我们系统的原因。",
        "请您在家等师傅上门，他会提前联系您。",
    ],
)
def test_round_six_shapes_leave_proper_speech_alone(agent: str) -> None:
    assert said(agent).status == "pass", said(agent)


@pytest.mark.parametrize(
    ("agent", "category"),
    [
        ("光猫的事你去问厂家。", "推诿"),
        ("那是装机师傅的事，跟我说没用。", "推诿"),
        ("我们不上门的。", "否定"),
        ("提速？没有优惠的。", "否定"),
        ("这个套餐改不了的。", "否定"),
        ("先把欠费交了，再打过来。", "命令"),
        ("听清楚没有？重启。", "命令"),
        ("这都第三次了，又是你啊。", "不耐烦"),
        ("你说完没有？", "不耐烦"),
        ("你确定路由器插电了？", "质问"),
        ("嫌网速慢？那你别用呗。", "讽刺"),
        ("您这么懂，那您自己修好了。", "讽刺"),
        ("断网又不是我们弄的。", "推卸"),
        ("具体的看短信，我就不讲了。", "搪塞"),
        ("有本事你去投诉啊。", "不文明"),
    ],
)
def test_round_seven_shapes(agent: str, category: str) -> None:
    found_as(agent, category)


@pytest.mark.parametrize(
    "agent",
    [
        "您问凭什么多收费，这个疑问很正常，我帮您逐项核对。",  # the customer's words said back
        "您是说路由器一直不亮，对吗？",
        "方便问一下您是什么时候发现断网的吗？",  # 您是什么时候 ≈ 你说什么时候: exempt by sound
        "很抱歉，我们不上门，不过我可以帮您预约营业厅的师傅。",  # apology first
        "请您先把路由器重启一下，好吗？",
        "您可以在手机应用上查看账单明细。",
        "好的好的，我马上帮您登记。",
        "这个责任在我们，非常抱歉给您添麻烦了。",
    ],
)
def test_round_seven_shapes_leave_proper_speech_alone(agent: str) -> None:
    assert said(agent).status == "pass", said(agent)


@pytest.mark.parametrize(
    ("agent", "category"),
    [
        ("路由器的事你找你们小区那个装机师傅去。", "推诿"),
        ("网速的事你跟运营商说去，我们只管收钱。", "推诿"),
        ("提速？你就别想了。", "否定"),
        ("把合同翻出来，条款自己看去。", "命令"),
        ("先别说话，听我讲完。", "命令"),
        ("你到底要问啥？", "不耐烦"),
        ("你是不是自己把网线拔了？", "质问"),
        ("就您家网慢，那可真稀奇。", "讽刺"),
        ("这个技术那边知道了，有消息再说。", "搪塞"),
        ("你再等等，应该会好的。", "搪塞"),
        ("是你自己把设置改乱的，跟我们没关系。", "推卸"),
        ("爱用不用，拉倒。", "不文明"),
    ],
)
def test_round_eight_shapes(agent: str, category: str) -> None:
    found_as(agent, category)


@pytest.mark.parametrize(
    "agent",
    [
        "您提到师傅说“这不归我管”，这确实不对，我向您道歉。",  # inside quotation marks
        "您刚刚问为什么不能退，我给您解释一下。",  # 您刚刚问 leads in the customer's words
        "我不能直接承诺具体时间，但我会全程跟进。",  # a refusal with what can be done
        "请您稍候片刻，我马上联系师傅确认位置。",  # 系骑 ≈ 稀奇 by sound: not a hit
        "如果还是不行，我再为您安排师傅上门。",  # a conditional, not a bare no
        "换新不行，只能维修。",  # a no with the answer in the same sentence
    ],
)
def test_round_eight_shapes_leave_proper_speech_alone(agent: str) -> None:
    assert said(agent).status == "pass", said(agent)


def test_a_clause_end_anchors_a_shape() -> None:
    """`$` holds at a comma too: 你再等等，应该会好的 ends a clause with 再等等."""
    from callqa.speech.textnorm import prepare

    mt = prepare("定金不退，合同上写着呢。")
    assert [mt.chars[a:b] for a, b in mt.clauses] == ["定金不退", "合同上写着呢"]
    assert said("路由器重启一下，再等等，过会儿就好了。").status == "fail"


def test_a_lead_in_naming_a_thing_is_not_a_quote() -> None:
    """您说的这个我们管不了 is the agent's own refusal, not the customer's words."""
    assert said("您说的这个我们管不了。").status == "fail"


@pytest.mark.parametrize(
    ("agent", "category"),
    [
        ("这个得问售后，我们不清楚。", "推诿"),
        ("提速？不可能，大家都在排队。", "否定"),  # a clause that is all refusal
        ("把欠费交上了再打过来。", "命令"),
        ("没完没了了是吧？", "不耐烦"),
        ("你看短信了吗？", "质问"),
        ("行，您说得都对。", "讽刺"),
        ("过两天再看看吧。", "搪塞"),
        ("在处理了。", "搪塞"),
        ("网速慢是您路由器的问题。", "推卸"),
    ],
)
def test_round_eight_second_shapes(agent: str, category: str) -> None:
    found_as(agent, category)


@pytest.mark.parametrize(
    "agent",
    [
        "在处理了，明天上午给您回电。",  # `clause: false`: only the bare utterance
        "如果不行的话，请您再联系我们。",
        "很抱歉，不可能今天到，我帮您催一下。",  # apology first
        "餐品洒漏的问题我这边直接为您申请退款。",  # 品洒 ≈ 凭啥 by sound: not a hit
    ],
)
def test_round_eight_second_shapes_leave_proper_speech_alone(agent: str) -> None:
    assert said(agent).status == "pass", said(agent)


@pytest.mark.parametrize(
    ("agent", "category"),
    [
        ("这个不归我们这条线管。", "推诿"),
        ("谁卖给你的你就找谁。", "推诿"),
        ("不赔，晚一天又不是没送到。", "否定"),  # a clause that is all refusal
        ("地址记下来，我只说一遍。", "命令"),
        ("别在电话里磨了。", "不耐烦"),
        ("等着呗，还能怎么样。", "搪塞"),
        ("你问这么多干什么。", "质问"),
        ("您这理由可真新鲜。", "讽刺"),
        ("阀门是你自己拧的，我们可不担责任。", "推卸"),
        ("你吼什么吼。", "不文明"),
    ],
)
def test_round_eight_third_shapes(agent: str, category: str) -> None:
    found_as(agent, category)


@pytest.mark.parametrize(
    "agent",
    [
        "这个确实不归我们门店处理，不过您不用自己打电话，我帮您登记好。",  # an offer follows
        "您先别急着挂，我这边还想跟您确认一下地址。",  # 还想 ≈ 还嫌 by sound: not a hit
        "如果您的车险有划痕险也可以走，不用您自己出钱。",  # 您自己出 ≈ 你自己查: not a hit
    ],
)
def test_round_eight_third_shapes_leave_proper_speech_alone(agent: str) -> None:
    assert said(agent).status == "pass", said(agent)


@pytest.mark.parametrize(
    ("agent", "category"),
    [
        ("师傅什么时候上门我这边哪知道，别来找我们。", "推诿"),
        ("燃气表不上门复检，没这项服务。", "否定"),
        ("材料明天九点前交到窗口，晚了就别来了。", "命令"),
        ("我都解释十分钟了，还要我怎么说？", "不耐烦"),
        ("您确定您真没收到？", "质问"),
        ("信用卡都刷爆了还想提额，您心可真够大的。", "讽刺"),
        ("有结果了自然会通知您。", "搪塞"),
        ("验证码是您自己告诉人家的，只能怪您自己。", "推卸"),
        ("您这种人我见多了。", "不文明"),
    ],
)
def test_round_eight_fourth_shapes(agent: str, category: str) -> None:
    found_as(agent, category)


@pytest.mark.parametrize(
    "agent",
    [
        "您放心，这个不是您操作的问题，是系统升级期间的故障。",  # 不是您…的问题
        "今天送到发现柜门有裂缝，您希望换货，对吗？",  # 现柜 ≈ 嫌贵 by sound: not a hit
    ],
)
def test_round_eight_fourth_shapes_leave_proper_speech_alone(agent: str) -> None:
    assert said(agent).status == "pass", said(agent)


def test_a_lead_in_naming_a_topic_quotes_nothing() -> None:
    """您问为什么不能退 says the customer's words back; 您问这个我也不知道 is the agent's own."""
    assert said("您刚刚问为什么不能退，我给您解释一下。").status == "pass"
    assert said("您问这个我也不知道。").status == "fail"


@pytest.mark.parametrize(
    ("agent", "category"),
    [
        ("说来说去还是那张保修卡，别原地打转了。", "不耐烦"),
        ("您确定是我们网络的问题？是不是您自己把设置改乱了？", "质问"),
        ("发票重开不可能。", "否定"),  # a clause that is all refusal
        ("押金不退，是您先违约的。", "否定"),
        ("笨死了，密码框在左边！", "不文明"),
    ],
)
def test_round_eight_fifth_shapes(agent: str, category: str) -> None:
    found_as(agent, category)


@pytest.mark.parametrize(
    "agent",
    [
        "理解您赶时间，我长话短说：明天上午十点前师傅会上门。",  # the agent's own 长话短说
        "过期的积分确实恢复不了，非常抱歉。",  # an apology after the no
        "好的，那我先挂了，祝您生活愉快，再见。",
    ],
)
def test_round_eight_fifth_shapes_leave_proper_speech_alone(agent: str) -> None:
    assert said(agent).status == "pass", said(agent)
