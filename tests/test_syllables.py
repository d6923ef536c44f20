"""Syllable nuclei counted on the signal (the rate rule's fallback for unclear transcripts)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from callqa.records import SAMPLE_RATE, Span
from callqa.speech import syllables
from callqa.speech.audio import decode

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _bursts(n: int, per_s: float) -> np.ndarray:
    """n vowel-like bursts (a 700 Hz tone under a raised-cosine envelope) per_s apart."""
    rng = np.random.default_rng(3)
    step = int(SAMPLE_RATE / per_s)
    out = rng.normal(0, 1e-4, step * (n + 2)).astype(np.float32)
    t = np.arange(step) / SAMPLE_RATE
    burst = 0.3 * np.sin(2 * np.pi * 700 * t) * np.sin(np.pi * np.arange(step) / step) ** 2
    for k in range(n):
        out[(k + 1) * step : (k + 2) * step] += burst.astype(np.float32)
    return out


@pytest.mark.parametrize(("n", "per_s"), [(20, 4.0), (30, 6.0), (12, 2.0)])
def test_each_burst_is_one_nucleus(n: int, per_s: float) -> None:
    signal = _bursts(n, per_s)
    assert syllables.count(signal, SAMPLE_RATE, [Span(0.0, len(signal) / SAMPLE_RATE)]) == n


def test_silence_has_none() -> None:
    quiet = np.random.default_rng(1).normal(0, 1e-4, SAMPLE_RATE * 3).astype(np.float32)
    assert syllables.count(quiet, SAMPLE_RATE, [Span(0.0, 3.0)]) <= 2
    assert syllables.count(quiet[:100], SAMPLE_RATE, [Span(0.0, 0.01)]) == 0


def test_a_real_agent_channel_counts_about_one_per_character() -> None:
    data = json.loads((SAMPLES / "call01_good_stereo.expected.json").read_text("utf-8"))
    audio = decode(SAMPLES / "call01_good_stereo.wav")
    side = 0 if data.get("agent_channel", "left") == "left" else 1
    turns = [t for t in data["turns"] if t["speaker"] == "agent"]
    chars = sum(sum(1 for ch in t["text"] if "\u4e00" <= ch <= "\u9fff") for t in turns)
    found = syllables.count(
        audio.channels[side], SAMPLE_RATE, [Span(t["start"], t["end"]) for t in turns]
    )
    assert 0.85 * chars <= found <= 1.1 * chars, (found, chars)
