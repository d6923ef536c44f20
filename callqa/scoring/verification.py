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

A miss is asked about too (`verify_company`): when the opening lacks only the company
name, the stretch that sounds most like it ("日风氧气" for 瑞丰燃气: Whisper base knows
no brand names) is scored against the name.  Confirmed, the item passes; too thin, it is
`review`; clearly not the name, the fail stands.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from callqa.records import CallScore, Evidence, RuleResult
from callqa.scoring.engine import verdict_of
from callqa.scoring.kinds.self_intro import CANDIDATE

log = logging.getLogger(__name__)

CONFIRM = -1.5
REJECT = -4.0
SOUND_MARK = " ≈ "
DOUBT_MARKS = ("low confidence", "uncertain", "verification")

Check = Callable[[Evidence, str, str], float | None]
"""(evidence, heard, canonical) → margin, or None when it cannot be checked."""


@dataclass(frozen=True)
class NameMargins:
    """What the audio says of a company name heard garbled (`verify_company`)."""

    over_heard: float
    """The opening with the name, minus the opening as transcribed."""
    over_cohort: float | None = None
    """The opening with the name, minus the best with another brand (None: not asked)."""


NameCheck = Callable[[Evidence, str, str], "NameMargins | float | None"]
"""(evidence, heard, name) → margins (a float: `over_heard` alone), or None."""


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


NAME_CONFIRM = -7.0
NAME_REJECT = -12.0
COHORT_CONFIRM = 5.0
"""A name is also confirmed when the opening with it fits the audio this much better (summed
log-probability) than with the best of its cohort (`callqa.scoring.cohort`: the same name
with eight other brands).  Set on the tuning splits (dev, holdout, final, fresh;
benchmarks/bench_name_cohort.py): 48 of 54 said names reach it (median +13.3), and none
of 10 half-alike stretches of names not said (at most -3.4)."""
"""Margins for a company name (`verify_company`): summed log-probabilities over the whole
opening utterance (`callqa.speech.verify.margin` with `total`), set on corpus/holdout."""
CLEAR_NAME = 0.62
"""Below this mean word confidence the stretch that sounds like the name was not heard
clearly (said in the message).  A rejecting margin never fails the item: a brand name of
rare characters scores low under forced decoding even when it is said (corpus/final f01:
蓝平物业 for 澜庭物业, −12.4; corpus/novel, round 6: four said names at −17 to −22), and
every half-near stretch seen on dev, test, holdout and final (4) was the company's name.
So a rejection is `review`; only an opening with nothing half like the name fails.
The value is `clear_agent`'s."""


def verify_company(score: CallScore, check: NameCheck, *, rule: str = "self_intro") -> CallScore:
    """`score` with an opening that lacks only the company name checked against the audio."""
    results = list(score.rules)
    for i, r in enumerate(results):
        if r.id != rule or r.status not in ("fail", "review") or not only_company(r.message):
            continue
        ev = next((e for e in r.evidence if e.note.startswith(CANDIDATE)), None)
        match = None if ev is None else sound_match(replace(ev, note=ev.note[len(CANDIDATE) + 1 :]))
        if ev is None or match is None:
            continue
        asked = check(ev, *match)
        if asked is None:
            continue
        margins = asked if isinstance(asked, NameMargins) else NameMargins(asked)
        margin = margins.over_heard
        heard, name = match
        log.info("company name %s heard as %s: audio %s", name, heard, margins)
        others = tuple(e for e in r.evidence if e is not ev)
        by_cohort = margins.over_cohort is not None and margins.over_cohort >= COHORT_CONFIRM
        if margin >= NAME_CONFIRM or by_cohort:
            why = (
                f"{margin:+.1f}"
                if margin >= NAME_CONFIRM
                else f"{margins.over_cohort:+.1f} over other names"
            )
            found = replace(ev, note=f"company name by audio: {heard} ≈ {name} ({why})")
            kept = tuple(e for e in others if e.note != "opening")
            results[i] = replace(
                r,
                status="pass",
                points=0.0,
                evidence=(*kept, found),
                message="greeting, company name (confirmed by the audio) and self-identification",
            )
        elif margin >= NAME_REJECT:
            found = replace(ev, note=f"{ev.note}; verification too thin ({margin:+.1f})")
            results[i] = replace(
                r,
                status="review",
                points=0.0,
                evidence=(found, *others),
                message=f"{r.message} - the audio may say it ({margin:+.1f})",
            )
        else:
            # A stretch half like the name whose audio still says no: a rare name scores
            # low under forced decoding even when said, so the "no" is not a fail.
            found = replace(ev, note=f"{ev.note}; audio says otherwise ({margin:+.1f})")
            unclear = (
                f"; the words there are unclear ({ev.confidence:.2f})"
                if ev.confidence < CLEAR_NAME
                else ""
            )
            results[i] = replace(
                r,
                status="review",
                points=0.0,
                evidence=(found, *others),
                message=f"{r.message} - something half like it was said, the audio does "
                f"not confirm it ({margin:+.1f}){unclear}",
            )
    if results == list(score.rules):
        return score
    total, verdict = verdict_of(
        tuple(results), max_score=score.max_score, pass_mark=score.pass_mark or 0.0
    )
    return replace(score, rules=tuple(results), score=total, verdict=verdict)


def only_company(message: str) -> bool:
    """A self_intro message that names the company as the one thing missing."""
    head = message.split(" - ")[0]
    return "company name (" in head and "greeting (" not in head and "identification (" not in head


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
