"""Seed 004, section 五、电话服务规范用语: every proper phrase passes `forbidden_phrases`,
every "不可以说" phrase fails it.

Written in simplified characters from ../shared/seeds/004_5b509f1a457dbf4a.txt (lines
264-330); placeholders such as XX and YYY are filled in or dropped, and the document's
mojibake (因?yàn)榫€路忙 …) is restored to the obvious words (因为线路忙).
"""

from __future__ import annotations

import pytest

from tests.helpers_transcripts import judge

PROPER = [
    "您好，欢迎致电星河通信客户服务热线，客服代表小李很高兴为您服务，请问有什么可以帮助您？",
    "您好，请问有什么可以帮助您？",
    "王先生，请问有什么可以帮助您？",
    "对不起！您的电话没有声音，请您换一部电话再次打来，好吗？再见！",
    "对不起，您的电话声音太小，请您拿起话筒说话好吗？",
    "对不起，请您大声一点儿，好吗？",
    "对不起！您的电话声音太小，请您换一部电话打来，好吗？",
    "对不起，您的电话杂音太大，听不清楚，请您换一部电话再次打来好吗？谢谢，再见！",
    "对不起，请您找一个可以讲普通话的人来，好吗？谢谢！",
    "对不起，请问有什么可以帮助您？",
    "对不起，公司规定，上班时间不允许接听私人电话，请您下班后再与她联系，谢谢您，再见！",
    "对不起，麻烦您将刚才反映的问题再复述一遍，好吗？",
    "麻烦您记录一下，好吗？",
    "对不起，这里是星河通信客户服务中心，请您查证后再拨。",
    "对不起，您能否将具体情况和联系电话告诉我，我帮您联系好吗？",
    "对不起，刚才因为线路忙，让您久等了！请问有什么可以帮助您？",
    "对不起，先生，请问有什么可以帮助您？",
    "对不起，让您久等了，我将尽快帮您处理。",
    "对不起，由于我们服务不周到给您添麻烦了，请您原谅，您是否能将详细情况告诉我？",
    "对不起，给您添麻烦了，我会将您反映的问题如实上报主管，并尽快核实处理，给您带来不便请您原谅！",
    "对不起，您是否可以留下您的联系电话，由我们的主管与您联系处理，好吗？",
    "很抱歉，先生，多谢您反映的意见，我们会尽快向上级部门反映，并在2小时内给您明确的答复，再见！",
    "对不起，请您稍等片刻，好吗？",
    "对不起，线路正在调整，请您稍后再来电，好吗？",
    "谢谢您，您提出的宝贵建议，我们将及时反馈公司相关负责人员，再次感谢对我们工作的关心和支持。",
    "对不起，请您原谅。",
    "对不起，很抱歉。",
    "没关系，请不必介意。",
    "对不起，你的要求不在我们的服务范围内，请您挂机。",
    "非常感谢！对不起，我不能接受，再次谢谢您！",
    "很抱歉，恐怕我不能帮助您！",
    "很抱歉，这超出我们的服务范围，恐怕我不能帮助您。",
    "请不要客气。",
    "不客气。",
    "请不必客气，这是我们应该做的，感谢您对我们工作的支持，随时欢迎您再来电。",
    "对不起，请您留下您的联系电话我们查询后将尽快与您联系，好吗？",
    "先生，请问您贵姓？",
    "谢谢您的合作，再见！",
    "请问我刚才的解释是否明白？",
    "请问我刚才的解释是否清楚？",
    "请问还有什么可以帮助您？",
    "感谢您的来电，若有问题请再次来电，谢谢再见！",
]

NOT_TO_SAY = [
    "喂说话呀！",
    "喂，说吧！",
    "喂，说话呀！再不说话我就挂了啊。",
    "喂，大声一点儿！",
    "喂，什么？！你说什么？",
    "喂，打错电话了！请看清楚后再拨。",
    "喂，我也没有办法，刚才线路忙啊！",
    "喂，嘴巴干净一点，这又不是我的错呀！",
    "喂，不好意思，我是新手啦！",
    "喂，我会将您反映的问题如实上报主管。",
    "喂，刚才的电话不是我接的呀！",
    "喂，这不关我的事，我不清楚，您挂电话吧。",
    "喂，我不清楚，您过两天再来电话吧。",
    "喂，没事了吧，您挂电话吧。",
    "喂，不可能帮你！",
    "喂，听懂了吗？",
]

# The same lines without their leading 喂: still forbidden, except the one whose only
# fault is the 喂 (seed 004 lists a proper sentence after it) and 说吧 / 什么.
WITHOUT_WEI = [
    ("说话呀！再不说话我就挂了啊。", "再不说话我就挂了"),
    ("你说什么？", "你说什么"),
    ("打错电话了！请看清楚后再拨。", "看清楚后再拨"),
    ("我也没有办法，刚才线路忙啊！", "我也没有办法"),
    ("嘴巴干净一点，这又不是我的错呀！", "嘴巴干净一点"),
    ("不好意思，我是新手啦！", "我是新手"),
    ("刚才的电话不是我接的呀！", "刚才的电话不是我接的"),
    ("这不关我的事，我不清楚，您挂电话吧。", "不关我的事"),
    ("我不清楚，您过两天再来电话吧。", "我不清楚"),
    ("没事了吧，您挂电话吧。", "挂电话吧"),
    ("不可能帮你！", "不可能帮"),
    ("听懂了吗？", "听懂了吗"),
    ("这不是我应该做的。", "不是我应该做的"),
]


def _said(text: str) -> list[tuple[object, ...]]:
    return [("agent", 1.0, 1.0 + 0.25 * len(text), text)]


@pytest.mark.parametrize("text", PROPER)
def test_proper_phrase_passes(text: str) -> None:
    result = judge("forbidden_phrases", _said(text))
    assert result.status == "pass", (text, [e.text for e in result.evidence])


@pytest.mark.parametrize("text", NOT_TO_SAY)
def test_not_to_say_fails(text: str) -> None:
    result = judge("forbidden_phrases", _said(text))
    assert result.status == "fail", text
    assert result.evidence[0].text.startswith("喂")


@pytest.mark.parametrize(("text", "hit"), WITHOUT_WEI)
def test_not_to_say_without_wei_still_fails(text: str, hit: str) -> None:
    result = judge("forbidden_phrases", _said(text))
    assert result.status == "fail", text
    assert any(hit in e.text.replace("，", "") for e in result.evidence)
