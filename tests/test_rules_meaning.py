"""Rules that read the meaning of an exchange, not just a listed phrase: the offer of
further help shown by the customer's "nothing more", courtesy kept up after the greeting,
and a recap put as a checking question."""

from __future__ import annotations

import pytest

from tests.helpers_transcripts import check_with, judge

OPEN = ("agent", 0.5, 5.0, "您好，星河通信，工号1023，请问有什么可以帮您？")
ASK = ("customer", 5.5, 11.0, "我想把我的套餐换成每月一百九的那个不限流量套餐。")


# -- closing -----------------------------------------------------------------------------


def _close(offer: str, answer: str, at: float = 30.0) -> list[tuple]:
    return [
        OPEN,
        ASK,
        ("agent", 12.0, 20.0, "好的，已经帮您办好了。"),
        ("agent", at, at + 3.0, offer),
        ("customer", at + 3.5, at + 4.5, answer),
        ("agent", at + 5.0, at + 7.0, "好的，谢谢您，再见。"),
    ]


def test_misheard_offer_is_shown_by_the_customers_no() -> None:
    # "请问还有什么可以帮您" as Whisper base heard it (corpus/dev d03)
    result = judge("closing", _close("不客气，前问还有贪污的贪您", "没有了。"))
    assert result.status == "pass", result.message
    assert any("answered 没有了" in e.note for e in result.evidence)


@pytest.mark.parametrize(
    ("offer", "answer"),
    [
        ("不客气，前问还有贪污的贪您", "好的。"),  # the customer does not say "nothing more"
        ("您的新套餐明天生效", "没有了。"),  # no "else" word in the agent's line
        ("不客气，前问还有贪污的贪您", "嗯，没有了。"),  # not at the start of the answer
    ],
)
def test_no_offer_without_both_halves(offer: str, answer: str) -> None:
    result = judge("closing", _close(offer, answer))
    assert result.status == "fail" and "offer of further help" in result.message


def test_answer_must_follow_at_once() -> None:
    turns = _close("不客气，前问还有贪污的贪您", "没有了。")
    late = [*turns[:4], ("customer", 40.0, 41.0, "没有了。"), ("agent", 41.5, 43.0, "谢谢，再见。")]
    assert judge("closing", late).status == "fail"


def test_thanks_alone_is_the_farewell() -> None:
    turns = [
        OPEN,
        ASK,
        ("agent", 12.0, 15.0, "请问还有什么可以帮您？"),
        ("agent", 16, 18, "善谢您"),
    ]
    assert judge("closing", turns).status == "pass"  # 善谢您 ≈ 谢您


# -- politeness --------------------------------------------------------------------------

BODY_CURT = [
    OPEN,
    ASK,
    ("agent", 12.0, 16.0, "可以换，下个月生效。"),
    ("customer", 16.5, 18.0, "那现在能办吗？"),
    ("agent", 18.5, 21.0, "都说了下个月，再见。"),
]


def test_greeting_formula_alone_is_not_courtesy() -> None:
    result = judge("politeness", BODY_CURT)
    assert result.status == "fail" and "after the greeting" in result.message


def test_courtesy_after_the_greeting_passes() -> None:
    turns = [*BODY_CURT[:4], ("agent", 18.5, 21.0, "不好意思，要下个月才能生效，谢谢您。")]
    result = judge("politeness", turns)
    assert result.status == "pass", result.message
    assert any("after the greeting" in e.note for e in result.evidence)


def test_beyond_opening_can_be_switched_off() -> None:
    assert check_with("politeness", BODY_CURT, params={"beyond_opening": ()}).status == "pass"


# -- recap -------------------------------------------------------------------------------


def _recap(reply: str) -> list[tuple]:
    return [OPEN, ASK, ("agent", 12.0, 18.0, reply), ("customer", 18.5, 25.0, "对。")]


@pytest.mark.parametrize(
    "reply",
    [
        "好的，换成每月一百九的不限流量套餐，对吗？",
        "嗯，您要换到一百九那个不限流量的，没错吧？",
        "你想换成不限流量套餐是吧",
    ],
)
def test_checking_question_that_echoes_the_customer_is_a_recap(reply: str) -> None:
    result = check_with("recap", _recap(reply), params={"similarity": 1.0, "phrases": ()})
    assert result.status == "pass" and "checking question" in result.message


@pytest.mark.parametrize(
    "reply",
    [
        "好的，我帮您办理，可以吗？",  # a question, but not a checking tag
        "下个月生效，是吗？",  # a checking tag that echoes nothing the customer said
    ],
)
def test_other_questions_are_not_a_recap(reply: str) -> None:
    result = check_with("recap", _recap(reply), params={"similarity": 1.0, "phrases": ()})
    assert result.status == "fail", result.message


# -- silence -----------------------------------------------------------------------------


@pytest.mark.parametrize(("prob", "status"), [(0.95, "fail"), (0.3, "review")])
def test_an_unreadable_announcement_makes_a_gap_review(prob: float, status: str) -> None:
    turns = [
        OPEN,
        ASK,
        ("agent", 12.0, 15.0, "上临朝鲍，我为您连席", {"prob": prob}),  # 稍候片刻 misheard
        ("agent", 28.0, 32.0, "感谢您的耐心等待，已经为您办好了。"),
        ("customer", 32.5, 33.5, "好的，谢谢。"),
    ]
    assert judge("silence", turns).status == status


# -- murky agent speech ------------------------------------------------------------------


def test_murky_agent_absence_is_review_but_a_heard_phrase_still_fails() -> None:
    turns = [
        (
            "agent",
            0.5,
            5.0,
            "林豪，冰水，有分何适。",
            {"prob": 0.55},
        ),  # a greeting Whisper could not read
        ASK,
        ("agent", 12.0, 16.0, "这个没得商量，你自己去看。", {"prob": 0.55}),
        ("customer", 16.5, 25.0, "好吧。"),
    ]
    intro = judge("self_intro", turns)
    assert intro.status == "review" and "agent speech unclear" in intro.message
    assert judge("forbidden_phrases", turns).status == "fail"
    clear = [(*t[:4], {"prob": 0.9}) if t[0] == "agent" else t for t in turns]
    assert judge("self_intro", clear).status == "fail"


def test_murky_agent_leaves_a_gap_undecided_but_not_a_hold_that_was_heard() -> None:
    """Whisper base reads an espeak-ng agent's words at ~0.55: a hold announcement it
    could not read is no proof of an unannounced gap (corpus holdout h16, fresh r13)."""
    murky = {"prob": 0.55}
    gap = [
        ("agent", 0.5, 5.0, "您好，星河通信，工号1023，请问有什么可以帮您？", murky),
        ASK,
        ("agent", 12.0, 15.0, "好的，我帮您看一下办理条件。", murky),
        ("agent", 28.0, 32.0, "好了，已经为您办好了。", murky),
        ("customer", 32.5, 34.0, "好的，谢谢。"),
    ]
    result = judge("silence", gap)
    assert result.status == "review" and "agent speech unclear" in result.message
    clear = [(*t[:4], {"prob": 0.9}) if t[0] == "agent" else t for t in gap]
    assert judge("silence", clear).status == "fail"
    no_gap = [t for t in gap if t[1] < 20] + [("agent", 16.0, 18.0, "已经办好了。", murky)]
    assert judge("silence", no_gap).status == "pass"


# -- speaking rate from the signal -------------------------------------------------------


@pytest.mark.parametrize(("prob", "spm", "status"), [(0.5, 430.0, "fail"), (0.5, 250.0, "pass")])
def test_unclear_words_rate_is_read_from_the_signal(prob: float, spm: float, status: str) -> None:
    from dataclasses import replace

    from callqa.records import Lane, Span, Timeline
    from callqa.scoring.engine import score_call
    from tests.helpers_transcripts import default_card, measures, transcript

    turns = [
        ("agent", 0.5, 9.0, "您好星河通信工号一零二三请问有什么可以帮您", {"prob": prob}),
        ("customer", 9.5, 14.0, "我想查一下话费。"),
        ("agent", 14.5, 24.0, "好的，您的话费余额是五十元，还有什么可以帮您？", {"prob": prob}),
    ]
    t = transcript(turns)
    line = Timeline(
        lanes=(
            Lane("left", "agent", (Span(0.5, 9.0), Span(14.5, 24.0)), -20.0, 0.0, spm),
            Lane("right", "customer", (Span(9.5, 14.0),), -20.0, 0.0, 200.0),
        ),
        duration=25.0,
        source="channels",
    )
    t = replace(t, timeline=line)
    rate = next(
        r for r in score_call(default_card(), t, measures(t)).rules if r.id == "speaking_rate"
    )
    assert rate.status == status and "by the signal" in rate.message


GARBLED_ASK = ("customer", 5.5, 11.0, "你好，我遇了特色六番无戏呀，相太个事天。")  # a murky caller


@pytest.mark.parametrize(
    ("reply", "status"),
    [
        ("那就是把周六上午的洗牙改到下周三下午三点，对吧？", "pass"),  # restates 20 characters
        ("改到下周三，对吧？", "fail"),  # too little put back to be a restatement
    ],
)
def test_a_long_checking_question_is_a_recap_when_the_caller_was_garbled(
    reply: str, status: str
) -> None:
    turns = [OPEN, GARBLED_ASK, ("agent", 12.0, 18.0, reply), ("customer", 18.5, 25.0, "对。")]
    with_length = {"similarity": 1.0, "phrases": (), "min_restated": 8}
    result = check_with("recap", turns, params=with_length)
    assert result.status == status, result.message
    if status == "pass":
        assert result.evidence[0].note == "checking question restating 20 characters"
    off = check_with("recap", turns, params={"similarity": 1.0, "phrases": (), "min_restated": 0})
    assert off.status == "fail"  # without min_restated the echo is needed


def test_the_shipped_scorecard_counts_a_restatement_put_as_a_question() -> None:
    reply = "那就是把周六上午的洗牙改到下周三下午三点，对吧？"
    turns = [OPEN, GARBLED_ASK, ("agent", 12.0, 18.0, reply), ("customer", 18.5, 25.0, "对。")]
    assert judge("recap", turns).status == "pass"
