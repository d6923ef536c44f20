"""The pipeline reads a murky opening again (Pipeline._verified → scoring.rereading)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from callqa.records import SAMPLE_RATE, RuleResult, Segment
from callqa.run.pipeline import Pipeline
from callqa.speech.transcribe.base import TranscribeOptions
from tests.fakes import GOOD_AGENT, GOOD_CUSTOMER, FakeDiarizer, FakeTranscriber, segment
from tests.helpers_transcripts import default_card
from tests.test_reread import FakeVerifier

OPENING = segment(0.5, "你好，星河通信，中号，请问有什么可以帮您？", prob=0.5)
MURKY_AGENT = [OPENING, *(segment(s.start, s.text, prob=0.5) for s in GOOD_AGENT[1:])]


class ReadingTranscriber(FakeTranscriber):
    """Reads the opening again as `reading` when prompted; its verifier favours 工号."""

    def __init__(self, script: dict[int | None, Sequence[Segment]], lead: float) -> None:
        super().__init__(script)
        self.lead = lead
        self.prompted: list[str] = []

    def __call__(
        self, signal: np.ndarray, *, options: TranscribeOptions, channel: int | None = None
    ) -> tuple[Segment, ...]:
        if not options.initial_prompt:
            return super().__call__(signal, options=options, channel=channel)
        self.prompted.append(options.initial_prompt)
        assert options.max_new_tokens and not options.vad_filter
        seconds = len(signal) / SAMPLE_RATE
        spoken = OPENING.words[-1].end - OPENING.words[0].start
        if abs(seconds - (spoken + 0.5)) < 0.05:  # the opening's clip, padded 0.25 s a side
            return (segment(0.0, "您好星河通信工号请问有什么可以帮您"),)
        return ()

    def verifier(self) -> FakeVerifier:
        return FakeVerifier("工号", self.lead)


def _score(wav: Path, lead: float) -> tuple[RuleResult, ReadingTranscriber]:
    transcriber = ReadingTranscriber({0: MURKY_AGENT, 1: GOOD_CUSTOMER}, lead)
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
