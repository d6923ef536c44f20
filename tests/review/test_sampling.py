"""Sampling plans (抽检): seeded and reproducible, N per agent, round-robin, stored."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from callqa.cli import main
from callqa.errors import ReviewError
from callqa.review.sampling import assignments, complete, draw, draw_plan, plans
from callqa.store.db import Store
from tests.web.fixture_db import build, call_id


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return build(tmp_path / "c.db", users=False)


def candidates(n_agents: int = 4, per: int = 10) -> list[dict[str, object]]:
    return [
        {
            "call_id": f"{a}-{i:02d}",
            "agent_id": f"A{a}",
            "call_time": f"2026-11-{10 + i:02d}T09:00:00",
            "score": 100.0 - 5 * i,
            "max_score": 100.0,
        }
        for a in range(n_agents)
        for i in range(per)
    ]


def test_draw_is_reproducible_and_counts_per_agent() -> None:
    rows = candidates()
    one, short = draw(rows, per_agent=3, reviewers=["li", "wang"], seed=42)
    two, _ = draw(list(reversed(rows)), per_agent=3, reviewers=["li", "wang"], seed=42)
    assert one == two and short == []  # input order does not matter
    assert Counter(c.agent_id for c in one) == {"A0": 3, "A1": 3, "A2": 3, "A3": 3}
    assert [c.reviewer for c in one] == ["li", "wang"] * 6  # round-robin
    other, _ = draw(rows, per_agent=3, reviewers=["li"], seed=43)
    assert {c.call_id for c in other} != {c.call_id for c in one}


def test_low_score_weighting_prefers_low_scores() -> None:
    rows = candidates(n_agents=1, per=10)  # scores 100, 95, ..., 55
    low = random_mean = 0.0
    for seed in range(200):
        picked, _ = draw(rows, per_agent=2, reviewers=["li"], seed=seed, weight="low-score")
        low += sum(c.score for c in picked) / 2
        plain, _ = draw(rows, per_agent=2, reviewers=["li"], seed=seed)
        random_mean += sum(c.score for c in plain) / 2
    assert low / 200 < random_mean / 200 - 5


def test_short_agents_are_reported() -> None:
    rows = candidates(n_agents=2, per=2)
    picked, short = draw(rows, per_agent=5, reviewers=["li"], seed=1)
    assert len(picked) == 4 and short == [("A0", 2), ("A1", 2)]
    with pytest.raises(ReviewError):
        draw(rows, per_agent=1, reviewers=[], seed=1)


def test_plan_is_stored_and_completed_once(store: Store) -> None:
    plan = draw_plan(
        store, per_agent=1, reviewers=["sup", "li"], drawn_by="sup", since="2026-11-23", seed=7
    )
    again = draw_plan(
        store, per_agent=1, reviewers=["sup", "li"], drawn_by="sup", since="2026-11-23", seed=7
    )
    assert [c.call_id for c in plan.calls] == [c.call_id for c in again.calls]
    assert Counter(c.agent_id for c in plan.calls) == {"A1": 1, "A2": 1, "B1": 1, "B2": 1}
    (stored, _) = plans(store)
    assert (stored.id, stored.seed, stored.drawn_by, stored.reviewers) == (
        plan.id,
        7,
        "sup",
        ("sup", "li"),
    )
    assert stored.drawn_at.endswith("+00:00")
    mine = assignments(store, reviewer="sup", plan_id=plan.id)
    assert len(mine) == 2 and not any(a.done for a in mine)
    complete(store, plan_id=plan.id, call_id=mine[0].call_id, who="sup", note="ok")
    with pytest.raises(ReviewError, match="done already"):
        complete(store, plan_id=plan.id, call_id=mine[0].call_id, who="sup")
    with pytest.raises(ReviewError, match="not assigned"):
        complete(store, plan_id=plan.id, call_id=mine[1].call_id, who="li")
    assert [a.done for a in assignments(store, reviewer="sup", plan_id=plan.id)] == [True, False]
    with pytest.raises(Exception, match="kept as drawn"):
        store.db.execute("UPDATE sample_plans SET seed = 1")


def test_period_limits_the_draw(store: Store) -> None:
    plan = draw_plan(
        store,
        per_agent=5,
        reviewers=["sup"],
        drawn_by="sup",
        since="2026-11-24",
        until="2026-11-24",
        seed=1,
    )
    assert {c.call_id for c in plan.calls} == {call_id("c4"), call_id("c5"), call_id("c6")}
    assert dict(plan.short) == {"A2": 2, "B1": 1}


def test_cli_sample(tmp_path: Path) -> None:
    build(tmp_path / "c.db", users=True).close()
    db = str(tmp_path / "c.db")
    args = ["sample", "--per-agent", "2", "--since", "2026-11-23", "--seed", "5"]
    args += ["--assign", "sup,trainer", "--who", "sup", "--db", db]
    first = CliRunner().invoke(main, [*args, "--format", "json"])
    assert first.exit_code == 0, first.output
    rows = [json.loads(line) for line in first.stdout.splitlines()]
    assert Counter(r["agent_id"] for r in rows) == {"A1": 2, "A2": 2, "B1": 2, "B2": 1}
    assert "agent B2 has only 1 call" in first.stderr
    assert "reviewer trainer is not a supervisor" in first.stderr
    second = CliRunner().invoke(main, [*args, "--format", "json"])
    assert [json.loads(line)["call_id"] for line in second.stdout.splitlines()] == [
        r["call_id"] for r in rows
    ]
    listing = CliRunner().invoke(main, ["sample", "--list", "--db", db])
    assert [line.split()[0] for line in listing.stdout.splitlines()] == ["plan", "1", "2"]
    assert "0/7" in listing.stdout
    one = CliRunner().invoke(main, ["sample", "--plan", "1", "--format", "csv", "--db", db])
    assert len(one.stdout.splitlines()) == 8
    bad = CliRunner().invoke(main, ["sample", "--per-agent", "2", "--db", db])
    assert bad.exit_code == 2 and "--assign" in bad.output


def test_agreement_over_the_reviewed_sample(tmp_path: Path) -> None:
    from callqa.review.reviews import review_item

    store = build(tmp_path / "c.db")
    plan = draw_plan(store, per_agent=1, reviewers=["sup"], drawn_by="sup", seed=3)
    first = plan.calls[0].call_id
    review_item(store, first, "self_intro", who="sup", reason="听过录音", action="reject")
    review_item(store, call_id("c6"), "closing", who="sup", reason="x", action="confirm")
    store.close()
    db = str(tmp_path / "c.db")
    args = ["report", "--agreement", "--format", "json", "--db", db]
    everything = {
        o["rule"]: o for o in map(json.loads, CliRunner().invoke(main, args).stdout.splitlines())
    }
    sampled_out = CliRunner().invoke(main, [*args, "--sample", str(plan.id)])
    sampled = {o["rule"]: o for o in map(json.loads, sampled_out.stdout.splitlines())}
    assert everything["self_intro"]["reviewed"] == 1 and sampled["self_intro"]["reviewed"] == 1
    assert sampled["self_intro"]["agreement"] == 0.0  # the reviewer disagreed
    in_sample = call_id("c6") in {c.call_id for c in plan.calls}
    assert sampled["closing"]["reviewed"] == (1 if in_sample else 0)
    assert everything["closing"]["reviewed"] == 1
    bad = CliRunner().invoke(main, [*args, "--sample", "99"])
    assert bad.exit_code == 2 and "no sample plan 99" in bad.stderr
