"""`callqa show CALL_ID`: the transcript by speaker and each rule's verdict with evidence."""

from __future__ import annotations

import json

import click

from callqa.cli import main
from callqa.cli.options import existing_db_option
from callqa.scoring.engine import clock, explain
from callqa.store.db import Store


@main.command("show")
@click.argument("call_id")
@existing_db_option
def show_command(call_id: str, db: str) -> None:
    """Show a scored call: transcript with speakers and times, verdicts with evidence.

    CALL_ID may be a unique prefix of at least 6 characters.

    Example: callqa show 3f2a9c --db calls.db
    """
    store = Store.open(db)
    full = store.find_call(call_id)
    call = store.call(full)
    click.echo(f"call {full}\nfile {call['file']}")
    if call["status"] == "failed":
        click.echo(f"FAILED: {call['error']}")
        return
    scoring = store.latest_scoring(full)
    if scoring is None:
        click.echo("not scored yet - run: callqa score " + call["file"])
        return
    who = ", ".join(f"{k} {call[k]}" for k in ("agent_id", "team", "call_time") if call[k])
    click.echo(f"duration {call['duration']:.1f} s; {who or 'agent unknown'}")
    swapped = " (channels swapped)" if call["roles_swapped"] else ""
    reason = f"; {call['role_reason']}" if call["role_reason"] else ""
    click.echo(
        f"roles: agent = {call['agent_channel'] or 'diarized speaker'}, confidence "
        f"{call['role_confidence'] or 0:.2f}{swapped}{reason}"
    )
    transcript = store.load_transcript(scoring["id"])
    click.echo("\nTranscript")
    for u in transcript.utterances:
        click.echo(f"  [{clock(u.start)}–{clock(u.end)}] {u.role:<8} {u.text}")
    score = store.load_score(scoring["id"])
    click.echo(
        f"\nScore {score.score:.1f}/{score.max_score:.0f}  verdict {score.verdict.upper()}"
        f"  (scorecard {score.scorecard_id} {score.scorecard_version}, model {scoring['model']})"
    )
    if scoring.get("options"):
        opts = json.loads(scoring["options"])
        click.echo("  options: " + ", ".join(f"{k}={v}" for k, v in sorted(opts.items())))
    for line in explain(score):
        click.echo("  " + line)
    reviews = store.reviews(full)
    if reviews:
        click.echo("\nReviews")
        for r in reviews:
            click.echo(
                f"  {r['at']} {r['who']} {r['kind']} {r['rule_id'] or ''} "
                f"{r['old_status'] or ''}→{r['new_status'] or ''} {r['reason'] or ''}"
            )
