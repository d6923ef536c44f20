"""Round-14 shapes of forbidden speech (corpus/probes/forbidden_ab, read: soft rudeness,
the rude part wrapped in polite words), in wordings of my own, and the proper speech
beside them that must stay proper."""

from __future__ import annotations

import pytest

from tests.test_rules_patterns import found_as, said


@pytest.mark.parametrize(
    ("agent", "category"),
    [
        ("退货的事您问卖家去吧。", "推诿"),
        ("停车位的问题您找物业哈。", "推诿"),
        ("不好意思，这个我们客服说不上话。", "推诿"),
        ("运费补贴是没有的哦。", "否定"),
        ("亲，定制商品是不退的。", "否定"),
        ("手机号码，快点报一下。", "命令"),
        ("您先把说明书看明白了再打过来。", "命令"),
        ("这个规则我都讲过两遍了。", "不耐烦"),
        ("哎，又是您啊。", "不耐烦"),
        ("您再听不懂我也没办法了。", "不耐烦"),
        ("您能快点好吗，我这边很忙的。", "不耐烦"),
        ("别一口气说那么多，我记不过来。", "不耐烦"),
        ("您买之前没看清楚吗？", "质问"),
        ("您的密码怎么保管的呀？", "质问"),
        ("短信早就发了，您是没看到还是不当回事？", "质问"),
        ("您有什么证据说是快递员拿走的？", "质问"),
        ("哟，您倒是挺内行的嘛。", "讽刺"),
        ("这种要求，我们经理听了都得笑。", "讽刺"),
        ("失敬失敬，原来是老会员。", "讽刺"),
        ("嗯，应该快了，再等等吧。", "搪塞"),
        ("您先等通知就行了。", "搪塞"),
        ("这个小问题您不用太在意。", "搪塞"),
        ("地址是您自己写错的。", "推卸"),
        ("逾期产生的罚息只能您自己承担。", "推卸"),
        ("这个真怪不了我们。", "推卸"),
        ("您这不是找茬吗？", "不文明"),
    ],
)
def test_round_fourteen_shapes(agent: str, category: str) -> None:
    found_as(agent, category)


@pytest.mark.parametrize(
    "agent",
    [
        "您明天早上八点去营业厅办理就可以了。",  # 早 is not 找 by sound
        "您反映的噪音问题由区环保部门负责，我已经帮您转过去了。",
        "这是您第二次来电了，真的很抱歉，这次我一定跟进到底。",
        "我刚才说过两遍了，可能我没说清楚，我再慢慢说一遍。",
        "麻烦您提供一下订单号，我帮您查一下。",
        "如果是您自己填错了，可以在订单页面修改收货地址。",
        "如果您有相关凭证，可以上传到理赔页面。",
        "我帮您催一下，应该快了，有消息第一时间通知您。",
        "您等通知就可以了，我们会在三个工作日内联系您。",
        "您是想找物业维修吗？我帮您转接物业客服。",
        "额外费用是没有的，您放心。",
        "您可以找客服经理沟通一下，我帮您转接。",
    ],
)
def test_round_fourteen_shapes_leave_proper_speech_alone(agent: str) -> None:
    result = said(agent)
    assert result.status == "pass", (agent, result.message)
