"""The review queue: uncertain items and open appeals, oldest first; settling removes an
item; the audit trail only grows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from callqa.cli import main
from callqa.review.queue import review_queue
from callqa.review.reviews import decide_appeal, file_appeal, load_call_review, review_item
from callqa.store.db import Store
from callqa.store.desk import QueueFilters
from tests.review.desk_fixture import build_desk
from tests.web.fixture_db import call_id


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return build_desk(tmp_path / "c.db")


def test_queue_lists_uncertain_items_and_open_appeals_oldest_first(store: Store) -> None:
    appeal = file_appeal(
        store, call_id("c3"), "forbidden_phrases", who="agent1", reason="不是我说的"
    )
    items = review_queue(store)
    assert [(i.kind, i.call_id, i.rule_id) for i in items] == [
        ("uncertain", call_id("c7"), "self_intro"),
        ("uncertain", call_id("c5"), "closing"),
        ("appeal", call_id("c3"), "forbidden_phrases"),
    ]
    assert items[2].appeal == appeal and items[2].evidence[0].text == "这不归我管"
    assert items[2].at == 6.0  # the moment to listen to
    assert items[1].evidence and items[1].team == "care"


def test_queue_filters(store: Store) -> None:
    file_appeal(store, call_id("c3"), "forbidden_phrases", who="agent1", reason="x")
    assert [i.call_id for i in review_queue(store, QueueFilters(rule="closing"))] == [call_id("c5")]
    assert [i.rule_id for i in review_queue(store, QueueFilters(agent="A1"))] == [
        "forbidden_phrases"
    ]
    assert [i.call_id for i in review_queue(store, QueueFilters(team="sales"))] == [call_id("c7")]
    assert review_queue(store, QueueFilters(agent="nobody")) == []


def test_settled_items_leave_the_queue_and_the_trail_grows(store: Store) -> None:
    appeal = file_appeal(store, call_id("c3"), "forbidden_phrases", who="agent1", reason="x")
    before = load_call_review(store, call_id("c5")).effective
    _, after = review_item(
        store, call_id("c5"), "closing", who="sup", reason="没有询问", status="fail"
    )
    assert before.score == 100.0 and after.score == 90.0
    decide_appeal(store, appeal.id, accept=False, who="sup", reason="确实说了")
    assert [i.call_id for i in review_queue(store)] == [call_id("c7")]
    rows = store.db.execute("SELECT kind FROM reviews ORDER BY id").fetchall()
    assert [r[0] for r in rows] == ["appeal", "review", "appeal_decision"]
    with pytest.raises(Exception, match="append-only"):
        store.db.execute("DELETE FROM reviews")


def test_cli_queue(tmp_path: Path) -> None:
    build_desk(tmp_path / "c.db").close()
    db = str(tmp_path / "c.db")
    out = CliRunner().invoke(main, ["review", "--queue", "--db", db])
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert lines[0].split()[:3] == ["since", "kind", "call"] and len(lines) == 3
    assert call_id("c7")[:12] in lines[1] and "2026-11-24 09:00" in lines[1]  # Asia/Shanghai
    out = CliRunner().invoke(
        main, ["review", "--queue", "--rule", "closing", "--format", "json", "--db", db]
    )
    (obj,) = [json.loads(line) for line in out.stdout.splitlines()]
    assert obj["call_id"] == call_id("c5") and obj["kind"] == "uncertain"
    out = CliRunner().invoke(
        main,
        [
            "review",
            call_id("c5")[:8],
            "closing",
            "--set",
            "pass",
            "--reason",
            "ok",
            "--who",
            "li",
            "--db",
            db,
        ],
    )
    assert out.exit_code == 0, out.output
    out = CliRunner().invoke(main, ["review", "--queue", "--format", "csv", "--db", db])
    assert call_id("c5") not in out.stdout and call_id("c7") in out.stdout
    out = CliRunner().invoke(main, ["review", "--db", db])
    assert out.exit_code == 2 and "CALL_ID and RULE_ID" in out.output
