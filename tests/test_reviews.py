from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from callqa.review.reviews import (
    Review,
    ReviewError,
    decide_appeal,
    effective_score,
    file_appeal,
    load_call_review,
    open_appeals,
    review_rule,
    target_status,
)
from callqa.store.db import Store
from tests.web.fixture_db import build, call_id

SCORING = {"id": 7, "score": 70.0, "max_score": 100.0, "verdict": "fail"}


def rule(
    rule_id: str, status: str, points: float, max_points: float, critical: bool = False
) -> dict[str, Any]:
    return {
        "rule_id": rule_id,
        "status": status,
        "points": points,
        "max_points": max_points,
        "critical": int(critical),
        "message": "",
        "evidence": [],
    }


ROWS = [
    rule("self_intro", "fail", -10, 10),
    rule("forbidden_phrases", "fail", -20, 20, critical=True),
    rule("closing", "pass", 0, 10),
]


def review(
    i: int, rule_id: str, new: str, kind: str = "review", scoring_id: int | None = 7
) -> Review:
    return Review(i, "c", scoring_id, rule_id, kind, "sup", "2026-11-25T10:00:00", None, new, "x")


def test_no_reviews_keeps_the_machine_result() -> None:
    eff = effective_score(SCORING, ROWS, [])
    assert (eff.score, eff.verdict, eff.changed) == (70.0, "fail", False)
    assert [r.points for r in eff.rules] == [-10, -20, 0]


def test_fail_to_pass_drops_the_deduction_and_critical_fail_clears() -> None:
    eff = effective_score(SCORING, ROWS, [review(1, "forbidden_phrases", "pass")], pass_mark=80)
    assert eff.score == 90.0 and eff.verdict == "pass"
    assert eff.rule("forbidden_phrases").points == 0.0  # type: ignore[union-attr]
    assert eff.machine_score == 70.0 and eff.machine_verdict == "fail" and eff.changed


def test_pass_to_fail_deducts_the_full_weight() -> None:
    eff = effective_score(SCORING, ROWS, [review(1, "closing", "fail")])
    assert eff.score == 60.0 and eff.verdict == "fail"
    assert eff.rule("closing").points == -10  # type: ignore[union-attr]


def test_critical_item_failed_by_a_reviewer_fails_the_call() -> None:
    scoring = {"id": 7, "score": 100.0, "max_score": 100.0, "verdict": "pass"}
    rows = [rule("forbidden_phrases", "pass", 0, 5, critical=True)]
    eff = effective_score(scoring, rows, [review(1, "forbidden_phrases", "fail")])
    assert (eff.score, eff.verdict) == (95.0, "fail")


def test_latest_review_wins_and_others_do_not_count() -> None:
    reviews = [
        review(1, "self_intro", "pass"),
        review(2, "self_intro", "fail"),  # latest: back to fail
        review(3, "closing", "fail", kind="appeal"),  # an appeal changes nothing
        review(4, "closing", "fail", scoring_id=6),  # another scoring's review
        review(5, "forbidden_phrases", "pass", kind="appeal_decision"),
    ]
    eff = effective_score(SCORING, ROWS, reviews, pass_mark=85)
    assert [r.status for r in eff.rules] == ["fail", "pass", "pass"]
    assert eff.score == 90.0 and eff.verdict == "pass"
    assert eff.rule("self_intro").review.id == 2  # type: ignore[union-attr]


def test_score_under_the_pass_mark_fails() -> None:
    eff = effective_score(SCORING, ROWS, [review(1, "forbidden_phrases", "pass")], pass_mark=95)
    assert (eff.score, eff.verdict) == (90.0, "fail")


def test_item_in_review_that_decides_the_call_keeps_it_in_review() -> None:
    scoring = {"id": 7, "score": 90.0, "max_score": 100.0, "verdict": "pass"}
    rows = [rule("self_intro", "fail", -10, 10), rule("recap", "review", 0, 10)]
    eff = effective_score(scoring, rows, [review(1, "self_intro", "pass")], pass_mark=95)
    assert (eff.score, eff.verdict) == (100.0, "review")  # recap failing would take it to 90
    eff = effective_score(scoring, rows, [review(1, "recap", "pass")], pass_mark=85)
    assert (eff.score, eff.verdict) == (90.0, "pass")


def test_without_a_pass_mark_the_verdict_is_inferred() -> None:
    passed = {"id": 7, "score": 90.0, "max_score": 100.0, "verdict": "pass"}
    rows = [rule("self_intro", "fail", -10, 10), rule("closing", "pass", 0, 10)]
    better = effective_score(passed, rows, [review(1, "self_intro", "pass")])
    assert (better.score, better.verdict) == (100.0, "pass")
    worse = effective_score(passed, rows, [review(1, "closing", "fail")])
    assert (worse.score, worse.verdict) == (80.0, "review")  # cannot tell: a human decides
    failed = {"id": 7, "score": 70.0, "max_score": 100.0, "verdict": "fail"}
    rows = [rule("self_intro", "fail", -10, 10), rule("closing", "fail", -20, 20)]
    still = effective_score(failed, rows, [review(1, "self_intro", "fail")])
    assert still.verdict == "fail" and not still.changed
    lower = effective_score(
        failed, [*rows, rule("recap", "pass", 0, 5)], [review(1, "recap", "fail")]
    )
    assert (lower.score, lower.verdict) == (65.0, "fail")


def test_target_status() -> None:
    assert target_status("fail", "reject") == "pass"
    assert target_status("pass", "reject") == "fail"
    assert target_status("fail", "confirm") == "fail"
    with pytest.raises(ReviewError, match="--set"):
        target_status("review", "reject")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return build(tmp_path / "c.db")


def test_review_rule_changes_the_effective_score(store: Store) -> None:
    c6 = call_id("c6")
    assert load_call_review(store, c6).effective.score == 60.0
    r = review_rule(store, c6, "forbidden_phrases", new_status="pass", who="li", reason="ok")
    assert (r.kind, r.old_status, r.new_status, r.who) == ("review", "fail", "pass", "li")
    cr = load_call_review(store, c6)
    assert (cr.effective.score, cr.effective.verdict) == (80.0, "pass")
    assert r.scoring_id == cr.scoring_id
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute("UPDATE reviews SET new_status = 'fail'")


def test_review_needs_reason_who_and_a_known_item(store: Store) -> None:
    c6 = call_id("c6")
    with pytest.raises(ReviewError, match="reason"):
        review_rule(store, c6, "closing", new_status="pass", who="li", reason="  ")
    with pytest.raises(ReviewError, match="who"):
        review_rule(store, c6, "closing", new_status="pass", who="", reason="x")
    with pytest.raises(ReviewError, match="no item 'nope'"):
        review_rule(store, c6, "nope", new_status="pass", who="li", reason="x")
    with pytest.raises(ReviewError, match="pass or fail"):
        review_rule(store, c6, "closing", new_status="na", who="li", reason="x")
    with pytest.raises(ReviewError, match="no call"):
        load_call_review(store, "f" * 64)
    assert store.reviews(c6) == []


def test_appeal_then_accept(store: Store) -> None:
    c3 = call_id("c3")
    appeal = file_appeal(store, c3, "forbidden_phrases", who="agent1", reason="customer's words")
    assert load_call_review(store, c3).effective.verdict == "fail"  # nothing changes yet
    assert [a.id for a, _ in open_appeals(store)] == [appeal.id]
    assert open_appeals(store, agent_id="A2") == []
    with pytest.raises(ReviewError, match="appealed already"):
        file_appeal(store, c3, "forbidden_phrases", who="agent1", reason="again")
    decision = decide_appeal(store, appeal.id, accept=True, who="sup", reason="agreed")
    assert (decision.kind, decision.new_status) == ("appeal_decision", "pass")
    cr = load_call_review(store, c3)
    assert (cr.effective.score, cr.effective.verdict) == (100.0, "pass")
    assert open_appeals(store) == []
    with pytest.raises(ReviewError, match="decided already"):
        decide_appeal(store, appeal.id, accept=False, who="sup", reason="changed my mind")


def test_appeal_rejected_keeps_the_fail(store: Store) -> None:
    c3 = call_id("c3")
    appeal = file_appeal(store, c3, "forbidden_phrases", who="agent1", reason="not me")
    decision = decide_appeal(store, appeal.id, accept=False, who="sup", reason="it was you")
    assert (decision.old_status, decision.new_status) == ("fail", "fail")
    assert load_call_review(store, c3).effective.score == 80.0


def test_only_failed_items_can_be_appealed(store: Store) -> None:
    with pytest.raises(ReviewError, match="not fail"):
        file_appeal(store, call_id("c1"), "closing", who="agent1", reason="x")
    with pytest.raises(ReviewError, match="no appeal 99"):
        decide_appeal(store, 99, accept=True, who="sup", reason="x")


def test_cli_review_and_appeals(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from callqa.cli import main

    db = str(tmp_path / "c.db")
    build(Path(db)).close()
    runner = CliRunner()
    c6 = call_id("c6")
    out = runner.invoke(
        main,
        [
            "review",
            c6[:8],
            "forbidden_phrases",
            "--reject",
            "--reason",
            "customer's words",
            "--who",
            "li",
            "--db",
            db,
        ],
    )
    assert out.exit_code == 0, out.output
    assert (
        out.stdout.strip() == f"{c6[:12]} forbidden_phrases: pass; score 60.0 → 80.0, verdict pass"
    )
    out = runner.invoke(
        main,
        ["review", c6[:8], "closing", "--confirm", "--reason", "right", "--who", "li", "--db", db],
    )
    assert out.exit_code == 0 and "closing: fail; score 80.0 → 80.0" in out.stdout
    out = runner.invoke(
        main, ["review", c6[:8], "closing", "--reason", "x", "--who", "li", "--db", db]
    )
    assert out.exit_code == 2 and "--confirm, --reject or --set" in out.output
    out = runner.invoke(
        main, ["review", c6[:8], "nope", "--reject", "--reason", "x", "--who", "li", "--db", db]
    )
    assert out.exit_code == 2 and "no item 'nope'" in out.output
    out = runner.invoke(
        main,
        ["review", "../../etc", "closing", "--reject", "--reason", "x", "--who", "li", "--db", db],
    )
    assert out.exit_code == 2 and "no call" in out.output
    store = Store.open(db)
    appeal = file_appeal(store, call_id("c3"), "forbidden_phrases", who="agent1", reason="not me")
    out = runner.invoke(main, ["appeals", "--db", db])
    assert out.stdout.splitlines()[1].split()[0] == str(appeal.id) and "not me" in out.stdout
    out = runner.invoke(
        main,
        [
            "appeals",
            "--decide",
            str(appeal.id),
            "--accept",
            "--reason",
            "fair",
            "--who",
            "li",
            "--db",
            db,
        ],
    )
    assert out.exit_code == 0 and "accepted: forbidden_phrases is pass" in out.stdout
    assert runner.invoke(main, ["appeals", "--db", db]).stdout == ""
