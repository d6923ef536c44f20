"""Every surface shows the same effective score after a review: `calls`, `show`,
`score --json`, `report` and the web pages (all read the `call_scores` view)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from callqa.cli import main
from callqa.run.pipeline import Pipeline
from callqa.store.calls import call_score
from callqa.store.db import Store


@pytest.fixture
def fake_cli(monkeypatch: pytest.MonkeyPatch, fake_pipeline: Any) -> None:
    monkeypatch.setattr(Pipeline, "from_spec", classmethod(lambda cls, spec: fake_pipeline))


def test_every_surface_shows_the_reviewed_score(
    fake_cli: None, tmp_path: Path, stereo_wav: Path
) -> None:
    db = str(tmp_path / "c.db")
    runner = CliRunner()
    assert (
        runner.invoke(main, ["score", str(stereo_wav), "--db", db, "--no-progress"]).exit_code == 0
    )
    store = Store.open(db)
    (row,) = store.calls()
    before = call_score(store, row.call_id)
    assert before is not None
    items = store.rule_results(before.scoring_id)
    item = next(r for r in items if r.status == "pass" and r.max_points > 0)

    out = runner.invoke(
        main,
        [
            "review",
            row.call_id[:10],
            item.id,
            "--reject",
            "--reason",
            "heard it",
            "--who",
            "li",
            "--db",
            db,
        ],
    )
    assert out.exit_code == 0, out.output
    after = call_score(store, row.call_id)
    assert after is not None and after.score == before.score - item.max_points
    assert after.machine_score == before.score
    want = f"{after.score:.1f}"

    calls = runner.invoke(main, ["calls", "--db", db]).stdout
    assert re.search(rf"\s{re.escape(want)}\s+{after.verdict}", calls), calls

    show = runner.invoke(main, ["show", row.call_id[:10], "--db", db]).stdout
    assert f"Score {want}/" in show and "changed by review" in show
    lines = runner.invoke(main, ["show", row.call_id[:10], "--format", "json", "--db", db]).stdout
    objs = [json.loads(line) for line in lines.splitlines()]
    assert (objs[0]["score"], objs[0]["verdict"]) == (after.score, after.verdict)
    assert {o["rule_id"]: o["status"] for o in objs if o["kind"] == "item"}[item.id] == "fail"

    again = runner.invoke(main, ["score", str(stereo_wav), "--db", db, "--json", "--no-progress"])
    obj = json.loads(again.stdout.strip())
    assert (obj["score"], obj["verdict"]) == (round(after.score, 1), after.verdict)
    assert {r["id"]: r["status"] for r in obj["rules"]}[item.id] == "fail"

    report = runner.invoke(main, ["report", "--by", "agent", "--format", "json", "--db", db])
    (group,) = [json.loads(line) for line in report.stdout.splitlines()]
    assert group["avg_score"] == round(after.score, 4)
    week = runner.invoke(
        main,
        ["report", "--by", "week", "--since", "2026-11-24T00:00", "--format", "json", "--db", db],
    )
    assert json.loads(week.stdout.splitlines()[0])["avg_score"] == round(after.score, 4)

    from callqa.web import create_app
    from callqa.web.users import add_user, open_auth

    auth = open_auth(db)
    add_user(auth, "sup", role="supervisor", password="correct horse 1")
    auth.close()
    app = create_app(db, secret_key="test")
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    client.post("/login", data={"name": "sup", "password": "correct horse 1", "csrf_token": token})
    call_page = client.get(f"/calls/{row.call_id}").get_data(as_text=True)
    assert f'<b id="score-value">{want}</b>' in call_page
    listing = client.get("/calls").get_data(as_text=True)
    assert f"{after.score:.0f}<small>/" in listing
    reports = client.get("/reports?by=agent").get_data(as_text=True)
    assert f"{after.score:.1f}" in reports
