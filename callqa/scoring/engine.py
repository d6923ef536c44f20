"""The scoring engine: a call's transcript and measures against a scorecard → `CallScore`.

Per item the rule kind (`callqa.scoring.engine.<type>`) says `pass`, `fail`, `na` (nothing to
judge: no agent speech, no customer request, no loudness measured) or `review` (the
evidence is too uncertain: words below the scorecard's `min_confidence`, a phrase in
overlapping speech on a mono recording, or uncertain roles — see below).

Points
    Each item's `points` is its weight; `max_score` is the sum of the weights (100 for
    the default scorecard).  `RuleResult.points` is the deduction: ``-weight`` when the
    item fails, 0 otherwise; `RuleResult.max_points` is the weight.  The score is
    ``max_score + sum(deductions)``: an item that passes, is `na` or awaits `review`
    costs nothing (a reviewer's confirmation is what turns a review into a deduction).

Verdict
    `fail` when a critical item fails or the score is below the scorecard's `pass_mark`;
    else `review` when the items in review decide it — one of them is critical, or failing
    them all would take the score below the pass mark; else `pass`.

Recording problems
    When the call's timeline names a problem (a stereo channel with no speech, one voice
    on a mono call), `CallScore.reason` carries it: a silent channel fails the call with
    score 0; one voice sends it to review.

Uncertain roles
    When `transcript.roles.uncertain`, each item is judged twice: as attributed and with
    agent and customer swapped.  Where the two disagree, the item cannot be judged
    without knowing who is who and becomes `review` (message says both outcomes); where
    they agree the result stands.  If no utterance has a known role at all, every item is
    `review`.

`explain(score)` turns a `CallScore` into lines for people (``callqa show``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from callqa.records import CallScore, Evidence, Measures, RuleResult, Transcript, Verdict
from callqa.scoring.base import Outcome, RuleKind
from callqa.scoring.context import CallContext, clarity_of
from callqa.scoring.registry import KINDS

if TYPE_CHECKING:
    from callqa.scoring.scorecard import Item, Scorecard

__all__ = ["KINDS", "RuleKind", "explain", "recording_problem", "score_call", "verdict_of"]


def score_call(
    scorecard: Scorecard,
    transcript: Transcript,
    measures: Measures,
    *,
    company: str | None = None,
) -> CallScore:
    """Judge one call against every item of `scorecard`.

    `company` (from the manifest or file name) is the brand this call was answered for;
    it is the name the opening must say.  Without it the scorecard's `companies:` count,
    and with neither the opening must introduce some organisation (see `self_intro`).
    """
    ctx = CallContext(
        transcript,
        measures,
        company_names=(company,) if company else scorecard.company_names,
        min_confidence=scorecard.min_confidence,
        clear_agent=scorecard.clear_agent,
    )
    alt: CallContext | None = None
    unknown = False
    line = transcript.timeline
    # a stereo channel without speech decides the call (`recording_problem`): no swapping
    silent_channel = line is not None and line.source == "channels" and bool(line.problem)
    if transcript.roles.uncertain and not silent_channel:
        known = any(u.role != "unknown" for u in transcript.utterances)
        unknown = not known and any(u.text.strip() for u in transcript.utterances)
        alt = ctx.swapped() if known else None
    results = tuple(_judge(item, ctx, alt, unknown, transcript) for item in scorecard.items)
    clarity = agent_clarity(transcript)
    if clarity is not None and clarity < max(scorecard.clear_agent, scorecard.min_agent_clarity):
        results = tuple(
            _unclear(item, r, clarity, scorecard)
            for item, r in zip(scorecard.items, results, strict=True)
        )
    score, verdict = verdict_of(
        results, max_score=scorecard.max_score, pass_mark=scorecard.pass_mark
    )
    scored = CallScore(
        score=score,
        max_score=scorecard.max_score,
        verdict=verdict,
        rules=results,
        scorecard_id=scorecard.id,
        scorecard_version=scorecard.version_key,
        pass_mark=scorecard.pass_mark,
    )
    return recording_problem(scored, transcript)


def recording_problem(score: CallScore, transcript: Transcript) -> CallScore:
    """`score` with the call-level reason of a recording that is not what it claims.

    The reason is `Timeline.problem`.  A stereo channel without speech is exact: the call
    fails with score 0 rather than passing on rules that had nothing to judge.  One voice
    on a mono call is the diarizer's judgement: the call goes to review, its score kept.
    Idempotent; apply it again after anything that recomputes the verdict.
    """
    reason = transcript.timeline.problem if transcript.timeline is not None else ""
    if not reason:
        return score
    assert transcript.timeline is not None
    if transcript.timeline.source == "channels":
        return replace(score, score=0.0, verdict="fail", reason=reason)
    verdict: Verdict = "fail" if score.verdict == "fail" else "review"
    return replace(score, verdict=verdict, reason=reason)


def agent_clarity(transcript: Transcript) -> float | None:
    """Mean word probability over all the agent's words (None: no agent words)."""
    return clarity_of(transcript, "agent")


def _unclear(item: Item, r: RuleResult, clarity: float, scorecard: Scorecard) -> RuleResult:
    """Below `min_agent_clarity` no word item is decided; below `clear_agent` (murky, as
    Whisper base hears a synthetic or heavily accented voice) a fail that rests on words
    not heard is not decided either, while a pass, or a forbidden phrase heard, stands.
    A timed item whose fail rests on words (`fail_needs_words`: a hold not announced) has
    that fail left undecided in both cases; its pass stands."""
    kind = KINDS[item.type]
    if not _doubtful(kind, r.status, clarity >= scorecard.min_agent_clarity):
        return r
    if clarity >= scorecard.min_agent_clarity:
        why = (
            f"agent speech unclear (mean word confidence {clarity:.2f} < {scorecard.clear_agent:g})"
        )
    else:
        why = (
            f"agent speech barely intelligible (mean word confidence {clarity:.2f} < "
            f"{scorecard.min_agent_clarity:g})"
        )
    return RuleResult(
        id=r.id,
        status="review",
        points=0.0,
        evidence=r.evidence,
        message=f"{why}: {r.status} not certain; {r.message}",
        critical=r.critical,
        max_points=r.max_points,
    )


def _doubtful(kind: RuleKind[Any], status: str, legible: bool) -> bool:
    """Whether murky agent speech leaves `status` of an item of `kind` undecided; `legible`:
    murky but above `min_agent_clarity`."""
    if kind.fail_needs_words:  # judged on time: only a fail for words not heard
        return status == "fail"
    if not kind.reads_words or status not in ("pass", "fail"):
        return False
    return not legible or (status == "fail" and kind.fails_on_absence)


def _judge(
    item: Item, ctx: CallContext, alt: CallContext | None, unknown: bool, transcript: Transcript
) -> RuleResult:
    kind = KINDS[item.type]
    roles = transcript.roles
    if unknown:
        out = Outcome("review", f"roles unknown ({roles.reason or 'no agent found'})")
    else:
        out = kind.check(ctx, item.params, item.role)
        if alt is not None:
            swapped = kind.check(alt, item.params, item.role)
            if swapped.status != out.status:
                out = Outcome(
                    "review",
                    f"roles uncertain (confidence {roles.confidence:.2f}): {out.status} as "
                    f"attributed, {swapped.status} with agent and customer swapped; {out.message}",
                    out.evidence,
                )
    return RuleResult(
        id=item.id,
        status=out.status,
        points=-item.points if out.status == "fail" else 0.0,
        evidence=out.evidence,
        message=out.message,
        critical=item.critical,
        max_points=item.points,
    )


def verdict_of(
    results: tuple[RuleResult, ...], *, max_score: float, pass_mark: float
) -> tuple[float, Verdict]:
    """The score and verdict of a call's item results (see the module docstring)."""
    score = round(max_score + sum(r.points for r in results), 3)
    if score < pass_mark or any(r.critical and r.status == "fail" for r in results):
        return score, "fail"
    pending = [r for r in results if r.status == "review"]
    if any(r.critical for r in pending) or score - sum(r.max_points for r in pending) < pass_mark:
        return score, "review"
    return score, "pass"


def clock(seconds: float) -> str:
    """mm:ss.s"""
    minutes, secs = divmod(max(0.0, seconds), 60)
    return f"{int(minutes):02d}:{secs:04.1f}"


def evidence_line(ev: Evidence) -> str:
    """[mm:ss.s–mm:ss.s] speaker text (confidence) note"""
    note = f"  – {ev.note}" if ev.note else ""
    return f"[{clock(ev.start)}–{clock(ev.end)}] {ev.speaker} {ev.text} ({ev.confidence:.2f}){note}"


def explain(score: CallScore) -> list[str]:
    """Per item: status, points earned of its weight, message; then its evidence lines."""
    lines: list[str] = []
    width = max((len(r.id) for r in score.rules), default=0)
    for r in score.rules:
        earned = r.max_points + r.points
        flag = " CRITICAL" if r.critical and r.status == "fail" else ""
        lines.append(
            f"{r.id:<{width}}  {r.status.upper():<6} {earned:g}/{r.max_points:g}{flag}  {r.message}"
        )
        lines.extend("    " + evidence_line(ev) for ev in r.evidence)
    return lines
