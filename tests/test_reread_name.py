"""A company name the murky opening garbled, read again with the name proposed
(speech.reread.read_name, scoring.rereading: naming, opening_spans, with_name)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from callqa.records import CallMeta, CallScore, RuleResult, Span, Transcript
from callqa.review.i18n import reason_text
from callqa.run.pipeline import Pipeline
from callqa.scoring.cohort import cohort
from callqa.scoring.engine import score_call
from callqa.scoring.rereading import (
    NAME_CONFIRM,
    NAME_STRETCHES,
    REREAD_CONFIRM,
    NameAt,
    naming,
    opening_spans,
    reread_items,
    with_name,
)
from callqa.speech.reread import Reading, read_name
from tests.fakes import GOOD_AGENT, GOOD_CUSTOMER, FakeDiarizer, segment
from tests.helpers_transcripts import default_card, measures, on_channels, transcript
from tests.test_pipeline_reread import PromptedTranscriber
from tests.test_reread import SIGNAL, FakeVerifier, _reader

NAME = "会泰银行"


# -- reading the name ----------------------------------------------------------------------


def test_a_proposed_name_is_weighed_against_other_names_in_its_reading() -> None:
    retranscribe, prompts = _reader("您好，会泰银行，工号一零二三。")
    verifier = FakeVerifier(NAME, 12.8)
    others = cohort(NAME)
    found = read_name(retranscribe, verifier, SIGNAL, start=0.5, end=5.0, name=NAME, others=others)
    assert prompts == [NAME]  # the name is the whole prompt: nothing else to copy
    assert found is not None
    assert (found.phrase, found.heard, found.proposed) == (NAME, "", NAME)
    assert (found.text, found.start_char, found.over_cohort) == (
        "您好会泰银行工号一零二三",
        2,
        12.8,
    )
    (asked,) = verifier.asked
    assert asked[1:] == tuple(f"您好{o}工号一零二三" for o in others)
    assert all(NAME not in a for a in asked[1:])


@pytest.mark.parametrize(
    "reading",
    [
        "您好，林豪美途，工号一零二三。",  # the reading did not take the name up
        "会泰银行" * 30,  # far more than the stretch can hold: a loop on the prompt
        "会泰银行",  # the name and nothing else: the prompt talking
        "会泰银行会泰",  # the name and its own characters again
        "",
    ],
)
def test_no_name(reading: str) -> None:
    retranscribe, _ = _reader(reading)
    verifier = FakeVerifier(NAME, 30.0)
    found = read_name(
        retranscribe, verifier, SIGNAL, start=0.5, end=5.0, name=NAME, others=cohort(NAME)
    )
    assert found is None and verifier.asked == []


# -- judging the opening again -------------------------------------------------------------

MURKY = [  # the name came out as other characters, nothing half like it
    ("agent", 0.5, 5.0, "您好，林豪美途，工号1023，很高兴为您服务。"),
    ("agent", 5.6, 8.0, "请问有什么可以帮您？"),
    ("customer", 8.5, 12.0, "你好，我的银行卡昨天被取款机吞了。"),
    ("agent", 12.5, 17.0, "好的，您是说卡被吞了，对吗？请您带上身份证去网点领取。"),
    ("customer", 17.5, 19.0, "好的，没有了，谢谢。"),
    ("agent", 19.5, 24.0, "请问还有什么可以帮您？感谢您的来电，再见。"),
]
SPEECH = (Span(0.5, 5.0), Span(5.6, 8.0), Span(12.5, 17.0), Span(19.5, 24.0))


def _rescore(t: Transcript) -> CallScore:
    return score_call(default_card(), t, measures(t), company=NAME)


def _murky() -> tuple[Transcript, CallScore]:
    t = on_channels(transcript(MURKY, prob=0.5), SPEECH, (Span(8.5, 12.0), Span(17.5, 19.0)), 24.5)
    return t, _rescore(t)


def _intro(score: CallScore) -> RuleResult:
    return next(r for r in score.rules if r.id == "self_intro")


def _name_at(over: float, at: Span = SPEECH[0]) -> tuple[list[Span], NameAt]:
    asked: list[Span] = []

    def name_at(span: Span) -> Reading | None:
        asked.append(span)
        return Reading(NAME, "", NAME, "您好会泰银行工号1023", 2, over) if span == at else None

    return asked, name_at


def _no_edits(utt: object) -> tuple[Reading, ...]:
    return ()


def test_an_opening_that_lacks_the_name_in_murky_speech_is_read_for_it() -> None:
    t, score = _murky()
    intro = _intro(score)
    assert intro.status == "review" and "company name (会泰银行)" in intro.message
    assert naming(score, default_card()) == "self_intro"
    assert opening_spans(t, default_card()) == list(SPEECH[:NAME_STRETCHES])


def test_a_name_the_audio_confirms_passes_the_opening() -> None:
    t, score = _murky()
    asked, name_at = _name_at(12.8)
    out = reread_items(score, t, default_card(), _no_edits, _rescore, None, name_at)
    intro = _intro(out)
    assert asked == [SPEECH[0]]  # found in the first stretch: no more asked
    assert intro.status == "pass"
    assert intro.message == (
        "greeting, company name and self-identification"
        " (read again, the audio confirms over other names and words: 会泰银行 (+12.8))"
    )
    assert "较其他名称和词语更吻合" in reason_text(intro.message, "zh_CN")
    name = next(ev for ev in intro.evidence if ev.text == NAME)
    assert (name.start, name.speaker) == (0.5, "agent") and "read again" in name.note
    others = [(r.id, r.status) for r in out.rules if r.id != "self_intro"]
    assert others == [(r.id, r.status) for r in score.rules if r.id != "self_intro"]
    assert out.score >= score.score  # review costs no points; a pass none either


def test_a_name_found_in_the_second_stretch_counts() -> None:
    t, score = _murky()
    asked, name_at = _name_at(9.0, SPEECH[1])
    out = reread_items(score, t, default_card(), _no_edits, _rescore, None, name_at)
    assert asked == list(SPEECH[:2]) and _intro(out).status == "pass"


def test_a_thin_name_leaves_the_opening_in_review() -> None:
    t, score = _murky()
    asked, name_at = _name_at(NAME_CONFIRM - 0.1)
    assert reread_items(score, t, default_card(), _no_edits, _rescore, None, name_at) is score
    assert asked == list(SPEECH[:NAME_STRETCHES])  # never past the opening


def test_a_name_has_its_own_threshold_under_the_phrases_one() -> None:
    """Names are weighed against other names (`NAME_CONFIRM`), not ordinary words."""
    assert NAME_CONFIRM < REREAD_CONFIRM
    t, score = _murky()
    _, name_at = _name_at((NAME_CONFIRM + REREAD_CONFIRM) / 2)
    out = reread_items(score, t, default_card(), _no_edits, _rescore, None, name_at)
    assert _intro(out).status == "pass"


def test_the_name_alone_is_put_in_not_the_reading_around_it() -> None:
    t, _ = _murky()
    spoken = with_name(t, SPEECH[0], NAME, 0.5)
    added = [u for u in spoken.utterances if u.text == NAME]
    assert len(added) == 1 and (added[0].start, added[0].end) == (0.5, 5.0)
    assert len(spoken.utterances) == len(t.utterances) + 1  # the transcribed words stay


def test_an_opening_with_the_name_is_not_read_for_it() -> None:
    t = transcript([(r, a, b, x.replace("林豪美途", NAME)) for r, a, b, x in MURKY], prob=0.5)
    score = _rescore(t)
    assert naming(score, default_card()) is None
    asked, name_at = _name_at(30.0)
    reread_items(score, t, default_card(), _no_edits, _rescore, None, name_at)
    assert asked == []


# -- the pipeline ----------------------------------------------------------------------------

GARBLED = segment(0.5, "您好，林豪美途，工号1023，很高兴为您服务，请问有什么可以帮您？", prob=0.5)


def _read_with_name(signal: np.ndarray, prompt: str) -> str | None:
    return "您好会泰银行工号一零二三" if prompt == NAME else None


@pytest.mark.parametrize(("lead", "status"), [(12.8, "pass"), (2.0, "review")])
def test_the_pipeline_reads_the_opening_for_the_calls_company(
    stereo_wav: Path, lead: float, status: str
) -> None:
    agent = [GARBLED, *(segment(s.start, s.text, prob=0.5) for s in GOOD_AGENT[1:])]
    transcriber = PromptedTranscriber({0: agent, 1: GOOD_CUSTOMER}, _read_with_name, NAME, lead)
    pipeline = Pipeline(
        transcriber=transcriber, scorecard=default_card(), diarizer=FakeDiarizer([])
    )
    result, _ = pipeline.score_file(stereo_wav, meta=CallMeta(company=NAME))
    intro = _intro(result.score)
    assert NAME in transcriber.prompted
    assert intro.status == status
    if status == "pass":
        assert f"{NAME} (+12.8)" in intro.message
    else:
        assert "company name (会泰银行)" in intro.message


def test_a_clear_opening_failed_for_the_name_alone_is_asked_too() -> None:
    t = replace(transcript(MURKY, prob=0.95), timeline=_murky()[0].timeline)
    score = _rescore(t)
    assert _intro(score).status == "fail"  # clear words, nothing half like the name
    assert naming(score, default_card()) == "self_intro"
    _, thin = _name_at(NAME_CONFIRM - 0.1)
    assert reread_items(score, t, default_card(), _no_edits, _rescore, None, thin) is score
    _, said = _name_at(12.8)
    out = reread_items(score, t, default_card(), _no_edits, _rescore, None, said)
    assert _intro(out).status == "pass" and "会泰银行 (+12.8)" in _intro(out).message
