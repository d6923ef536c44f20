"""`callqa serve` (the web app) and `callqa users add|list|passwd|remove` (who may log in)."""

from __future__ import annotations

import ipaddress
import logging
import sys
from pathlib import Path

import click

from callqa import settings
from callqa.cli import main
from callqa.cli.options import auth_db_option, db_option, existing_db_option, setting_option
from callqa.cli.output import Column, emit, format_option
from callqa.store.db import Store
from callqa.store.desk import agent_ids
from callqa.web.users import (
    ROLES,
    add_user,
    existing_auth,
    list_users,
    open_auth,
    remove_user,
    set_password,
)

log = logging.getLogger(__name__)
THREADS = 8


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


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
@click.option(
    "--secure-cookies",
    is_flag=True,
    envvar="CALLQA_SECURE_COOKIES",
    show_envvar=True,
    help="Mark the session cookie Secure and send HSTS: the site is reached over HTTPS.",
)
@click.option(
    "--trusted-proxy",
    is_flag=True,
    envvar="CALLQA_TRUSTED_PROXY",
    show_envvar=True,
    help="Trust X-Forwarded-For/-Proto/-Host/-Prefix from one reverse proxy in front.",
)
@setting_option("--session-idle", settings.SESSION_IDLE)
@existing_db_option
@auth_db_option
def serve_command(
    host: str,
    port: int,
    secure_cookies: bool,
    trusted_proxy: bool,
    session_idle: int,
    db: str,
    auth_db: str,
) -> None:
    """Serve the web app (waitress): agents' own calls, supervisors' reports and reviews,
    trainers' clips.  Behind an HTTPS reverse proxy, add --secure-cookies --trusted-proxy.

    Example: callqa serve --port 8000 --db calls.db
    """
    import waitress

    from callqa.web import create_app
    from callqa.web.sessions import SessionPolicy

    app = create_app(
        db,
        auth_db=auth_db or None,
        secure_cookies=secure_cookies,
        trusted_proxy=trusted_proxy,
        sessions=SessionPolicy(idle_s=session_idle * 60.0),
    )
    auth = open_auth(db, auth_db or None)
    try:
        if not list_users(auth):
            click.echo("no users yet - add one: callqa users add NAME --role supervisor", err=True)
    finally:
        auth.close()
    if not _loopback(host) and not (secure_cookies and trusted_proxy):
        click.echo(
            f"warning: serving plain HTTP on {host} without --secure-cookies and "
            "--trusted-proxy: passwords and session cookies cross the network in clear - "
            "put callqa behind an HTTPS reverse proxy (see docs/review.md, Security)",
            err=True,
        )
    click.echo(f"callqa web on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    waitress.serve(app, host=host, port=port, threads=THREADS, ident="callqa")


@main.group("users")
def users_group() -> None:
    """Web users: supervisors, trainers and agents (each agent bound to an agent id).

    Users live in the auth store beside the database (NAME.auth.db, or --auth-db).

    Example: callqa users add li --role supervisor --db calls.db
    """


def _password(password_stdin: bool, prompt: str) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt=True))


@users_group.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--agent-id", help="The agent id whose calls an agent user sees (e.g. A1001).")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
@db_option
@auth_db_option
def users_add(
    name: str, role: str, agent_id: str | None, password_stdin: bool, db: str, auth_db: str
) -> None:
    """Add a user; the password is asked for (or read from stdin) and stored hashed.

    Example: echo 's3cret-pass' | callqa users add li --role agent --agent-id A1001 --password-stdin
    """
    password = _password(password_stdin, "Password")
    auth = open_auth(db, auth_db or None)
    try:
        user = add_user(auth, name, role=role, password=password, agent_id=agent_id)
    finally:
        auth.close()
    click.echo(f"added {user.name} ({user.role}{', ' + user.agent_id if user.agent_id else ''})")
    if not user.agent_id:
        return
    known = agent_ids(Store.open(db).db) if Path(db).is_file() else []
    if user.agent_id not in known:
        seen = ", ".join(known[:10]) + (" …" if len(known) > 10 else "") if known else "none yet"
        click.echo(
            f"warning: no stored call has agent id {user.agent_id} - check it "
            f"(agent ids in {db}: {seen})",
            err=True,
        )


@users_group.command("remove")
@click.argument("name")
@db_option
@auth_db_option
def users_remove(name: str, db: str, auth_db: str) -> None:
    """Remove a web user; their sessions end at once (reviews they wrote stay in the audit
    trail).

    Example: callqa users remove li --db calls.db
    """
    auth = open_auth(db, auth_db or None, create=False)
    try:
        remove_user(auth, name)
    finally:
        auth.close()
    click.echo(f"removed {name}; their sessions ended")


@users_group.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from stdin.")
@db_option
@auth_db_option
def users_passwd(name: str, password_stdin: bool, db: str, auth_db: str) -> None:
    """Set a new password for a web user; their open sessions end at once.

    Example: echo 'new-pass-123' | callqa users passwd li --password-stdin
    """
    auth = open_auth(db, auth_db or None, create=False)
    try:
        set_password(auth, name, _password(password_stdin, "New password"))
    finally:
        auth.close()
    click.echo(f"password of {name} changed; their sessions ended")


USER_COLUMNS = (Column("name", max_width=24), Column("role"), Column("agent_id", "agent id"))


@users_group.command("list")
@format_option
@db_option
@auth_db_option
def users_list(format: str, db: str, auth_db: str) -> None:
    """List the web users with their role and agent id.

    Example: callqa users list --format csv --db calls.db
    """
    auth = existing_auth(db, auth_db or None)
    users = list_users(auth) if auth is not None else []
    if auth is not None:
        auth.close()
    rows = [{"name": u.name, "role": u.role, "agent_id": u.agent_id} for u in users]
    emit(rows, USER_COLUMNS, format, empty="no users yet - add one: callqa users add NAME")
