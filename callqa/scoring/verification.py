"""Deciding hits checked against the audio: a sound match is kept, dropped or sent to review.

A forbidden phrase found only by sound (evidence note "为说话呀 ≈ 喂说话呀") decides a
critical item, so before it fails a call the audio is asked (`callqa.speech.verify`):
the margin is the mean token log-probability of the canonical phrase minus that of the
words as transcribed, over the evidence span.

- margin ≥ `CONFIRM`: the audio fits the phrase as well as the transcript: the hit stands;
- margin < `REJECT`: the audio clearly is not the phrase: the hit is dropped;
- in between: too thin to decide: the hit makes the item `review`.

Hits on the phrase's own characters are not re-checked: the transcript already says them.
The thresholds were set on the dev split of corpus/ (docs/accuracy.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from callqa.records import CallScore, Evidence, RuleResult
from callqa.scoring.engine import verdict_of

CONFIRM = -1.5
REJECT = -4.0
SOUND_MARK = " ≈ "
DOUBT_MARKS = ("low confidence", "uncertain", "verification")

Check = Callable[[Evidence, str, str], float | None]
"""(evidence, heard, canonical) → margin, or None when it cannot be checked."""


def sound_match(ev: Evidence) -> tuple[str, str] | None:
    """(heard, canonical) when `ev` is a hit by sound, from its note."""
    for part in ev.note.split("; "):
        if SOUND_MARK in part:
            heard, _, canonical = part.partition(SOUND_MARK)
            return heard.strip(), canonical.strip()
    return None


def verify_hits(score: CallScore, check: Check, *, rule: str = "forbidden_phrases") -> CallScore:
    """`score` with the sound-only hits of `rule` checked against the audio."""
    results = list(score.rules)
    changed = False
    for i, r in enumerate(results):
        if r.id != rule or r.status not in ("fail", "review"):
            continue
        kept: list[Evidence] = []
        touched = False
        for ev in r.evidence:
            match = sound_match(ev)
            if match is None:
                kept.append(ev)
                continue
            margin = check(ev, *match)
            if margin is None:
                kept.append(ev)
                continue
            touched = True
            if margin >= CONFIRM:
                kept.append(replace(ev, note=f"{ev.note}; audio confirms ({margin:+.1f})"))
            elif margin >= REJECT:
                kept.append(replace(ev, note=f"{ev.note}; verification too thin ({margin:+.1f})"))
        if touched:
            results[i] = _restate(r, tuple(kept))
            changed = True
    if not changed:
        return score
    total, verdict = verdict_of(
        tuple(results), max_score=score.max_score, pass_mark=score.pass_mark or 0.0
    )
    return replace(score, rules=tuple(results), score=total, verdict=verdict)


def _restate(r: RuleResult, evidence: tuple[Evidence, ...]) -> RuleResult:
    sure = [e for e in evidence if not any(m in e.note for m in DOUBT_MARKS)]
    said = "; ".join(e.text for e in evidence)
    if sure:
        return replace(
            r,
            status="fail",
            points=-r.max_points,
            evidence=evidence,
            message=f"{len(sure)} forbidden phrase(s): {said}",
        )
    if evidence:
        return replace(
            r,
            status="review",
            points=0.0,
            evidence=evidence,
            message=f"{len(evidence)} uncertain forbidden phrase(s): {said}",
        )
    return replace(
        r, status="pass", points=0.0, evidence=(), message="no forbidden phrase (audio checked)"
    )
