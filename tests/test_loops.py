"""Whisper repetition loops are cut to one occurrence (speech.transcribe.loops)."""

from __future__ import annotations

from callqa.records import Segment, Word
from callqa.speech.transcribe.loops import (
    collapse_loops,
    collapse_repeated_segments,
    collapse_words,
)


def _words(texts: list[str]) -> tuple[Word, ...]:
    return tuple(Word(float(i), i + 0.5, t, 0.9) for i, t in enumerate(texts))


def test_a_loop_keeps_one_unit() -> None:
    words = _words(["您", "好", *["河南,"] * 12, "再见"])
    assert [w.text for w in collapse_words(words)] == ["您", "好", "河南,", "再见"]
    long = _words(["就算", "是", "一份", "长处,"] * 5)
    assert [w.text for w in collapse_words(long)] == ["就算", "是", "一份", "长处,"]


def test_ordinary_speech_is_untouched() -> None:
    words = _words(["对", "对", "对", "好", "的", "谢谢", "谢谢"])  # 对对对 is speech
    seg = Segment(0.0, 7.0, "对对对好的谢谢谢谢", words)
    assert collapse_loops(seg) is seg


def _seg(start: float, text: str, channel: int | None = None) -> Segment:
    return Segment(start, start + 0.3, text, (), channel=channel)


def test_a_loop_across_segments_keeps_the_first() -> None:
    """Seen on test t17: one short segment after another, the same words each time."""
    segments = [_seg(48.8, "我用客气，给您点麻烦的钱，")]
    segments += [_seg(51.8 + 0.4 * i, "我用点麻烦的钱，") for i in range(11)]
    segments += [_seg(60.0, "再见。")]
    kept = collapse_repeated_segments(segments)
    assert [s.text for s in kept] == ["我用客气，给您点麻烦的钱，", "我用点麻烦的钱，", "再见。"]


def test_a_sentence_said_twice_and_short_repeats_stay() -> None:
    twice = [_seg(0.0, "请您稍等一下。"), _seg(2.0, "请您稍等一下。")]
    assert len(collapse_repeated_segments(twice)) == 2
    okay = [_seg(float(i), "好的。") for i in range(4)]
    assert len(collapse_repeated_segments(okay)) == 4
    both = [_seg(float(i), "我用点麻烦的钱", channel=i % 2) for i in range(4)]
    assert len(collapse_repeated_segments(both)) == 4  # two channels, two each
