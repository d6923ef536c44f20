"""A hold announced in murky speech, read again (speech.reread.read_hold,
scoring.rereading: hold_spans and the silence item)."""

from __future__ import annotations

import numpy as np
import pytest

from callqa.records import CallScore, RuleResult, Span, Transcript
from callqa.review.i18n import reason_text
from callqa.scoring.engine import score_call
from callqa.scoring.rereading import (
    REREAD_CONFIRM,
    HoldAt,
    hold_spans,
    pending,
    reread_items,
    silence_params,
)
from callqa.speech.reread import (
    COHORT,
    HOLD_PROMPT,
    THANKS_PROMPT,
    Reading,
    read_hold,
)
from tests.helpers_transcripts import default_card, measures, on_channels, transcript
from tests.test_reread import FakeVerifier, _reader

SIGNAL = np.zeros(16000 * 40, dtype=np.float32)
ANNOUNCE = ("请您稍等", "请稍等", "稍等一下", "稍候", "我帮您查一下", "我查一下")
THANKS = ("久等了", "感谢您的耐心等待")


# -- reading a stretch with the hold proposed ---------------------------------------------


def test_an_announcement_is_weighed_against_ordinary_words_in_its_reading() -> None:
    retranscribe, prompts = _reader("好的，请您稍等，我帮您查一下航班。")
    verifier = FakeVerifier("请您稍等", 12.0)
    found = read_hold(
        retranscribe,
        verifier,
        SIGNAL,
        start=10.0,
        end=14.0,
        prompt=HOLD_PROMPT,
        phrases=ANNOUNCE,
    )
    assert prompts == [HOLD_PROMPT]
    # two phrases said together are not a copy of the prompt: each is weighed
    assert [(r.phrase, r.over_cohort) for r in found] == [("请您稍等", 12.0), ("我帮您查一下", 0.0)]
    assert verifier.asked[0][1:11] == tuple(f"好的{w}我帮您查一下航班" for w in COHORT[4])


@pytest.mark.parametrize(
    "reading",
    [
        "请您稍等片刻",  # the phrases and nothing else: the prompt talking into the silence
        "请您稍等片刻我帮您查一下",
        "对不起请您稍等片刻我帮您查",  # copies the prompt outside the phrases
        "好的，航班信息是这样的。",  # no hold phrase
        "请您稍等" + "好的" * 40,  # more than the stretch can hold
    ],
)
def test_no_hold_phrase(reading: str) -> None:
    retranscribe, _ = _reader(reading)
    verifier = FakeVerifier("稍等", 30.0)
    got = read_hold(
        retranscribe, verifier, SIGNAL, start=10.0, end=12.0, prompt=HOLD_PROMPT, phrases=ANNOUNCE
    )
    assert got == ()
    assert verifier.asked == []


# -- which stretches, and the silence item -------------------------------------------------

MURKY_HOLD = [  # the announcement (11.0-13.0) and the thanks (26.0-29.0) came out garbled
    ("agent", 0.5, 5.0, "您好，星河通信，工号1023，请问有什么可以帮您？"),
    ("customer", 5.5, 10.0, "你好，我想查一下上个月的话费。"),
    ("agent", 11.0, 13.0, "好的，情怀晒的。"),
    ("agent", 26.0, 29.0, "然后酒店了，上个月话费一百二十元。"),
    ("customer", 29.5, 31.0, "好的，谢谢。"),
    ("agent", 31.5, 35.0, "请问还有什么可以帮您？感谢您的来电，再见。"),
]
AGENT = (Span(0.5, 5.0), Span(11.0, 13.0), Span(26.0, 29.0), Span(31.5, 35.0))
CUSTOMER = (Span(5.5, 10.0), Span(29.5, 31.0))


def _murky_hold() -> tuple[Transcript, CallScore]:
    t = on_channels(transcript(MURKY_HOLD, prob=0.5), AGENT, CUSTOMER, 35.5)
    return t, _rescore(t)


def _rescore(t: Transcript) -> CallScore:
    return score_call(default_card(), t, measures(t))


def _silence(score: CallScore) -> RuleResult:
    return next(r for r in score.rules if r.id == "silence")


def _hold_at(readings: dict[tuple[Span, bool], Reading]) -> tuple[HoldAt, list[tuple[Span, bool]]]:
    asked: list[tuple[Span, bool]] = []

    def hold_at(span: Span, prompt: str, phrases: tuple[str, ...]) -> tuple[Reading, ...]:
        announce = prompt == HOLD_PROMPT
        assert ("请您稍等" in phrases) == announce  # the item's own lists, each with its prompt
        asked.append((span, announce))
        got = readings.get((span, announce))
        return () if got is None else (got,)

    return hold_at, asked


def _no_edits(utt: object) -> tuple[Reading, ...]:
    return ()


def test_the_stretches_around_a_long_silence() -> None:
    t, score = _murky_hold()
    params = silence_params(default_card())
    assert params is not None
    # 13.0-26.0 is the one silence over 8 s: the announcement's stretches before it
    # (the last two within 15 s), the thanks' the first after it
    assert hold_spans(t, params) == [([Span(0.5, 5.0), Span(11.0, 13.0)], [Span(26.0, 29.0)])]
    assert _silence(score).status == "review"
    assert pending(score, default_card())["silence"] == "silence"


def test_a_hold_the_audio_confirms_passes_the_silence_item() -> None:
    t, score = _murky_hold()
    hold_at, asked = _hold_at(
        {
            (Span(11.0, 13.0), True): Reading("请您稍等", "", "请您稍等", "好的请您稍等", 2, 15.7),
            (Span(26.0, 29.0), False): Reading(
                "久等了", "", "久等了", "让您久等了上个月话费一百二十元", 2, 20.4
            ),
        }
    )
    out = reread_items(score, t, default_card(), _no_edits, _rescore, hold_at=hold_at)
    silence = _silence(out)
    assert silence.status == "pass"
    assert asked == [(Span(11.0, 13.0), True), (Span(26.0, 29.0), False)]  # latest first
    assert silence.message.endswith(
        "(read again, the audio confirms over ordinary words: 请您稍等 (+15.7); 久等了 (+20.4))"
    )
    assert "重听录音核实" in reason_text(silence.message, "zh_CN")
    notes = [e.note for e in silence.evidence]
    assert "hold announced; read again" in notes and "thanks after hold; read again" in notes
    # nothing else was judged on the readings
    others = [(r.id, r.status) for r in out.rules if r.id != "silence"]
    assert others == [(r.id, r.status) for r in score.rules if r.id != "silence"]


def test_an_announcement_without_the_thanks_leaves_the_item_in_review() -> None:
    t, score = _murky_hold()
    hold_at, _ = _hold_at(
        {(Span(11.0, 13.0), True): Reading("请您稍等", "", "请您稍等", "好的请您稍等", 2, 15.7)}
    )
    out = reread_items(score, t, default_card(), _no_edits, _rescore, hold_at=hold_at)
    assert _silence(out) == _silence(score)


def test_a_thin_margin_changes_nothing() -> None:
    t, score = _murky_hold()
    thin = REREAD_CONFIRM - 0.1
    hold_at, asked = _hold_at(
        {
            (Span(11.0, 13.0), True): Reading("请您稍等", "", "请您稍等", "好的请您稍等", 2, thin),
            (Span(26.0, 29.0), False): Reading("久等了", "", "久等了", "让您久等了", 2, 20.4),
        }
    )
    out = reread_items(score, t, default_card(), _no_edits, _rescore, hold_at=hold_at)
    assert _silence(out) == _silence(score)
    assert len(asked) == 3  # both stretches before the silence were read, and the one after


def test_an_unannounced_silence_is_never_failed_by_a_reading() -> None:
    t, score = _murky_hold()
    hold_at, _ = _hold_at({})
    out = reread_items(score, t, default_card(), _no_edits, _rescore, hold_at=hold_at)
    assert out is score


def test_a_clear_agent_is_not_read_again() -> None:
    t = on_channels(transcript(MURKY_HOLD, prob=0.95), AGENT, CUSTOMER, 35.5)
    score = _rescore(t)
    assert _silence(score).status == "fail"  # clear words, no announcement: decided
    hold_at, asked = _hold_at({})
    assert reread_items(score, t, default_card(), _no_edits, _rescore, hold_at=hold_at) is score
    assert asked == []


def test_the_thanks_prompt_is_its_own() -> None:
    retranscribe, prompts = _reader("不好意思让您久等了，您的话费是一百二十元。")
    found = read_hold(
        retranscribe,
        FakeVerifier("久等了", 9.0),
        SIGNAL,
        start=26.0,
        end=29.0,
        prompt=THANKS_PROMPT,
        phrases=THANKS,
    )
    assert prompts == [THANKS_PROMPT]
    assert [(r.phrase, r.over_cohort) for r in found] == [("久等了", 9.0)]
