"""The batch: good calls stored, bad files recorded with reasons, the batch goes on."""

from __future__ import annotations

import contextlib
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from callqa.run.batch import collect_files, run_batch
from callqa.store.db import Store
from tests.conftest import tone


def make_bad_files(folder: Path, good: Path) -> dict[str, Path]:
    """At least 8 kinds of bad input, each named for what is wrong with it."""
    folder.mkdir(exist_ok=True)
    bad = {
        "missing": folder / "missing.wav",
        "empty": folder / "empty.wav",
        "not_audio": folder / "report.mp3",
        "corrupt": folder / "corrupt.flac",
        "truncated": folder / "truncated.wav",
        "zero_length": folder / "zero_length.wav",
        "silent": folder / "silent.wav",
        "noise_only": folder / "noise_only.wav",
        "too_long": folder / "too_long.wav",
        "folder": folder / "folder.wav",
        "dangling_link": folder / "link.wav",
    }
    bad["empty"].write_bytes(b"")
    bad["not_audio"].write_text("Quarterly report\n" * 200)
    bad["corrupt"].write_bytes(b"fLaC" + os.urandom(20000))
    bad["truncated"].write_bytes(good.read_bytes()[:44])
    sf.write(bad["zero_length"], np.zeros(0, dtype=np.float32), 8000)
    sf.write(bad["silent"], np.zeros(8000 * 10, dtype=np.float32), 8000)
    rng = np.random.default_rng(0)
    sf.write(bad["noise_only"], (0.005 * rng.standard_normal(8000 * 10)).astype(np.float32), 8000)
    sf.write(bad["too_long"], tone(40.0), 8000)  # the batch below allows 35 s
    bad["folder"].mkdir()
    bad["dangling_link"].symlink_to(folder / "nowhere.wav")
    return bad


def test_batch_with_bad_files(
    tmp_path: Path, fake_pipeline: Any, stereo_wav: Path, mono_flac: Path
) -> None:
    bad = make_bad_files(tmp_path / "bad", stereo_wav)
    db = tmp_path / "calls.db"
    store = Store.open(db)
    files = [stereo_wav, *bad.values(), mono_flac]
    fake_pipeline.options = replace(fake_pipeline.options, max_duration=35.0)
    summary = run_batch(files, store, fake_pipeline)

    assert (summary.scored, summary.failed) == (2, len(bad))
    rows = {Path(r.file).name: r for r in store.calls()}
    assert rows[stereo_wav.name].status == "scored" and rows[mono_flac.name].status == "scored"
    reasons = {name: rows[p.name].error for name, p in bad.items()}
    assert all(r for r in reasons.values()), reasons
    assert "not found" in reasons["missing"]
    assert "empty" in reasons["empty"]
    assert "silent" in reasons["silent"]
    assert "no speech" in reasons["noise_only"]
    assert "too long" in reasons["too_long"]
    assert "folder" in reasons["folder"]
    assert store.integrity_ok()

    # The good call knows its agent from the file-name pattern, and its verdicts are stored.
    call = store.call(rows[stereo_wav.name].call_id)
    assert (call.agent_id, call.team) == ("A1023", "care")
    scoring = store.latest_scoring(call.call_id)
    assert scoring is not None
    statuses = {r.id: r.status for r in store.rule_results(scoring.id)}
    assert statuses["self_intro"] == "pass"
    assert statuses["forbidden_phrases"] == "pass"


def test_rerun_skips_and_force_rescores(
    tmp_path: Path, fake_pipeline: Any, stereo_wav: Path
) -> None:
    store = Store.open(tmp_path / "calls.db")
    assert run_batch([stereo_wav], store, fake_pipeline).scored == 1
    again = run_batch([stereo_wav], store, fake_pipeline)
    assert (again.scored, again.skipped) == (0, 1)
    assert "1 skipped" in again.line
    forced = run_batch([stereo_wav], store, fake_pipeline, force=True)
    assert forced.scored == 1
    assert len(list(store.db.query("SELECT id FROM scorings"))) == 1


def test_interrupt_keeps_finished_calls(tmp_path: Path, fake_pipeline: Any) -> None:
    files = []
    for i in range(3):
        path = tmp_path / f"call{i}.wav"
        sf.write(path, tone(30.0 + i, channels=2), 8000)
        files.append(path)
    store = Store.open(tmp_path / "calls.db")
    seen = 0

    def hook(step: str, **info: Any) -> None:
        nonlocal seen
        seen += 1
        if seen == 2:
            raise KeyboardInterrupt

    with contextlib.suppress(KeyboardInterrupt):
        run_batch(files, store, fake_pipeline, hook=hook)
    reopened = Store.open(tmp_path / "calls.db")
    assert len(reopened.calls()) == 2
    assert reopened.integrity_ok()


def test_collect_files_walks_folders(tmp_path: Path, stereo_wav: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    sub = tmp_path / "day2"
    sub.mkdir()
    sf.write(sub / "b.flac", tone(1.0), 8000)
    found = collect_files([tmp_path])
    assert [p.name for p in found] == [stereo_wav.name, "b.flac"]
