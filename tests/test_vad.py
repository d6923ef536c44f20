"""callqa.speech.vad: speech regions from faster-whisper's silero VAD."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from callqa.records import Span
from callqa.speech.audio import decode
from callqa.speech.vad import speech_regions

DATA = Path(__file__).parent / "data" / "diarization"


@pytest.fixture(scope="module")
def sample() -> np.ndarray:
    return decode(DATA / "sample.wav").mono()


def test_regions_cover_the_reference_speech(sample: np.ndarray) -> None:
    regions = speech_regions(sample)
    assert regions == tuple(sorted(regions))
    assert all(isinstance(r, Span) and r.end > r.start for r in regions)
    assert all(a.end <= b.start for a, b in itertools.pairwise(regions))
    # the reference has speech from 6.69 s to 30 s with a pause at 21.49-21.78
    speech = sum(r.duration for r in regions)
    assert 21.5 < speech < 23.5
    assert regions[0].start == pytest.approx(6.7, abs=0.2)
    assert regions[-1].end == pytest.approx(30.0, abs=0.05)
    assert any(r.end == pytest.approx(21.5, abs=0.15) for r in regions)


def test_silence_and_empty_have_no_regions() -> None:
    assert speech_regions(np.zeros(16000 * 3, dtype=np.float32)) == ()
    assert speech_regions(np.zeros(0, dtype=np.float32)) == ()


def test_longer_min_silence_merges_regions(sample: np.ndarray) -> None:
    short = speech_regions(sample, min_silence_ms=50)
    long = speech_regions(sample, min_silence_ms=1000)
    assert len(long) < len(short)


def test_padding_widens_regions(sample: np.ndarray) -> None:
    tight = speech_regions(sample, pad_ms=0)
    padded = speech_regions(sample, pad_ms=200)
    assert padded[0].start < tight[0].start


def test_rejects_stereo() -> None:
    with pytest.raises(ValueError, match="mono"):
        speech_regions(np.zeros((2, 16000), dtype=np.float32))
