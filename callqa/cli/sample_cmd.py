"""`callqa sample`: draw a sampling plan (抽检) and assign its calls to reviewers."""

from __future__ import annotations

import click

from callqa.cli import main
from callqa.cli.options import auth_db_option, call_filter_options, existing_db_option
from callqa.cli.output import Column, emit, format_option, local_time
from callqa.review.sampling import WEIGHTS, assignments, draw_plan, plans
from callqa.store.db import Store
from callqa.web.users import existing_auth, get_user

SAMPLE_COLUMNS = (
    Column("plan_id", "plan", align="right"),
    Column("call_id", "call", show=lambda v: str(v)[:12]),
    Column("agent_id", "agent", max_width=12),
    Column("call_time", "time", show=lambda v: (v or "-").replace("T", " ")[:16]),
    Column("reviewer", max_width=16),
    Column("done_at", "done", show=local_time),
)
PLAN_COLUMNS = (
    Column("id", "plan", align="right"),
    Column("drawn_at", "drawn", show=local_time),
    Column("drawn_by", "by", max_width=12),
    Column("seed", align="right"),
    Column("per_agent", "per agent", align="right"),
    Column("weight"),
    Column("since", show=lambda v: v or "-"),
    Column("until", show=lambda v: v or "-"),
    Column("progress", align="right"),
    Column("reviewers", max_width=30, show=lambda v: ", ".join(v)),
)


@main.command("sample")
@click.option("--per-agent", type=click.IntRange(1, 1000), help="Calls to draw per agent.")
@call_filter_options
@click.option(
    "--weight",
    type=click.Choice(WEIGHTS),
    default="random",
    show_default=True,
    help="random: every call alike; low-score: calls that lost more points are likelier.",
)
@click.option("--seed", type=int, help="Random seed (the same seed draws the same calls).")
@click.option(
    "--assign",
    "reviewers",
    multiple=True,
    help="Reviewer (a web user name); repeat or separate with commas. Round-robin.",
)
@click.option("--who", envvar="CALLQA_WHO", show_envvar=True, help="Who draws the plan.")
@click.option("--list", "list_plans", is_flag=True, help="List the stored plans instead.")
@click.option("--plan", "plan_id", type=int, help="List one plan's calls and who has done them.")
@format_option
@existing_db_option
@auth_db_option
def sample_command(
    per_agent: int | None,
    since: str | None,
    until: str | None,
    agent: str | None,
    team: str | None,
    weight: str,
    seed: int | None,
    reviewers: tuple[str, ...],
    who: str | None,
    list_plans: bool,
    plan_id: int | None,
    format: str,
    db: str,
    auth_db: str,
) -> None:
    """Draw N calls per agent from a period and assign them round-robin to reviewers.

    The plan is stored (who drew it, when, the seed and every call): reviewers find their
    calls on the web page "我的抽检" (/samples).

    Example: callqa sample --per-agent 3 --since 2026-11-23 --assign li,wang --who li
    """
    store = Store.open(db)
    if list_plans:
        rows = []
        for p in plans(store):
            items = assignments(store, plan_id=p.id)
            done = sum(a.done for a in items)
            rows.append({**vars(p), "progress": f"{done}/{len(items)}"})
        emit(rows, PLAN_COLUMNS, format, empty="no sample plans yet - draw one: callqa sample ...")
        return
    if plan_id is not None:
        rows = [vars(a) for a in assignments(store, plan_id=plan_id)]
        emit(rows, SAMPLE_COLUMNS, format, empty=f"plan {plan_id} has no calls")
        return
    names = [n.strip() for r in reviewers for n in r.split(",") if n.strip()]
    if per_agent is None or not names:
        raise click.UsageError("drawing a plan needs --per-agent N and --assign REVIEWER")
    if not who:
        raise click.UsageError("say who draws the plan: --who NAME (or CALLQA_WHO)")
    plan = draw_plan(
        store,
        per_agent=per_agent,
        reviewers=names,
        drawn_by=who,
        since=since,
        until=until,
        agent=agent,
        team=team,
        weight=weight,
        seed=seed,
    )
    auth = existing_auth(db, auth_db or None)
    users = {name: get_user(auth, name) if auth else None for name in names}
    if auth is not None:
        auth.close()
    for name, found in users.items():
        if found is None or found.role != "supervisor":
            click.echo(
                f"warning: reviewer {name} is not a supervisor web user - they cannot open "
                f"the calls; add one: callqa users add {name} --role supervisor",
                err=True,
            )
    for name, had in plan.short:
        click.echo(f"warning: agent {name} has only {had} call(s) in the period", err=True)
    rows = [{"plan_id": plan.id, **vars(c)} for c in plan.calls]
    emit(rows, SAMPLE_COLUMNS, format)
    click.echo(
        f"plan {plan.id}: {len(plan.calls)} calls, seed {plan.seed}, "
        f"assigned to {', '.join(names)}",
        err=True,
    )
