"""Round-13 shapes of forbidden speech (corpus/probes/forbidden_aa, read: a weary agent at
the end of a shift, clauses joined by commas), in wordings of my own, and the proper speech
beside them that must stay proper."""

from __future__ import annotations

import pytest

from tests.test_rules_patterns import found_as, said


@pytest.mark.parametrize(
    ("agent", "category"),
    [
        ("嗯，快递送丢了你就直接联系快递员吧。", "推诿"),
        ("好的，您跟我说也没用，这个我这边处理不了。", "推诿"),
        ("你跟我说我也管不了啊。", "推诿"),
        ("检修是统一安排的，不可能给你一户专门上门。", "否定"),
        ("那个，把订单截图发给我，快点。", "命令"),
        ("就是，卡号再念一遍，说清楚点。", "命令"),
        ("你先把燃气总阀关上，现在就关。", "命令"),
        ("申请你先提交了，就这么办吧。", "命令"),
        ("哎，你赶紧说，我马上要下班了。", "不耐烦"),
        ("嗯，您两句话说完，后面还有人排队。", "不耐烦"),
        ("验证码是发到你手机上的，你怎么会不知道呢？", "质问"),
        ("您这钱花得可真潇洒。", "讽刺"),
        ("到还款的时候就想起来找我们了。", "讽刺"),
        ("要不要我们派专人伺候着？", "讽刺"),
        ("您以为我们是做慈善的吗？", "讽刺"),
        ("刚买完就想着退，哪有这种好事。", "讽刺"),
        ("已经登记了，别的我也说不了。", "搪塞"),
        ("嗯，这个问题过段时间再说吧。", "搪塞"),
        ("具体什么时候修好，我这边也没法说。", "搪塞"),
        ("手机丢了那是你自己没保管好。", "推卸"),
        ("包裹破损跟我们平台没关系。", "推卸"),
        ("你要投诉就去投，随便。", "不文明"),
        ("我还怕你啊？", "不文明"),
    ],
)
def test_round_thirteen_shapes(agent: str, category: str) -> None:
    found_as(agent, category)


@pytest.mark.parametrize(
    "agent",
    [
        "方便的话，能把漏水位置的照片发给我们吗？",  # a request put as a question
        "麻烦您把订单截图发给我，我帮您核实。",
        "请您再念一遍卡号，我这边没听清。",
        "非常抱歉，没法为您单独恢复供气，抢修完成后会第一时间通知您。",
        "不好意思，具体时间我这边也没法说，我帮您催一下维修师傅，有消息马上给您回电。",
        "这笔扣款跟您的卡没关系，是系统重复提示，您放心。",
        "您要投诉的话，我可以帮您登记，三个工作日内会有专人联系您。",
        "我这边马上帮您处理，请您稍等。",
        "您说得对，这个责任在我们，我马上给您补发。",
        "您先观察两天，过几天再看看效果，有问题随时打给我们。",
    ],
)
def test_round_thirteen_shapes_leave_proper_speech_alone(agent: str) -> None:
    result = said(agent)
    assert result.status == "pass", (agent, result.evidence)
