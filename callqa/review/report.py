"""Trends for supervisors: scores, pass rates and rule fail rates by agent, team, rule or time.

Every number uses each call's latest scoring and its *effective* result after human
reviews (`callqa.review.reviews.effective_score`).  Calls are read once (`load_facts`), then
grouped in Python (`summarize`, `rule_summary`), so the CLI, the web pages and the
chart all count the same way.

    fail rate of a rule = calls where it failed / calls where it was evaluated (not na)
    agreement of a rule = reviewed items whose human status equals the machine's / reviewed
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from callqa.errors import ReportError
from callqa.review.reviews import Review, RuleView, effective_score, pass_mark_of
from callqa.store.db import Store

Grouping = Literal["agent", "team", "rule", "day", "week", "month"]
GROUPINGS: tuple[str, ...] = ("agent", "team", "rule", "day", "week", "month")
PERIODS: tuple[str, ...] = ("day", "week", "month")
FORMATS: tuple[str, ...] = ("table", "csv", "json")
UNKNOWN = "unknown"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?")


@dataclass(frozen=True)
class Filters:
    """Which calls a report covers; dates are ISO strings, `until` is inclusive."""

    since: str | None = None
    until: str | None = None
    agent: str | None = None
    team: str | None = None

    @classmethod
    def parse(
        cls,
        *,
        since: str | None = None,
        until: str | None = None,
        agent: str | None = None,
        team: str | None = None,
    ) -> Filters:
        return cls(_date("since", since), _date("until", until), agent or None, team or None)


def _date(name: str, value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if not (_DATE.fullmatch(value) or _DATETIME.fullmatch(value)):
        raise ReportError(f"--{name} {value!r} is not a date - use YYYY-MM-DD or YYYY-MM-DDTHH:MM")
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ReportError(f"--{name} {value!r} is not a valid date") from None
    return value.replace(" ", "T")


@dataclass(frozen=True)
class CallFacts:
    """One call as the reports see it: who, when, how long, and the effective result."""

    call_id: str
    file: str
    scoring_id: int
    agent_id: str | None
    team: str | None
    call_time: str | None
    duration: float
    score: float
    max_score: float
    verdict: str
    rules: tuple[RuleView, ...] = field(repr=False)


def _chunks(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def load_facts(store: Store, filters: Filters = Filters()) -> list[CallFacts]:
    """Every scored call matching `filters`, with its latest scoring after reviews."""
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
        if _DATE.fullmatch(filters.until):
            where.append("c.call_time < ?")
            params.append((date.fromisoformat(filters.until) + timedelta(days=1)).isoformat())
        else:
            where.append("c.call_time <= ?")
            params.append(filters.until)
    sql = f"""
        SELECT c.call_id, c.file, c.agent_id, COALESCE(c.team, a.team) AS team, c.call_time,
               c.duration, s.id, s.score, s.max_score, s.verdict, s.pass_mark,
               s.scorecard_id, s.scorecard_version
        FROM calls c
        JOIN scorings s ON s.id = (
            SELECT id FROM scorings WHERE call_id = c.call_id ORDER BY id DESC LIMIT 1)
        LEFT JOIN agents a ON a.agent_id = c.agent_id
        WHERE {" AND ".join(where)}
        ORDER BY c.call_time, c.call_id
    """
    calls = store.db.execute(sql, params).fetchall()
    rule_rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    reviews: dict[str, list[Review]] = defaultdict(list)
    for chunk in _chunks([c[6] for c in calls]):
        marks = ",".join("?" for _ in chunk)
        for row in store.db.query(
            f"SELECT * FROM rule_results WHERE scoring_id IN ({marks}) ORDER BY rowid", chunk
        ):
            row["evidence"] = json.loads(row["evidence"])
            rule_rows[row["scoring_id"]].append(row)
    for chunk in _chunks([c[0] for c in calls]):
        marks = ",".join("?" for _ in chunk)
        for row in store.db.query(
            f"SELECT * FROM reviews WHERE call_id IN ({marks}) ORDER BY id", chunk
        ):
            reviews[row["call_id"]].append(Review.from_row(row))
    facts = []
    for call_id, file, agent, team, when, duration, sid, *rest in calls:
        keys = ("score", "max_score", "verdict", "pass_mark", "scorecard_id", "scorecard_version")
        scoring = {"id": sid, **dict(zip(keys, rest, strict=True))}
        eff = effective_score(
            scoring, rule_rows[sid], reviews[call_id], pass_mark=pass_mark_of(scoring)
        )
        facts.append(
            CallFacts(
                call_id,
                file,
                sid,
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


def group_key(f: CallFacts, by: str) -> str:
    if by == "agent":
        return f.agent_id or UNKNOWN
    if by == "team":
        return f.team or UNKNOWN
    if by in PERIODS:
        return period_key(f.call_time, by)
    raise ReportError(f"cannot group calls by {by!r} - choose one of {', '.join(GROUPINGS)}")


@dataclass(frozen=True)
class GroupRow:
    group: str
    calls: int
    audio_hours: float
    avg_score: float
    pass_rate: float
    fail_rates: dict[str, float | None]


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


def rule_ids(facts: Iterable[CallFacts]) -> list[str]:
    """Rule ids in the order they first appear (the scorecard's order)."""
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
    """One row per agent, team, day, week or month (sorted by its key)."""
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
    """One row per rule: fail rate, and machine-vs-human agreement on reviewed items."""
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


def trend(
    facts: Sequence[CallFacts], *, lines: str = "agent", period: str = "day", top: int = 5
) -> Trend:
    """The `top` agents (or teams) by number of calls get a line each; the rest are 'others'."""
    if lines not in ("agent", "team"):
        raise ReportError(f"a trend has one line per agent or team, not per {lines!r}")
    if period not in PERIODS:
        raise ReportError(f"period {period!r} - choose one of {', '.join(PERIODS)}")
    dated = [f for f in facts if period_key(f.call_time, period) != UNKNOWN]
    counts: dict[str, int] = defaultdict(int)
    for f in dated:
        counts[group_key(f, lines)] += 1
    leaders = sorted(counts, key=lambda k: (-counts[k], k))[: max(top, 0)]
    periods = tuple(sorted({period_key(f.call_time, period) for f in dated}))
    sums: dict[tuple[str, str], list[float]] = defaultdict(list)
    for f in dated:
        name = group_key(f, lines)
        sums[(name if name in leaders else OTHERS, period_key(f.call_time, period))].append(f.score)
    names = leaders + ([OTHERS] if len(counts) > len(leaders) else [])
    series = {
        n: tuple((sum(v) / len(v)) if (v := sums.get((n, p))) else None for p in periods)
        for n in names
    }
    return Trend(lines, period, periods, series)


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
