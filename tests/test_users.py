from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from callqa.store.db import Store
from callqa.web.users import (
    SECRET_ENV,
    User,
    UserError,
    add_user,
    authenticate,
    get_user,
    list_users,
    password_stamp,
    secret_key,
)

PASSWORD = "correct horse 1"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "c.db")


def test_add_and_authenticate(store: Store) -> None:
    li = add_user(store, "li", role="agent", password=PASSWORD, agent_id="A1001")
    assert li == User("li", "agent", "A1001")
    add_user(store, "wang", role="supervisor", password=PASSWORD, agent_id="ignored")
    assert list_users(store) == [li, User("wang", "supervisor", None)]
    assert authenticate(store, "li", PASSWORD) == li
    assert authenticate(store, "li", PASSWORD + "x") is None
    assert authenticate(store, "nobody", PASSWORD) is None
    stored = store.db.execute("SELECT password_hash FROM users WHERE name = 'li'").fetchone()[0]
    assert stored.startswith("scrypt:") and PASSWORD not in stored
    assert password_stamp(store, "li") == stored[-16:]
    assert get_user(store, "nobody") is None


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
def test_add_refuses(store: Store, kwargs: dict[str, str], message: str) -> None:
    kwargs.setdefault("password", PASSWORD)
    with pytest.raises(UserError, match=message):
        add_user(store, **kwargs)
    assert list_users(store) == []


def test_duplicate_name(store: Store) -> None:
    add_user(store, "li", role="trainer", password=PASSWORD)
    with pytest.raises(UserError, match="exists"):
        add_user(store, "li", role="trainer", password=PASSWORD)


def test_secret_key_generated_once(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)
    key = secret_key(store)
    assert len(key) == 64 and secret_key(Store.open(store.path)) == key
    monkeypatch.setenv(SECRET_ENV, "from-the-environment")
    assert secret_key(store) == "from-the-environment"


def test_cli_users(tmp_path: Path) -> None:
    from callqa.cli import main

    db = str(tmp_path / "c.db")
    runner = CliRunner()
    out = runner.invoke(
        main,
        [
            "users",
            "add",
            "li",
            "--role",
            "agent",
            "--agent-id",
            "A1001",
            "--password-stdin",
            "--db",
            db,
        ],
        input=PASSWORD + "\n",
    )
    assert out.exit_code == 0, out.output
    assert out.stdout.strip() == "added li (agent, A1001)"
    out = runner.invoke(
        main,
        ["users", "add", "wang", "--role", "supervisor", "--db", db],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert out.exit_code == 0, out.output
    out = runner.invoke(main, ["users", "list", "--db", db])
    assert [line.split() for line in out.stdout.splitlines()] == [
        ["name", "role", "agent", "id"],
        ["li", "agent", "A1001"],
        ["wang", "supervisor", "-"],
    ]
    out = runner.invoke(
        main,
        ["users", "add", "x", "--role", "agent", "--password-stdin", "--db", db],
        input=PASSWORD + "\n",
    )
    assert out.exit_code == 2 and "needs --agent-id" in out.output


def test_schema_1_database_is_migrated(tmp_path: Path) -> None:
    import sqlite3

    from callqa.store.db import MIGRATIONS

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    import sqlite_utils

    MIGRATIONS[0](sqlite_utils.Database(conn))
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    store = Store.open(path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert "pass_mark" in store.db["scorings"].columns_dict
    add_user(store, "li", role="trainer", password=PASSWORD)
    assert secret_key(store)
