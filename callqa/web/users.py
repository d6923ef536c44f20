"""Web users and roles, kept in the auth store; the web session's secret key.

Roles: `supervisor` (every call, reports, reviews, appeals), `trainer` (clip packs),
`agent` (their own calls only: an agent user is bound to one `agent_id`).
Passwords are stored as werkzeug scrypt hashes, never in clear, in the auth store
(`callqa.store.auth`), a file of its own beside the analytics database: whoever can read
the analytics database cannot log in or forge a session with it.  Changing a password
or removing a user ends their sessions at once.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal, cast

from werkzeug.security import check_password_hash, generate_password_hash

from callqa.errors import UserError
from callqa.store.auth import AuthStore, auth_path_for
from callqa.store.db import Store

UserRole = Literal["supervisor", "trainer", "agent"]
ROLES: tuple[UserRole, ...] = ("supervisor", "trainer", "agent")
MIN_PASSWORD = 8
SECRET_ENV = "CALLQA_SECRET_KEY"
_NAME = re.compile(r"[A-Za-z0-9_.@-]{1,64}")
_DUMMY_HASH = generate_password_hash("not a password", method="scrypt")


@dataclass(frozen=True)
class User:
    name: str
    role: UserRole
    agent_id: str | None = None


def _user(row: dict[str, Any]) -> User:
    agent = row["agent_id"]
    return User(str(row["name"]), cast(UserRole, row["role"]), str(agent) if agent else None)


def open_auth(db: str, auth_db: str | None = None, *, create: bool = True) -> AuthStore:
    """The auth store of the analytics database `db` (beside it unless `auth_db` is given).

    An existing analytics database is migrated first, so users an older callqa kept in
    it move out (to the auth store beside it) before the auth store is read.
    """
    if db != ":memory:" and Path(db).is_file():
        Store.open(db).close()
    return AuthStore.open(auth_db or auth_path_for(db), create=create)


def existing_auth(db: str, auth_db: str | None = None) -> AuthStore | None:
    """The auth store of `db` when there is one (after migrating `db`), else None."""
    if db != ":memory:" and Path(db).is_file():
        Store.open(db).close()
    path = auth_db or auth_path_for(db)
    return AuthStore.open(path) if Path(path).is_file() else None


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"password too short - use at least {MIN_PASSWORD} characters")


def add_user(
    auth: AuthStore, name: str, *, role: str, password: str, agent_id: str | None = None
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
    _check_password(password)
    added = auth.insert_user(
        {
            "name": name,
            "role": role,
            "agent_id": agent_id,
            "password_hash": generate_password_hash(password, method="scrypt"),
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
    )
    if not added:
        raise UserError(f"user {name!r} exists already - pick another name")
    return User(name, cast(UserRole, role), agent_id)


def get_user(auth: AuthStore, name: str) -> User | None:
    row = auth.user(name)
    return _user(row) if row else None


def list_users(auth: AuthStore) -> list[User]:
    return [_user(r) for r in auth.users()]


def authenticate(auth: AuthStore, name: str, password: str) -> User | None:
    """The user if `password` is theirs, else None (same work either way)."""
    row = auth.user(name)
    if row is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(str(row["password_hash"]), password):
        return None
    return _user(row)


def set_password(auth: AuthStore, name: str, password: str) -> None:
    """Set a new password; every session of the user ends."""
    _check_password(password)
    if not auth.set_password_hash(name, generate_password_hash(password, method="scrypt")):
        raise UserError(f"no user {name!r} - list them with: callqa users list")


def remove_user(auth: AuthStore, name: str) -> None:
    """Remove a user; every session of theirs ends (their reviews keep their name)."""
    if not auth.delete_user(name):
        raise UserError(f"no user {name!r} - list them with: callqa users list")


def secret_key(auth: AuthStore) -> str:
    """The session-signing key: $CALLQA_SECRET_KEY, else one generated once and stored."""
    return os.environ.get(SECRET_ENV) or auth.setting("secret_key", default=secrets.token_hex(32))
