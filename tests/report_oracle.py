"""The Python aggregation the SQL views replaced, kept as the reference they are tested
against: every call's latest scoring read whole (evidence included), reviews applied with
`callqa.review.reviews.effective_score`, then grouped in Python."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from callqa.review.report import GroupRow, RuleRow, period_key
from callqa.review.reviews import Review, RuleView, effective_score
from callqa.store.db import Store
from callqa.store.filters import EVERY_CALL, Filters

UNKNOWN = "unknown"


@dataclass(frozen=True)
class CallFacts:
    call_id: str
    agent_id: str | None
    team: str | None
    call_time: str | None
    duration: float
    score: float
    max_score: float
    verdict: str
    rules: tuple[RuleView, ...]


def load_facts(store: Store, filters: Filters = EVERY_CALL) -> list[CallFacts]:
    where, params = ["c.status = 'scored'"], []
    if filters.agent:
        where.append("c.agent_id = ?")
        params.append(filters.agent)
    if filters.team:
        where.append("COALESCE(c.team, a.team) = ?")
        params.append(filters.team)
    if filters.since:
        where.append("c.call_time >= ?")
        params.append(filters.since)
    if filters.until:
        if len(filters.until) == 10:
            where.append("c.call_time < ?")
            params.append((date.fromisoformat(filters.until) + timedelta(days=1)).isoformat())
        else:
            where.append("c.call_time <= ?")
            params.append(filters.until)
    calls = store.db.execute(
        f"""SELECT c.call_id, c.agent_id, COALESCE(c.team, a.team), c.call_time, c.duration,
                   s.id, s.score, s.max_score, s.verdict, s.pass_mark
            FROM calls c
            JOIN scorings s ON s.id = (
                SELECT id FROM scorings WHERE call_id = c.call_id ORDER BY id DESC LIMIT 1)
            LEFT JOIN agents a ON a.agent_id = c.agent_id
            WHERE {" AND ".join(where)} ORDER BY c.call_time, c.call_id""",
        params,
    ).fetchall()
    facts = []
    for call_id, agent, team, when, duration, sid, score, max_score, verdict, mark in calls:
        rows: list[dict[str, Any]] = []
        for row in store.db.query(
            "SELECT * FROM rule_results WHERE scoring_id = ? ORDER BY rowid", [sid]
        ):
            row["evidence"] = json.loads(row["evidence"])
            rows.append(row)
        reviews = [
            Review(**{k: r[k] for k in Review.__dataclass_fields__})
            for r in store.db.query(
                "SELECT * FROM reviews WHERE call_id = ? ORDER BY id", [call_id]
            )
        ]
        scoring = {"id": sid, "score": score, "max_score": max_score, "verdict": verdict}
        eff = effective_score(scoring, rows, reviews, pass_mark=mark)
        facts.append(
            CallFacts(
                call_id,
                agent,
                team,
                when,
                duration or 0.0,
                eff.score,
                eff.max_score,
                eff.verdict,
                eff.rules,
            )
        )
    return facts


def group_key(f: CallFacts, by: str) -> str:
    if by == "agent":
        return f.agent_id or UNKNOWN
    if by == "team":
        return f.team or UNKNOWN
    return period_key(f.call_time, by)


def rule_ids(facts: Sequence[CallFacts]) -> list[str]:
    seen: dict[str, None] = {}
    for f in facts:
        for r in f.rules:
            seen.setdefault(r.rule_id, None)
    return list(seen)


def _fail_rate(views: Sequence[RuleView]) -> float | None:
    evaluated = [v for v in views if v.status != "na"]
    if not evaluated:
        return None
    return sum(v.status == "fail" for v in evaluated) / len(evaluated)


def summarize(facts: Sequence[CallFacts], by: str) -> list[GroupRow]:
    groups: dict[str, list[CallFacts]] = defaultdict(list)
    for f in facts:
        groups[group_key(f, by)].append(f)
    rules = rule_ids(facts)
    rows = []
    for key in sorted(groups):
        calls = groups[key]
        per_rule: dict[str, list[RuleView]] = defaultdict(list)
        for f in calls:
            for v in f.rules:
                per_rule[v.rule_id].append(v)
        rows.append(
            GroupRow(
                group=key,
                calls=len(calls),
                audio_hours=sum(f.duration for f in calls) / 3600.0,
                avg_score=sum(f.score for f in calls) / len(calls),
                pass_rate=sum(f.verdict == "pass" for f in calls) / len(calls),
                fail_rates={r: _fail_rate(per_rule[r]) for r in rules},
            )
        )
    return rows


def rule_summary(facts: Sequence[CallFacts]) -> list[RuleRow]:
    per_rule: dict[str, list[RuleView]] = defaultdict(list)
    for f in facts:
        for v in f.rules:
            per_rule[v.rule_id].append(v)
    rows = []
    for rule in rule_ids(facts):
        views = per_rule[rule]
        evaluated = [v for v in views if v.status != "na"]
        reviewed = [v for v in views if v.review is not None]
        agreed = sum(v.status == v.machine_status for v in reviewed)
        rows.append(
            RuleRow(
                rule=rule,
                calls=len(evaluated),
                fails=sum(v.status == "fail" for v in evaluated),
                fail_rate=_fail_rate(views),
                reviewed=len(reviewed),
                agreed=agreed,
                false_alarms=sum(
                    v.machine_status == "fail" and v.status == "pass" for v in reviewed
                ),
                misses=sum(v.machine_status == "pass" and v.status == "fail" for v in reviewed),
                agreement=agreed / len(reviewed) if reviewed else None,
            )
        )
    return rows
