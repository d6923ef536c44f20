"""`callqa score --ray-address` against a real local Ray cluster, started once per session.

The actors build their pipelines from a `PipelineSpec` that names the fake transcriber and
diarizer by import path (`tests.fakes`), so no model loads; one end-to-end test runs the
real model on one sample.
"""

from __future__ import annotations

import importlib
import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner, Result

from callqa.cli import main, score_cmd
from callqa.run.batch import collect_files, run_batch
from callqa.run.pipeline import Pipeline, PipelineSpec
from callqa.run.ray_backend import PoolPlan, plan_pool, ray_executor
from callqa.store.db import Store
from tests.conftest import ROOT, SAMPLES
from tests.fakes import KILL_DIR_ENV

# CI installs the ray extra and must run these; elsewhere they skip without it.
ray = importlib.import_module("ray") if os.environ.get("CI") else pytest.importorskip("ray")

FAKES = {"transcriber": "tests.fakes:script_transcriber", "diarizer": "tests.fakes:script_diarizer"}


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A 2-CPU Ray cluster for the session; yields the dying transcriber's folder."""
    kill_dir = tmp_path_factory.mktemp("ray-kill")
    saved = {k: os.environ.get(k) for k in ("PYTHONPATH", KILL_DIR_ENV)}
    # The workers inherit these: `tests.fakes` must import there too.
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), saved["PYTHONPATH"]]))
    os.environ[KILL_DIR_ENV] = str(kill_dir)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield kill_dir
    ray.shutdown()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def fake_specs(monkeypatch: pytest.MonkeyPatch) -> None:
    """`callqa score` builds specs naming the fakes (in the driver and in every actor)."""

    def spec(**kwargs: Any) -> PipelineSpec:
        return PipelineSpec(**{**kwargs, **FAKES})

    monkeypatch.setattr(score_cmd, "PipelineSpec", spec)


def _score(*args: str) -> Result:
    return CliRunner().invoke(main, ["score", "--no-progress", *args])


def _json_lines(result: Result) -> dict[str, dict[str, Any]]:
    objs = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return {o["file"]: o for o in objs}


def test_plan_pool_from_cluster_resources() -> None:
    assert plan_pool([{"CPU": 2.0}]) == PoolPlan(2, 1.0, 0.0, 1)
    assert plan_pool([{"CPU": 16.0}], workers=4) == PoolPlan(4, 4.0, 0.0, 4)
    assert plan_pool([{"CPU": 2.0}], workers=8) == PoolPlan(8, 0.25, 0.0, 1)
    # threads never exceed the biggest node, or the actor could never be placed
    assert plan_pool([{"CPU": 2.0}, {"CPU": 2.0}], workers=1) == PoolPlan(1, 2.0, 0.0, 2)
    assert plan_pool([{"CPU": 16.0, "GPU": 1.0}]) == PoolPlan(1, 4.0, 1.0, 4)
    assert plan_pool([{"CPU": 16.0, "GPU": 1.0}], workers=4) == PoolPlan(4, 4.0, 0.25, 4)
    assert plan_pool([{"CPU": 8.0, "GPU": 4.0}]).num_gpus == 1.0


def test_samples_through_ray_match_the_local_run_and_rerun_skips(
    cluster: Path, fake_specs: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    common = [str(SAMPLES), "--json", "--manifest", str(SAMPLES / "manifest.csv")]
    local = _score(*common, "--db", str(tmp_path / "local.db"))
    db = str(tmp_path / "ray.db")
    on_ray = _score(*common, "--db", db, "--ray-address", "local", "--ray-workers", "2")
    assert local.exit_code == on_ray.exit_code == 0, on_ray.output
    assert "6 scored, 0 skipped (already scored), 0 failed" in on_ray.stderr
    assert len(_json_lines(on_ray)) == 6
    assert _json_lines(on_ray) == _json_lines(local)  # verdicts, scores, evidence, metrics

    # With nothing left to score, no local cluster is started.
    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", lambda **kw: pytest.fail("started Ray for nothing"))
    again = _score(*common, "--db", db, "--ray-address", "local")
    assert again.exit_code == 0, again.output
    assert "0 scored, 6 skipped (already scored), 0 failed" in again.stderr
    assert _json_lines(again) == _json_lines(local)


def test_bad_files_are_recorded_as_failed_as_locally(
    cluster: Path, fake_specs: None, tmp_path: Path
) -> None:
    good = tmp_path / "A1023_care_20261124-093015.wav"
    t = np.arange(8000 * 20) / 8000
    sf.write(good, (0.3 * np.sin(2 * np.pi * 300 * t)).astype(np.float32), 8000)
    garbage = tmp_path / "garbage.wav"
    garbage.write_bytes(b"RIFF....WAVEfmt not audio at all")
    silent = tmp_path / "silent.flac"
    sf.write(silent, np.zeros(8000 * 5, dtype=np.float32), 8000)
    files = [str(good), str(garbage), str(silent), str(tmp_path / "missing.wav")]

    local = _score(*files, "--db", str(tmp_path / "local.db"))
    db = tmp_path / "ray.db"
    shipped = _score(*files, "--db", str(db), "--ray-address", "local", "--ray-ship-audio")
    assert local.exit_code == shipped.exit_code == 1
    assert "1 scored, 0 skipped (already scored), 3 failed" in shipped.stderr

    def failures(result: Result) -> set[str]:
        return {line for line in result.stderr.splitlines() if line.startswith("failed:")}

    assert len(failures(shipped)) == 3
    assert failures(shipped) == failures(local)  # the reasons name the file, not a temp copy
    assert "callqa-ray-" not in shipped.output
    rows = {r.file: r for r in Store.open(db).calls()}
    assert rows[str(silent)].status == "failed" and "silent" in (rows[str(silent)].error or "")
    assert rows[str(good)].status == "scored"


def test_a_worker_killed_mid_batch_and_every_call_stored_once(
    cluster: Path, tmp_path: Path
) -> None:
    for i in range(6):
        t = np.arange(8000 * 20) / 8000
        tone = (0.3 * np.sin(2 * np.pi * (200 + 40 * i) * t)).astype(np.float32)
        sf.write(tmp_path / f"call{i}.wav", np.stack([tone, 0.5 * tone], axis=1), 8000)
    spec = PipelineSpec(
        model="base",
        scorecard="etiquette",
        transcriber="tests.fakes:dying_transcriber",
        diarizer="tests.fakes:script_diarizer",
    )
    (cluster / "armed").touch()
    db = tmp_path / "c.db"
    store = Store.open(db)
    try:
        with ray_executor(spec, address="local", workers=2) as executor:
            summary = run_batch(
                collect_files([tmp_path]), store, Pipeline.from_spec(spec), executor=executor
            )
    finally:
        (cluster / "armed").unlink()
    assert (cluster / "fired").exists()  # one worker process did die mid-call
    pids = set((cluster / "pids").read_text().split())
    assert len(pids) >= 3  # two workers, and the one that replaced the dead one
    assert (summary.scored, summary.failed) == (6, 0)
    with sqlite3.connect(db) as conn:
        counts = conn.execute("SELECT call_id, COUNT(*) FROM scorings GROUP BY call_id").fetchall()
    assert len(counts) == 6 and {n for _id, n in counts} == {1}


def test_ray_options_need_an_address(tmp_path: Path, stereo_wav: Path) -> None:
    result = _score(str(stereo_wav), "--db", str(tmp_path / "c.db"), "--ray-workers", "2")
    assert result.exit_code == 2 and "need --ray-address" in result.stderr
    both = ["--ray-address", "local", "--workers", "2"]
    result = _score(str(stereo_wav), "--db", str(tmp_path / "c.db"), *both)
    assert result.exit_code == 2 and "--ray-workers" in result.stderr


def test_missing_ray_is_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch, fake_specs: None, tmp_path: Path, stereo_wav: Path
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    result = _score(str(stereo_wav), "--db", str(tmp_path / "c.db"), "--ray-address", "auto")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("Error: Ray is not installed - run: pip install 'callqa[ray]'")


@pytest.mark.e2e
def test_real_model_on_ray_gives_the_expected_verdict(cluster: Path, tmp_path: Path) -> None:
    sample = SAMPLES / "call02_forbidden_mono.flac"
    expected = json.loads(sample.with_name(sample.stem + ".expected.json").read_text())
    result = _score(str(sample), "--db", str(tmp_path / "c.db"), "--json", "--ray-address", "local")
    assert result.exit_code == 0, result.output
    obj = _json_lines(result)[str(sample)]
    assert obj["verdict"] == expected["verdict"]
    statuses = {r["id"]: r["status"] for r in obj["rules"]}
    assert {k: statuses[k] for k in expected["expected_rules"]} == expected["expected_rules"]
