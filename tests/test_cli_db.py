"""Read commands never create a database; mutually exclusive flags are usage errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from callqa.cli import main
from callqa.store.db import Store
from tests.web.fixture_db import build, call_id

READ_COMMANDS = [
    ["calls"],
    ["show", "abcdef12"],
    ["report", "--by", "team"],
    ["serve"],
    ["clips", "--rule", "closing", "--out", "{tmp}/clips"],
    ["review", "abcdef12", "closing", "--confirm", "--reason", "r", "--who", "li"],
    ["appeals"],
    ["relabel", "abcdef12", "--swap", "--who", "li"],
    ["search", "您好"],
    ["sample", "--list"],
]


@pytest.mark.parametrize("args", READ_COMMANDS, ids=lambda a: a[0])
def test_missing_db_is_an_error_and_creates_nothing(
    tmp_path: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import waitress

    monkeypatch.setattr(waitress, "serve", lambda *a, **kw: pytest.fail("served"))
    (tmp_path / "calls-2026.db").write_bytes(b"")
    (tmp_path / "calls-2026.auth.db").write_bytes(b"")
    before = sorted(tmp_path.rglob("*"))
    missing = tmp_path / "typo.db"
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    out = CliRunner().invoke(main, [*argv, "--db", str(missing)])
    assert out.exit_code != 0
    assert out.stderr.count("\n") == 1, out.stderr
    assert f"{missing}: no such database" in out.stderr
    assert "calls-2026.db" in out.stderr and "calls-2026.auth.db" not in out.stderr
    assert sorted(tmp_path.rglob("*")) == before  # nothing created, not even clips/


def test_missing_db_in_an_empty_folder(tmp_path: Path) -> None:
    out = CliRunner().invoke(main, ["calls", "--db", str(tmp_path / "x" / "c.db")])
    assert out.exit_code == 2 and "no .db in" in out.stderr
    assert "callqa score FOLDER --db" in out.stderr
    assert not (tmp_path / "x").exists()


def test_users_commands_on_a_missing_auth_store_create_nothing(tmp_path: Path) -> None:
    for args in (["remove", "li"], ["passwd", "li", "--password-stdin"]):
        out = CliRunner().invoke(
            main, ["users", *args, "--db", str(tmp_path / "c.db")], input="x" * 9 + "\n"
        )
        assert out.exit_code == 2 and "no such auth store" in out.stderr, args
    out = CliRunner().invoke(main, ["users", "list", "--db", str(tmp_path / "c.db")])
    assert out.exit_code == 0 and "no users yet" in out.output
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def db(tmp_path: Path) -> str:
    build(tmp_path / "c.db").close()
    return str(tmp_path / "c.db")


@pytest.mark.parametrize(
    "flags",
    [
        ["--confirm", "--reject"],
        ["--reject", "--confirm"],
        ["--confirm", "--set", "pass"],
        ["--reject", "--set", "fail"],
    ],
)
def test_review_flags_exclude_each_other(db: str, flags: list[str]) -> None:
    c3 = call_id("c3")[:12]
    out = CliRunner().invoke(
        main, ["review", c3, "closing", *flags, "--reason", "x", "--who", "li", "--db", db]
    )
    assert out.exit_code == 2 and "Usage:" in out.output
    assert "exclude each other" in out.stderr
    assert Store.open(db).reviews(call_id("c3")) == []  # nothing stored


def test_review_needs_one_flag(db: str) -> None:
    c3 = call_id("c3")[:12]
    out = CliRunner().invoke(
        main, ["review", c3, "closing", "--reason", "x", "--who", "li", "--db", db]
    )
    assert out.exit_code == 2 and "give one of --confirm, --reject or --set" in out.stderr
    out = CliRunner().invoke(
        main, ["review", c3, "closing", "--reject", "--reason", "x", "--who", "li", "--db", db]
    )
    assert out.exit_code == 0, out.output
    assert [r.kind for r in Store.open(db).reviews(call_id("c3"))] == ["review"]


def test_appeal_decision_flags_exclude_each_other(db: str) -> None:
    at = ["--db", db]
    out = CliRunner().invoke(
        main,
        ["appeals", "--decide", "1", "--accept", "--deny", "--reason", "x", "--who", "li", *at],
    )
    assert out.exit_code == 2 and "exclude each other" in out.stderr
    out = CliRunner().invoke(main, ["appeals", "--accept", "--db", db])
    assert out.exit_code == 2 and "go with --decide" in out.stderr
