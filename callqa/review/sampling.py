"""Sampling plans (抽检): N calls per agent from a period, at random or weighted to low
scores, assigned round-robin to reviewers, and stored (who drew what, seed, when).

The draw is reproducible: the same calls, seed and options give the same sample.  Calls
are taken per agent in a fixed order (agent id, call id) and drawn with
`random.Random(seed)`; `weight="low-score"` draws without replacement with weights
favouring low effective scores (weight = 1 + points lost, so a 60/100 call is 41 times
as likely as a 100/100 one).  Assignment walks the drawn calls agent by agent and hands
them to the reviewers in turn.
"""

from __future__ import annotations

import logging
import random
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from callqa.errors import ReviewError
from callqa.review.report import Filters
from callqa.store.db import Store
from callqa.store.desk import (
    PlanRow,
    get_plan,
    list_plans,
    mark_sample_done,
    sample_candidates,
    sample_items,
    save_plan,
)

log = logging.getLogger(__name__)
WEIGHTS: tuple[str, ...] = ("random", "low-score")


@dataclass(frozen=True)
class SampledCall:
    call_id: str
    agent_id: str
    call_time: str | None
    score: float
    reviewer: str


@dataclass(frozen=True)
class Plan:
    id: int
    seed: int
    calls: tuple[SampledCall, ...]
    short: tuple[tuple[str, int], ...]
    """Agents with fewer calls than asked for, and how many they had."""


def _until_exclusive(until: str | None) -> str | None:
    if until and len(until) == 10:
        return (date.fromisoformat(until) + timedelta(days=1)).isoformat()
    return until + "~" if until else None  # a datetime bound stays inclusive


def _weighted_pick(rng: random.Random, rows: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """n rows without replacement, weight = 1 + points lost (low scores first)."""
    pool = list(rows)
    out: list[dict[str, Any]] = []
    while pool and len(out) < n:
        weights = [1.0 + max(0.0, float(r["max_score"]) - float(r["score"])) for r in pool]
        pick = rng.choices(range(len(pool)), weights=weights)[0]
        out.append(pool.pop(pick))
    return out


def draw(
    candidates: Sequence[dict[str, Any]],
    *,
    per_agent: int,
    reviewers: Sequence[str],
    seed: int,
    weight: str = "random",
) -> tuple[list[SampledCall], list[tuple[str, int]]]:
    """The sample (a pure function of its inputs) and the agents that fell short."""
    if per_agent < 1:
        raise ReviewError("--per-agent must be at least 1")
    if not reviewers:
        raise ReviewError("name at least one reviewer (--assign NAME)")
    if weight not in WEIGHTS:
        raise ReviewError(f"weight {weight!r} - choose one of {', '.join(WEIGHTS)}")
    by_agent: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(candidates, key=lambda r: (str(r["agent_id"]), str(r["call_id"]))):
        by_agent[str(row["agent_id"])].append(row)
    rng = random.Random(seed)
    picked: list[dict[str, Any]] = []
    short = []
    for agent in sorted(by_agent):
        rows = by_agent[agent]
        if len(rows) < per_agent:
            short.append((agent, len(rows)))
        if weight == "low-score":
            chosen = _weighted_pick(rng, rows, per_agent)
        else:
            chosen = rng.sample(rows, min(per_agent, len(rows)))
        picked.extend(sorted(chosen, key=lambda r: (str(r["call_time"] or ""), r["call_id"])))
    calls = [
        SampledCall(
            r["call_id"],
            str(r["agent_id"]),
            r["call_time"],
            float(r["score"]),
            reviewers[i % len(reviewers)],
        )
        for i, r in enumerate(picked)
    ]
    return calls, short


def draw_plan(
    store: Store,
    *,
    per_agent: int,
    reviewers: Sequence[str],
    drawn_by: str,
    since: str | None = None,
    until: str | None = None,
    agent: str | None = None,
    team: str | None = None,
    weight: str = "random",
    seed: int | None = None,
) -> Plan:
    """Draw a sample from the stored calls and store it as a plan."""
    filters = Filters.parse(since=since, until=until, agent=agent, team=team)
    reviewers = [r.strip() for r in reviewers if r.strip()]
    if len(set(reviewers)) != len(reviewers):
        raise ReviewError("a reviewer is named twice in --assign")
    seed = secrets.randbelow(2**31) if seed is None else int(seed)
    candidates = sample_candidates(
        store.db,
        since=filters.since,
        until_exclusive=_until_exclusive(filters.until),
        agent=filters.agent,
        team=filters.team,
    )
    calls, short = draw(
        candidates, per_agent=per_agent, reviewers=reviewers, seed=seed, weight=weight
    )
    if not calls:
        raise ReviewError("no scored calls with an agent id match - widen --since/--until")
    plan_id = save_plan(
        store,
        drawn_by=drawn_by,
        seed=seed,
        per_agent=per_agent,
        since=filters.since,
        until=filters.until,
        weight=weight,
        reviewers=reviewers,
        filters={"agent": filters.agent, "team": filters.team},
        items=[(c.call_id, c.reviewer) for c in calls],
    )
    log.info("sample plan %d: %d calls, seed %d, by %s", plan_id, len(calls), seed, drawn_by)
    return Plan(plan_id, seed, tuple(calls), tuple(short))


@dataclass(frozen=True)
class Assignment:
    """A sampled call as its reviewer sees it."""

    plan_id: int
    call_id: str
    reviewer: str
    agent_id: str | None
    team: str | None
    call_time: str | None
    drawn_at: str
    done_at: str | None
    done_by: str | None
    note: str | None

    @property
    def done(self) -> bool:
        return self.done_at is not None


def assignments(
    store: Store, *, reviewer: str | None = None, plan_id: int | None = None
) -> list[Assignment]:
    return [
        Assignment(
            r["plan_id"],
            r["call_id"],
            r["reviewer"],
            r["agent_id"],
            r["team"],
            r["call_time"],
            r["drawn_at"],
            r["done_at"],
            r["done_by"],
            r["note"],
        )
        for r in sample_items(store.db, plan_id=plan_id, reviewer=reviewer)
    ]


def complete(store: Store, *, plan_id: int, call_id: str, who: str, note: str = "") -> None:
    """The reviewer marks a sampled call reviewed (once)."""
    if len(note) > 2000:
        raise ReviewError("the note is too long (over 2000 characters)")
    if not mark_sample_done(store, plan_id=plan_id, call_id=call_id, who=who, note=note or None):
        raise ReviewError(
            f"call {call_id[:12]} of plan {plan_id} is not assigned to {who} or is done already"
        )


def plans(store: Store) -> list[PlanRow]:
    return list_plans(store.db)


def plan(store: Store, plan_id: int) -> PlanRow:
    return get_plan(store.db, plan_id)
