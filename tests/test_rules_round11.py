"""Round-11 shapes of forbidden speech (corpus/probes/forbidden_u/v, read), and the proper
speech beside them that earlier shapes flagged."""

from __future__ import annotations

import pytest

from tests.test_rules_patterns import found_as, said


@pytest.mark.parametrize(
    ("agent", "category"),
    [
        ("报修单是白班同事接的，你等她明天上班再来找她。", "推诿"),
        ("网络是运营商那边的事，你找售后吧。", "推诿"),
        ("能不能补发不是我说了算。", "推诿"),
        ("套餐已经生效了，改不了。", "否定"),  # a refusal that ends the turn
        ("押金不可能再退给你。", "否定"),
        ("不办就是不办，谁来问都一样。", "否定"),
        ("你先挂电话，等工作人员联系。", "命令"),
        ("自己去营业厅把表填了。", "命令"),
        ("身份证号一个字一个字地念。", "命令"),
        ("你到底查不查？我这儿忙着呢。", "不耐烦"),
        ("就这点流量，你至于打三回电话吗？", "不耐烦"),
        ("还没完了是吧？", "不耐烦"),
        ("你问我，我问谁去？", "质问"),
        ("短信没收到你为什么就点了确认？", "质问"),
        ("你听不懂普通话吗？", "质问"),
        ("停机半年了您还知道打电话啊。", "讽刺"),
        ("你以为你是谁，还要我们主任来接？", "讽刺"),
        ("过两天应该就好了吧。", "搪塞"),
        ("这个不一定，要看情况不一定。", "搪塞"),
        ("信号差不是我们公司的责任。", "推卸"),
        ("欠费是你自己忘了交。", "推卸"),
        ("工号不能告诉你。", "推卸"),
        ("我就这态度，爱投诉投诉去。", "不文明"),
        ("你再吵我就挂了。", "不文明"),
    ],
)
def test_round_eleven_shapes(agent: str, category: str) -> None:
    found_as(agent, category)


@pytest.mark.parametrize(
    "agent",
    [
        # a choice offered is not an order to call back
        "系统正在升级，您看是我稍后给您回电，还是您晚点再打过来？",
        # the agent spares the customer the errand
        "您不用自己去找别的部门，我来帮您联系。",
        # 地址说一遍 is not 只说一遍 by sound
        "麻烦您再把地址说一遍，我核对一下。",
        # a no with its reason after it in the turn
        "退不了，下个月起才有新的优惠，我帮您记下来。",
        "非常抱歉，这个套餐确实改不了。",
        # 至于 as "as for"
        "至于为什么会多扣费，我来给您解释一下。",
        # a polite request that mentions 申请
        "您把申请表填好以后，请再打电话给我们确认。",
        # sympathy about calls made, no blame
        "为了这点钱让您打了好几次电话，真的很抱歉。",
        "这不是您的问题，是我们系统的延迟，我马上帮您处理。",
    ],
)
def test_round_eleven_shapes_leave_proper_speech_alone(agent: str) -> None:
    assert said(agent).status == "pass", said(agent)
