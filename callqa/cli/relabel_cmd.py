"""`callqa relabel CALL_ID --swap`: fix swapped agent/customer roles by hand."""

from __future__ import annotations

import click

from callqa import settings
from callqa.cli import main
from callqa.cli.options import existing_db_option, setting_option
from callqa.review.relabel import relabel
from callqa.scoring.scorecard import load_scorecard
from callqa.store.db import Store


@main.command("relabel")
@click.argument("call_id")
@click.option("--swap", is_flag=True, required=True, help="Swap agent and customer.")
@click.option("--who", required=True, help="Who makes the change (kept in the audit trail).")
@click.option("--reason", default=None, help="Why (kept in the audit trail).")
@setting_option("--scorecard", settings.SCORECARD)
@existing_db_option
def relabel_command(
    call_id: str, swap: bool, who: str, reason: str | None, scorecard: str, db: str
) -> None:
    """Swap agent and customer on a call, record who did it, and score it again.

    Example: callqa relabel 3f2a9c --swap --who li --reason "customer spoke first"
    """
    store = Store.open(db)
    full = store.find_call(call_id)
    result = relabel(store, full, scorecard=load_scorecard(scorecard), who=who, reason=reason)
    click.echo(
        f"{full[:12]}: roles swapped by {who}; score {result.score.score:.1f}, "
        f"verdict {result.score.verdict}"
    )
