"""`callqa show CALL_ID`: the transcript by speaker and each rule's effective verdict."""

from __future__ import annotations

import json

import click

from callqa.cli import main
from callqa.cli.options import db_option
from callqa.errors import ReviewError
from callqa.review.reviews import effective_call_score, load_call_review
from callqa.scoring.engine import clock, explain
from callqa.store.db import Store


@main.command("show")
@click.argument("call_id")
@db_option
def show_command(call_id: str, db: str) -> None:
    """Show a scored call: transcript with speakers and times, verdicts with evidence.

    CALL_ID may be a unique prefix of at least 6 characters.

    Example: callqa show 3f2a9c --db calls.db
    """
    store = Store.open(db)
    full = store.find_call(call_id)
    call = store.call(full)
    click.echo(f"call {full}\nfile {call.file}")
    if call.status == "failed":
        click.echo(f"FAILED: {call.error}")
        return
    try:
        cr = load_call_review(store, full)
    except ReviewError:
        click.echo("not scored yet - run: callqa score " + call.file)
        return
    who = ", ".join(
        f"{k} {v}"
        for k, v in (
            ("agent_id", call.agent_id),
            ("team", call.team),
            ("call_time", call.call_time),
        )
        if v
    )
    click.echo(f"duration {call.duration or 0:.1f} s; {who or 'agent unknown'}")
    swapped = " (channels swapped)" if call.roles_swapped else ""
    reason = f"; {call.role_reason}" if call.role_reason else ""
    click.echo(
        f"roles: agent = {call.agent_channel or 'diarized speaker'}, confidence "
        f"{call.role_confidence or 0:.2f}{swapped}{reason}"
    )
    transcript = store.load_transcript(cr.scoring_id)
    click.echo("\nTranscript")
    for u in transcript.utterances:
        click.echo(f"  [{clock(u.start)}–{clock(u.end)}] {u.role:<8} {u.text}")
    score = effective_call_score(cr)
    click.echo(
        f"\nScore {score.score:.1f}/{score.max_score:.0f}  verdict {score.verdict.upper()}"
        f"  (scorecard {score.scorecard_id} {score.scorecard_version}, model {cr.score.model})"
    )
    if cr.effective.changed:
        click.echo(
            f"  changed by review: the machine said {cr.effective.machine_score:.1f},"
            f" {cr.effective.machine_verdict}"
        )
    if cr.score.options:
        opts = json.loads(cr.score.options)
        click.echo("  options: " + ", ".join(f"{k}={v}" for k, v in sorted(opts.items())))
    for line in explain(score):
        click.echo("  " + line)
    if cr.reviews:
        click.echo("\nReviews")
        for r in cr.reviews:
            click.echo(
                f"  {r.at} {r.who} {r.kind} {r.rule_id or ''} "
                f"{r.old_status or ''}→{r.new_status or ''} {r.reason or ''}"
            )
