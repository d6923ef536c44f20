from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from callqa.errors import StoreError
from callqa.records import (
    CallMeta,
    CallResult,
    CallScore,
    Evidence,
    Measures,
    RoleAssignment,
    RuleResult,
    Transcript,
    Utterance,
    Word,
)
from callqa.store.db import Store


def make_result(
    call_id: str = "a" * 64, *, version: str = "1+abc", score: float = 90.0
) -> CallResult:
    utts = (
        Utterance(
            0.5,
            3.0,
            "left",
            "agent",
            "您好，星河通信",
            (Word(0.5, 0.9, "您好", 0.95),),
            0.95,
            -20.0,
        ),
        Utterance(3.5, 5.0, "right", "customer", "喂，你好", (), 0.9, -22.0),
    )
    transcript = Transcript(utts, 5.0, RoleAssignment("left", 0.9, reason="greets"), "left")
    rules = (
        RuleResult(
            "self_intro",
            "pass",
            0.0,
            (Evidence(0.5, 3.0, "agent", "您好，星河通信", 0.95),),
            max_points=10,
        ),
        RuleResult(
            "forbidden_phrases",
            "fail",
            -10.0,
            (Evidence(3.5, 3.8, "agent", "喂", 0.91, "interjection"),),
            max_points=10,
        ),
    )
    score_record = CallScore(score, 100.0, "pass", rules, "etiquette", version)
    return CallResult(
        call_id,
        "x.wav",
        5.0,
        CallMeta("A1", "care", "2026-11-24T09:00:00"),
        transcript,
        Measures((), (), ()),
        score_record,
        "whisper-base",
        channels=2,
        source_sample_rate=8000,
    )


def test_round_trip(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "c.db")
    result = make_result()
    scoring_id = store.save_result(result)
    assert store.has_scoring(result.call_id, scorecard_version="1+abc", model="whisper-base")
    transcript = store.load_transcript(scoring_id)
    assert transcript.utterances[0].words[0] == Word(0.5, 0.9, "您好", 0.95)
    assert transcript.roles.agent_speaker == "left"
    score = store.load_score(scoring_id)
    assert score.rules[1].evidence[0].text == "喂" and score.rules[1].points == -10.0
    row = store.calls()[0]
    assert (row.agent_id, row.team, row.verdict) == ("A1", "care", "pass")
    assert store.db["agents"].get("A1")["team"] == "care"
    assert store.find_call("aaaaaaa") == result.call_id


def test_new_scorecard_version_adds_beside(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "c.db")
    store.save_result(make_result())
    store.save_result(make_result(version="2+def", score=70.0))
    store.save_result(make_result(version="2+def", score=75.0))  # forced rescore replaces
    rows = list(store.db.query("SELECT scorecard_version, score FROM scorings ORDER BY id"))
    assert rows == [
        {"scorecard_version": "1+abc", "score": 90.0},
        {"scorecard_version": "2+def", "score": 75.0},
    ]


def test_failure_never_overwrites_a_good_scoring(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "c.db")
    store.save_result(make_result())
    store.save_failure(call_id="a" * 64, file="x.wav", reason="boom")
    assert store.calls()[0].status == "scored"
    store.save_failure(call_id="b" * 64, file="y.wav", reason="empty file")
    assert {r.status for r in store.calls()} == {"scored", "failed"}


def test_write_is_all_or_nothing(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "c.db")
    bad = make_result()
    broken_rule = replace(bad.score.rules[0], evidence=(object(),))  # type: ignore[arg-type]
    bad = replace(bad, score=replace(bad.score, rules=(broken_rule,)))
    with pytest.raises(AttributeError):
        store.save_result(bad)
    assert store.calls() == []
    assert list(store.db.query("SELECT * FROM utterances")) == []
    assert store.integrity_ok()


def test_reviews_append_only(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "c.db")
    store.save_result(make_result())
    store.add_review(
        call_id="a" * 64,
        kind="review",
        who="sup",
        reason="wrong",
        rule_id="forbidden_phrases",
        old_status="fail",
        new_status="pass",
    )
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute("DELETE FROM reviews")
    assert len(store.reviews("a" * 64)) == 1


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("hello" * 1000)
    with pytest.raises(StoreError, match="cannot open the database"):
        Store.open(path)


def test_reopen_keeps_schema_version(tmp_path: Path) -> None:
    Store.open(tmp_path / "c.db").close()
    store = Store.open(tmp_path / "c.db")
    assert store.db.execute("PRAGMA user_version").fetchone()[0] >= 1
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
