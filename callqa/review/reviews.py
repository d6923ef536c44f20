"""Human reviews of rule verdicts, appeals, and the effective score they lead to.

Reviews are append-only rows of the `reviews` table (who, when, old and new status,
why).  Kinds:

    review           a supervisor confirms or rejects a machine verdict
    appeal           an agent disputes a failed item (changes nothing by itself)
    appeal_decision  a supervisor accepts (status changes) or rejects an appeal
    relabel          a change of speaker/agent labels (no rule status)

The *effective* status of an item is the `new_status` of its latest `review` or
`appeal_decision` on that scoring, else the machine's.  The database computes it, and
the effective score and verdict, in the views `rule_outcomes` and `call_scores`
(`callqa.store.schema`); every surface reads those.  `effective_score` is the same rule
as a pure Python function, kept as the reference the views are tested against: an item
turned to pass loses its deduction, one turned to fail deducts its full weight
(`-max_points`), a critical item that fails fails the call, and a score under the
scoring's stored pass mark fails it; without a stored pass mark the verdict is
inferred from the machine's and is `review` when it cannot be.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from callqa.errors import ReviewError
from callqa.records import CallScore, Evidence, RuleResult
from callqa.scoring.engine import verdict_of
from callqa.store import calls as stored_calls
from callqa.store import reviews as stored_reviews
from callqa.store.codec import evidence_record
from callqa.store.db import Store
from callqa.store.rows import (
    CallRecord,
    CallScoreRecord,
    OutcomeRecord,
    ReviewRecord,
)

log = logging.getLogger(__name__)

KINDS = ("review", "appeal", "appeal_decision", "relabel")
OVERRIDE_KINDS = frozenset({"review", "appeal_decision"})
HUMAN_STATUSES = ("pass", "fail")
MAX_REASON = 2000
Action = Literal["confirm", "reject"]
Review = ReviewRecord
"""One append-only row of the `reviews` table."""


@dataclass(frozen=True)
class RuleView:
    """One scorecard item of a scoring: the machine's verdict and the effective one."""

    rule_id: str
    machine_status: str
    status: str
    machine_points: float
    points: float
    max_points: float
    critical: bool
    message: str
    evidence: tuple[Evidence, ...]
    review: Review | None = None

    @property
    def overridden(self) -> bool:
        return self.status != self.machine_status


@dataclass(frozen=True)
class EffectiveScore:
    score: float
    max_score: float
    verdict: str
    machine_score: float
    machine_verdict: str
    rules: tuple[RuleView, ...]

    @property
    def changed(self) -> bool:
        return any(r.overridden for r in self.rules)

    def rule(self, rule_id: str) -> RuleView | None:
        return next((r for r in self.rules if r.rule_id == rule_id), None)


def latest_overrides(reviews: Sequence[Review], scoring_id: int) -> dict[str, Review]:
    """The latest status-setting review of each item of a scoring."""
    out: dict[str, Review] = {}
    for r in sorted(reviews, key=lambda r: r.id):
        if (
            r.kind in OVERRIDE_KINDS
            and r.rule_id
            and r.new_status in HUMAN_STATUSES
            and r.scoring_id in (None, scoring_id)
        ):
            out[r.rule_id] = r
    return out


def _points(status: str, machine_status: str, machine_points: float, max_points: float) -> float:
    if status == machine_status:
        return machine_points
    return -abs(max_points) if status == "fail" else 0.0


def effective_score(
    scoring: Mapping[str, Any],
    rule_rows: Sequence[Mapping[str, Any]],
    reviews: Sequence[Review],
    *,
    pass_mark: float | None = None,
) -> EffectiveScore:
    """The score of a stored scoring after human reviews (a pure function of the rows).

    `pass_mark` is the scorecard's; without it the verdict is inferred from the
    machine's (see `_verdict_without_pass_mark`).
    """
    overrides = latest_overrides(reviews, int(scoring["id"]))
    views = []
    for row in rule_rows:
        review = overrides.get(row["rule_id"])
        status = review.new_status if review and review.new_status else row["status"]
        views.append(
            RuleView(
                rule_id=row["rule_id"],
                machine_status=row["status"],
                status=status,
                machine_points=float(row["points"]),
                points=_points(status, row["status"], float(row["points"]), row["max_points"]),
                max_points=float(row["max_points"]),
                critical=bool(row["critical"]),
                message=row["message"] or "",
                evidence=tuple(evidence_record(e) for e in row["evidence"]),
                review=review,
            )
        )
    machine_score = float(scoring["score"])
    machine_verdict = str(scoring["verdict"])
    score, verdict = machine_score, machine_verdict
    if any(v.overridden for v in views):
        # the rules engine's own arithmetic, on a base that reproduces the stored score
        base = machine_score - sum(v.machine_points for v in views)
        results = tuple(
            RuleResult(v.rule_id, v.status, v.points, critical=v.critical, max_points=v.max_points)  # type: ignore[arg-type]
            for v in views
        )
        if pass_mark is not None:
            score, verdict = verdict_of(results, max_score=base, pass_mark=pass_mark)
        else:
            score = round(base + sum(v.points for v in views), 3)
            verdict = _verdict_without_pass_mark(views, machine_score, machine_verdict, score)
    return EffectiveScore(
        score, float(scoring["max_score"]), verdict, machine_score, machine_verdict, tuple(views)
    )


def _verdict_without_pass_mark(
    views: Sequence[RuleView], machine_score: float, machine_verdict: str, score: float
) -> str:
    """The verdict when the scorecard's pass mark is unknown, from what the machine said.

    A critical fail fails the call.  A call the machine passed passes at an equal or
    higher score; one it failed on points alone (no critical fail) fails at an equal or
    lower score.  Anything else cannot be decided without the pass mark: `review`.
    """
    if any(v.critical and v.status == "fail" for v in views):
        return "fail"
    if any(v.status == "review" for v in views):
        return "review"
    machine_critical = any(v.critical and v.machine_status == "fail" for v in views)
    if machine_verdict == "pass" and score >= machine_score:
        return "pass"
    if machine_verdict == "fail" and not machine_critical and score <= machine_score:
        return "fail"
    return "review"


def rule_view(outcome: OutcomeRecord, reviews: Sequence[Review]) -> RuleView:
    """An item as the `rule_outcomes` view gives it, with its deciding review."""
    review = next((r for r in reviews if r.id == outcome.review_id), None)
    return RuleView(
        rule_id=outcome.rule_id,
        machine_status=outcome.machine_status,
        status=outcome.status,
        machine_points=outcome.machine_points,
        points=outcome.points,
        max_points=outcome.max_points,
        critical=outcome.critical,
        message=outcome.message,
        evidence=outcome.evidence,
        review=review,
    )


@dataclass(frozen=True)
class CallReview:
    """A call's current scoring as reviewed: the effective score and every review row."""

    call: CallRecord
    score: CallScoreRecord
    effective: EffectiveScore
    reviews: tuple[Review, ...]
    open_appeals: tuple[Review, ...] = ()

    @property
    def call_id(self) -> str:
        return self.call.call_id

    @property
    def scoring_id(self) -> int:
        return self.score.scoring_id

    def open_appeal(self, rule_id: str) -> Review | None:
        return next((a for a in self.open_appeals if a.rule_id == rule_id), None)

    def appeal_state(self, rule_id: str) -> str | None:
        """None (never appealed), 'open', 'accepted' or 'rejected'."""
        appeal = next(
            (r for r in self.reviews if r.kind == "appeal" and r.rule_id == rule_id), None
        )
        if appeal is None:
            return None
        if self.open_appeal(rule_id) is not None:
            return "open"
        decision = next(
            r
            for r in self.reviews
            if r.kind == "appeal_decision" and r.rule_id == rule_id and r.id > appeal.id
        )
        return "accepted" if decision.new_status == appeal.new_status else "rejected"


def load_call_review(store: Store, call_id: str) -> CallReview:
    """The call (full id) with its current scoring and reviews; ReviewError if unscored."""
    call = store.find_row(call_id)
    if call is None:
        raise ReviewError(f"no call {call_id!r} - list calls with: callqa calls")
    score = stored_calls.call_score(store, call_id)
    if score is None:
        raise ReviewError(f"call {call_id[:12]} has no scoring - run: callqa score FILE")
    reviews = tuple(store.reviews(call_id))
    views = tuple(rule_view(o, reviews) for o in stored_calls.outcomes(store, score.scoring_id))
    effective = EffectiveScore(
        score.score,
        score.max_score,
        score.verdict,
        score.machine_score,
        score.machine_verdict,
        views,
    )
    appeals = tuple(a for a, _ in stored_reviews.open_appeals(store, call_id=call_id))
    return CallReview(call, score, effective, reviews, appeals)


def _check_text(what: str, value: str) -> str:
    value = value.strip()
    if not value:
        raise ReviewError(f"a {what} is required - say why (--{what} TEXT)")
    if len(value) > MAX_REASON:
        raise ReviewError(f"the {what} is too long ({len(value)} > {MAX_REASON} characters)")
    return value


def _rule(cr: CallReview, rule_id: str) -> RuleView:
    view = cr.effective.rule(rule_id)
    if view is None:
        known = ", ".join(r.rule_id for r in cr.effective.rules)
        raise ReviewError(f"call {cr.call_id[:12]} has no item {rule_id!r} - items: {known}")
    return view


def target_status(machine_status: str, action: Action) -> str:
    """The status a reviewer means by confirming or rejecting the machine's verdict."""
    if machine_status not in HUMAN_STATUSES:
        raise ReviewError(
            f"the machine said {machine_status!r}, so there is nothing to confirm or reject"
            " - set the status instead (--set pass|fail)"
        )
    if action == "confirm":
        return machine_status
    return "pass" if machine_status == "fail" else "fail"


def review_rule(
    store: Store, call_id: str, rule_id: str, *, new_status: str, who: str, reason: str
) -> Review:
    """Record a reviewer's verdict on one item of the call's latest scoring."""
    if new_status not in HUMAN_STATUSES:
        raise ReviewError(f"status {new_status!r} - a reviewer sets pass or fail")
    cr = load_call_review(store, call_id)
    view = _rule(cr, rule_id)
    return _add(store, cr, "review", view.rule_id, who, view.status, new_status, reason)


def review_item(
    store: Store,
    call_id: str,
    rule_id: str,
    *,
    who: str,
    reason: str,
    action: Action | None = None,
    status: str | None = None,
) -> tuple[EffectiveScore, EffectiveScore]:
    """Confirm or reject the machine's verdict on an item (or set its status outright).

    Returns the call's effective score before and after.
    """
    if (action is None) == (status is None):
        raise ReviewError("give one of confirm, reject or a status (pass|fail)")
    before = load_call_review(store, call_id)
    view = _rule(before, rule_id)
    new_status = status if status is not None else target_status(view.machine_status, action)  # type: ignore[arg-type]
    review_rule(store, call_id, rule_id, new_status=new_status, who=who, reason=reason)
    return before.effective, load_call_review(store, call_id).effective


def file_appeal(store: Store, call_id: str, rule_id: str, *, who: str, reason: str) -> Review:
    """An agent disputes a failed item; a supervisor decides it later."""
    cr = load_call_review(store, call_id)
    view = _rule(cr, rule_id)
    if view.status != "fail":
        raise ReviewError(f"item {rule_id!r} is {view.status}, not fail - nothing to appeal")
    if any(r.kind == "appeal" and r.rule_id == rule_id for r in cr.reviews):
        raise ReviewError(f"item {rule_id!r} of this call has been appealed already")
    return _add(store, cr, "appeal", rule_id, who, "fail", "pass", reason)


def decide_appeal(store: Store, appeal_id: int, *, accept: bool, who: str, reason: str) -> Review:
    """Accept (the item takes the status asked for) or reject an open appeal."""
    appeal = store.review(appeal_id)
    if appeal is None or appeal.kind != "appeal":
        raise ReviewError(f"no appeal {appeal_id}")
    cr = load_call_review(store, appeal.call_id)
    if appeal not in cr.open_appeals:
        raise ReviewError(f"appeal {appeal_id} has been decided already")
    view = _rule(cr, str(appeal.rule_id))
    new = str(appeal.new_status) if accept else view.status
    return _add(store, cr, "appeal_decision", view.rule_id, who, view.status, new, reason)


def open_appeals(store: Store, *, agent_id: str | None = None) -> list[tuple[Review, CallRecord]]:
    """Every open appeal with its call, oldest first (optionally one agent's)."""
    return stored_reviews.open_appeals(store, agent_id=agent_id)


def _add(
    store: Store,
    cr: CallReview,
    kind: str,
    rule_id: str,
    who: str,
    old: str,
    new: str,
    reason: str,
) -> Review:
    who = _check_text("who", who)
    reason = _check_text("reason", reason)
    review_id = store.add_review(
        call_id=cr.call_id,
        kind=kind,
        who=who,
        reason=reason,
        rule_id=rule_id,
        scoring_id=cr.scoring_id,
        old_status=old,
        new_status=new,
    )
    log.info("%s %s on %s/%s: %s -> %s", who, kind, cr.call_id[:12], rule_id, old, new)
    added = store.review(review_id)
    assert added is not None
    return added


def effective_call_score(cr: CallReview) -> CallScore:
    """The call's effective score as a `CallScore` (what `explain` and the JSON print)."""
    eff = cr.effective
    rules = tuple(
        RuleResult(
            v.rule_id,
            v.status,  # type: ignore[arg-type]
            v.points,
            v.evidence,
            v.message,
            v.critical,
            v.max_points,
        )
        for v in eff.rules
    )
    return CallScore(
        eff.score,
        eff.max_score,
        eff.verdict,  # type: ignore[arg-type]
        rules,
        cr.score.scorecard_id,
        cr.score.scorecard_version,
        cr.score.pass_mark,
    )
