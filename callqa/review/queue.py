"""The review queue (复核队列): every item the machine left as `review` and every open
appeal, oldest first, filterable by rule, agent and team.

An item leaves the queue when it is settled: a `review` row sets its status (pass or
fail), or an `appeal_decision` follows the appeal.  Nothing is deleted: the audit trail
(`reviews`) only grows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from callqa.records import Evidence
from callqa.review.reviews import Review
from callqa.store.codec import evidence_record
from callqa.store.db import Store
from callqa.store.desk import QueueFilters, appeal_rows, uncertain_items

Kind = Literal["uncertain", "appeal"]


@dataclass(frozen=True)
class QueueItem:
    """One thing to settle: an uncertain item, or an open appeal (then `appeal` is set)."""

    kind: Kind
    since: str
    call_id: str
    agent_id: str | None
    team: str | None
    call_time: str | None
    rule_id: str
    status: str
    message: str
    evidence: tuple[Evidence, ...]
    scorecard_id: str | None = None
    appeal: Review | None = None

    @property
    def at(self) -> float:
        """Where in the call to listen: the first evidence span, else the start."""
        return self.evidence[0].start if self.evidence else 0.0

    def record(self) -> dict[str, Any]:
        """Flat fields for listings (csv/json)."""
        return {
            "kind": self.kind,
            "since": self.since,
            "call_id": self.call_id,
            "agent_id": self.agent_id,
            "team": self.team,
            "call_time": self.call_time,
            "rule_id": self.rule_id,
            "status": self.status,
            "at": round(self.at, 2),
            "evidence": self.evidence[0].text if self.evidence else "",
            "message": self.message,
            "appeal_id": self.appeal.id if self.appeal else None,
            "appeal_by": self.appeal.who if self.appeal else None,
            "appeal_reason": self.appeal.reason if self.appeal else None,
        }


def review_queue(store: Store, filters: QueueFilters | None = None) -> list[QueueItem]:
    """Uncertain items and open appeals, oldest first (by when each entered the queue)."""
    filters = filters or QueueFilters()
    items: list[QueueItem] = []
    for row in uncertain_items(store.db, filters):
        items.append(
            QueueItem(
                kind="uncertain",
                since=str(row["since_at"]),
                call_id=row["call_id"],
                agent_id=row["agent_id"],
                team=row["team"],
                call_time=row["call_time"],
                rule_id=row["rule_id"],
                status=row["status"],
                message=row["message"] or "",
                evidence=tuple(evidence_record(e) for e in row["evidence"]),
                scorecard_id=row["scorecard_id"],
            )
        )
    for row in appeal_rows(store.db, filters):
        appeal = Review(**{k: row[k] for k in Review.__dataclass_fields__})
        scoring = store.latest_scoring(appeal.call_id)
        evidence: tuple[Evidence, ...] = ()
        message = ""
        status = "fail"
        if scoring is not None:
            for r in store.rule_results(scoring.id):
                if r.id == appeal.rule_id:
                    evidence = r.evidence
                    message = r.message
                    status = r.status
        items.append(
            QueueItem(
                kind="appeal",
                since=appeal.at,
                call_id=appeal.call_id,
                agent_id=row["agent_id"],
                team=row["team"],
                call_time=row["call_time"],
                rule_id=str(appeal.rule_id),
                status=status,
                message=message,
                evidence=evidence,
                scorecard_id=scoring.scorecard_id if scoring else None,
                appeal=appeal,
            )
        )
    items.sort(key=lambda i: (i.since, i.call_id, i.rule_id))
    return items
