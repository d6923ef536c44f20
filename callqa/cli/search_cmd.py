"""`callqa search TEXT`: find the calls where a phrase was said (关键词检索)."""

from __future__ import annotations

import click

from callqa.cli import main
from callqa.cli.options import call_filter_options, existing_db_option
from callqa.cli.output import Column, emit, format_option
from callqa.review.report import Filters
from callqa.store.db import Store
from callqa.store.search import ROLES, SearchQuery, search_utterances, snippet


def _clock(seconds: float) -> str:
    minutes, secs = divmod(max(0.0, float(seconds)), 60)
    return f"{int(minutes):02d}:{secs:04.1f}"


SEARCH_COLUMNS = (
    Column("call_id", "call", show=lambda v: str(v)[:12]),
    Column("call_time", "time", show=lambda v: (v or "-").replace("T", " ")[:16]),
    Column("agent_id", "agent", max_width=12),
    Column("start", "at", align="right", show=_clock),
    Column("role", "speaker"),
    Column("snippet", max_width=40),
)


@main.command("search")
@click.argument("text")
@click.option("--role", type=click.Choice(ROLES), help="Only what the agent (or customer) said.")
@call_filter_options
@click.option(
    "--limit",
    default=200,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="At most this many lines.",
)
@format_option
@existing_db_option
def search_command(
    text: str,
    role: str | None,
    since: str | None,
    until: str | None,
    agent: str | None,
    team: str | None,
    limit: int,
    format: str,
    db: str,
) -> None:
    """Find every call where TEXT was said: call, time in the call, speaker and snippet.

    Words separated by spaces must all be in the same line.  Searches each call's latest
    scoring; three or more characters use the trigram index, shorter words a scan.

    Example: callqa search 不归我管 --role agent --since 2026-11-01
    """
    filters = Filters.parse(since=since, until=until, agent=agent, team=team)
    query = SearchQuery(
        text,
        role=role,
        agent=filters.agent,
        team=filters.team,
        since=filters.since,
        until=filters.until,
        limit=limit,
    )
    hits = search_utterances(Store.open(db).db, query)
    mark = "【】" if format == "table" else "[]"
    rows = [{**vars(h), "snippet": snippet(h.text, query.terms(), mark=mark)} for h in hits]
    emit(rows, SEARCH_COLUMNS, format, empty=f"no call says {text!r}")
