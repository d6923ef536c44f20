"""The listing convention: --format table|csv|json on every listing command, tables
aligned by display width (Chinese names take two cells a character)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from wcwidth import wcswidth

from callqa.cli import main
from callqa.cli.output import Column, table, truncate, width
from callqa.store.db import Store
from tests.web.fixture_db import build, call_id


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("out") / "c.db"
    store = build(path, users=True)
    from callqa.review.reviews import file_appeal
    from callqa.web.users import add_user, open_auth

    auth = open_auth(str(path))
    add_user(auth, "wang", role="agent", password="correct horse 1", agent_id="张三")
    auth.close()
    store.db.execute(
        "UPDATE calls SET agent_id = '张三', team = '售后服务部' WHERE call_id = ?", [call_id("c1")]
    )
    file_appeal(store, call_id("c3"), "forbidden_phrases", who="agent1", reason="客户说的")
    store.close()
    return str(path)


def test_width_counts_cells() -> None:
    assert width("abc") == 3
    assert width("王小明") == 6
    assert truncate("王小明是坐席", 7) == "王小明…"
    assert width(truncate("王小明是坐席", 7)) <= 7
    assert truncate("/long/path/c1.wav", 8, keep="end") == "…/c1.wav"


def test_table_aligns_chinese_by_display_width() -> None:
    rows = [
        {"name": "王小明", "team": "售后", "score": 90.0},
        {"name": "li", "team": "care", "score": 100.0},
        {"name": "欧阳娜娜", "team": "-", "score": 5.0},
    ]
    text = table(rows, [Column("name"), Column("team"), Column("score", align="right")])
    lines = text.splitlines()
    assert len(lines) == 4
    # every line ends at the same terminal column (right-aligned score)
    assert len({wcswidth(line) for line in lines}) == 1
    # the team column starts at the same cell on every line
    starts = [
        wcswidth(line[: line.index(t)])
        for line, t in zip(lines, ["team", "售后", "care", "-"], strict=True)
    ]
    assert len(set(starts)) == 1, lines


LISTINGS = [
    (["calls"], "call_id"),
    (["show", call_id("c3")[:10]], "rule_id"),
    (["appeals"], "rule_id"),
    (["users", "list"], "name"),
    (["report"], "group"),
    (["report", "--by", "rule"], "rule"),
]


@pytest.mark.parametrize(("args", "key"), LISTINGS, ids=lambda a: " ".join(a) if a else "")
def test_every_listing_has_format(db: str, args: list[str], key: str) -> None:
    runner = CliRunner()
    out = {}
    for fmt in ("table", "csv", "json"):
        result = runner.invoke(main, [*args, "--db", db, "--format", fmt])
        assert result.exit_code == 0, result.output
        out[fmt] = result.stdout
    assert out["table"].strip()
    rows = list(csv.DictReader(io.StringIO(out["csv"])))
    assert rows and key in rows[0]
    objects = [json.loads(line) for line in out["json"].splitlines()]
    assert objects and all(isinstance(o, dict) for o in objects)
    assert any(key in o for o in objects)


def _starts(line: str, text: str) -> int:
    """The terminal cell where `text` starts in `line`."""
    return wcswidth(line[: line.index(text)])


def test_listings_align_chinese_names(db: str) -> None:
    calls = CliRunner().invoke(main, ["calls", "--db", db]).stdout.splitlines()
    header = calls[0]
    zhang = next(line for line in calls if "张三" in line)
    a1 = next(line for line in calls if " A1 " in line)
    # a left-aligned column after a Chinese cell (team) starts at the header's cell
    assert _starts(zhang, "张三") == _starts(a1, "A1") == _starts(header, "agent")
    # a right-aligned column ends at the header's last cell
    end = _starts(header, "score") + len("score")
    assert _starts(zhang, "100.0") + 5 == end == _starts(a1, " 90.0") + 5

    users = CliRunner().invoke(main, ["users", "list", "--db", db]).stdout.splitlines()
    wang = next(line for line in users if line.startswith("wang"))
    sup = next(line for line in users if line.startswith("sup "))
    assert _starts(wang, "张三") == _starts(users[0], "agent id")
    assert _starts(sup, "supervisor") == _starts(users[0], "role")


def test_calls_table_is_narrow(db: str) -> None:
    result = CliRunner().invoke(main, ["calls", "--db", db])
    assert max(wcswidth(line) for line in result.stdout.splitlines()) <= 120


def test_every_option_has_an_envvar(db: str) -> None:
    result = CliRunner().invoke(main, ["report", "--help"])
    assert "CALLQA_REPORT_FORMAT" in result.stdout and "CALLQA_DB" in result.stdout
    env = {"CALLQA_REPORT_FORMAT": "json", "CALLQA_REPORT_BY": "team", "CALLQA_DB": db}
    result = CliRunner().invoke(main, ["report"], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[0])["by"] == "team"


def test_envvar_shown_for_every_option() -> None:
    import click

    def walk(cmd: click.Command, path: str) -> list[str]:
        missing = [
            f"{path} {p.name}"
            for p in cmd.params
            if isinstance(p, click.Option) and not p.hidden and not p.show_envvar
        ]
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                missing += walk(sub, f"{path} {name}")
        return missing

    assert walk(main, "callqa") == []


def test_store_untouched_by_listing(db: str) -> None:
    assert Store.open(db).integrity_ok()


def test_users_remove_passwd_and_unknown_agent_warning(tmp_path: Path) -> None:
    from callqa.web.users import authenticate, open_auth

    db = str(tmp_path / "c.db")
    build(tmp_path / "c.db").close()
    runner = CliRunner()
    out = runner.invoke(
        main,
        [
            "users",
            "add",
            "zhao",
            "--role",
            "agent",
            "--agent-id",
            "Z9",
            "--password-stdin",
            "--db",
            db,
        ],
        input="first-pass-1\n",
    )
    assert out.exit_code == 0, out.output
    assert "no stored call has agent id Z9" in out.stderr and "A1, A2, B1, B2" in out.stderr
    out = runner.invoke(
        main,
        [
            "users",
            "add",
            "qian",
            "--role",
            "agent",
            "--agent-id",
            "A1",
            "--password-stdin",
            "--db",
            db,
        ],
        input="first-pass-1\n",
    )
    assert out.exit_code == 0 and "warning" not in out.stderr
    out = runner.invoke(
        main, ["users", "passwd", "zhao", "--password-stdin", "--db", db], input="second-pass-2\n"
    )
    assert out.exit_code == 0, out.output
    auth = open_auth(db)
    assert authenticate(auth, "zhao", "first-pass-1") is None
    assert authenticate(auth, "zhao", "second-pass-2") is not None
    out = runner.invoke(main, ["users", "remove", "zhao", "--db", db])
    assert out.exit_code == 0 and get_names(db) == ["qian"]
    out = runner.invoke(main, ["users", "remove", "zhao", "--db", db])
    assert out.exit_code == 2 and "no user 'zhao'" in out.stderr


def get_names(db: str) -> list[str]:
    out = CliRunner().invoke(main, ["users", "list", "--format", "json", "--db", db])
    return [json.loads(line)["name"] for line in out.stdout.splitlines()]
