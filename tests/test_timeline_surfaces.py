"""The timeline and metrics where people and tools see them: store, JSON, show, report, web."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner

from callqa.cli import main
from callqa.records import SAMPLE_RATE
from callqa.review.relabel import relabel
from callqa.run.batch import run_batch
from callqa.store.db import Store
from tests.test_timeline import _clips, _place

METRIC_KEYS = {
    "agent_talk_s",
    "customer_talk_s",
    "silence_s",
    "longest_silence_s",
    "overlap_s",
    "agent_interruptions",
    "customer_interruptions",
    "agent_cpm",
    "agent_level_dbfs",
    "customer_level_dbfs",
    "agent_clipping",
    "customer_clipping",
}


@pytest.fixture
def scored(tmp_path: Path, fake_pipeline: Any) -> tuple[Store, str, Path]:
    """A stereo call of real speech (agent left), scored into a database."""
    clips, _ = _clips()
    n = 32 * SAMPLE_RATE
    left = _place(n, [(0.5, clips["agent1"]), (15.0, clips["agent2"])], 1)
    right = _place(n, [(9.0, clips["customer1"]), (27.0, clips["customer2"])], 2)
    path = tmp_path / "A1023_care_20261124-093015.wav"
    sf.write(path, np.stack([left, right], axis=1), SAMPLE_RATE)
    db = tmp_path / "c.db"
    store = Store.open(db)
    run_batch([path], store, fake_pipeline)
    return store, store.calls()[0].call_id, db


def test_timeline_and_metrics_are_stored_and_read_back(scored: tuple[Store, str, Path]) -> None:
    store, call_id, _ = scored
    scoring = store.latest_scoring(call_id)
    assert scoring is not None
    t = store.load_transcript(scoring.id).timeline
    assert t is not None and t.source == "channels"
    assert [(lane.speaker, lane.role) for lane in t.lanes] == [
        ("left", "agent"),
        ("right", "customer"),
    ]
    m = store.load_metrics(scoring.id)
    assert m is not None and m.agent_interruptions == 1 and m.longest_silence_s > 2.0
    # the metrics are real columns, for SQL reports
    row = store.db.execute(
        "SELECT agent_talk_s, agent_interruptions FROM scorings WHERE id = ?", [scoring.id]
    ).fetchone()
    assert row == (m.agent_talk_s, 1)


def test_relabel_swaps_the_lanes_and_metrics(scored: tuple[Store, str, Path]) -> None:
    from callqa.scoring.scorecard import load_scorecard

    store, call_id, _ = scored
    before = store.load_metrics(store.latest_scoring(call_id).id)  # type: ignore[union-attr]
    relabel(store, call_id, scorecard=load_scorecard("etiquette"), who="li")
    scoring = store.latest_scoring(call_id)
    assert scoring is not None
    t = store.load_transcript(scoring.id).timeline
    assert t is not None and t.lane("agent").speaker == "right"  # type: ignore[union-attr]
    after = store.load_metrics(scoring.id)
    assert before is not None and after is not None
    assert after.agent_talk_s == before.customer_talk_s
    assert (after.agent_interruptions, after.customer_interruptions) == (0, 1)


def test_score_json_show_and_report_carry_the_metrics(
    scored: tuple[Store, str, Path], tmp_path: Path
) -> None:
    from callqa.cli.score_cmd import _json_for
    from callqa.run.pipeline import FileOutcome

    store, call_id, db = scored
    out = _json_for(store, FileOutcome("x.wav", "skipped", call_id))
    assert set(out["metrics"]) == METRIC_KEYS
    assert out["metrics"]["agent_interruptions"] == 1 and "reason" not in out

    shown = CliRunner().invoke(main, ["show", call_id[:10], "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    assert "Timeline (from the channels)" in shown.output
    assert re.search(r"agent +\|[█▌·]+\|", shown.output)
    assert "interruptions agent 1" in shown.output

    report = CliRunner().invoke(main, ["report", "--format", "json", "--db", str(db)])
    assert report.exit_code == 0, report.output
    (row,) = [json.loads(line) for line in report.stdout.splitlines()]
    assert row["interruptions_per_call"] == 1.0
    assert 0.3 < row["talk_ratio"] < 0.7 and 0 < row["silence_share"] < 0.5
    assert row["agent_level_dbfs"] is not None
    csv_out = CliRunner().invoke(main, ["report", "--format", "csv", "--db", str(db)])
    assert "talk_ratio,silence_share,interruptions_per_call,agent_cpm" in csv_out.stdout
    table = CliRunner().invoke(main, ["report", "--db", str(db)])
    assert table.stdout.splitlines()[0].split()[5:10] == ["talk", "silence", "cuts", "cpm", "dBFS"]


def test_call_page_shows_the_timeline_bar(scored: tuple[Store, str, Path]) -> None:
    from callqa.web import create_app
    from callqa.web.users import add_user, open_auth
    from tests.test_web import login
    from tests.web.fixture_db import PASSWORD

    _, call_id, db = scored
    auth = open_auth(str(db))
    add_user(auth, "sup", role="supervisor", password=PASSWORD)
    auth.close()
    client, _ = login(create_app(str(db), secret_key="test-secret"), "sup")
    page = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert 'id="timeline"' in page
    assert re.search(r'class="seg agent"[^>]*data-seek="0\.\d\d"', page)
    assert 'class="seg overlap"' in page and 'class="seg silence"' in page
