"""Report aggregation in SQL: sums per group over the effective-score views.

Two sources give the same numbers: the daily roll-ups (`daily_calls`, `daily_rules`),
read when the filters fall on whole days, and the views themselves (`call_scores`,
`rule_outcomes`) for filters with a time of day.  Either way the database does the
summing; Python only receives one row per group.
"""

from __future__ import annotations

from typing import Any

from callqa.store.db import Store
from callqa.store.filters import Filters
from callqa.store.rows import GroupStats, RuleStats, TrendPoint
from callqa.store.schema import week_of

UNKNOWN = "unknown"


def group_key(by: str | None) -> str:
    """SQL for the group key of a source row (columns day, agent_id, team)."""
    if by is None:
        return "''"
    if by == "agent":
        return f"COALESCE(NULLIF(agent_id, ''), '{UNKNOWN}')"
    if by == "team":
        return f"COALESCE(NULLIF(team, ''), '{UNKNOWN}')"
    if by == "day":
        return f"COALESCE(day, '{UNKNOWN}')"
    if by == "week":
        return f"CASE WHEN day IS NULL THEN '{UNKNOWN}' ELSE {week_of('day')} END"
    if by == "month":
        return f"COALESCE(substr(day, 1, 7), '{UNKNOWN}')"
    raise ValueError(f"unknown grouping {by!r}")


def _rollup_where(filters: Filters) -> tuple[str, list[Any]]:
    """Whole-day bounds on the roll-ups: since <= day <= until (unknown days left out)."""
    where, params = filters.where(
        time="d.day", agent="d.agent_id", team="COALESCE(NULLIF(d.team, ''), a.team)", days=True
    )
    if filters.since or filters.until:
        where.append("d.day != ''")
    return (" WHERE " + " AND ".join(where)) if where else "", params


def _view_where(filters: Filters) -> tuple[str, list[Any]]:
    where, params = filters.where(time="cs.call_time", agent="cs.agent_id", team="cs.team")
    return (" WHERE " + " AND ".join(where)) if where else "", params


def _use_rollups(filters: Filters, rollups: bool | None) -> bool:
    return filters.whole_days if rollups is None else rollups and filters.whole_days


def calls_source(filters: Filters, *, rollups: bool | None = None) -> tuple[str, list[Any]]:
    """A subquery with one row per call or per daily bucket: day, agent_id, team,
    calls, audio_s, score_sum, passes."""
    if _use_rollups(filters, rollups):
        where, params = _rollup_where(filters)
        return (
            "SELECT NULLIF(d.day, '') AS day, NULLIF(d.agent_id, '') AS agent_id,"
            " COALESCE(NULLIF(d.team, ''), a.team) AS team, d.calls, d.audio_s,"
            " d.score_sum, d.passes"
            f" FROM daily_calls d LEFT JOIN agents a ON a.agent_id = d.agent_id{where}",
            params,
        )
    where, params = _view_where(filters)
    return (
        "SELECT cs.day, cs.agent_id, cs.team, 1 AS calls, COALESCE(cs.duration, 0) AS audio_s,"
        " cs.score AS score_sum, cs.verdict = 'pass' AS passes"
        f" FROM call_scores cs{where}",
        params,
    )


def rules_source(filters: Filters, *, rollups: bool | None = None) -> tuple[str, list[Any]]:
    """A subquery with one row per item (or per daily bucket and item): day, agent_id,
    team, rule_id, position, evaluated, fails, reviewed, agreed, false_alarms, misses."""
    if _use_rollups(filters, rollups):
        where, params = _rollup_where(filters)
        return (
            "SELECT NULLIF(d.day, '') AS day, NULLIF(d.agent_id, '') AS agent_id,"
            " COALESCE(NULLIF(d.team, ''), a.team) AS team, d.rule_id, d.position,"
            " d.evaluated, d.fails, d.reviewed, d.agreed, d.false_alarms, d.misses"
            f" FROM daily_rules d LEFT JOIN agents a ON a.agent_id = d.agent_id{where}",
            params,
        )
    where, params = _view_where(filters)
    return (
        "SELECT cs.day, cs.agent_id, cs.team, o.rule_id, o.position,"
        " o.status != 'na' AS evaluated, o.status = 'fail' AS fails,"
        " o.review_id IS NOT NULL AS reviewed,"
        " o.review_id IS NOT NULL AND o.status = o.machine_status AS agreed,"
        " o.review_id IS NOT NULL AND o.machine_status = 'fail' AND o.status = 'pass'"
        " AS false_alarms,"
        " o.review_id IS NOT NULL AND o.machine_status = 'pass' AND o.status = 'fail'"
        " AS misses"
        f" FROM call_scores cs JOIN rule_outcomes o ON o.scoring_id = cs.scoring_id{where}",
        params,
    )


def group_stats(
    store: Store, filters: Filters, by: str, *, rollups: bool | None = None
) -> list[GroupStats]:
    """Calls, audio seconds, score sum and passes per group, sorted by group."""
    source, params = calls_source(filters, rollups=rollups)
    sql = (
        f"SELECT {group_key(by)} AS grp, sum(calls), total(audio_s), total(score_sum),"
        f" sum(passes) FROM ({source}) GROUP BY grp ORDER BY grp"
    )
    return [
        GroupStats(str(g), int(n), float(a), float(s), int(p))
        for g, n, a, s, p in store.db.execute(sql, params).fetchall()
    ]


def rule_stats(
    store: Store, filters: Filters, by: str | None = None, *, rollups: bool | None = None
) -> list[RuleStats]:
    """Counts per group (or overall, group '') and item, items in scorecard order."""
    source, params = rules_source(filters, rollups=rollups)
    sql = (
        f"SELECT {group_key(by)} AS grp, rule_id, min(position) AS pos, sum(evaluated),"
        " sum(fails), sum(reviewed), sum(agreed), sum(false_alarms), sum(misses)"
        f" FROM ({source}) GROUP BY grp, rule_id ORDER BY grp, pos, rule_id"
    )
    return [
        RuleStats(str(g), str(r), *(int(v) for v in rest))
        for g, r, _, *rest in store.db.execute(sql, params).fetchall()
    ]


def rule_order(store: Store, filters: Filters, *, rollups: bool | None = None) -> list[str]:
    """Item ids of the covered calls, in scorecard order."""
    return [r.rule_id for r in rule_stats(store, filters, rollups=rollups)]


def trend_points(
    store: Store, filters: Filters, *, lines: str, period: str, rollups: bool | None = None
) -> list[TrendPoint]:
    """Calls and score sum per agent (or team) and period, dated calls only."""
    source, params = calls_source(filters, rollups=rollups)
    sql = (
        f"SELECT {group_key(lines)} AS name, {group_key(period)} AS period, sum(calls),"
        f" total(score_sum) FROM ({source}) WHERE day IS NOT NULL"
        " GROUP BY name, period ORDER BY name, period"
    )
    return [
        TrendPoint(str(n), str(p), int(c), float(s))
        for n, p, c, s in store.db.execute(sql, params).fetchall()
    ]
