"""Transcript search: Chinese substrings through the trigram index, short words by LIKE,
role/agent/team/date filters, only the latest scoring, and the index kept in step."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from callqa.cli import main
from callqa.errors import StoreError
from callqa.records import Utterance
from callqa.store.db import Store
from callqa.store.search import FTS_TABLE, SearchQuery, search_utterances, snippet
from tests.test_store import make_result
from tests.web.fixture_db import build, call_id


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("search") / "c.db"
    build(path).close()
    return path


def keys(hits: list) -> set[str]:  # type: ignore[type-arg]
    ids = {call_id(f"c{i}"): f"c{i}" for i in range(1, 9)}
    return {ids[h.call_id] for h in hits}


def test_chinese_substrings_use_the_trigram_index(db: Path) -> None:
    store = Store.open(db)
    assert store.db[FTS_TABLE].exists()
    hits = search_utterances(store.db, SearchQuery("不归我管"))
    assert keys(hits) == {"c3", "c6"}  # the calls whose agent said it
    assert {h.role for h in hits} == {"agent"} and hits[0].start == 6.0
    # a substring inside a word, and one across punctuation-free text
    assert keys(search_utterances(store.db, SearchQuery("归我管"))) == {"c3", "c6"}
    assert len(search_utterances(store.db, SearchQuery("星河通信"))) == 5  # intro passed
    # two words must both be on the line
    both = search_utterances(store.db, SearchQuery("查一下 话费"))
    assert len(both) == 8 and all("话费" in h.text for h in both)
    assert search_utterances(store.db, SearchQuery("查一下 不归我管")) == []


def test_short_words_fall_back_to_like(db: Path) -> None:
    store = Store.open(db)
    hits = search_utterances(store.db, SearchQuery("卡号"))  # two characters
    assert len(hits) == 8 and all(h.role == "customer" for h in hits)
    assert keys(search_utterances(store.db, SearchQuery("嗯"))) == {"c4", "c6", "c8"}
    # LIKE wildcards in the query are literal
    assert search_utterances(store.db, SearchQuery("%")) == []
    assert search_utterances(store.db, SearchQuery("_")) == []


def test_role_agent_team_and_date_filters(db: Path) -> None:
    store = Store.open(db)
    assert search_utterances(store.db, SearchQuery("卡号", role="agent")) == []
    assert len(search_utterances(store.db, SearchQuery("卡号", role="customer"))) == 8
    assert keys(search_utterances(store.db, SearchQuery("卡号", agent="A1"))) == {"c1", "c2", "c3"}
    assert keys(search_utterances(store.db, SearchQuery("不归我管", team="sales"))) == {"c6"}
    found = search_utterances(store.db, SearchQuery("卡号", since="2026-11-24", until="2026-11-24"))
    assert keys(found) == {"c4", "c5", "c6"}
    with pytest.raises(StoreError, match="agent or customer"):
        search_utterances(store.db, SearchQuery("卡号", role="boss"))
    with pytest.raises(StoreError, match="empty search"):
        search_utterances(store.db, SearchQuery("  "))


def test_rescoring_replaces_the_indexed_text(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "c.db")
    base = make_result()
    utt = Utterance(1.0, 2.0, "left", "agent", "这个问题不归我管")
    first = replace(base, transcript=replace(base.transcript, utterances=(utt,)))
    store.save_result(first)
    assert len(search_utterances(store.db, SearchQuery("不归我管"))) == 1
    fixed = replace(utt, text="我来帮您查一下")
    second = replace(first, transcript=replace(first.transcript, utterances=(fixed,)))
    store.save_result(second)  # the same call and scorecard: rows replaced
    assert search_utterances(store.db, SearchQuery("不归我管")) == []
    assert len(search_utterances(store.db, SearchQuery("帮您查"))) == 1
    assert store.integrity_ok()


def test_migration_builds_the_index_for_an_existing_database(tmp_path: Path) -> None:
    store = build(tmp_path / "c.db")
    store.db.table("utterances").disable_fts()
    for table in ("sample_items", "sample_plans", "user_prefs"):
        store.db.execute(f"DROP TABLE {table}")
    for column in ("partial", "kept_s", "declared_s", "partial_reason"):  # migration 6
        store.db.execute(f"ALTER TABLE calls DROP COLUMN {column}")
    from callqa.store.db import MIGRATIONS

    before = next(i for i, m in enumerate(MIGRATIONS) if "search" in m.__name__)
    store.db.execute(f"PRAGMA user_version = {before}")  # as a database from before the index
    store.close()
    again = Store.open(tmp_path / "c.db")
    assert again.db[FTS_TABLE].exists()
    assert keys(search_utterances(again.db, SearchQuery("不归我管"))) == {"c3", "c6"}


def test_snippet_marks_the_term() -> None:
    text = "您好这里是星河通信客服代表很高兴为您服务请问有什么可以帮您"
    assert snippet(text, ["客服"], context=3) == "…河通信[客服]代表很…"
    assert snippet(text, ["您好"], context=2, mark="【】") == "【您好】这里…"


def test_cli_search_formats_and_filters(db: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["search", "不归我管", "--db", str(db)])
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["call", "time", "agent", "at", "speaker", "snippet"]
    assert len(lines) == 3 and "【不归我管】" in lines[1] and "00:06.0" in lines[1]
    out = runner.invoke(
        main,
        [
            "search",
            "卡号",
            "--role",
            "customer",
            "--agent",
            "A2",
            "--db",
            str(db),
            "--format",
            "json",
        ],
    )
    objs = [json.loads(line) for line in out.stdout.splitlines()]
    assert {o["agent_id"] for o in objs} == {"A2"} and len(objs) == 2
    assert all(o["role"] == "customer" and "[卡号]" in o["snippet"] for o in objs)
    out = runner.invoke(main, ["search", "不归我管", "--db", str(db), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert {r["call_id"] for r in rows} == {call_id("c3"), call_id("c6")}
    out = runner.invoke(main, ["search", "没有这句话", "--db", str(db)])
    assert out.exit_code == 0 and out.stdout == "" and "no call says" in out.stderr
    out = runner.invoke(main, ["search", "卡号", "--since", "yesterday", "--db", str(db)])
    assert out.exit_code == 2 and "is not a date" in out.output
