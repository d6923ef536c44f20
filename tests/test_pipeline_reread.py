"""The pipeline reads a murky opening again (Pipeline._verified → scoring.rereading)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from callqa.records import SAMPLE_RATE, RuleResult, Segment
from callqa.run.pipeline import Pipeline
from callqa.speech.reread import PROMPT, RECAP_PROMPT
from callqa.speech.transcribe.base import TranscribeOptions
from tests.fakes import GOOD_AGENT, GOOD_CUSTOMER, FakeDiarizer, FakeTranscriber, segment
from tests.helpers_transcripts import default_card
from tests.test_reread import FakeVerifier

OPENING = segment(0.5, "你好，星河通信，中号，请问有什么可以帮您？", prob=0.5)
MURKY_AGENT = [OPENING, *(segment(s.start, s.text, prob=0.5) for s in GOOD_AGENT[1:])]


class PromptedTranscriber(FakeTranscriber):
    """Scripted first readings; a prompted reading from `read(clip, prompt)` (nothing when it
    gives None); its verifier favours `favoured` by `lead`."""

    def __init__(
        self,
        script: dict[int | None, Sequence[Segment]],
        read: Callable[[np.ndarray, str], str | None],
        favoured: str,
        lead: float,
    ) -> None:
        super().__init__(script)
        self.read, self.favoured, self.lead = read, favoured, lead
        self.prompted: list[str] = []

    def __call__(
        self, signal: np.ndarray, *, options: TranscribeOptions, channel: int | None = None
    ) -> tuple[Segment, ...]:
        if not options.initial_prompt:
            return super().__call__(signal, options=options, channel=channel)
        self.prompted.append(options.initial_prompt)
        assert options.max_new_tokens and not options.vad_filter
        text = self.read(signal, options.initial_prompt)
        return (segment(0.0, text),) if text else ()

    def verifier(self) -> FakeVerifier:
        return FakeVerifier(self.favoured, self.lead)


def _opening_read_again(signal: np.ndarray, prompt: str) -> str | None:
    seconds = len(signal) / SAMPLE_RATE
    spoken = OPENING.words[-1].end - OPENING.words[0].start
    if prompt == PROMPT and abs(seconds - (spoken + 0.5)) < 0.05:  # padded 0.25 s a side
        return "您好星河通信工号请问有什么可以帮您"
    return None


def _score(wav: Path, lead: float) -> tuple[RuleResult, PromptedTranscriber]:
    script = {0: MURKY_AGENT, 1: GOOD_CUSTOMER}
    transcriber = PromptedTranscriber(script, _opening_read_again, "工号", lead)
    pipeline = Pipeline(
        transcriber=transcriber, scorecard=default_card(), diarizer=FakeDiarizer([])
    )
    result, _ = pipeline.score_file(wav)
    intro = next(r for r in result.score.rules if r.id == "self_intro")
    return intro, transcriber


@pytest.mark.parametrize(("lead", "status"), [(8.0, "pass"), (3.0, "review")])
def test_a_murky_opening_is_read_again(stereo_wav: Path, lead: float, status: str) -> None:
    intro, transcriber = _score(stereo_wav, lead)
    assert transcriber.prompted  # the opening (and the close) were read again
    assert intro.status == status
    if status == "pass":
        assert "中号 ≈ 工号 (+8.0)" in intro.message
    else:
        assert "fail not certain" in intro.message


REQUEST = segment(5.0, "你好，我家宽带这几天晚上特别慢。")
MURKY_NO_RECAP = [  # the recap said at 9.0 came out garbled: no lead-in, nothing shared
    segment(0.5, "您好，星河通信，工号1023，很高兴为您服务，请问有什么可以帮您？", prob=0.5),
    segment(9.0, "好的，网速不太好，对吗？请您稍等。", prob=0.5),
    segment(20.0, "让您久等了，已经为您修好了，谢谢您的耐心。请问还有什么可以帮您？", prob=0.5),
    segment(28.0, "感谢您的来电，再见！", prob=0.5),
]


def _recap_read_again(signal: np.ndarray, prompt: str) -> str | None:
    return "好的，您是说网速慢，对吗？" if prompt == RECAP_PROMPT else None


@pytest.mark.parametrize(("lead", "status"), [(14.8, "pass"), (3.0, "review")])
def test_a_recap_in_murky_speech_is_read_again(stereo_wav: Path, lead: float, status: str) -> None:
    script = {0: MURKY_NO_RECAP, 1: [REQUEST, *GOOD_CUSTOMER[1:]]}
    transcriber = PromptedTranscriber(script, _recap_read_again, "您是说", lead)
    pipeline = Pipeline(
        transcriber=transcriber, scorecard=default_card(), diarizer=FakeDiarizer([])
    )
    result, _ = pipeline.score_file(stereo_wav)
    recap = next(r for r in result.score.rules if r.id == "recap")
    assert RECAP_PROMPT in transcriber.prompted
    assert recap.status == status
    if status == "pass":
        assert "您是说 (+14.8)" in recap.message
        assert all(ev.start >= REQUEST.start for ev in recap.evidence)
    else:
        assert "fail not certain" in recap.message
