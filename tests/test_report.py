from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from callqa.review.report import (
    OTHERS,
    Filters,
    ReportError,
    period_key,
    records,
    render,
    render_chart,
    rule_summary,
    summarize,
    trend,
)
from callqa.review.reviews import review_rule
from callqa.store.calls import call_score, list_calls
from callqa.store.db import Store
from tests.web.fixture_db import CALLS, build, call_id

INJECTIONS = ["' OR '1'='1", "A1'; DROP TABLE calls; --", '" OR 1=1 --', "%", "A1%", "_1"]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    build(tmp_path / "c.db").close()
    return tmp_path / "c.db"


@pytest.fixture
def store(db: Path) -> Store:
    return Store.open(db)


def by_group(rows: list[dict[str, object]]) -> dict[object, dict[str, object]]:
    return {r["group"]: r for r in rows}


def test_by_agent_known_numbers(store: Store) -> None:
    rows = by_group(records(summarize(store, Filters(), "agent")))
    assert list(rows) == ["A1", "A2", "B1", "B2"]
    a1 = rows["A1"]
    assert (a1["calls"], a1["avg_score"], a1["pass_rate"]) == (3, 90.0, 0.6667)
    assert a1["audio_hours"] == round(48 / 3600, 4)
    assert (a1["fail_self_intro"], a1["fail_forbidden_phrases"], a1["fail_closing"]) == (
        0.3333,
        0.3333,
        0.0,
    )
    b1 = rows["B1"]
    assert (b1["calls"], b1["avg_score"], b1["pass_rate"]) == (2, 80.0, 0.5)
    assert b1["fail_closing"] == 1.0  # c7's closing is na: not counted
    assert rows["B2"]["avg_score"] == 90.0


def test_latest_scoring_counts_and_failed_calls_do_not(store: Store) -> None:
    rows = list_calls(store, limit=100).rows
    assert len(rows) == len(CALLS) and call_id("bad") not in {r.call_id for r in rows}
    assert sum(r.calls for r in summarize(store, Filters(), "agent")) == len(CALLS)
    c2 = call_score(store, call_id("c2"))
    assert c2 is not None and c2.score == 90.0  # not the older 50.0 scoring


def test_by_team_and_time(store: Store) -> None:
    team = by_group(records(summarize(store, Filters(), "team")))
    assert (team["care"]["calls"], team["care"]["avg_score"], team["care"]["pass_rate"]) == (
        5,
        90.0,
        0.8,
    )
    assert (team["sales"]["calls"], team["sales"]["avg_score"]) == (3, 83.3333)
    week = by_group(records(summarize(store, Filters(), "week")))
    assert list(week) == ["2026-W48", "2026-W49"]
    assert (week["2026-W48"]["calls"], week["2026-W48"]["avg_score"]) == (5, 86.0)
    assert (week["2026-W49"]["calls"], week["2026-W49"]["avg_score"]) == (3, 90.0)
    day = by_group(records(summarize(store, Filters(), "day")))
    assert {k: v["calls"] for k, v in day.items()} == {
        "2026-11-23": 2,
        "2026-11-24": 3,
        "2026-11-30": 1,
        "2026-12-01": 2,
    }
    month = by_group(records(summarize(store, Filters(), "month")))
    assert {k: v["calls"] for k, v in month.items()} == {"2026-11": 6, "2026-12": 2}


def test_period_keys() -> None:
    assert period_key("2026-12-31T23:00:00", "week") == "2026-W53"
    assert period_key("2027-01-01T01:00:00", "week") == "2026-W53"
    assert period_key(None, "day") == "unknown"
    assert period_key("garbage", "month") == "unknown"


def test_filters(store: Store) -> None:
    def ids(**kw: str) -> list[str]:
        return sorted(r.call_id for r in list_calls(store, Filters.parse(**kw), limit=100).rows)

    assert ids(agent="A2") == sorted([call_id("c4"), call_id("c5")])
    assert len(ids(team="sales")) == 3
    assert len(ids(since="2026-11-24")) == 6
    assert ids(until="2026-11-23") == sorted([call_id("c1"), call_id("c2")])  # inclusive day
    assert ids(since="2026-11-23T09:30", until="2026-11-24T10:00") == sorted(
        [call_id("c2"), call_id("c4")]
    )
    assert len(ids(since="2026-11-24", until="2026-11-30", team="care")) == 3


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01", "2026-11-24' OR 1=1 --", "1; DROP"])
def test_bad_dates_are_refused(bad: str) -> None:
    with pytest.raises(ReportError, match="date"):
        Filters.parse(since=bad)


@pytest.mark.parametrize("evil", INJECTIONS)
def test_sql_injection_in_filters_matches_nothing(store: Store, evil: str) -> None:
    assert list_calls(store, Filters.parse(agent=evil)).rows == ()
    assert list_calls(store, Filters.parse(team=evil)).rows == ()
    assert summarize(store, Filters.parse(agent=evil), "agent") == []
    assert summarize(store, Filters.parse(team=evil, since="2026-01-01T00:00"), "team") == []
    assert store.db.execute("SELECT count(*) FROM calls").fetchone()[0] == len(CALLS) + 1


def test_reviews_change_the_report(store: Store) -> None:
    review_rule(store, call_id("c6"), "forbidden_phrases", new_status="pass", who="s", reason="x")
    review_rule(store, call_id("c1"), "closing", new_status="fail", who="s", reason="y")
    review_rule(store, call_id("c2"), "self_intro", new_status="fail", who="s", reason="z")
    rows = by_group(records(summarize(store, Filters(), "agent")))
    assert (rows["B1"]["avg_score"], rows["B1"]["pass_rate"]) == (90.0, 1.0)
    assert rows["A1"]["avg_score"] == 86.6667 and rows["A1"]["fail_closing"] == 0.3333
    rules = {r.rule: r for r in rule_summary(store)}
    fp = rules["forbidden_phrases"]
    assert (fp.calls, fp.fails, fp.reviewed, fp.agreed, fp.false_alarms, fp.agreement) == (
        8,
        1,
        1,
        0,
        1,
        0.0,
    )
    closing = rules["closing"]
    assert (closing.calls, closing.fails, closing.misses, closing.agreement) == (7, 4, 1, 0.0)
    intro = rules["self_intro"]
    assert (intro.reviewed, intro.agreed, intro.agreement) == (1, 1, 1.0)


def test_render_formats(store: Store) -> None:
    rows = summarize(store, Filters(), "team")
    table = render(rows, "table", by="team").splitlines()
    assert table[0].split()[:5] == ["team", "calls", "audio_hours", "avg_score", "pass_rate"]
    assert table[1].split()[:5] == ["care", "5", "0.03", "90.0", "80%"]
    parsed = list(csv.DictReader(io.StringIO(render(rows, "csv", by="team"))))
    assert parsed[1]["group"] == "sales" and parsed[1]["fail_closing"] == "1.0"
    data = json.loads(render(rows, "json", by="team"))
    assert data["by"] == "team" and data["rows"][0]["calls"] == 5
    assert render([], "table", by="agent") == "agent"


def test_trend_top_n_and_others(store: Store) -> None:
    t = trend(store, lines="agent", period="week", top=2)
    assert t.periods == ("2026-W48", "2026-W49")
    assert list(t.series) == ["A1", "A2", OTHERS]  # A1 3 calls, A2 2, B1 2 (name order)
    assert t.series["A1"] == (95.0, 80.0)
    assert t.series["A2"] == (90.0, None)
    assert t.series[OTHERS] == (60.0, 95.0)  # B1 c6; B1 c7 + B2 c8
    with pytest.raises(ReportError):
        trend(store, lines="rule")


def test_chart_png(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "trend.png"
    render_chart(trend(store, lines="team", period="day"), str(path))
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and 5_000 < len(data) < 300_000
    buf = io.BytesIO()
    render_chart(trend(store, Filters(agent="nobody"), period="day"), buf)  # still a picture
    assert buf.getvalue()[:4] == b"\x89PNG"


def test_cli_report(db: Path, tmp_path: Path) -> None:
    from callqa.cli import main

    runner = CliRunner()
    chart = tmp_path / "t.png"
    out = runner.invoke(
        main, ["report", "--by", "week", "--db", str(db), "--format", "json", "--chart", str(chart)]
    )
    assert out.exit_code == 0, out.output
    first = json.loads(out.stdout.splitlines()[0])  # one object per line
    assert first["group"] == "2026-W48" and first["by"] == "week"
    assert chart.read_bytes()[:4] == b"\x89PNG"
    out = runner.invoke(main, ["report", "--agreement", "--db", str(db)])
    assert out.exit_code == 0 and out.stdout.splitlines()[0].split()[0] == "rule"
    out = runner.invoke(main, ["report", "--since", "x' OR 1=1 --", "--db", str(db)])
    assert out.exit_code == 2 and "is not a date" in out.output
    out = runner.invoke(main, ["report", "--agent", "' OR 1=1 --", "--db", str(db)])
    assert out.exit_code == 0 and out.stdout.strip() == ""
    assert "no scored calls match" in out.stderr
    out = runner.invoke(main, ["report", "--agreement", "--by", "team", "--db", str(db)])
    assert out.exit_code == 2
