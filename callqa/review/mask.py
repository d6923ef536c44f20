"""Mask sensitive digit sequences (phone, ID, card numbers) in text and in audio.

A sequence is at least `MIN_DIGITS` digits, Arabic (also full-width) or Chinese
numerals read digit by digit (零〇一二三四五六七八九, 幺 for one, 两), possibly split
by spaces or dashes: "138 0013 8000", "幺三八零零幺三八零零零", "110101-1990".

In text every digit of such a sequence becomes `*` (separators stay, so the shape
is kept).  In audio the time span of the words holding it is replaced by a 1 kHz tone;
where an utterance's text has a sequence but its words carry no timestamps, the
whole utterance is toned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from callqa.records import Span

MIN_DIGITS = 7
DIGITS = "0123456789０１２３４５６７８９零〇一二三四五六七八九幺两"
SEPARATORS = " \t\u3000-\u2010\u2011\u2012\u2013\u2014\uff0d"
TONE_HZ = 1000.0
TONE_AMPLITUDE = 0.2
MASK_PAD_S = 0.05
"""Extra time toned on each side of the digit words (word timestamps are approximate)."""

_DIGIT = f"[{re.escape(DIGITS)}]"
_RUN = re.compile(f"{_DIGIT}(?:[{re.escape(SEPARATORS)}]*{_DIGIT})*")
_DIGIT_SET = frozenset(DIGITS)


@dataclass(frozen=True)
class TimedWord:
    """A word with its time, as stored in utterances.words: [start, end, text, prob]."""

    start: float
    end: float
    text: str


def digit_runs(text: str, *, min_digits: int = MIN_DIGITS) -> list[tuple[int, int]]:
    """Character ranges [start, end) of the sensitive digit sequences in `text`."""
    runs = []
    for m in _RUN.finditer(text):
        if sum(ch in _DIGIT_SET for ch in m.group()) >= min_digits:
            runs.append((m.start(), m.end()))
    return runs


def mask_text(text: str, *, min_digits: int = MIN_DIGITS) -> str:
    """`text` with the digits of every sensitive sequence replaced by '*'."""
    chars = list(text)
    for start, end in digit_runs(text, min_digits=min_digits):
        for i in range(start, end):
            if chars[i] in _DIGIT_SET:
                chars[i] = "*"
    return "".join(chars)


def word_spans(words: Sequence[TimedWord], *, min_digits: int = MIN_DIGITS) -> list[Span]:
    """Time spans of the words that hold a sensitive sequence (words in time order).

    The words' texts are joined as they are, so a number spoken as several words
    ("138", "0013", "8000") is found as one sequence.
    """
    text = ""
    owner: list[int] = []
    for i, w in enumerate(words):
        text += w.text
        owner.extend([i] * len(w.text))
    spans = []
    for start, end in digit_runs(text, min_digits=min_digits):
        hit = sorted({owner[k] for k in range(start, end)})
        spans.append(Span(min(words[i].start for i in hit), max(words[i].end for i in hit)))
    return spans


def merge(spans: Iterable[Span], *, pad: float = 0.0) -> list[Span]:
    """Padded spans, sorted and with overlapping ones joined."""
    out: list[Span] = []
    for s in sorted(Span(max(0.0, s.start - pad), s.end + pad) for s in spans):
        if out and s.start <= out[-1].end:
            out[-1] = Span(out[-1].start, max(out[-1].end, s.end))
        else:
            out.append(s)
    return out


def tone_over(
    channels: Sequence[npt.NDArray[np.float32]],
    spans: Iterable[Span],
    *,
    sample_rate: int,
    offset: float = 0.0,
) -> tuple[npt.NDArray[np.float32], ...]:
    """Copies of `channels` (which start at `offset` s) with `spans` replaced by a tone."""
    out = tuple(np.array(c, dtype=np.float32, copy=True) for c in channels)
    if not out:
        return out
    n = len(out[0])
    for span in spans:
        a = max(0, round((span.start - offset) * sample_rate))
        b = min(n, round((span.end - offset) * sample_rate))
        if b <= a:
            continue
        t = np.arange(a, b) / sample_rate + offset
        tone = (TONE_AMPLITUDE * np.sin(2 * np.pi * TONE_HZ * t)).astype(np.float32)
        for c in out:
            c[a:b] = tone
    return out


@dataclass(frozen=True)
class SpokenText:
    """An utterance as far as masking cares: who, when, what, and its timed words."""

    start: float
    end: float
    speaker: str
    text: str
    words: tuple[TimedWord, ...] = ()


def sensitive_spans(utterances: Iterable[SpokenText], *, pad: float = MASK_PAD_S) -> list[Span]:
    """Padded, merged time spans to tone over: every sensitive sequence spoken.

    Each speaker's words are joined across utterances (a number may be split by a
    pause); an utterance without words counts as one word over its whole span, and
    one whose text has a sequence its words do not show is toned whole.
    """
    by_speaker: dict[str, list[TimedWord]] = {}
    whole: list[Span] = []
    for u in sorted(utterances, key=lambda u: (u.start, u.end)):
        words = list(u.words) or [TimedWord(u.start, u.end, u.text)]
        if u.words and digit_runs(u.text) and not word_spans(words):
            whole.append(Span(u.start, u.end))
        by_speaker.setdefault(u.speaker, []).extend(words)
    found = [s for words in by_speaker.values() for s in word_spans(words)]
    return merge([*whole, *found], pad=pad)
