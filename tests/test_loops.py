"""Whisper repetition loops are cut to one occurrence (speech.transcribe.loops)."""

from __future__ import annotations

from callqa.records import Segment, Word
from callqa.speech.transcribe.loops import collapse_loops, collapse_words


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
