"""The auth store: web users, password hashes, the session-signing key, sessions and
failed logins, in a SQLite file of their own (never in the analytics database).

By default it sits beside the analytics database (`calls.db` → `calls.auth.db`); the
web app and `callqa users` take `--auth-db` to put it elsewhere.  It is created with
mode 0600 (SQLite gives its -wal and -shm files the same mode), and opening one that
others can read logs a warning.

Tables:
    users           name, role, agent id, password hash (werkzeug scrypt)
    settings        key/value: the session-signing key
    sessions        one row per logged-in browser: sha256 of its token, user, times
    login_failures  failed logins (time, account name, client address), for throttling
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from callqa.errors import StoreError

log = logging.getLogger(__name__)

AUTH_SUFFIX = ".auth.db"
FILE_MODE = 0o600

_SCHEMA = [
    """
    CREATE TABLE users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('supervisor', 'trainer', 'agent')),
        agent_id TEXT,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        CHECK (role != 'agent' OR agent_id IS NOT NULL)
    );
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE ON UPDATE CASCADE,
        created_at REAL NOT NULL,
        last_seen REAL NOT NULL
    );
    CREATE INDEX sessions_user ON sessions(user);
    CREATE TABLE login_failures (
        id INTEGER PRIMARY KEY,
        at REAL NOT NULL,
        name TEXT NOT NULL,
        address TEXT NOT NULL
    );
    CREATE INDEX login_failures_name ON login_failures(name, at);
    CREATE INDEX login_failures_address ON login_failures(address, at);
    """,
]
"""Schema steps of the auth store in order (PRAGMA user_version counts them).  Only append."""

_WARNED: set[str] = set()
"""Auth stores already warned about (once per process, not once per request)."""
_USER_COLUMNS = ("name", "role", "agent_id", "password_hash", "created_at")


def auth_path_for(db: str | Path) -> str:
    """Where the auth store of the analytics database `db` lives by default."""
    text = str(db)
    if text == ":memory:":
        return text
    path = Path(text)
    return str(path.with_name(path.stem + AUTH_SUFFIX if path.suffix else path.name + AUTH_SUFFIX))


class AuthStore:
    """The auth database.  Open with `AuthStore.open(path)`; it migrates on open."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> AuthStore:
        """The auth store at `path`; created (mode 0600) unless `create` is False."""
        name = str(path)
        try:
            if name != ":memory:":
                _prepare_file(Path(name), create=create)
            conn = sqlite3.connect(name, isolation_level=None, timeout=30)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            if name != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA secure_delete = ON")
            store = cls(conn, name)
            store._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{name}: cannot open the auth store ({exc}) - is it a callqa auth file? "
                "pass another --auth-db"
            ) from None
        except OSError as exc:
            raise StoreError(f"{name}: cannot create the auth store ({exc.strerror})") from None
        return store

    def close(self) -> None:
        self.conn.close()

    def _migrate(self) -> None:
        version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
        if version > len(_SCHEMA):
            raise StoreError(
                f"{self.path}: auth schema version {version} is newer than this callqa "
                f"knows ({len(_SCHEMA)}) - upgrade callqa"
            )
        for step, script in enumerate(_SCHEMA[version:], start=version + 1):
            with self.transaction():
                for statement in script.split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {step}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- users ---------------------------------------------------------------------------

    def insert_user(self, row: Mapping[str, Any]) -> bool:
        """Add a user row (name, role, agent_id, password_hash, created_at); False if taken."""
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO users (name, role, agent_id, password_hash, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [row[c] for c in _USER_COLUMNS],
            )
        return cursor.rowcount == 1

    def user(self, name: str) -> dict[str, Any] | None:
        """The user's row, password hash included, or None."""
        row = self.conn.execute(
            "SELECT name, role, agent_id, password_hash FROM users WHERE name = ?", [name]
        ).fetchone()
        return dict(row) if row else None

    def users(self) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT name, role, agent_id FROM users ORDER BY name")
        return [dict(r) for r in rows]

    def set_password_hash(self, name: str, password_hash: str) -> bool:
        """Replace the user's password hash and end their sessions; False if no such user."""
        with self.transaction() as conn:
            cursor = conn.execute(
                "UPDATE users SET password_hash = ? WHERE name = ?", [password_hash, name]
            )
            conn.execute("DELETE FROM sessions WHERE user = ?", [name])
        return cursor.rowcount == 1

    def delete_user(self, name: str) -> bool:
        """Remove the user and their sessions; False if no such user."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM sessions WHERE user = ?", [name])
            cursor = conn.execute("DELETE FROM users WHERE name = ?", [name])
        return cursor.rowcount == 1

    # -- settings ------------------------------------------------------------------------

    def setting(self, key: str, *, default: str) -> str:
        """The stored value of `key`; `default` is stored first when there is none."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", [key, default]
            )
            row = conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return str(row[0])

    # -- sessions ------------------------------------------------------------------------

    def add_session(self, token_hash: str, user: str, *, now: float) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO sessions (token_hash, user, created_at, last_seen)"
                " VALUES (?, ?, ?, ?)",
                [token_hash, user, now, now],
            )

    def session(self, token_hash: str) -> dict[str, Any] | None:
        """The session row (user, created_at, last_seen), or None."""
        row = self.conn.execute(
            "SELECT user, created_at, last_seen FROM sessions WHERE token_hash = ?", [token_hash]
        ).fetchone()
        return dict(row) if row else None

    def touch_session(self, token_hash: str, *, now: float) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE sessions SET last_seen = ? WHERE token_hash = ?", [now, token_hash]
            )

    def delete_session(self, token_hash: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM sessions WHERE token_hash = ?", [token_hash])

    def delete_sessions(self, user: str) -> int:
        """End every session of `user`; how many there were."""
        with self.transaction() as conn:
            cursor = conn.execute("DELETE FROM sessions WHERE user = ?", [user])
        return cursor.rowcount

    def delete_stale_sessions(self, *, seen_before: float, created_before: float) -> None:
        with self.transaction() as conn:
            conn.execute(
                "DELETE FROM sessions WHERE last_seen < ? OR created_at < ?",
                [seen_before, created_before],
            )

    # -- failed logins -------------------------------------------------------------------

    def add_login_failure(self, *, name: str, address: str, now: float, keep_after: float) -> None:
        """Record a failed login; failures before `keep_after` are forgotten."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM login_failures WHERE at < ?", [keep_after])
            conn.execute(
                "INSERT INTO login_failures (at, name, address) VALUES (?, ?, ?)",
                [now, name, address],
            )

    def login_failures(self, *, name: str, address: str, since: float) -> dict[str, list[float]]:
        """Times of the failed logins since `since`, newest first, by account and by address."""
        by_name = self.conn.execute(
            "SELECT at FROM login_failures WHERE name = ? AND at >= ? ORDER BY at DESC",
            [name, since],
        )
        by_address = self.conn.execute(
            "SELECT at FROM login_failures WHERE address = ? AND at >= ? ORDER BY at DESC",
            [address, since],
        )
        return {"name": [r[0] for r in by_name], "address": [r[0] for r in by_address]}

    def clear_login_failures(self, name: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM login_failures WHERE name = ?", [name])

    # -- moving credentials out of an analytics database ---------------------------------

    def adopt(self, users: Sequence[Mapping[str, Any]], settings: Mapping[str, str]) -> int:
        """Take over user rows and settings (existing names and keys win); rows added."""
        added = 0
        with self.transaction() as conn:
            for row in users:
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO users"
                    " (name, role, agent_id, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                    [row[c] for c in _USER_COLUMNS],
                )
                added += cursor.rowcount
            for key, value in settings.items():
                conn.execute(
                    "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", [key, value]
                )
        return added


def legacy_credentials(
    conn: sqlite3.Connection,
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The users and settings rows an analytics database of schema 2 still holds."""
    tables = _tables(conn)
    users: list[dict[str, Any]] = []
    settings: dict[str, str] = {}
    if "users" in tables:
        cursor = conn.execute(f"SELECT {', '.join(_USER_COLUMNS)} FROM users")
        names = [d[0] for d in cursor.description]
        users = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    if "settings" in tables:
        settings = {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM settings")}
    return users, settings


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def drop_legacy_credentials(conn: sqlite3.Connection) -> None:
    """Delete the credential tables of an analytics database (content overwritten)."""
    conn.execute("PRAGMA secure_delete = ON")
    for table in ("users", "settings"):
        if table in _tables(conn):
            conn.execute(f"DELETE FROM {table}")
            conn.execute(f"DROP TABLE {table}")


def _prepare_file(path: Path, *, create: bool) -> None:
    """Create `path` empty with mode 0600, or check the mode of the existing file."""
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077 and str(path) not in _WARNED:
            _WARNED.add(str(path))
            log.warning(
                "%s: the auth store is readable by others (mode %o) - run: chmod 600 %s",
                path,
                mode,
                path,
            )
        return
    if not create:
        raise StoreError(
            f"{path}: no such auth store - add a user first: "
            "callqa users add NAME --role supervisor"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    os.close(fd)
    os.chmod(path, FILE_MODE)
