"""Typed, frozen records the store returns (one per table or view row)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from callqa.records import Evidence, Word


def _columns(cls: type) -> str:
    return ", ".join(f.name for f in fields(cls) if f.metadata.get("column", True))


@dataclass(frozen=True)
class CallRecord:
    """One row of `calls`: the audio file's content, where it came from, who and when."""

    call_id: str
    file: str
    status: str
    error: str | None
    duration: float | None
    channels: int | None
    sample_rate: int | None
    agent_channel: str | None
    agent_id: str | None
    team: str | None
    call_time: str | None
    role_confidence: float | None
    roles_swapped: int | None
    role_reason: str | None
    updated_at: str
    company: str | None


@dataclass(frozen=True)
class ScoringRecord:
    """One row of `scorings`: a machine scoring of a call (before reviews)."""

    id: int
    call_id: str
    scorecard_id: str
    scorecard_version: str
    model: str
    score: float
    max_score: float
    verdict: str
    pass_mark: float | None
    created_at: str
    options: str


@dataclass(frozen=True)
class UtteranceRecord:
    idx: int
    start: float
    end: float
    speaker: str
    role: str
    text: str
    confidence: float | None
    loudness_dbfs: float | None
    words: tuple[Word, ...]


@dataclass(frozen=True)
class ReviewRecord:
    """One append-only row of `reviews` (a review, appeal, appeal decision or relabel)."""

    id: int
    call_id: str
    scoring_id: int | None
    rule_id: str | None
    kind: str
    who: str
    at: str
    old_status: str | None
    new_status: str | None
    reason: str | None


@dataclass(frozen=True)
class CallScoreRecord:
    """One row of the `call_scores` view: a call's current scoring, effective score."""

    call_id: str
    file: str
    agent_id: str | None
    team: str | None
    call_time: str | None
    duration: float | None
    scoring_id: int
    scorecard_id: str
    scorecard_version: str
    model: str
    max_score: float
    pass_mark: float | None
    machine_score: float
    machine_verdict: str
    score: float
    verdict: str
    options: str


@dataclass(frozen=True)
class OutcomeRecord:
    """One row of the `rule_outcomes` view (an item of a scoring), with its evidence."""

    rule_id: str
    position: int
    machine_status: str
    status: str
    machine_points: float
    points: float
    max_points: float
    critical: bool
    message: str
    review_id: int | None
    evidence: tuple[Evidence, ...] = field(default=(), metadata={"column": False})


@dataclass(frozen=True)
class CallListRow:
    """A call in a list: who, when, the effective score and the items it fails."""

    call_id: str
    file: str
    status: str
    error: str | None
    duration: float | None
    agent_id: str | None
    team: str | None
    call_time: str | None
    scoring_id: int | None
    max_score: float | None
    score: float | None
    verdict: str | None
    failed: tuple[str, ...] = ()


@dataclass(frozen=True)
class CallPage:
    """One page of a call list (newest first) and the cursor of the next, if any."""

    rows: tuple[CallListRow, ...]
    next_cursor: str | None


@dataclass(frozen=True)
class GroupStats:
    """Sums over the calls of one report group."""

    group: str
    calls: int
    audio_s: float
    score_sum: float
    passes: int


@dataclass(frozen=True)
class RuleStats:
    """Counts of one item over the calls of one report group ('' when not grouped)."""

    group: str
    rule_id: str
    evaluated: int
    fails: int
    reviewed: int
    agreed: int
    false_alarms: int
    misses: int


@dataclass(frozen=True)
class TrendPoint:
    """Calls and score sum of one agent or team in one period."""

    name: str
    period: str
    calls: int
    score_sum: float


@dataclass(frozen=True)
class HitRow:
    """An item of a call's current scoring with its evidence (for clip packs)."""

    call_id: str
    file: str
    scoring_id: int
    agent_id: str | None
    team: str | None
    call_time: str | None
    outcome: OutcomeRecord


def record(cls: type[Any], row: Any) -> Any:
    return cls(*row)


CALL_COLUMNS = _columns(CallRecord)
SCORING_COLUMNS = _columns(ScoringRecord)
REVIEW_COLUMNS = _columns(ReviewRecord)
CALL_SCORE_COLUMNS = _columns(CallScoreRecord)
OUTCOME_COLUMNS = _columns(OutcomeRecord)
