"""The SQL views and roll-ups give the numbers of the Python aggregation they replaced.

The reference (`tests/report_oracle.py`) reads every call's latest scoring whole, applies
the reviews with `callqa.review.reviews.effective_score` and groups in Python, as callqa
did before the views.  Each report is compared three ways: reference, views (a filter
with a time of day, or `rollups=False`) and roll-ups, on the hand-made fixture and on a
random database with reviews, appeals, rescored calls, unknown times and teams.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from callqa.records import CallMeta, CallScore, Evidence, RuleResult
from callqa.review.report import GROUPINGS, Filters, GroupRow, rule_summary, summarize, trend
from callqa.review.reviews import load_call_review
from callqa.store.calls import call_score, list_calls
from callqa.store.db import Store
from tests import report_oracle as oracle
from tests.test_store import make_result
from tests.web.fixture_db import build, call_id

RULES = (
    ("self_intro", 10.0, False),
    ("forbidden_phrases", 20.0, True),
    ("recap", 10.0, False),
    ("closing", 10.0, False),
)
FILTERS = [
    Filters(),
    Filters.parse(agent="A1"),
    Filters.parse(team="care"),
    Filters.parse(team="nobody"),
    Filters.parse(since="2026-11-24"),
    Filters.parse(until="2026-11-30"),
    Filters.parse(since="2026-11-01", until="2026-11-30"),
    Filters.parse(since="2026-11-01", until="2026-11-30", agent="B1"),
    Filters.parse(since="2026-12-01", team="sales"),
    Filters.parse(since="2026-11-23T09:30", until="2026-11-24T10:00"),
    Filters.parse(since="2026-11-24T00:00", team="care"),
]


def _approx_rows(rows: list[Any]) -> list[Any]:
    return [
        {k: pytest.approx(v) if isinstance(v, float) else v for k, v in vars(r).items()}
        for r in rows
    ]


def _plain(rows: list[Any]) -> list[Any]:
    if rows and isinstance(rows[0], GroupRow):
        return [
            (r.group, r.calls, r.audio_hours, r.avg_score, r.pass_rate, r.fail_rates) for r in rows
        ]
    return [vars(r) for r in rows]


def _group_rows(rows: list[GroupRow]) -> list[Any]:
    return [
        (
            r.group,
            r.calls,
            pytest.approx(r.audio_hours),
            pytest.approx(r.avg_score),
            pytest.approx(r.pass_rate),
            {k: None if v is None else pytest.approx(v) for k, v in r.fail_rates.items()},
        )
        for r in rows
    ]


def assert_same_numbers(store: Store) -> None:
    for filters in FILTERS:
        facts = oracle.load_facts(store, filters)
        for by in GROUPINGS:
            if by == "rule":
                want = _approx_rows(oracle.rule_summary(facts))
                assert _plain(rule_summary(store, filters, rollups=False)) == want, filters
                assert _plain(rule_summary(store, filters)) == want, filters
                continue
            want = _group_rows(oracle.summarize(facts, by))
            assert _plain(summarize(store, filters, by, rollups=False)) == want, (filters, by)
            assert _plain(summarize(store, filters, by)) == want, (filters, by)


def assert_same_calls(store: Store) -> None:
    for f in oracle.load_facts(store):
        stored = call_score(store, f.call_id)
        assert stored is not None
        assert (stored.score, stored.verdict) == (pytest.approx(f.score), f.verdict), f.call_id
        view = load_call_review(store, f.call_id).effective
        assert [(r.rule_id, r.status, r.points) for r in view.rules] == [
            (r.rule_id, r.status, pytest.approx(r.points)) for r in f.rules
        ]


def assert_rollups_rebuild_the_same(store: Store) -> None:
    tables = ("daily_calls", "daily_rules", "monthly_calls", "monthly_rules", "day_calls")
    before = {t: sorted(store.db.execute(f"SELECT * FROM {t}").fetchall()) for t in tables}
    store.rebuild_rollups()
    after = {t: sorted(store.db.execute(f"SELECT * FROM {t}").fetchall()) for t in tables}
    assert before == after


@pytest.fixture
def fixture_store(tmp_path: Path) -> Store:
    return build(tmp_path / "c.db")


def test_fixture_without_reviews(fixture_store: Store) -> None:
    assert_same_calls(fixture_store)
    assert_same_numbers(fixture_store)


def test_fixture_with_reviews_and_appeals(fixture_store: Store) -> None:
    s = fixture_store
    c1, c3, c6 = call_id("c1"), call_id("c3"), call_id("c6")
    sid = {k: call_score(s, call_id(k)).scoring_id for k in ("c1", "c3", "c6")}  # type: ignore[union-attr]
    s.add_review(
        call_id=c6,
        kind="review",
        who="s",
        reason="x",
        rule_id="forbidden_phrases",
        scoring_id=sid["c6"],
        old_status="fail",
        new_status="pass",
    )
    s.add_review(
        call_id=c1,
        kind="review",
        who="s",
        reason="y",
        rule_id="closing",
        old_status="pass",
        new_status="fail",
    )  # no scoring: applies to the call
    s.add_review(
        call_id=c3,
        kind="appeal",
        who="a",
        reason="z",
        rule_id="forbidden_phrases",
        scoring_id=sid["c3"],
        old_status="fail",
        new_status="pass",
    )
    s.add_review(
        call_id=c3,
        kind="appeal_decision",
        who="s",
        reason="ok",
        rule_id="forbidden_phrases",
        scoring_id=sid["c3"],
        old_status="fail",
        new_status="pass",
    )
    s.add_review(
        call_id=c6,
        kind="review",
        who="s",
        reason="later wins",
        rule_id="closing",
        scoring_id=sid["c6"],
        old_status="fail",
        new_status="fail",
    )
    c2 = call_id("c2")
    s.add_review(
        call_id=c2,
        kind="review",
        who="s",
        reason="on the older scoring: does not count",
        rule_id="forbidden_phrases",
        scoring_id=call_score(s, c2).scoring_id - 1,  # type: ignore[union-attr]
        old_status="pass",
        new_status="fail",
    )
    assert call_score(s, c6).verdict == "pass"  # type: ignore[union-attr]
    assert call_score(s, c3).verdict == "pass"  # type: ignore[union-attr]
    assert_same_calls(s)
    assert_same_numbers(s)
    assert_rollups_rebuild_the_same(s)


def _random_store(path: Path, seed: int) -> Store:
    rng = random.Random(seed)
    store = Store.open(path)
    base = make_result()
    agents = {"A1": "care", "A2": "care", "B1": "sales", "B2": None, "": None}
    for n in range(60):
        agent = rng.choice(list(agents))
        team = agents[agent] if rng.random() < 0.8 else None
        when = (
            None
            if rng.random() < 0.08
            else f"2026-{rng.choice(['10', '11', '12'])}-{rng.randint(1, 28):02d}"
            f"T{rng.randint(8, 19):02d}:{rng.randint(0, 59):02d}:00"
        )
        statuses = [rng.choice(["pass", "pass", "fail", "na", "review"]) for _ in RULES]
        rules = tuple(
            RuleResult(
                rule,
                status,
                -w if status == "fail" else 0.0,  # type: ignore[arg-type]
                (Evidence(1.0, 2.0, "agent", "喂", 0.9, "hit"),),
                "",
                crit,
                w,
            )
            for (rule, w, crit), status in zip(RULES, statuses, strict=True)
        )
        score = 100.0 + sum(r.points for r in rules)
        crit_fail = any(r.critical and r.status == "fail" for r in rules)
        verdict = "fail" if crit_fail or score < 80 else rng.choice(["pass", "review"])
        mark = 80.0 if rng.random() < 0.7 else None
        result = replace(
            base,
            call_id=f"{n:064x}",
            file=f"{n}.wav",
            duration=rng.uniform(10, 300),
            meta=CallMeta(agent or None, team, when),
            score=CallScore(score, 100.0, verdict, rules, "etiquette", "2", mark),  # type: ignore[arg-type]
        )
        if rng.random() < 0.15:  # scored before with another version: the latest counts
            store.save_result(replace(result, score=replace(result.score, scorecard_version="1")))
        store.save_result(result)
        for _ in range(rng.choice([0, 0, 0, 1, 2, 3])):
            rule = rng.choice(RULES)[0]
            kind = rng.choice(["review", "review", "appeal", "appeal_decision", "relabel"])
            sid = call_score(store, result.call_id).scoring_id  # type: ignore[union-attr]
            store.add_review(
                call_id=result.call_id,
                kind=kind,
                who="x",
                reason="r",
                rule_id=rule,
                scoring_id=rng.choice([sid, None, sid - 1 if sid > 1 else None]),
                old_status="fail",
                new_status=rng.choice(["pass", "fail", "review"]),
            )
    return store


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_database(tmp_path: Path, seed: int) -> None:
    store = _random_store(tmp_path / "r.db", seed)
    assert_same_calls(store)
    assert_same_numbers(store)
    assert_rollups_rebuild_the_same(store)


def test_trend_from_rollups_equals_trend_from_views(tmp_path: Path) -> None:
    store = _random_store(tmp_path / "r.db", 4)
    for lines in ("agent", "team"):
        for period in ("day", "week", "month"):
            for filters in (Filters(), Filters.parse(since="2026-11-01", until="2026-11-30")):
                fast = trend(store, filters, lines=lines, period=period, top=2)
                slow = trend(store, filters, lines=lines, period=period, top=2, rollups=False)
                assert fast.periods == slow.periods and list(fast.series) == list(slow.series)
                for name, values in fast.series.items():
                    assert values == pytest.approx(slow.series[name])


def test_keyset_pages_cover_every_call_once(tmp_path: Path) -> None:
    store = _random_store(tmp_path / "r.db", 5)
    seen: list[str] = []
    page = list_calls(store, limit=7)
    while True:
        seen += [r.call_id for r in page.rows]
        if page.next_cursor is None:
            break
        page = list_calls(store, cursor=page.next_cursor, limit=7)
    want = [f.call_id for f in oracle.load_facts(store)]
    assert sorted(seen) == sorted(want) and len(seen) == len(set(seen))
    dated = sorted((f.call_time, f.call_id) for f in oracle.load_facts(store) if f.call_time)
    assert seen[: len(dated)] == [c for _, c in reversed(dated)]  # newest first, undated last
