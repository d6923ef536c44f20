"""`callqa report`: scores, pass rates and rule fail rates by agent, team, rule or time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import click

from callqa.cli import main
from callqa.cli.options import call_filter_options, existing_db_option
from callqa.cli.output import Column, cli_lang, emit, format_option
from callqa.review.charts import draw_rule_fail_rates, pass_mark_for
from callqa.review.report import (
    DEFAULT_GROUPING,
    GROUPINGS,
    Filters,
    records,
    render_chart,
    report_rows,
    report_trend,
)
from callqa.review.sampling import plan
from callqa.store.db import Store


@main.command("report")
@click.option(
    "--by",
    type=click.Choice(GROUPINGS),
    help=f"One row per agent, team, rule, day, ISO week or month [default: {DEFAULT_GROUPING}].",
)
@call_filter_options
@click.option(
    "--agreement", is_flag=True, help="Machine-vs-human agreement per rule (the same as --by rule)."
)
@click.option(
    "--sample",
    "plan_id",
    type=int,
    help="Only the calls of this sampling plan (callqa sample --list), e.g. with --agreement.",
)
@format_option
@click.option(
    "--wide", is_flag=True, help="Table: one fail-rate column per rule (default: the worst two)."
)
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, writable=True),
    help="Also draw a PNG: the score trend (0-100, pass mark drawn), one line per agent "
    "(per team with --by team) over days (or the --by week/month); with --by rule, each "
    "item's fail rate.",
)
@click.option(
    "--top",
    default=5,
    show_default=True,
    type=click.IntRange(1, 20),
    help="Lines on the chart; the rest are grouped as 'others'.",
)
@existing_db_option
def report_command(
    by: str | None,
    since: str | None,
    until: str | None,
    agent: str | None,
    team: str | None,
    agreement: bool,
    plan_id: int | None,
    format: str,
    wide: bool,
    chart: str | None,
    top: int,
    db: str,
) -> None:
    """Report the effective scores (after reviews) of each call's latest scoring.

    Example: callqa report --by week --team care --since 2026-11-01 --chart trend.png
    """
    if agreement and by not in (None, "rule"):
        raise click.UsageError("--agreement is a per-rule report: drop --by or use --by rule")
    by = "rule" if agreement else by or DEFAULT_GROUPING
    store = Store.open(db)
    filters = Filters.parse(since=since, until=until, agent=agent, team=team)
    if plan_id is not None:
        filters = replace(filters, plan=plan(store, plan_id).id)
    rows = report_rows(store, filters, by)
    recs = [{"by": by, **rec} for rec in records(rows)]
    keys = list(recs[0]) if recs else None
    columns = report_columns(recs, by=by, wide=wide)
    emit(recs, columns, format, keys=keys, empty="no scored calls match")
    if chart:
        if by == "rule":
            draw_rule_fail_rates(rows, chart, lang=cli_lang())  # type: ignore[arg-type]
        else:
            render_chart(
                report_trend(store, filters, by, top=top),
                chart,
                pass_mark=pass_mark_for(store),
                lang=cli_lang(),
            )
        click.echo(f"chart written to {chart}", err=True)


def _pct(value: object) -> str:
    return "-" if not isinstance(value, (int, float)) else f"{100 * value:.0f}%"


def _num(fmt: str) -> Callable[[object], str]:
    return lambda v: "-" if not isinstance(v, (int, float)) else fmt.format(v)


def _worst(rec: dict[str, object]) -> str:
    rates = [
        (float(v), k.removeprefix("fail_"))
        for k, v in rec.items()
        if k.startswith("fail_") and isinstance(v, (int, float)) and v > 0
    ]
    return ", ".join(f"{rule} {_pct(rate)}" for rate, rule in sorted(rates, reverse=True)[:2])


def report_columns(recs: list[dict[str, object]], *, by: str, wide: bool) -> list[Column]:
    """The table's columns: narrow by default (the two worst rules), every rule with --wide."""
    if by == "rule":
        return [
            Column("rule"),
            Column("calls", align="right"),
            Column("fails", align="right"),
            Column("fail_rate", "fail", align="right", show=_pct),
            Column("reviewed", align="right"),
            Column("false_alarms", "false+", align="right"),
            Column("misses", align="right"),
            Column("agreement", "agree", align="right", show=_pct),
        ]
    columns = [
        Column("group", by, max_width=20),
        Column("calls", align="right"),
        Column("audio_hours", "hours", align="right", show=lambda v: f"{v:.2f}"),
        Column("avg_score", "avg", align="right"),
        Column("pass_rate", "pass", align="right", show=_pct),
        # from the speech timeline: agent's share of the talk, silence, agent's interruptions
        Column("talk_ratio", "talk", align="right", show=_pct),
        Column("silence_share", "silence", align="right", show=_pct),
        Column("interruptions_per_call", "cuts", align="right"),
        Column("agent_cpm", "cpm", align="right", show=_num("{:.0f}")),
        Column("agent_level_dbfs", "dBFS", align="right"),
    ]
    if wide:
        keys = [k for k in (recs[0] if recs else {}) if k.startswith("fail_")]
        columns += [Column(k, k.removeprefix("fail_"), align="right", show=_pct) for k in keys]
    else:
        for rec in recs:
            rec["worst"] = _worst(rec)
        columns.append(Column("worst", "most failed", max_width=40))
    return columns
