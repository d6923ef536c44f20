"""Speech the first transcription pass skipped is transcribed again on its own."""

from __future__ import annotations

import numpy as np

from callqa.records import SAMPLE_RATE, Segment, Span, Word
from callqa.speech.transcribe.gaps import fill_gaps, untranscribed


def seg(start: float, end: float, text: str, **kw: float) -> Segment:
    words = tuple(
        Word(
            start + i * (end - start) / len(text),
            start + (i + 1) * (end - start) / len(text),
            ch,
            0.9,
        )
        for i, ch in enumerate(text)
    )
    return Segment(start, end, text, words, **kw)  # type: ignore[arg-type]


FIRST = (seg(0.5, 6.0, "您好星河通信工号一零二三"), seg(6.5, 12.0, "请问有什么可以帮您"))


def test_speech_without_words_is_found() -> None:
    speech = [Span(0.4, 12.1), Span(30.0, 36.0), Span(40.0, 40.6)]
    assert untranscribed(speech, FIRST) == (Span(30.0, 36.0),)  # 0.6 s is too short


def test_a_pause_inside_a_region_counts_only_when_long() -> None:
    speech = [Span(0.4, 20.0)]
    assert untranscribed(speech, FIRST) == (Span(12.3, 20.0),)


def test_gaps_are_transcribed_alone_and_put_back_in_place() -> None:
    signal = np.zeros(40 * SAMPLE_RATE, dtype=np.float32)
    asked: list[float] = []

    def again(clip: np.ndarray) -> list[Segment]:
        asked.append(len(clip) / SAMPLE_RATE)
        return [
            seg(0.3, 2.0, "感谢您的来电再见"),
            seg(2.0, 3.0, "字幕", avg_logprob=-1.6),  # Whisper unsure: dropped
            seg(3.0, 4.0, "嗯", no_speech_prob=0.9),  # noise: dropped
        ]

    out = fill_gaps(again, signal, FIRST, [Span(0.4, 12.1), Span(30.0, 34.0)], channel=1)
    assert asked == [4.5]  # the stretch and 0.25 s either side
    added = [s for s in out if s not in FIRST]
    assert [s.text for s in added] == ["感谢您的来电再见"]
    assert added[0].start == 30.05 and added[0].channel == 1
    assert added[0].words[0].start == 30.05
    assert [s.start for s in out] == sorted(s.start for s in out)


def test_nothing_to_fill_calls_nothing() -> None:
    def never(clip: np.ndarray) -> list[Segment]:
        raise AssertionError("no gap, no second pass")

    signal = np.zeros(13 * SAMPLE_RATE, dtype=np.float32)
    assert fill_gaps(never, signal, FIRST, [Span(0.4, 12.1)]) == FIRST
