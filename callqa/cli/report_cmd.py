"""`callqa report`: scores, pass rates and rule fail rates by agent, team, rule or time."""

from __future__ import annotations

import click

from callqa.cli import main
from callqa.cli.options import call_filter_options, existing_db_option
from callqa.review.report import (
    FORMATS,
    GROUPINGS,
    PERIODS,
    Filters,
    load_facts,
    render,
    render_chart,
    rule_summary,
    summarize,
    trend,
)
from callqa.store.db import Store


@main.command("report")
@click.option(
    "--by",
    type=click.Choice(GROUPINGS),
    default="agent",
    show_default=True,
    help="One row per agent, team, rule, day, ISO week or month.",
)
@call_filter_options
@click.option(
    "--agreement", is_flag=True, help="Machine-vs-human agreement per rule (the same as --by rule)."
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, writable=True),
    help="Also draw the score trend as a PNG: one line per agent (per team with "
    "--by team), over days (or the --by week/month).",
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
    by: str,
    since: str | None,
    until: str | None,
    agent: str | None,
    team: str | None,
    agreement: bool,
    fmt: str,
    chart: str | None,
    top: int,
    db: str,
) -> None:
    """Report the effective scores (after reviews) of each call's latest scoring.

    Example: callqa report --by week --team care --since 2026-11-01 --chart trend.png
    """
    if agreement and by not in ("agent", "rule"):
        raise click.UsageError("--agreement is a per-rule report: drop --by or use --by rule")
    by = "rule" if agreement else by
    facts = load_facts(
        Store.open(db), Filters.parse(since=since, until=until, agent=agent, team=team)
    )
    rows = rule_summary(facts) if by == "rule" else summarize(facts, by)
    click.echo(render(rows, fmt, by=by))
    if chart:
        period = by if by in PERIODS else "day"
        render_chart(
            trend(facts, lines="team" if by == "team" else "agent", period=period, top=top), chart
        )
        click.echo(f"chart written to {chart}", err=True)
