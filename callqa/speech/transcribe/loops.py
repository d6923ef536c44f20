"""Whisper's repetition loops: "河南,河南,河南,…" for speech it cannot read.

A decoder that falls into a loop writes the same few words again and again; left in, they
count as words the speaker said (a fast speaking rate, phrases that were never spoken).
`collapse_loops` keeps the first occurrence of a unit of 2-`MAX_UNIT` words repeated at
least `MIN_REPEATS` times in a row (one word: `MIN_REPEATS_ONE_WORD` times) and drops the
rest (their time stays speech on the timeline, which comes from the signal).
`collapse_repeated_segments` does the same across segments: the loop can also come as one
short segment after another with the same words (seen on an agent Whisper base barely
reads: 我用点麻烦的钱 eleven times in 8 s, each at probability 0.99, after the gaps between
them were transcribed again).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import replace

from callqa.records import Segment, Word

MAX_UNIT = 8
MIN_REPEATS = 3
MIN_REPEATS_ONE_WORD = 5
"""A single word needs more: people do say 对对对 and 好好好."""
MIN_SEGMENT_CHARS = 4
"""A repeated segment must be this long to count as a loop (好的。好的。 is speech)."""
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


def collapse_repeated_segments(segments: Sequence[Segment]) -> tuple[Segment, ...]:
    """`segments` (in time order) without the 2nd and later of a run of `MIN_REPEATS`+
    consecutive segments of one channel with the same text of `MIN_SEGMENT_CHARS`+
    characters (a sentence said twice stays)."""
    ordered = sorted(segments, key=lambda s: s.start)
    keys = [_PUNCT.sub("", s.text) for s in ordered]
    by_channel: dict[int | None, list[int]] = {}
    for i, seg in enumerate(ordered):
        by_channel.setdefault(seg.channel, []).append(i)
    drop: set[int] = set()
    for indices in by_channel.values():
        for _, run in itertools.groupby(indices, key=keys.__getitem__):
            members = list(run)
            if len(members) >= MIN_REPEATS and len(keys[members[0]]) >= MIN_SEGMENT_CHARS:
                drop.update(members[1:])
    return tuple(s for i, s in enumerate(ordered) if i not in drop)
