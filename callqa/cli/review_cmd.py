"""`callqa review`, `callqa appeals`: confirm or reject rule verdicts, decide appeals."""

from __future__ import annotations

from typing import cast

import click

from callqa.cli import main
from callqa.cli.options import existing_db_option
from callqa.cli.output import Column, emit, format_option, local_time
from callqa.review.queue import review_queue
from callqa.review.reviews import Action, decide_appeal, open_appeals, review_item
from callqa.store.db import Store
from callqa.store.desk import QueueFilters

QUEUE_COLUMNS = (
    Column("since", "since", show=local_time),
    Column("kind"),
    Column("call_id", "call", show=lambda v: str(v)[:12]),
    Column("agent_id", "agent", max_width=12),
    Column("rule_id", "item"),
    Column("at", align="right", show=lambda v: f"{int(v // 60):02d}:{v % 60:04.1f}"),
    Column("evidence", max_width=24),
    Column("appeal_reason", "appeal", max_width=24),
)


@main.command("review")
@click.argument("call_id", required=False)
@click.argument("rule_id", required=False)
@click.option("--confirm", is_flag=True, help="The machine's verdict is right.")
@click.option("--reject", is_flag=True, help="The machine's verdict is wrong.")
@click.option(
    "--set",
    "status",
    type=click.Choice(["pass", "fail"]),
    help="Set the status outright (for items the machine left as review or na).",
)
@click.option("--reason", help="Why (kept in the audit trail).")
@click.option("--who", envvar="CALLQA_WHO", show_envvar=True, help="Reviewer's name.")
@click.option(
    "--queue",
    is_flag=True,
    help="List what awaits review instead: uncertain items and open appeals, oldest first.",
)
@click.option("--rule", help="With --queue: only this item.")
@click.option("--agent", help="With --queue: only this agent's calls.")
@click.option("--team", help="With --queue: only this team's calls.")
@format_option
@existing_db_option
def review_command(
    call_id: str | None,
    rule_id: str | None,
    confirm: bool,
    reject: bool,
    status: str | None,
    reason: str | None,
    who: str | None,
    queue: bool,
    rule: str | None,
    agent: str | None,
    team: str | None,
    format: str,
    db: str,
) -> None:
    """Confirm or reject the machine's verdict on one item of a call; prints the new score.

    With --queue, list the review queue: every item the machine left as `review` and
    every open appeal, oldest first.

    Example: callqa review 3f2a9c forbidden_phrases --reject --reason "customer said it" --who li
    """
    if queue:
        items = review_queue(Store.open(db), QueueFilters(rule=rule, agent=agent, team=team))
        emit([i.record() for i in items], QUEUE_COLUMNS, format, empty="the review queue is empty")
        return
    if not call_id or not rule_id:
        raise click.UsageError("give CALL_ID and RULE_ID (or --queue)")
    given = [flag for flag, on in [("--confirm", confirm), ("--reject", reject)] if on]
    given += ["--set"] if status is not None else []
    if len(given) != 1:
        raise click.UsageError(
            f"{' and '.join(given)} exclude each other - give only one of "
            "--confirm, --reject or --set pass|fail"
            if given
            else "give one of --confirm, --reject or --set pass|fail"
        )
    if not reason or not who:
        raise click.UsageError("a review needs --reason and --who (or CALLQA_WHO)")
    action = "confirm" if confirm else "reject" if reject else None
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


APPEAL_COLUMNS = (
    Column("id", align="right"),
    Column("at", "filed", show=local_time),
    Column("agent_id", "agent"),
    Column("call_id", "call", show=lambda v: str(v)[:12]),
    Column("rule_id", "item"),
    Column("who"),
    Column("reason", max_width=40),
)


@main.command("appeals")
@click.option("--decide", "appeal_id", type=int, help="Decide this appeal (with --accept/--deny).")
@click.option("--accept", is_flag=True, help="Accept the appeal (the agent was right).")
@click.option("--deny", is_flag=True, help="Deny the appeal (the verdict stands).")
@click.option("--reason", help="Why (required when deciding).")
@click.option("--who", envvar="CALLQA_WHO", show_envvar=True, help="Supervisor's name.")
@format_option
@existing_db_option
def appeals_command(
    appeal_id: int | None,
    accept: bool,
    deny: bool,
    reason: str | None,
    who: str | None,
    format: str,
    db: str,
) -> None:
    """List open appeals (oldest first), or decide one.

    Example: callqa appeals --decide 12 --accept --reason "greeting was there" --who li
    """
    if accept and deny:
        raise click.UsageError("--accept and --deny exclude each other - give only one")
    if appeal_id is None and (accept or deny or reason):
        raise click.UsageError("--accept, --deny and --reason go with --decide APPEAL_ID")
    store = Store.open(db)
    if appeal_id is None:
        rows = [
            {**vars(appeal), "agent_id": call.agent_id, "team": call.team}
            for appeal, call in open_appeals(store)
        ]
        emit(rows, APPEAL_COLUMNS, format, empty="no open appeals")
        return
    if not (accept or deny) or not reason or not who:
        raise click.UsageError("deciding needs --accept or --deny, --reason and --who")
    decision = decide_appeal(store, appeal_id, accept=accept, who=who, reason=reason)
    click.echo(
        f"appeal {appeal_id} {'accepted' if accept else 'denied'}: {decision.rule_id} "
        f"is {decision.new_status}"
    )
