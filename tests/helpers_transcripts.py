"""Hand-made transcripts and measures for rule tests.

    t = transcript([("agent", 0.0, 3.2, "您好，星河通信，工号1023"), ("customer", 3.8, 6.0, "嗯")])
    m = measures(t)

A turn may carry a fifth element, a dict of options: ``prob`` (word probability),
``loudness`` (dBFS), ``words`` (False: no word timestamps).  Words are the turn's
characters spread evenly over it, punctuation attached to the word before (as Whisper
does).  `measures` is a small, independent version of what `callqa.speech.measure` computes.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from callqa.records import (
    Gap,
    Lane,
    Measures,
    Overlap,
    Role,
    RoleAssignment,
    Span,
    Timeline,
    Transcript,
    Utterance,
    UtteranceMeasure,
    Word,
)

Turn = tuple[Any, ...]
_PUNCT = set("，。？！、,.?!；;：:“”\"' …")


def words_for(text: str, start: float, end: float, prob: float) -> tuple[Word, ...]:
    spoken = [i for i, ch in enumerate(text) if ch not in _PUNCT]
    if not spoken:
        return ()
    step = (end - start) / len(spoken)
    words: list[Word] = []
    for k, i in enumerate(spoken):
        nxt = spoken[k + 1] if k + 1 < len(spoken) else len(text)
        chunk = text[i:nxt]  # the character and any punctuation after it
        words.append(Word(start + k * step, start + (k + 1) * step, chunk, prob))
    return tuple(words)


def transcript(
    turns: Sequence[Turn],
    *,
    stereo: bool = True,
    duration: float | None = None,
    prob: float = 0.95,
    loudness: float | None = None,
    role_confidence: float = 0.95,
    words: bool = True,
) -> Transcript:
    """A transcript from (role, start, end, text[, options]) turns."""
    names = {"agent": "left", "customer": "right"} if stereo else {"agent": "S1", "customer": "S2"}
    utts = []
    for turn in turns:
        role, start, end, text = turn[:4]
        opts: dict[str, Any] = turn[4] if len(turn) > 4 else {}
        p = opts.get("prob", prob)
        utts.append(
            Utterance(
                start=start,
                end=end,
                speaker=names.get(role, "S9"),
                role=role,
                text=text,
                words=words_for(text, start, end, p) if opts.get("words", words) else (),
                confidence=p,
                loudness_dbfs=opts.get("loudness", loudness),
            )
        )
    utts.sort(key=lambda u: u.start)
    end_time = max((u.end for u in utts), default=0.0)
    return Transcript(
        utterances=tuple(utts),
        duration=duration if duration is not None else end_time + 0.5,
        roles=RoleAssignment(names["agent"], role_confidence, reason="test"),
        agent_channel="left" if stereo else None,
    )


def on_channels(
    t: Transcript, agent: Sequence[Span], customer: Sequence[Span], duration: float
) -> Transcript:
    """`t` with a stereo timeline: the agent's speech on the left, the customer's on the right."""
    line = Timeline(
        lanes=(Lane("left", "agent", tuple(agent)), Lane("right", "customer", tuple(customer))),
        duration=duration,
        source="channels",
    )
    return dataclasses.replace(t, timeline=line)


def spoken_chars(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum())


def measures(t: Transcript, *, min_gap: float = 0.3, min_overlap: float = 0.1) -> Measures:
    utts = sorted(t.utterances, key=lambda u: u.start)
    per = tuple(
        UtteranceMeasure(
            u,
            spoken_chars(u.text),
            60.0 * spoken_chars(u.text) / (u.end - u.start) if u.end > u.start else 0.0,
            u.loudness_dbfs,
        )
        for u in utts
    )
    gaps: list[Gap] = []
    latest: Utterance | None = None
    for u in utts:
        if latest is not None and u.start - latest.end >= min_gap:
            gaps.append(Gap(latest.end, u.start, before=latest, after=u))
        if latest is None or u.end > latest.end:
            latest = u
    overlaps = [
        Overlap(b.start, min(a.end, b.end), first=a, second=b)
        for i, b in enumerate(utts)
        for a in utts[:i]
        if a.speaker != b.speaker
        and a.start <= b.start
        and min(a.end, b.end) - b.start >= min_overlap
    ]
    return Measures(per, tuple(gaps), tuple(overlaps))


def sample_turns(path: Path) -> tuple[list[Turn], dict[str, Any]]:
    """The turns of a sample call's expected.json, as (role, start, end, text)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    roles: dict[str, Role] = {"agent": "agent", "customer": "customer"}
    turns = [(roles[t["speaker"]], t["start"], t["end"], t["text"]) for t in data["turns"]]
    return turns, data


@functools.lru_cache(maxsize=1)
def default_card() -> Any:
    """The shipped scorecard, for a single-brand centre: the samples' company 星河通信."""
    from dataclasses import replace

    from callqa.scoring.scorecard import Company, load_scorecard

    card = load_scorecard("etiquette")
    return replace(card, companies=(Company("星河通信", ("星河通讯",)),))


def judge(item_id: str, turns: Sequence[Turn], *, card: Any = None, **options: Any) -> Any:
    """The RuleResult of one item of the default scorecard (or `card`) on these turns."""
    from callqa.scoring.engine import score_call

    card = card or default_card()
    t = transcript(turns, **options)
    score = score_call(card, t, measures(t))
    return next(r for r in score.rules if r.id == item_id)


def check_with(
    item_id: str, turns: Sequence[Turn], *, params: dict[str, Any], **options: Any
) -> Any:
    """An item's Outcome with some of its default parameters replaced."""
    from dataclasses import replace

    from callqa.scoring.context import CallContext
    from callqa.scoring.engine import KINDS

    card = default_card()
    item = card.item(item_id)
    t = transcript(turns, **options)
    ctx = CallContext(
        t, measures(t), company_names=card.company_names, min_confidence=card.min_confidence
    )
    return KINDS[item.type].check(ctx, replace(item.params, **params), item.role)


RULE_IDS = [
    "self_intro",
    "forbidden_phrases",
    "politeness",
    "recap",
    "closing",
    "speaking_rate",
    "volume",
    "silence",
    "interruption",
]
"""The default scorecard's stable rule ids, in order (DESIGN.md)."""
