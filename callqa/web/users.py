"""Web users and roles, stored in the database; the web session's secret key.

Roles: `supervisor` (every call, reports, reviews, appeals), `trainer` (clip packs),
`agent` (their own calls only: an agent user is bound to one `agent_id`).
Passwords are stored as werkzeug scrypt hashes, never in clear.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal, cast

from werkzeug.security import check_password_hash, generate_password_hash

from callqa.errors import UserError
from callqa.store.db import Store

Role = Literal["supervisor", "trainer", "agent"]
ROLES: tuple[Role, ...] = ("supervisor", "trainer", "agent")
MIN_PASSWORD = 8
SECRET_ENV = "CALLQA_SECRET_KEY"
_NAME = re.compile(r"[A-Za-z0-9_.@-]{1,64}")
_DUMMY_HASH = generate_password_hash("not a password", method="scrypt")


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    agent_id: str | None = None


def _user(row: dict[str, object]) -> User:
    agent = row["agent_id"]
    return User(str(row["name"]), cast(Role, row["role"]), str(agent) if agent else None)


def add_user(
    store: Store, name: str, *, role: str, password: str, agent_id: str | None = None
) -> User:
    """Create a user; an agent user must name the agent id whose calls they may see."""
    if not _NAME.fullmatch(name):
        raise UserError(f"user name {name!r} - use 1-64 letters, digits or _ . @ -")
    if role not in ROLES:
        raise UserError(f"role {role!r} - choose one of {', '.join(ROLES)}")
    if role == "agent" and not agent_id:
        raise UserError(f"user {name}: an agent needs --agent-id (e.g. --agent-id A1001)")
    if role != "agent":
        agent_id = None
    if len(password) < MIN_PASSWORD:
        raise UserError(f"password too short - use at least {MIN_PASSWORD} characters")
    if get_user(store, name) is not None:
        raise UserError(f"user {name!r} exists already - pick another name")
    with store.transaction() as db:
        db.execute(
            "INSERT INTO users (name, role, agent_id, password_hash, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                name,
                role,
                agent_id,
                generate_password_hash(password, method="scrypt"),
                datetime.now(timezone.utc).isoformat(timespec="seconds"),
            ],
        )
    return User(name, cast(Role, role), agent_id)


def get_user(store: Store, name: str) -> User | None:
    rows = list(store.db.query("SELECT name, role, agent_id FROM users WHERE name = ?", [name]))
    return _user(rows[0]) if rows else None


def list_users(store: Store) -> list[User]:
    return [
        _user(r) for r in store.db.query("SELECT name, role, agent_id FROM users ORDER BY name")
    ]


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The user if `password` is theirs, else None (same work either way)."""
    rows = list(
        store.db.query(
            "SELECT name, role, agent_id, password_hash FROM users WHERE name = ?", [name]
        )
    )
    if not rows:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(str(rows[0]["password_hash"]), password):
        return None
    return _user(rows[0])


def password_stamp(store: Store, name: str) -> str:
    """A short fingerprint of the user's password hash: sessions end when it changes."""
    row = store.db.execute("SELECT password_hash FROM users WHERE name = ?", [name]).fetchone()
    return str(row[0])[-16:] if row else ""


def secret_key(store: Store) -> str:
    """The session-signing key: $CALLQA_SECRET_KEY, else one generated once and stored."""
    env = os.environ.get(SECRET_ENV)
    if env:
        return env
    with store.transaction() as db:
        db.execute(
            "INSERT OR IGNORE INTO settings (key, value) VALUES ('secret_key', ?)",
            [secrets.token_hex(32)],
        )
        row = db.execute("SELECT value FROM settings WHERE key = 'secret_key'").fetchone()
    return str(row[0])


def remove_user(store: Store, name: str) -> None:
    """Delete a web user; their sessions end (the password stamp is gone)."""
    if get_user(store, name) is None:
        raise UserError(f"no user {name!r} - list users with: callqa users list")
    with store.transaction() as db:
        db.execute("DELETE FROM users WHERE name = ?", [name])


def set_password(store: Store, name: str, password: str) -> None:
    """Reset a user's password; their open sessions end (the password stamp changes)."""
    if get_user(store, name) is None:
        raise UserError(f"no user {name!r} - list users with: callqa users list")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"password too short - use at least {MIN_PASSWORD} characters")
    with store.transaction() as db:
        db.execute(
            "UPDATE users SET password_hash = ? WHERE name = ?",
            [generate_password_hash(password, method="scrypt"), name],
        )
