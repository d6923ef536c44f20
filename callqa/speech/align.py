"""Words → speakers → utterances.

Stereo: each channel is one speaker, so a channel's segments are its utterances (split at
long pauses).  Mono: every word goes to the diarization speaker whose turn holds the
word's midpoint; where turns overlap, to the speaker whose turn covers most of the word.
A transcriber segment that spans a speaker change is split there, never given to one
speaker wholesale.  Segments without word timings go to the speaker whose turns overlap
them most.

Roles are left "unknown" here; `callqa.speech.roles` decides who the agent is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Protocol

from callqa.records import Diarization, Segment, Span, Turn, Utterance, Word
from callqa.speech.textnorm import to_simplified

PAUSE_SPLIT_S = 1.0
"""Words further apart than this start a new utterance, even from the same speaker."""


def join_words(words: Sequence[Word]) -> str:
    """Concatenate word texts: Chinese without spaces, Latin words with one space between."""
    out = ""
    for word in words:
        text = word.text.strip()
        if not text:
            continue
        if out and _is_latin(out[-1]) and _is_latin(text[0]):
            out += " "
        out += text
    return to_simplified(out)  # a variant split over two words (甚 + 麼) is one here


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _utterance(words: Sequence[Word], speaker: str) -> Utterance:
    confidence = sum(w.probability for w in words) / len(words)
    return Utterance(
        start=words[0].start,
        end=max(w.end for w in words),
        speaker=speaker,
        role="unknown",
        text=join_words(words),
        words=tuple(words),
        confidence=round(confidence, 4),
    )


def _wordless_utterance(segment: Segment, speaker: str) -> Utterance:
    confidence = min(1.0, max(0.0, math.exp(segment.avg_logprob)))
    return Utterance(
        start=segment.start,
        end=segment.end,
        speaker=speaker,
        role="unknown",
        text=segment.text.strip(),
        confidence=round(confidence, 4),
    )


def _split_at_pauses(words: Sequence[Word], pause: float) -> list[list[Word]]:
    groups: list[list[Word]] = []
    for word in words:
        if groups and word.start - groups[-1][-1].end <= pause:
            groups[-1].append(word)
        else:
            groups.append([word])
    return groups


def _ordered(utterances: list[Utterance]) -> tuple[Utterance, ...]:
    return tuple(sorted(utterances, key=lambda u: (u.start, u.end, u.speaker)))


def utterances_from_channels(
    segments: Mapping[str, Sequence[Segment]], *, pause_s: float = PAUSE_SPLIT_S
) -> tuple[Utterance, ...]:
    """Stereo: one speaker per channel key ("left"/"right"); utterances in time order."""
    out: list[Utterance] = []
    for speaker, channel_segments in segments.items():
        for segment in channel_segments:
            if not segment.words:
                if segment.text.strip():
                    out.append(_wordless_utterance(segment, speaker))
                continue
            for group in _split_at_pauses(segment.words, pause_s):
                out.append(_utterance(group, speaker))
    return _ordered(out)


def speaker_of_word(word: Word, turns: Sequence[Turn], *, prefer: Sequence[str] = ()) -> str | None:
    """The speaker a word belongs to: the turn holding its midpoint; among overlapping turns
    the one covering most of the word; with no turn there, the nearest turn.

    A tie (both turns cover the whole word) goes to the first of `prefer` that is tied —
    the caller passes the previous word's speaker, then the segment's main speaker."""
    if not turns:
        return None
    mid = (word.start + word.end) / 2
    holding = [t for t in turns if t.start <= mid < t.end]
    if len({t.speaker for t in holding}) == 1:
        return holding[0].speaker
    span = Span(word.start, max(word.end, word.start))
    cover: dict[str, float] = {}
    for turn in holding or turns:
        share = span.overlap(Span(turn.start, turn.end))
        cover[turn.speaker] = cover.get(turn.speaker, 0.0) + share
    best = max(cover.values())
    if best > 0:
        tied = sorted(s for s, c in cover.items() if c >= best - 1e-9)
        return next((p for p in prefer if p in tied), tied[0])
    return min(turns, key=lambda t: (_distance(mid, t), t.speaker)).speaker


def _distance(time: float, turn: Turn) -> float:
    if turn.start <= time <= turn.end:
        return 0.0
    return min(abs(time - turn.start), abs(time - turn.end))


def speaker_of_span(start: float, end: float, turns: Sequence[Turn]) -> str | None:
    """The speaker whose turns overlap [start, end] most; the nearest turn if none does."""
    if not turns:
        return None
    span = Span(start, end)
    cover: dict[str, float] = {}
    for turn in turns:
        cover[turn.speaker] = cover.get(turn.speaker, 0.0) + span.overlap(
            Span(turn.start, turn.end)
        )
    best = max(cover.values())
    if best > 0:
        return min(s for s, c in cover.items() if c == best)
    mid = (start + end) / 2
    return min(turns, key=lambda t: (_distance(mid, t), t.speaker)).speaker


def utterances_from_diarization(
    segments: Sequence[Segment], diarization: Diarization, *, pause_s: float = PAUSE_SPLIT_S
) -> tuple[Utterance, ...]:
    """Mono: give each word to a diarization speaker and cut utterances at speaker changes
    (and at pauses longer than `pause_s`)."""
    turns = sorted(diarization.turns, key=lambda t: (t.start, t.end))
    fallback = diarization.speakers[0] if diarization.speakers else "spk1"
    out: list[Utterance] = []
    for segment in segments:
        if not segment.words:
            if segment.text.strip():
                speaker = speaker_of_span(segment.start, segment.end, turns) or fallback
                out.append(_wordless_utterance(segment, speaker))
            continue
        main = speaker_of_span(segment.start, segment.end, turns) or fallback
        run: list[Word] = []
        run_speaker = ""
        for word in segment.words:
            prefer = (run_speaker, main) if run else (main,)
            speaker = speaker_of_word(word, turns, prefer=prefer) or fallback
            if run and (speaker != run_speaker or word.start - run[-1].end > pause_s):
                out.append(_utterance(run, run_speaker))
                run = []
            run.append(word)
            run_speaker = speaker
        if run:
            out.append(_utterance(run, run_speaker))
    return rejoin_split_words(_ordered(out))


SPLIT_WORDS = ("您好", "你好", "请您", "请问", "谢谢", "感谢", "再见", "抱歉", "稍等", "是说")
"""Two-character courtesy words, and the recap lead-in 是说 (您是说/你是说); the diarizer's
turn boundaries are a few tenths of a second off, and the first character of a turn is
the one most often given to the other speaker (corpus/final f03: 您 | 好，沐阳电力…; f12:
请 | 您稍等…; f11: 你是 | 说买了不到半年的…)."""
SPLIT_GAP_S = 0.2
SPLIT_MAX_CHARS = 2
ANSWERS = frozenset("对好嗯是行哦喂啊诶哎噢呃唉")
"""One-character words that are often a whole turn (an answer, a backchannel): a lone one
keeps its speaker."""


def rejoin_split_words(utterances: Sequence[Utterance]) -> tuple[Utterance, ...]:
    """Mono: a courtesy word of `SPLIT_WORDS` cut by a turn boundary goes whole to the
    speaker who says its second character: the other speaker's last word (a single
    character) or whole fragment of at most two characters, just before.  So does a lone
    character just before the other speaker's words, unless it is a word of its own
    (`ANSWERS`): the diarizer's label stays with the previous speaker a few tenths of a
    second too long (docs/diarization.md), and on the tuning splits' mono calls such a
    character mostly opens the next turn (实 | 在对不起, 您 | 的意思是…, 你 | 下单的时候…)."""
    items: list[Utterance | None] = list(utterances)
    for i in range(len(items) - 1):
        u, nxt = items[i], items[i + 1]
        if u is None or nxt is None or not (_split_word(u, nxt) or _lone_char(u, nxt)):
            continue
        if len(_spoken(u.text)) <= SPLIT_MAX_CHARS:
            moved, kept = tuple(u.words), None
        elif len(u.words) > 1 and len(_spoken(u.words[-1].text)) == 1:
            moved, kept = (u.words[-1],), _utterance(u.words[:-1], u.speaker)
        else:
            continue
        if moved and nxt.words:
            items[i + 1] = _utterance((*moved, *nxt.words), nxt.speaker)
        else:
            items[i + 1] = replace(nxt, start=u.start, text=u.text + nxt.text)
        items[i] = kept
    return tuple(u for u in items if u is not None)


def _spoken(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _lone_char(fragment: Utterance, nxt: Utterance) -> bool:
    head, tail = _spoken(fragment.text), _spoken(nxt.text)
    if len(head) != 1 or head in ANSWERS or not tail:
        return False
    return fragment.speaker != nxt.speaker and abs(nxt.start - fragment.end) <= SPLIT_GAP_S


def _split_word(fragment: Utterance, nxt: Utterance) -> bool:
    head, tail = _spoken(fragment.text), _spoken(nxt.text)
    if not head or not tail:
        return False
    if fragment.speaker == nxt.speaker or abs(nxt.start - fragment.end) > SPLIT_GAP_S:
        return False
    return (head[-1] + tail[0]) in SPLIT_WORDS


class _Timed(Protocol):
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...
    @property
    def speaker(self) -> str: ...


def overlap_spans(items: Sequence[_Timed]) -> tuple[Span, ...]:
    """Stretches where utterances (or turns) of different speakers overlap, merged and sorted.

    On stereo this is exact: each channel is one speaker."""
    ordered = sorted(items, key=lambda u: (u.start, u.end))
    spans: list[Span] = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.start >= a.end:
                break
            if b.speaker != a.speaker:
                s, e = max(a.start, b.start), min(a.end, b.end)
                if e > s:
                    spans.append(Span(s, e))
    spans.sort()
    merged: list[Span] = []
    for span in spans:
        if merged and span.start <= merged[-1].end:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    return tuple(merged)
