from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def tone(seconds: float, *, rate: int = 8000, channels: int = 1, amp: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    x = (amp * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
    return np.stack([x, x * 0.8], axis=1) if channels == 2 else x


@pytest.fixture
def stereo_wav(tmp_path: Path) -> Path:
    path = tmp_path / "A1023_care_20261124-093015.wav"
    sf.write(path, tone(32.0, channels=2), 8000)
    return path


@pytest.fixture
def mono_flac(tmp_path: Path) -> Path:
    path = tmp_path / "mono_call.flac"
    sf.write(path, tone(32.0), 8000)
    return path


@pytest.fixture
def fake_pipeline() -> Any:
    """Real scorecard, rules, alignment and roles; fake transcriber and diarizer."""
    from callqa.records import Turn
    from callqa.run.pipeline import Pipeline
    from tests.fakes import GOOD_AGENT, GOOD_CUSTOMER, FakeDiarizer, FakeTranscriber
    from tests.helpers_transcripts import default_card

    mono = sorted([*GOOD_AGENT, *GOOD_CUSTOMER], key=lambda s: s.start)
    turns = [Turn(s.start, s.end, "S1" if s in GOOD_AGENT else "S2") for s in mono]
    transcriber = FakeTranscriber({0: GOOD_AGENT, 1: GOOD_CUSTOMER, None: mono})
    return Pipeline(
        transcriber=transcriber,
        scorecard=default_card(),
        diarizer=FakeDiarizer(turns),
    )
