"""Web users in the auth store: adding, checking passwords, the signing key, and the
credentials that must never be in the analytics database."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from callqa.cli import main
from callqa.errors import StoreError
from callqa.store.auth import AuthStore, auth_path_for
from callqa.store.db import MIGRATIONS, Store
from callqa.web import sessions
from callqa.web.users import (
    SECRET_ENV,
    User,
    UserError,
    add_user,
    authenticate,
    get_user,
    list_users,
    open_auth,
    remove_user,
    secret_key,
    set_password,
)

PASSWORD = "correct horse 1"


@pytest.fixture
def auth(tmp_path: Path) -> AuthStore:
    return AuthStore.open(tmp_path / "c.auth.db")


def test_add_and_authenticate(auth: AuthStore) -> None:
    li = add_user(auth, "li", role="agent", password=PASSWORD, agent_id="A1001")
    assert li == User("li", "agent", "A1001")
    add_user(auth, "wang", role="supervisor", password=PASSWORD, agent_id="ignored")
    assert list_users(auth) == [li, User("wang", "supervisor", None)]
    assert authenticate(auth, "li", PASSWORD) == li
    assert authenticate(auth, "li", PASSWORD + "x") is None
    assert authenticate(auth, "nobody", PASSWORD) is None
    stored = auth.conn.execute("SELECT password_hash FROM users WHERE name = 'li'").fetchone()[0]
    assert stored.startswith("scrypt:") and PASSWORD not in stored
    assert get_user(auth, "nobody") is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "li", "role": "admin"}, "role 'admin'"),
        ({"name": "li", "role": "agent"}, "needs --agent-id"),
        ({"name": "li", "role": "trainer", "password": "short"}, "too short"),
        ({"name": "li' OR 1=1 --", "role": "trainer"}, "user name"),
        ({"name": "../x", "role": "trainer"}, "user name"),
    ],
)
def test_add_refuses(auth: AuthStore, kwargs: dict[str, str], message: str) -> None:
    kwargs.setdefault("password", PASSWORD)
    with pytest.raises(UserError, match=message):
        add_user(auth, **kwargs)
    assert list_users(auth) == []


def test_duplicate_name(auth: AuthStore) -> None:
    add_user(auth, "li", role="trainer", password=PASSWORD)
    with pytest.raises(UserError, match="exists"):
        add_user(auth, "li", role="trainer", password=PASSWORD)


def test_secret_key_generated_once(auth: AuthStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)
    key = secret_key(auth)
    assert len(key) == 64 and secret_key(AuthStore.open(auth.path)) == key
    monkeypatch.setenv(SECRET_ENV, "from-the-environment")
    assert secret_key(auth) == "from-the-environment"


def test_password_change_and_removal_end_sessions(auth: AuthStore) -> None:
    add_user(auth, "li", role="trainer", password=PASSWORD)
    add_user(auth, "wang", role="trainer", password=PASSWORD)
    policy = sessions.SessionPolicy()
    li1, li2 = (sessions.start(auth, "li", now=100.0) for _ in range(2))
    wang = sessions.start(auth, "wang", now=100.0)
    assert sessions.user_of(auth, li1, policy, now=101.0) == "li"
    set_password(auth, "li", "another pass 2")
    assert sessions.user_of(auth, li1, policy, now=102.0) is None
    assert sessions.user_of(auth, li2, policy, now=102.0) is None
    assert authenticate(auth, "li", PASSWORD) is None
    assert authenticate(auth, "li", "another pass 2") == User("li", "trainer")
    remove_user(auth, "wang")
    assert sessions.user_of(auth, wang, policy, now=102.0) is None
    assert get_user(auth, "wang") is None
    with pytest.raises(UserError, match="no user 'wang'"):
        remove_user(auth, "wang")
    with pytest.raises(UserError, match="too short"):
        set_password(auth, "li", "short")


def test_sessions_expire_when_idle_or_old(auth: AuthStore) -> None:
    add_user(auth, "li", role="trainer", password=PASSWORD)
    policy = sessions.SessionPolicy(idle_s=600, max_age_s=3600)
    token = sessions.start(auth, "li", now=0.0)
    for t in (500.0, 1000.0, 1500.0, 2000.0, 2500.0, 3000.0):  # kept alive by use
        assert sessions.user_of(auth, token, policy, now=t) == "li"
    assert sessions.user_of(auth, token, policy, now=3700.0) is None  # older than max age
    token = sessions.start(auth, "li", now=4000.0)
    assert sessions.user_of(auth, token, policy, now=4601.0) is None  # idle too long
    assert auth.session(token) is None and sessions.user_of(auth, "forged", policy, now=1) is None
    stored = auth.conn.execute("SELECT token_hash FROM sessions").fetchall()
    assert all(token not in row[0] for row in stored)  # only hashes are kept


def test_auth_store_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "c.auth.db"
    add_user(AuthStore.open(path), "li", role="trainer", password=PASSWORD)
    files = [p for p in path.parent.iterdir() if p.name.startswith("c.auth.db")]
    assert path in files and len(files) >= 2  # the WAL files too
    for p in files:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    with pytest.raises(StoreError, match="no such auth store"):
        AuthStore.open(tmp_path / "none.auth.db", create=False)
    assert not (tmp_path / "none.auth.db").exists()


def test_auth_path_is_beside_the_database() -> None:
    assert auth_path_for("data/calls.db") == os.path.join("data", "calls.auth.db")
    assert auth_path_for("calls") == "calls.auth.db"


def _every_value(db: Path) -> list[str]:
    """Every value in every table (and the schema) of an SQLite file, as text."""
    conn = sqlite3.connect(db)
    out = [str(v) for row in conn.execute("SELECT * FROM sqlite_master") for v in row]
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        out += [str(v) for row in conn.execute(f'SELECT * FROM "{table}"') for v in row]
    conn.close()
    return out


def test_cli_users_keep_credentials_out_of_the_analytics_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.web.fixture_db import build

    monkeypatch.delenv(SECRET_ENV, raising=False)
    db = tmp_path / "c.db"
    build(db).close()
    runner = CliRunner()
    at = ["--db", str(db)]
    out = runner.invoke(
        main,
        ["users", "add", "li", "--role", "agent", "--agent-id", "A1001", "--password-stdin", *at],
        input=PASSWORD + "\n",
    )
    assert out.exit_code == 0, out.output
    assert out.stdout.strip() == "added li (agent, A1001)"
    out = runner.invoke(
        main,
        ["users", "add", "wang", "--role", "supervisor", "--db", str(db)],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert out.exit_code == 0, out.output
    from callqa.web import create_app

    create_app(str(db))  # generates and stores the signing key
    auth = open_auth(str(db))
    key = secret_key(auth)
    hashes = [r["password_hash"] for r in (auth.user("li"), auth.user("wang")) if r]
    assert len(hashes) == 2
    values = "\n".join(_every_value(db))
    for secret in [key, *hashes, "scrypt:"]:
        assert secret not in values
    raw = db.read_bytes() + (
        db.with_name("c.db-wal").read_bytes() if db.with_name("c.db-wal").exists() else b""
    )
    assert b"scrypt:" not in raw and key.encode() not in raw
    out = runner.invoke(main, ["users", "list", "--db", str(db)])
    assert [line.split() for line in out.stdout.splitlines()] == [
        ["name", "role", "agent", "id"],
        ["li", "agent", "A1001"],
        ["wang", "supervisor", "-"],
    ]
    out = runner.invoke(
        main, ["users", "passwd", "li", "--password-stdin", "--db", str(db)], input="new pass 12\n"
    )
    assert out.exit_code == 0 and "sessions ended" in out.stdout
    assert authenticate(auth, "li", "new pass 12") is not None
    out = runner.invoke(main, ["users", "remove", "wang", "--db", str(db)])
    assert out.exit_code == 0 and get_user(auth, "wang") is None
    out = runner.invoke(
        main,
        ["users", "add", "x", "--role", "agent", "--password-stdin", "--db", str(db)],
        input=PASSWORD + "\n",
    )
    assert out.exit_code == 2 and "needs --agent-id" in out.output
    other = tmp_path / "elsewhere" / "keys.db"
    out = runner.invoke(
        main,
        [
            "users",
            "add",
            "zhao",
            "--role",
            "trainer",
            "--password-stdin",
            *at,
            "--auth-db",
            str(other),
        ],
        input=PASSWORD + "\n",
    )
    assert out.exit_code == 0 and get_user(AuthStore.open(other), "zhao") is not None
    out = runner.invoke(main, ["users", "list", "--db", str(tmp_path / "none.db")])
    assert out.exit_code == 0 and "no users yet" in out.output
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "none.auth.db").exists()


def _schema_2_database(path: Path) -> None:
    """A database as callqa left it before credentials moved out (schema version 2)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for migration in MIGRATIONS[:2]:
        migration(sqlite_utils.Database(conn))
    conn.execute("PRAGMA user_version = 2")
    conn.execute(
        "INSERT INTO users VALUES ('li', 'supervisor', NULL, 'scrypt:32768:8:1$old$hash', 'x')"
    )
    conn.execute("INSERT INTO settings VALUES ('secret_key', 'old-signing-key')")
    conn.close()


def test_migration_moves_users_out_of_the_analytics_db(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    _schema_2_database(db)
    Store.open(db).close()
    assert not any("scrypt" in v or "old-signing-key" in v for v in _every_value(db))
    assert b"scrypt:" not in db.read_bytes() and b"old-signing-key" not in db.read_bytes()
    tables = {r[0] for r in sqlite3.connect(db).execute("SELECT name FROM sqlite_master")}
    assert "users" not in tables and "settings" not in tables and "reviews" in tables
    auth = AuthStore.open(tmp_path / "old.auth.db", create=False)
    assert get_user(auth, "li") == User("li", "supervisor")
    assert auth.user("li")["password_hash"] == "scrypt:32768:8:1$old$hash"  # type: ignore[index]
    assert auth.setting("secret_key", default="new") == "old-signing-key"
    assert stat.S_IMODE((tmp_path / "old.auth.db").stat().st_mode) == 0o600


def test_schema_1_database_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[0](sqlite_utils.Database(conn))
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    store = Store.open(path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert "pass_mark" in store.db["scorings"].columns_dict
    assert not (tmp_path / "old.auth.db").exists()  # nothing to move, nothing created


def test_readable_auth_store_is_warned_about_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "c.auth.db"
    AuthStore.open(path).close()
    path.chmod(0o644)
    for _ in range(3):
        AuthStore.open(path).close()
    warnings = [r.getMessage() for r in caplog.records if "readable by others" in r.getMessage()]
    assert len(warnings) == 1 and "chmod 600" in warnings[0]
