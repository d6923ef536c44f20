"""Whisper's repetition loops: "河南,河南,河南,…" for speech it cannot read.

A decoder that falls into a loop writes the same few words again and again; left in, they
count as words the speaker said (a fast speaking rate, phrases that were never spoken).
`collapse_loops` keeps the first occurrence of a unit of 2-`MAX_UNIT` words repeated at
least `MIN_REPEATS` times in a row (one word: `MIN_REPEATS_ONE_WORD` times) and drops the
rest (their time stays speech on the timeline, which comes from the signal).
"""

from __future__ import annotations

import re
from dataclasses import replace

from callqa.records import Segment, Word

MAX_UNIT = 8
MIN_REPEATS = 3
MIN_REPEATS_ONE_WORD = 5
"""A single word needs more: people do say 对对对 and 好好好."""
_PUNCT = re.compile(r"[\W_]+")


def _key(w: Word) -> str:
    return _PUNCT.sub("", w.text)


def collapse_words(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """`words` with every run of one unit repeated `MIN_REPEATS`+ times cut to one unit."""
    keys = [_key(w) for w in words]
    out: list[Word] = []
    i = 0
    while i < len(words):
        cut = False
        for size in range(1, MAX_UNIT + 1):
            unit = keys[i : i + size]
            if len(unit) < size or not "".join(unit):
                break
            reps = 1
            while keys[i + reps * size : i + (reps + 1) * size] == unit:
                reps += 1
            if reps >= (MIN_REPEATS_ONE_WORD if size == 1 else MIN_REPEATS):
                out.extend(words[i : i + size])
                i += reps * size
                cut = True
                break
        if not cut:
            out.append(words[i])
            i += 1
    return tuple(out)


def collapse_loops(segment: Segment) -> Segment:
    """`segment` without its repetition loops (text rebuilt from the kept words)."""
    if len(segment.words) < MIN_REPEATS:
        return segment
    kept = collapse_words(segment.words)
    if len(kept) == len(segment.words):
        return segment
    return replace(segment, words=kept, text="".join(w.text for w in kept))
