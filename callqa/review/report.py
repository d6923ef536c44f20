"""Trends for supervisors: scores, pass rates and rule fail rates by agent, team, rule or time.

Every number is each call's current scoring after human reviews, summed by the database
over the views `call_scores` and `rule_outcomes` (or their daily roll-ups; see
`callqa.store.reports`), so the CLI, the web pages and the chart count the same way and
a report over a year of calls reads a few thousand rows.  The grouping a report uses
by default and the chart that goes with each grouping are chosen here, once.

    fail rate of a rule = calls where it failed / calls where it was evaluated (not na)
    agreement of a rule = reviewed items whose human status equals the machine's / reviewed
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Literal

from callqa.errors import ReportError
from callqa.store import reports as sql
from callqa.store.db import Store
from callqa.store.filters import EVERY_CALL, Filters

__all__ = [
    "DEFAULT_GROUPING",
    "FORMATS",
    "GROUPINGS",
    "PERIODS",
    "ChartSettings",
    "Filters",
    "GroupRow",
    "ReportError",
    "RuleRow",
    "Trend",
    "chart_settings",
    "period_key",
    "records",
    "render",
    "render_chart",
    "report_rows",
    "report_trend",
    "rule_summary",
    "summarize",
    "trend",
]

Grouping = Literal["agent", "team", "rule", "day", "week", "month"]
GROUPINGS: tuple[str, ...] = ("agent", "team", "rule", "day", "week", "month")
DEFAULT_GROUPING = "week"
"""The grouping of `callqa report` and of the web's reports page when none is asked for."""
PERIODS: tuple[str, ...] = ("day", "week", "month")
FORMATS: tuple[str, ...] = ("table", "csv", "json")
UNKNOWN = sql.UNKNOWN
DEFAULT_TOP = 5


def period_key(call_time: str | None, period: str) -> str:
    """'2026-11-24' (day), '2026-W48' (ISO week) or '2026-11' (month) of a call time."""
    if not call_time:
        return UNKNOWN
    try:
        when = datetime.fromisoformat(call_time)
    except ValueError:
        return UNKNOWN
    if period == "day":
        return when.date().isoformat()
    if period == "week":
        year, week, _ = when.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{when.year}-{when.month:02d}"


def _check_grouping(by: str) -> None:
    if by not in GROUPINGS:
        raise ReportError(f"cannot group calls by {by!r} - choose one of {', '.join(GROUPINGS)}")


@dataclass(frozen=True)
class GroupRow:
    group: str
    calls: int
    audio_hours: float
    avg_score: float
    pass_rate: float
    fail_rates: dict[str, float | None]
    talk_ratio: float | None = None
    """The agent's share of the talk (agent / agent + customer), averaged over calls."""
    silence_share: float | None = None
    """Silence as a share of the call's length, averaged over calls."""
    interruptions_per_call: float | None = None
    """The agent's interruptions per call."""
    agent_cpm: float | None = None
    agent_level_dbfs: float | None = None


@dataclass(frozen=True)
class RuleRow:
    rule: str
    calls: int
    fails: int
    fail_rate: float | None
    reviewed: int
    agreed: int
    false_alarms: int
    misses: int
    agreement: float | None


def summarize(
    store: Store,
    filters: Filters = EVERY_CALL,
    by: str = DEFAULT_GROUPING,
    *,
    rollups: bool | None = None,
) -> list[GroupRow]:
    """One row per agent, team, day, week or month (sorted by its key)."""
    _check_grouping(by)
    if by == "rule":
        raise ReportError("a per-rule report is rule_summary (or report_rows)")
    groups = sql.group_stats(store, filters, by, rollups=rollups)
    per_rule = sql.rule_stats(store, filters, by, rollups=rollups)
    order = sql.rule_order(store, filters, rollups=rollups)
    timeline = sql.timeline_stats(store, filters, by)
    rates: dict[str, dict[str, float | None]] = defaultdict(dict)
    for r in per_rule:
        rates[r.group][r.rule_id] = r.fails / r.evaluated if r.evaluated else None
    return [
        GroupRow(
            group=g.group,
            calls=g.calls,
            audio_hours=g.audio_s / 3600.0,
            avg_score=g.score_sum / g.calls,
            pass_rate=g.passes / g.calls,
            fail_rates={rule: rates[g.group].get(rule) for rule in order},
            **timeline.get(g.group, {}),
        )
        for g in groups
        if g.calls
    ]


def rule_summary(
    store: Store, filters: Filters = EVERY_CALL, *, rollups: bool | None = None
) -> list[RuleRow]:
    """One row per rule: fail rate, and machine-vs-human agreement on reviewed items."""
    return [
        RuleRow(
            rule=r.rule_id,
            calls=r.evaluated,
            fails=r.fails,
            fail_rate=r.fails / r.evaluated if r.evaluated else None,
            reviewed=r.reviewed,
            agreed=r.agreed,
            false_alarms=r.false_alarms,
            misses=r.misses,
            agreement=r.agreed / r.reviewed if r.reviewed else None,
        )
        for r in sql.rule_stats(store, filters, rollups=rollups)
    ]


def report_rows(
    store: Store, filters: Filters = EVERY_CALL, by: str = DEFAULT_GROUPING
) -> list[GroupRow] | list[RuleRow]:
    """The rows of a report grouped `by` (per rule: agreement too)."""
    _check_grouping(by)
    return rule_summary(store, filters) if by == "rule" else summarize(store, filters, by)


def records(rows: Sequence[GroupRow] | Sequence[RuleRow]) -> list[dict[str, Any]]:
    """Rows as flat dicts (rounded): one `fail_<rule>` column per rule for group rows."""
    out = []
    for row in rows:
        rec = asdict(row)
        rates = rec.pop("fail_rates", None)
        if rates is not None:
            rec.update({f"fail_{rule}": rate for rule, rate in rates.items()})
        out.append({k: round(v, 4) if isinstance(v, float) else v for k, v in rec.items()})
    return out


def render(rows: Sequence[GroupRow] | Sequence[RuleRow], fmt: str, *, by: str) -> str:
    """The rows as a text table, CSV or JSON ({"by": ..., "rows": [...]})."""
    recs = records(rows)
    if fmt == "json":
        return json.dumps({"by": by, "rows": recs}, ensure_ascii=False, indent=2)
    columns = list(recs[0]) if recs else ["group"]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(recs)
        return buf.getvalue().rstrip("\n")
    if fmt != "table":
        raise ReportError(f"format {fmt!r} - choose one of {', '.join(FORMATS)}")
    return _table(recs, columns, by)


def _cell(column: str, value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if column.startswith("fail") or column in ("pass_rate", "agreement"):
            return f"{100 * value:.0f}%"
        return f"{value:.2f}" if column == "audio_hours" else f"{value:.1f}"
    return str(value)


def _table(recs: list[dict[str, Any]], columns: list[str], by: str) -> str:
    headers = [by if c == "group" else c for c in columns]
    cells = [[_cell(c, r[c]) for c in columns] for r in recs]
    widths = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(headers)]
    lines = [
        "  ".join(
            h.ljust(w) if i == 0 else h.rjust(w)
            for i, (h, w) in enumerate(zip(headers, widths, strict=True))
        )
    ]
    for row in cells:
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return "\n".join(lines)


OTHERS = "others"
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
)


@dataclass(frozen=True)
class Trend:
    """Average effective score per period, one series per agent or team (+ 'others')."""

    lines: str
    period: str
    periods: tuple[str, ...]
    series: dict[str, tuple[float | None, ...]]


@dataclass(frozen=True)
class ChartSettings:
    """What the trend chart of a report shows: one line per agent or team, over periods."""

    lines: str
    period: str


def chart_settings(by: str = DEFAULT_GROUPING) -> ChartSettings:
    """The chart that goes with a report grouping: per team for `team`, else per agent;
    over the grouping's period for day/week/month, else over days."""
    _check_grouping(by)
    return ChartSettings("team" if by == "team" else "agent", by if by in PERIODS else "day")


def trend(
    store: Store,
    filters: Filters = EVERY_CALL,
    *,
    lines: str = "agent",
    period: str = "day",
    top: int = DEFAULT_TOP,
    rollups: bool | None = None,
) -> Trend:
    """The `top` agents (or teams) by number of calls get a line each; the rest are 'others'."""
    if lines not in ("agent", "team"):
        raise ReportError(f"a trend has one line per agent or team, not per {lines!r}")
    if period not in PERIODS:
        raise ReportError(f"period {period!r} - choose one of {', '.join(PERIODS)}")
    points = sql.trend_points(store, filters, lines=lines, period=period, rollups=rollups)
    counts: dict[str, int] = defaultdict(int)
    for p in points:
        counts[p.name] += p.calls
    leaders = sorted(counts, key=lambda k: (-counts[k], k))[: max(top, 0)]
    periods = tuple(sorted({p.period for p in points}))
    score_sums: dict[tuple[str, str], float] = defaultdict(float)
    call_counts: dict[tuple[str, str], int] = defaultdict(int)
    for p in points:
        key = (p.name if p.name in leaders else OTHERS, p.period)
        score_sums[key] += p.score_sum
        call_counts[key] += p.calls
    names = leaders + ([OTHERS] if len(counts) > len(leaders) else [])
    series = {
        n: tuple(
            score_sums[(n, q)] / call_counts[(n, q)] if call_counts.get((n, q)) else None
            for q in periods
        )
        for n in names
    }
    return Trend(lines, period, periods, series)


def report_trend(
    store: Store,
    filters: Filters = EVERY_CALL,
    by: str = DEFAULT_GROUPING,
    *,
    top: int = DEFAULT_TOP,
) -> Trend:
    """The trend chart's data for a report grouped `by` (see `chart_settings`)."""
    chart = chart_settings(by)
    return trend(store, filters, lines=chart.lines, period=chart.period, top=top)


def render_chart(
    t: Trend,
    out: str | io.BytesIO,
    *,
    title: str | None = None,
    pass_mark: float | None = None,
    lang: str = "zh_CN",
) -> None:
    """Draw the trend as a PNG: 0-100 axis, pass mark line (`callqa.review.charts`)."""
    from callqa.review.charts import draw_trend

    draw_trend(t, out, title=title, pass_mark=pass_mark, lang=lang)
