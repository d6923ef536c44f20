"""`callqa report`: scores, pass rates and rule fail rates by agent, team, rule or time."""

from __future__ import annotations

import click

from callqa.cli import main
from callqa.cli.options import call_filter_options, db_option
from callqa.review.report import (
    DEFAULT_GROUPING,
    FORMATS,
    GROUPINGS,
    Filters,
    render,
    render_chart,
    report_rows,
    report_trend,
)
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
@db_option
def report_command(
    by: str | None,
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
    if agreement and by not in (None, "rule"):
        raise click.UsageError("--agreement is a per-rule report: drop --by or use --by rule")
    by = "rule" if agreement else by or DEFAULT_GROUPING
    store = Store.open(db)
    filters = Filters.parse(since=since, until=until, agent=agent, team=team)
    click.echo(render(report_rows(store, filters, by), fmt, by=by))
    if chart:
        render_chart(report_trend(store, filters, by, top=top), chart)
        click.echo(f"chart written to {chart}", err=True)
