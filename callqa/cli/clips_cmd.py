"""`callqa clips`: a pack of audio clips of a rule's hits, with a manifest, for training."""

from __future__ import annotations

import click

from callqa.cli import main
from callqa.cli.options import call_filter_options, existing_db_option
from callqa.review.clips import DEFAULT_PAD_S, check_rule, export_clips, find_hits
from callqa.review.report import Filters
from callqa.store.db import Store


@main.command("clips")
@click.option("--rule", required=True, help="Rule id, e.g. forbidden_phrases.")
@click.option(
    "--status",
    type=click.Choice(["fail", "pass"]),
    default="fail",
    show_default=True,
    help="fail: bad examples; pass: good examples (items with evidence).",
)
@call_filter_options
@click.option("--limit", type=click.IntRange(1), help="At most this many clips.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option(
    "--pad",
    default=DEFAULT_PAD_S,
    show_default=True,
    type=click.FloatRange(0, 60),
    help="Seconds of audio kept before and after each evidence span.",
)
@click.option(
    "--no-mask",
    is_flag=True,
    help="Keep phone/ID/card digits (masked by default: text starred, audio toned).",
)
@existing_db_option
def clips_command(
    rule: str,
    status: str,
    since: str | None,
    until: str | None,
    agent: str | None,
    team: str | None,
    limit: int | None,
    out: str,
    pad: float,
    no_mask: bool,
    db: str,
) -> None:
    """Write one wav per evidence span of a rule, plus manifest.csv and manifest.json.

    Example: callqa clips --rule forbidden_phrases --since 2026-11-01 --out clips/ --limit 50
    """
    store = Store.open(db)
    filters = Filters.parse(since=since, until=until, agent=agent, team=team)
    check_rule(store, rule)
    hits = find_hits(store, rule, status=status, filters=filters, limit=limit)
    pack = export_clips(store, hits, out, pad=pad, mask=not no_mask)
    for call_id, why in pack.skipped:
        click.echo(f"skipped call {call_id[:12]}: {why}", err=True)
    click.echo(
        f"{len(pack.clips)} clips of {rule} ({status}) in {pack.out_dir}/ "
        "with manifest.csv and manifest.json"
    )
