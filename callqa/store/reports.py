"""Report aggregation in SQL: sums per group over the effective-score views.

Two sources give the same numbers: the daily roll-ups (`daily_calls`, `daily_rules`),
read when the filters fall on whole days, and the views themselves (`call_scores`,
`rule_outcomes`) for filters with a time of day.  Either way the database does the
summing; Python only receives one row per group.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from callqa.store.db import Store
from callqa.store.filters import Filters
from callqa.store.rows import GroupStats, RuleStats, TrendPoint
from callqa.store.schema import CALL_SUMS, RULE_SUMS, week_of

UNKNOWN = "unknown"


def group_key(by: str | None) -> str:
    """SQL for the group key of a source row (columns day, week, agent_id, team)."""
    if by is None:
        return "''"
    if by == "agent":
        return f"COALESCE(NULLIF(agent_id, ''), '{UNKNOWN}')"
    if by == "team":
        return f"COALESCE(NULLIF(team, ''), '{UNKNOWN}')"
    if by == "day":
        return f"COALESCE(day, '{UNKNOWN}')"
    if by == "week":
        return f"COALESCE(NULLIF(week, ''), '{UNKNOWN}')"
    if by == "month":
        return f"COALESCE(substr(day, 1, 7), '{UNKNOWN}')"
    raise ValueError(f"unknown grouping {by!r}")


_WHO = ("agent", "team")
_VIEW_WEEK = f"CASE WHEN cs.day IS NULL THEN NULL ELSE {week_of('cs.day')} END"
_PERIODS = ("day", "week", "month")


def _month_aligned(filters: Filters) -> bool:
    if filters.since and not filters.since.endswith("-01"):
        return False
    if filters.until:
        day = date.fromisoformat(filters.until)
        return (day + timedelta(days=1)).day == 1
    return True


def _grain(filters: Filters, keys: tuple[str | None, ...], rollups: bool | None) -> str:
    """'views', 'daily', 'monthly' or 'totals': the smallest source that answers."""
    if rollups is False or not filters.whole_days:
        return "views"
    who = filters.agent or filters.team or any(k in _WHO for k in keys)
    if not who:
        return "totals"
    if _month_aligned(filters) and not any(k in ("day", "week") for k in keys):
        return "monthly"
    return "daily"


def _source(
    filters: Filters, keys: tuple[str | None, ...], rollups: bool | None, table: str, cols: str
) -> tuple[str, list[Any]]:
    grain = _grain(filters, keys, rollups)
    if grain == "totals":
        day, who = "NULLIF(d.day, '')", "NULL AS agent_id, NULL AS team"
        where, params = Filters(filters.since, filters.until).where(
            time="d.day", agent="", team="", days=True
        )
        frm = f"day_{table} d"
    else:
        team = "COALESCE(NULLIF(d.team, ''), a.team)"
        joined = filters.team or "team" in keys
        who = f"NULLIF(d.agent_id, '') AS agent_id, {team if joined else 'NULL'} AS team"
        frm = f"{grain}_{table} d"
        if joined:
            frm += " LEFT JOIN agents a ON a.agent_id = d.agent_id"
        if grain == "monthly":
            day = "CASE WHEN d.month = '' THEN NULL ELSE d.month || '-01' END"
            bounds = Filters(
                filters.since and filters.since[:7], filters.until and filters.until[:7]
            )
            where, params = bounds.where(time="d.month", agent="", team="", days=True)
        else:
            day = "NULLIF(d.day, '')"
            where, params = Filters(filters.since, filters.until).where(
                time="d.day", agent="", team="", days=True
            )
        who_where, who_params = Filters(agent=filters.agent, team=filters.team).where(
            time="", agent="d.agent_id", team=team
        )
        where, params = who_where + where, who_params + params
    if filters.since or filters.until:
        where.append(f"{day} IS NOT NULL")
    week = "NULL"
    if "week" in keys and grain != "monthly":
        if grain == "totals" and table == "calls":
            week = "d.week"
        else:
            frm += " LEFT JOIN day_calls w ON w.day = d.day"
            week = "w.week"
    sql = f"SELECT {day} AS day, {week} AS week, {who}, {cols} FROM {frm}"
    return sql + (" WHERE " + " AND ".join(where) if where else ""), params


def _view_where(filters: Filters) -> tuple[str, list[Any]]:
    where, params = filters.where(
        time="cs.call_time", agent="cs.agent_id", team="cs.team", call_id="cs.call_id"
    )
    return (" WHERE " + " AND ".join(where)) if where else "", params


def calls_source(
    filters: Filters, keys: tuple[str | None, ...] = ("agent",), *, rollups: bool | None = None
) -> tuple[str, list[Any]]:
    """A subquery with one row per call or per roll-up bucket: day, agent_id, team,
    calls, audio_s, score_sum, passes; `keys` are the groupings it must answer."""
    if _grain(filters, keys, rollups) != "views":
        return _source(filters, keys, rollups, "calls", "d." + ", d.".join(CALL_SUMS.split(", ")))
    where, params = _view_where(filters)
    return (
        f"SELECT cs.day, {_VIEW_WEEK} AS week, cs.agent_id, cs.team, 1 AS calls,"
        " COALESCE(cs.duration, 0) AS audio_s,"
        " cs.score AS score_sum, cs.verdict = 'pass' AS passes"
        f" FROM call_scores cs{where}",
        params,
    )


def rules_source(
    filters: Filters, keys: tuple[str | None, ...] = ("agent",), *, rollups: bool | None = None
) -> tuple[str, list[Any]]:
    """A subquery with one row per item (or per roll-up bucket and item): day, agent_id,
    team, rule_id, position, evaluated, fails, reviewed, agreed, false_alarms, misses."""
    if _grain(filters, keys, rollups) != "views":
        return _source(filters, keys, rollups, "rules", "d." + ", d.".join(RULE_SUMS.split(", ")))
    where, params = _view_where(filters)
    return (
        f"SELECT cs.day, {_VIEW_WEEK} AS week, cs.agent_id, cs.team, o.rule_id, o.position,"
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
    source, params = calls_source(filters, (by,), rollups=rollups)
    sql = (
        f"SELECT {group_key(by)} AS grp, sum(calls), total(audio_s), total(score_sum),"
        f" sum(passes) FROM ({source}) GROUP BY grp ORDER BY grp"
    )
    return [
        GroupStats(str(g), int(n), float(a), float(s), int(p))
        for g, n, a, s, p in store.db.execute(sql, params).fetchall()
    ]


TIMELINE_AVERAGES = (
    "talk_ratio",
    "silence_share",
    "interruptions_per_call",
    "agent_cpm",
    "agent_level_dbfs",
)


def timeline_stats(store: Store, filters: Filters, by: str) -> dict[str, dict[str, float | None]]:
    """Per group, the means of the call metrics (`TIMELINE_AVERAGES`) over the calls that
    have them: the agent's share of the talk, silence as a share of the call, the agent's
    interruptions per call, the agent's 字/分钟 and active level.  Read from the views and
    the metric columns of each call's scoring (no roll-up carries them)."""
    where, params = _view_where(filters)
    source = (
        f"SELECT cs.day, {_VIEW_WEEK} AS week, cs.agent_id, cs.team,"
        " s.agent_talk_s / NULLIF(COALESCE(s.agent_talk_s, 0)"
        " + COALESCE(s.customer_talk_s, 0), 0) AS talk_ratio,"
        " s.silence_s / NULLIF(cs.duration, 0) AS silence_share,"
        " s.agent_interruptions, s.agent_cpm, s.agent_level_dbfs"
        f" FROM call_scores cs JOIN scorings s ON s.id = cs.scoring_id{where}"
    )
    sql = (
        f"SELECT {group_key(by)} AS grp, avg(talk_ratio), avg(silence_share),"
        " avg(agent_interruptions), avg(agent_cpm), avg(agent_level_dbfs)"
        f" FROM ({source}) GROUP BY grp"
    )
    return {
        str(g): dict(zip(TIMELINE_AVERAGES, values, strict=True))
        for g, *values in store.db.execute(sql, params).fetchall()
    }


def rule_stats(
    store: Store, filters: Filters, by: str | None = None, *, rollups: bool | None = None
) -> list[RuleStats]:
    """Counts per group (or overall, group '') and item, items in scorecard order."""
    source, params = rules_source(filters, (by,), rollups=rollups)
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
    source, params = calls_source(filters, (lines, period), rollups=rollups)
    sql = (
        f"SELECT {group_key(lines)} AS name, {group_key(period)} AS period, sum(calls),"
        f" total(score_sum) FROM ({source}) WHERE day IS NOT NULL"
        " GROUP BY name, period ORDER BY name, period"
    )
    return [
        TrendPoint(str(n), str(p), int(c), float(s))
        for n, p, c, s in store.db.execute(sql, params).fetchall()
    ]
