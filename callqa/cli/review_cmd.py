"""`callqa review`, `callqa appeals`: confirm or reject rule verdicts, decide appeals."""

from __future__ import annotations

from typing import cast

import click

from callqa.cli import main
from callqa.cli.options import db_option
from callqa.review.reviews import Action, decide_appeal, open_appeals, review_item
from callqa.store.db import Store


@main.command("review")
@click.argument("call_id")
@click.argument("rule_id")
@click.option("--confirm", "action", flag_value="confirm", help="The machine's verdict is right.")
@click.option("--reject", "action", flag_value="reject", help="The machine's verdict is wrong.")
@click.option(
    "--set",
    "status",
    type=click.Choice(["pass", "fail"]),
    help="Set the status outright (for items the machine left as review or na).",
)
@click.option("--reason", required=True, help="Why (kept in the audit trail).")
@click.option(
    "--who", required=True, envvar="CALLQA_WHO", show_envvar=True, help="Reviewer's name."
)
@db_option
def review_command(
    call_id: str,
    rule_id: str,
    action: str | None,
    status: str | None,
    reason: str,
    who: str,
    db: str,
) -> None:
    """Confirm or reject the machine's verdict on one item of a call; prints the new score.

    Example: callqa review 3f2a9c forbidden_phrases --reject --reason "customer said it" --who li
    """
    if (action is None) == (status is None):
        raise click.UsageError("give one of --confirm, --reject or --set pass|fail")
    store = Store.open(db)
    full = store.find_call(call_id)
    before, after = review_item(
        store,
        full,
        rule_id,
        who=who,
        reason=reason,
        action=cast("Action | None", action),
        status=status,
    )
    click.echo(
        f"{full[:12]} {rule_id}: {after.rule(rule_id).status}; "  # type: ignore[union-attr]
        f"score {before.score:.1f} → {after.score:.1f}, verdict {after.verdict}"
    )


@main.command("appeals")
@click.option("--decide", "appeal_id", type=int, help="Decide this appeal (with --accept/--deny).")
@click.option("--accept/--deny", default=None, help="Accept or deny the appeal.")
@click.option("--reason", help="Why (required when deciding).")
@click.option("--who", envvar="CALLQA_WHO", show_envvar=True, help="Supervisor's name.")
@db_option
def appeals_command(
    appeal_id: int | None, accept: bool | None, reason: str | None, who: str | None, db: str
) -> None:
    """List open appeals, or decide one.

    Example: callqa appeals --decide 12 --accept --reason "greeting was there" --who li
    """
    store = Store.open(db)
    if appeal_id is None:
        for appeal, call in open_appeals(store):
            click.echo(
                f"{appeal.id:>5} {appeal.at} {call.agent_id or '-':<8} "
                f"{appeal.call_id[:12]} {appeal.rule_id}: {appeal.reason}"
            )
        return
    if accept is None or not reason or not who:
        raise click.UsageError("deciding needs --accept or --deny, --reason and --who")
    decision = decide_appeal(store, appeal_id, accept=accept, who=who, reason=reason)
    click.echo(
        f"appeal {appeal_id} {'accepted' if accept else 'denied'}: {decision.rule_id} "
        f"is {decision.new_status}"
    )
