"""What part of a turn a 禁语 shape sees (`callqa.scoring.scope`), on whole agent lines.

Whisper often writes a comma where the speaker ended a sentence.  The 您 of an unrelated
clause joined so must not excuse a bare order, and a closing offer joined so is not the
answer that may follow a refusal; a condition or request leading into the order, a short
courtesy tail after it, and an offer of help anywhere in the sentence still count.
"""

from __future__ import annotations

import pytest

from callqa.scoring.scope import views, without_offers
from callqa.speech.textnorm import prepare
from tests.helpers_transcripts import judge

OPEN = ("agent", 0.5, 6.0, "您好，星河通信，工号1023，请问有什么可以帮您？")
ASK = ("customer", 6.5, 12.0, "我上个月的账单多扣了五十块钱，怎么回事？")
CLOSE = ("agent", 40.0, 46.0, "还有什么可以帮您？感谢您的来电，再见。")


def status(line: str) -> str:
    turns = [OPEN, ASK, ("agent", 13.0, 30.0, line), CLOSE]
    return str(judge("forbidden_phrases", turns).status)


@pytest.mark.parametrize(
    "line",
    [
        "好的，您的订单我这边查到了，卡号报过来。",  # another clause's 您
        "您好，您的快递我看到了，把单号报给我。",
        "嗯，您说的情况我了解了，你自己去营业厅问吧。",
        "这个退不了，您还有其他问题吗？",  # a closing offer is no answer
        "地址已经发出去了，改不了，请问还有什么可以帮您？",
        "去把燃气阀关了再打过来，您还有其他问题吗？",
        "我们不上门，您看还有别的需要吗？",
    ],
)
def test_a_polite_clause_joined_by_a_comma_does_not_excuse_a_rude_one(line: str) -> None:
    assert status(line) == "fail"


@pytest.mark.parametrize(
    "line",
    [
        "如果您方便的话，稍后可以再打过来。",  # a condition leads into it
        "麻烦您，把卡号报一下。",  # a request leads into it
        "卡号报过来，谢谢您。",  # a courtesy tail softens it
        "请您找一下保单右上角的保单号，一共是十八位，找到后念给我就可以，不着急。",
        "好的，您的订单我这边查到了，您先别挂，我这边再帮您争取一下。",  # its own 您
        "如果周五还没到，您直接打给我，我帮您联系银行查询。",  # an offer of help
        "这个退不了，但是可以给您换货，您还有其他问题吗？",  # the answer before the offer
        "不好意思，这个退不了，您还有其他问题吗？",  # an apology before the refusal
        "好的，已经为您办好了，您还有其他问题吗？",
    ],
)
def test_courtesy_that_belongs_to_the_clause_still_excuses_it(line: str) -> None:
    assert status(line) == "pass"


def test_views_read_other_clauses_you_plainly_but_keep_service_and_lead_ins() -> None:
    mt = prepare("好的，您的订单查到了，我帮您看看，如果您方便，卡号报过来，谢谢您。")
    plain = "".join(mt.folded[i] for i in mt.index)
    texts = {plain[a:b]: text for _, text, (a, b) in views(plain, mt.clauses, mt.sentences)}
    order = texts["卡号报过来"]
    assert "你的订单" in order  # another clause's 您: a pronoun
    assert "帮您看看" in order  # the agent's service stays in sight
    assert "如果您方便" in order and "谢谢您" in order  # its lead-in and its tail


def test_a_sentence_without_its_closing_offers() -> None:
    mt = prepare("这个退不了，您还有其他问题吗？还有别的需要吗，好的。")
    plain = "".join(mt.folded[i] for i in mt.index)
    (window,) = without_offers(plain, mt.clauses, mt.sentences)
    assert plain[window[0] : window[1]] == "这个退不了"
    assert without_offers(plain, mt.clauses[:1], mt.sentences[:1]) == ()
