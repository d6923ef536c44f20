"""Stand-ins behind the Transcriber and Diarizer protocols, for fast unit tests.

`FakeTranscriber` answers from a script keyed by the signal's length and channel, so a
test decides exactly what "was said"; it never loads a model.
"""

from __future__ import annotations

import os
import signal as signal_module
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from callqa.records import Diarization, Segment, Turn, Word
from callqa.speech.transcribe.base import TranscribeOptions


def segment(
    start: float,
    text: str,
    *,
    seconds_per_char: float = 0.2,
    prob: float = 0.9,
    channel: int | None = None,
) -> Segment:
    """A segment whose words are its characters, evenly spaced from `start`."""
    words = []
    t = start
    for ch in text:
        if ch in "，。？！,.?! ":
            t += seconds_per_char / 2
            continue
        words.append(Word(t, t + seconds_per_char * 0.9, ch, prob))
        t += seconds_per_char
    return Segment(start, t, text, tuple(words), channel=channel)


class FakeTranscriber:
    """Returns scripted segments; `script[channel]` (None for mono) per call."""

    name = "fake-whisper"

    def __init__(
        self, script: dict[int | None, Sequence[Segment]], *, sample_rate: int | None = None
    ) -> None:
        self.script = script
        self.calls = 0
        # With a sample rate, only what was said before the signal ends is heard (for
        # recordings cut short).
        self.sample_rate = sample_rate

    def __call__(
        self, signal: np.ndarray, *, options: TranscribeOptions, channel: int | None = None
    ) -> tuple[Segment, ...]:
        self.calls += 1
        # Speech only where the signal is not silent: a noise-only file gets nothing.
        if float(np.max(np.abs(signal))) < 0.05:
            return ()
        said = tuple(self.script.get(channel, ()))
        if self.sample_rate is not None:
            said = tuple(s for s in said if s.end <= len(signal) / self.sample_rate)
        return said


class FakeDiarizer:
    """Fixed turns, whatever the signal."""

    def __init__(self, turns: Sequence[Turn]) -> None:
        self.turns = tuple(turns)

    def __call__(self, signal: np.ndarray, *, speakers: int | str = 2) -> Diarization:
        labels = tuple(dict.fromkeys(t.speaker for t in self.turns))
        return Diarization(turns=self.turns, speakers=labels, backend="fake")


GOOD_AGENT = [
    segment(0.5, "您好，星河通信，工号1023，很高兴为您服务，请问有什么可以帮您？"),
    segment(9.0, "跟您确认一下，您是说宽带很慢，对吗？请您稍等，我帮您查一下。"),
    segment(20.0, "让您久等了，已经为您修好了，谢谢您的耐心。请问还有什么可以帮您？"),
    segment(28.0, "感谢您的来电，再见！"),
]
GOOD_CUSTOMER = [
    segment(5.0, "你好，我家宽带很慢。"),
    segment(26.0, "没有了，谢谢。"),
]


# Factories by import path (``tests.fakes:script_transcriber``), for pipelines built from a
# `PipelineSpec` in another process: local worker processes or Ray actors.

GOOD_MONO = sorted([*GOOD_AGENT, *GOOD_CUSTOMER], key=lambda s: s.start)
GOOD_TURNS = [Turn(s.start, s.end, "S1" if s in GOOD_AGENT else "S2") for s in GOOD_MONO]
KILL_DIR_ENV = "CALLQA_TEST_KILL_DIR"
"""Folder where `dying_transcriber` looks for ``armed`` and leaves ``fired`` and ``pids``."""


def script_transcriber(model: str, *, cpu_threads: int = 2) -> FakeTranscriber:
    """The good call's script: agent on the left channel, customer on the right."""
    return FakeTranscriber({0: GOOD_AGENT, 1: GOOD_CUSTOMER, None: GOOD_MONO})


def script_diarizer(*, threads: int = 1) -> FakeDiarizer:
    return FakeDiarizer(GOOD_TURNS)


class DyingTranscriber(FakeTranscriber):
    """The script, slowly; the first call after ``armed`` appears kills its own process."""

    def __call__(
        self, signal: np.ndarray, *, options: TranscribeOptions, channel: int | None = None
    ) -> tuple[Segment, ...]:
        folder = Path(os.environ[KILL_DIR_ENV])
        with (folder / "pids").open("a") as f:
            f.write(f"{os.getpid()}\n")
        time.sleep(0.2)
        if (folder / "armed").exists():
            try:
                os.close(os.open(folder / "fired", os.O_CREAT | os.O_EXCL))
            except FileExistsError:
                pass
            else:
                os.kill(os.getpid(), signal_module.SIGKILL)
        return super().__call__(signal, options=options, channel=channel)


def dying_transcriber(model: str, *, cpu_threads: int = 2) -> DyingTranscriber:
    return DyingTranscriber({0: GOOD_AGENT, 1: GOOD_CUSTOMER, None: GOOD_MONO})
