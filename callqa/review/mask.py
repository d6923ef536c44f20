"""Mask sensitive digit sequences (phone, ID, card numbers) in text and in audio.

A sequence is digits, Arabic (also full-width) or Chinese numerals read digit by digit
(零〇一二三四五六七八九, 幺 for one, 两), possibly with a trailing check letter X (a
resident ID), either

- at least `MIN_DIGITS` digits split only by spaces or dashes: "138 0013 8000",
  "幺三八零零幺三八零零零", "110101-19900307-1234", "11010519491231002X"; or
- grouped by commas, dots or 、 ("138,0013,8000", "138.0013.8000", "一三八，零零一三，八零零零")
  when a maintained validator accepts the digits as a Chinese phone number
  (phonenumbers), a resident ID (python-stdnum `cn.ric`) or a card number (Luhn, 13-19
  digits), or when they are at least 11 digits in groups of four or more after the first
  (a misheard digit must not unmask a number): amounts such as "1,234,567" and dates
  such as "2026.11.28" are left alone.

In text every digit (and check letter) of such a sequence becomes `*` (separators stay,
so the shape is kept).  In audio the time span of the words holding it is replaced by a
1 kHz tone: the words' texts are joined and searched with the same `digit_runs`, so the
audio is masked where the text is; where an utterance's text has a sequence but its
words carry no timestamps, the whole utterance is toned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import phonenumbers
from stdnum import luhn
from stdnum.cn import ric

from callqa.records import Span

MIN_DIGITS = 7
DIGITS = "0123456789０１２３４５６７８９零〇一二三四五六七八九幺两"
SEPARATORS = " \t\u3000-\u2010\u2011\u2012\u2013\u2014\uff0d"
GROUPING = ",.\uff0c\u3001\uff0e\u00b7"
"""Commas, dots and 、 between digit groups: masked only when a validator accepts."""
CHECK_LETTERS = "XxＸｘ"
"""The check character of an 18-character resident ID."""
TONE_HZ = 1000.0
TONE_AMPLITUDE = 0.2
MASK_PAD_S = 0.05
"""Extra time toned on each side of the digit words (word timestamps are approximate)."""

_DIGIT = f"[{re.escape(DIGITS)}]"
_RUN = re.compile(f"{_DIGIT}(?:[{re.escape(SEPARATORS)}]*{_DIGIT})*")
_GROUPED = re.compile(f"{_DIGIT}(?:[{re.escape(SEPARATORS + GROUPING)}]*{_DIGIT})*")
_CHECK = re.compile(f"[{CHECK_LETTERS}](?![A-Za-z0-9])")
_DIGIT_SET = frozenset(DIGITS)
_MASKED = _DIGIT_SET | frozenset(CHECK_LETTERS)
_ASCII = str.maketrans(
    "０１２３４５６７８９零〇一二三四五六七八九幺两ＸｘxＸ",
    "0123456789001234567891" + "2" + "XXXX",
)
_ID_DIGITS = 17
_GROUPED_MIN = 11
"""Grouped digits this long, in groups of four or more after the first ("138,0013,8000",
"6222.0212.3456.7890"), are masked even when no validator accepts them (a misheard
digit must not unmask a number); thousands ("1,234,567") and dates have shorter groups."""
_MAX_NUMBER = 19
"""The longest number a validator is asked about (card numbers have 13-19 digits)."""


def _ascii(chars: str) -> str:
    return "".join(c for c in chars.translate(_ASCII) if c.isascii() and c.isalnum())


def sensitive_number(number: str) -> str | None:
    """What the ASCII digits `number` are: 'id', 'card' or 'phone', or None."""
    if len(number) in (15, 18) and ric.is_valid(number):
        return "id"
    if not number.isdigit():
        return None
    if 13 <= len(number) <= _MAX_NUMBER and luhn.is_valid(number):
        return "card"
    if 7 <= len(number) <= 13:
        try:
            parsed = phonenumbers.parse(number, "CN")
        except phonenumbers.NumberParseException:
            return None
        if phonenumbers.is_valid_number(parsed):
            return "phone"
    return None


def _with_check_letter(text: str, start: int, end: int) -> int:
    """`end`, moved past an ID's trailing X when 17 digits come before it."""
    digits = sum(ch in _DIGIT_SET for ch in text[start:end])
    if digits == _ID_DIGITS and _CHECK.match(text, end):
        return end + 1
    return end


def _validated(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Ranges of the digit groups in text[start:end] (split by commas, dots, 、) that
    together make a number a validator accepts."""
    groups = [(m.start(), m.end()) for m in _RUN.finditer(text, start, end)]
    sizes = [sum(ch in _DIGIT_SET for ch in text[a:b]) for a, b in groups]
    found = []
    for i in range(len(groups)):
        for j in range(i + 1, len(groups)):
            a, b = groups[i][0], _with_check_letter(text, groups[i][0], groups[j][1])
            number = _ascii(text[a:b])
            if len(number) > _MAX_NUMBER:
                break
            shaped = len(number) >= _GROUPED_MIN and min(sizes[i + 1 : j + 1]) >= 4
            if shaped or (len(number) >= MIN_DIGITS and sensitive_number(number)):
                found.append((a, b))
    return found


def digit_runs(text: str, *, min_digits: int = MIN_DIGITS) -> list[tuple[int, int]]:
    """Character ranges [start, end) of the sensitive digit sequences in `text`."""
    ranges = []
    for m in _RUN.finditer(text):
        if sum(ch in _DIGIT_SET for ch in m.group()) >= min_digits:
            ranges.append((m.start(), _with_check_letter(text, m.start(), m.end())))
    for m in _GROUPED.finditer(text):
        if any(ch in GROUPING for ch in m.group()):
            ranges.extend(_validated(text, m.start(), m.end()))
    runs: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if runs and a <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(runs[-1][1], b))
        else:
            runs.append((a, b))
    return runs


def mask_text(text: str, *, min_digits: int = MIN_DIGITS) -> str:
    """`text` with the digits of every sensitive sequence replaced by '*'."""
    chars = list(text)
    for start, end in digit_runs(text, min_digits=min_digits):
        for i in range(start, end):
            if chars[i] in _MASKED:
                chars[i] = "*"
    return "".join(chars)


@dataclass(frozen=True)
class TimedWord:
    """A word with its time, as stored in utterances.words: [start, end, text, prob]."""

    start: float
    end: float
    text: str


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
