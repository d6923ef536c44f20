"""`callqa serve` (the web app) and `callqa users add|list|remove|passwd` (who may log in)."""

from __future__ import annotations

import logging
import sys

import click

from callqa.cli import main
from callqa.cli.options import db_option
from callqa.cli.output import Column, emit, format_option
from callqa.store.db import Store
from callqa.store.desk import agent_ids
from callqa.web.users import ROLES, add_user, list_users, remove_user, set_password

log = logging.getLogger(__name__)


@main.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    envvar="CALLQA_HOST",
    show_envvar=True,
    help="Address to listen on.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    envvar="CALLQA_PORT",
    show_envvar=True,
    help="Port to listen on.",
)
@db_option
def serve_command(host: str, port: int, db: str) -> None:
    """Serve the web app: agents' own calls, supervisors' reports and reviews, trainers' clips.

    Example: callqa serve --port 8000 --db calls.db
    """
    from werkzeug.serving import run_simple

    from callqa.web import create_app

    app = create_app(db)
    if not list_users(Store.open(db)):
        click.echo("no users yet - add one: callqa users add NAME --role supervisor", err=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: serving plain HTTP on {host}; put it behind HTTPS", err=True)
    click.echo(f"callqa web on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    run_simple(host, port, app, threaded=True)


@main.group("users")
def users_group() -> None:
    """Web users: supervisors, trainers and agents (each agent bound to an agent id).

    Example: callqa users add li --role supervisor --db calls.db
    """


@users_group.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--agent-id", help="The agent id whose calls an agent user sees (e.g. A1001).")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
@db_option
def users_add(name: str, role: str, agent_id: str | None, password_stdin: bool, db: str) -> None:
    """Add a user; the password is asked for (or read from stdin) and stored hashed.

    Example: echo 's3cret-pass' | callqa users add li --role agent --agent-id A1001 --password-stdin
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    store = Store.open(db)
    user = add_user(store, name, role=role, password=password, agent_id=agent_id)
    click.echo(f"added {user.name} ({user.role}{', ' + user.agent_id if user.agent_id else ''})")
    known = agent_ids(store.db)
    if user.agent_id and user.agent_id not in known:
        seen = ", ".join(known[:10]) + (" …" if len(known) > 10 else "") if known else "none yet"
        click.echo(
            f"warning: no stored call has agent id {user.agent_id} - check it "
            f"(agent ids in {db}: {seen})",
            err=True,
        )


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("New password", hide_input=True, confirmation_prompt=True))


@users_group.command("remove")
@click.argument("name")
@db_option
def users_remove(name: str, db: str) -> None:
    """Remove a web user (their sessions end); reviews they wrote stay in the audit trail.

    Example: callqa users remove li --db calls.db
    """
    remove_user(Store.open(db), name)
    click.echo(f"removed {name}")


@users_group.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from stdin.")
@db_option
def users_passwd(name: str, password_stdin: bool, db: str) -> None:
    """Set a new password for a web user; their open sessions end.

    Example: echo 'new-pass-123' | callqa users passwd li --password-stdin
    """
    set_password(Store.open(db), name, _password(password_stdin))
    click.echo(f"password of {name} changed")


USER_COLUMNS = (Column("name", max_width=24), Column("role"), Column("agent_id", "agent id"))


@users_group.command("list")
@format_option
@db_option
def users_list(format: str, db: str) -> None:
    """List the web users with their role and agent id.

    Example: callqa users list --format csv --db calls.db
    """
    rows = [
        {"name": u.name, "role": u.role, "agent_id": u.agent_id} for u in list_users(Store.open(db))
    ]
    emit(rows, USER_COLUMNS, format, empty="no users yet - add one: callqa users add NAME")
