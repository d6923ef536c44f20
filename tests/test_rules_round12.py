"""Round-12 shapes of forbidden speech (corpus/probes/forbidden_w, read: a northern
agent's 甭/咋/啥), and the proper speech beside them that earlier shapes flagged
(forbidden_x's proper look-alikes)."""

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
    ],
)
def test_round_twelve_shapes_leave_proper_speech_alone(agent: str) -> None:
    assert said(agent).status == "pass", said(agent)


def test_a_bare_call_back_is_still_a_brush_off() -> None:
    found_as("现在查不了，晚点再打过来。", "命令")
