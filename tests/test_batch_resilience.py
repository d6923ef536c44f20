"""Workers die with their parent, new databases are safe to race on, a full disk stops the
batch with one line, and a manifest's call times are checked."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner

from callqa.cli import main
from callqa.errors import ManifestError, StoreError
from callqa.run.batch import run_batch
from callqa.run.meta import parse_call_time, read_manifest
from callqa.run.pipeline import Pipeline
from callqa.store.db import MIGRATIONS, Store
from tests.conftest import ROOT, tone


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")  # a zombie has ended; only its exit status is left


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_their_parent(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import time
        from callqa.run.pipeline import Pipeline, PipelineSpec
        from callqa.run.workers import worker_pool

        # No model is needed to sleep: the workers (forked) build nothing.
        Pipeline.from_spec = classmethod(lambda cls, spec: None)

        pool = worker_pool(PipelineSpec(model="base", scorecard="etiquette"), 2)
        futures = [pool.submit(time.sleep, 120) for _ in range(2)]
        print(" ".join(map(str, pool._processes)), flush=True)
        time.sleep(120)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert parent.stdout is not None
        workers = [int(p) for p in parent.stdout.readline().split()]
        assert len(workers) == 2
        time.sleep(3)  # the workers are set up and busy
        assert not any(_gone(pid) for pid in workers)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        time.sleep(5)
        alive = [pid for pid in workers if not _gone(pid)]
        assert not alive, f"workers still alive 5 s after their parent was killed: {alive}"
    finally:
        parent.kill()
        for pid in workers if "workers" in locals() else []:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def _open(path: str, barrier: Any, results: Any) -> None:
    barrier.wait()
    try:
        store = Store.open(path)
        version = store.db.execute("PRAGMA user_version").fetchone()[0]
        store.close()
        results.put(f"ok {version}")
    except Exception as exc:  # reported to the test
        results.put(f"{type(exc).__name__}: {exc}")


def test_two_processes_create_the_same_new_database(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    failures = []
    for trial in range(20):
        path = str(tmp_path / f"new{trial}.db")
        barrier, results = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_open, args=(path, barrier, results)) for _ in range(2)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        got = [results.get(timeout=5) for _ in procs]
        if got != [f"ok {len(MIGRATIONS)}"] * 2:
            failures.append(got)
        assert Store.open(path).integrity_ok()
    assert not failures


def _calls(folder: Path, n: int) -> list[Path]:
    folder.mkdir(exist_ok=True)
    files = []
    for i in range(n):
        path = folder / f"A10{i:02d}_care_20261124-0930{i:02d}.wav"
        sf.write(path, tone(31.0 + i, channels=2), 8000)
        files.append(path)
    return files


def _intact(store: Store) -> int:
    """Every stored call is whole: a scoring, its 9 items and its utterances."""
    assert store.integrity_ok()
    scored = [r for r in store.calls() if r.status == "scored"]
    for row in scored:
        assert row.scoring_id is not None
        assert len(store.rule_results(row.scoring_id)) == 9
        assert store.utterances(row.scoring_id)
    return len(scored)


def test_full_database_stops_the_batch_with_one_error(tmp_path: Path, fake_pipeline: Any) -> None:
    files = _calls(tmp_path / "calls", 6)
    db = tmp_path / "c.db"
    store = Store.open(db)
    run_batch(files[:1], store, fake_pipeline)
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + 4}")  # room for about one more call
    with pytest.raises(StoreError) as err:
        run_batch(files, store, fake_pipeline)
    message = str(err.value)
    assert "\n" not in message and "full" in message and "the batch stopped" in message
    assert "free some disk space" in message
    store.close()
    assert 1 <= _intact(Store.open(db)) < len(files)


def test_read_only_database_is_one_error(tmp_path: Path, fake_pipeline: Any) -> None:
    files = _calls(tmp_path / "calls", 2)
    store = Store.open(tmp_path / "c.db")
    run_batch(files[:1], store, fake_pipeline)
    store.db.execute("PRAGMA query_only = ON")
    with pytest.raises(StoreError, match=r"readonly|read-only") as err:
        run_batch(files, store, fake_pipeline)
    assert "writable" in str(err.value)
    store.db.execute("PRAGMA query_only = OFF")
    assert _intact(store) == 1


@contextlib.contextmanager
def small_tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (not root); the size-limit test covers it")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.mark.skipif(os.geteuid() != 0 or not sys.platform.startswith("linux"), reason="mount")
def test_disk_full_through_the_cli(
    tmp_path: Path, fake_pipeline: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Pipeline, "from_spec", classmethod(lambda cls, spec: fake_pipeline))
    files = _calls(tmp_path / "calls", 40)
    with small_tmpfs(tmp_path / "small", "512k") as disk:
        db = disk / "c.db"
        result = CliRunner().invoke(
            main, ["score", *map(str, files), "--db", str(db), "--no-progress"]
        )
        assert result.exit_code == 2, result.output
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1 and "full" in errors[0], result.stderr
        assert "Traceback" not in result.output
        stored = _intact(Store.open(db))
        assert 0 < stored < len(files), result.stderr


def test_call_times_parse_as_iso_8601() -> None:
    assert parse_call_time("2026-11-24T09:30:15") == "2026-11-24T09:30:15"
    assert parse_call_time("2026-11-24 09:30") == "2026-11-24T09:30:00"
    assert parse_call_time("2026-11-24T01:30:15Z") == "2026-11-24T09:30:15"
    assert parse_call_time("2026-11-24T09:30:15+08:00") == "2026-11-24T09:30:15"
    assert parse_call_time("2026-11-24T09:30:15+00:00", "Europe/London") == "2026-11-24T09:30:15"
    assert parse_call_time("2026-11-24") == "2026-11-24"
    for bad in ("yesterday afternoon", "24/11/2026", "2026-13-01"):
        with pytest.raises(ValueError):
            parse_call_time(bad)


def test_bad_manifest_row_names_its_line(tmp_path: Path, stereo_wav: Path) -> None:
    manifest = tmp_path / "day.csv"
    manifest.write_text(
        "file,agent_id,team,call_time\n"
        "a.wav,A1,care,2026-11-24T09:30:15+08:00\n"
        "b.wav,A2,care,yesterday afternoon\n"
    )
    with pytest.raises(ManifestError, match=r"day\.csv line 3: call_time 'yesterday afternoon'"):
        read_manifest(manifest)
    result = CliRunner().invoke(
        main, ["score", str(stereo_wav), "--manifest", str(manifest), "--db", str(tmp_path / "x")]
    )
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "line 3" in line and "ISO 8601" in line
    manifest.write_text("file,call_time\na.wav,2026-11-24T01:30:15Z\n")
    assert read_manifest(manifest)["a.wav"].call_time == "2026-11-24T09:30:15"
    with pytest.raises(ManifestError, match="unknown time zone"):
        read_manifest(manifest, zone="Mars/Olympus")


def test_recording_that_stops_mid_speech_is_partial() -> None:
    from callqa.records import DecodedAudio, RoleAssignment, Transcript, Utterance, Word
    from callqa.run.pipeline import ends_mid_speech

    rate = 16_000
    signal = (0.3 * np.sin(2 * np.pi * 200 * np.arange(10 * rate) / rate)).astype(np.float32)
    audio = DecodedAudio("x.wav", (signal,), rate, 8000, 10.0)
    words = (Word(9.5, 9.9, "您", 0.9),)
    cut = Transcript(
        (Utterance(9.5, 9.9, "S1", "agent", "您", words),), 10.0, RoleAssignment("S1", 0.9)
    )
    found = ends_mid_speech(cut, audio)
    assert found is not None and found.declared_s is None and "mid-speech" in found.reason
    quiet = signal.copy()
    quiet[-rate:] = 0.0
    assert ends_mid_speech(cut, DecodedAudio("x.wav", (quiet,), rate, 8000, 10.0)) is None
    early = Transcript(
        (Utterance(5.0, 6.0, "S1", "agent", "您", (Word(5.0, 6.0, "您", 0.9),)),),
        10.0,
        RoleAssignment("S1", 0.9),
    )
    assert ends_mid_speech(early, audio) is None


def test_a_file_that_kills_its_worker_fails_alone(
    tmp_path: Path, fake_pipeline: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from callqa.run.pipeline import PipelineSpec

    files = _calls(tmp_path / "calls", 5)
    deadly = files[1]
    real = fake_pipeline.score_file

    def score_file(path: Any, **kw: Any) -> Any:
        if Path(path) == deadly:
            os.kill(os.getpid(), signal.SIGKILL)  # as a decoder crash or the OOM killer would
        return real(path, **kw)

    monkeypatch.setattr(fake_pipeline, "score_file", score_file)
    fake_pipeline.spec = PipelineSpec(model="fake", scorecard="etiquette")
    # Worker processes are forked: they build this same fake pipeline.
    monkeypatch.setattr(Pipeline, "from_spec", classmethod(lambda cls, spec: fake_pipeline))
    store = Store.open(tmp_path / "c.db")
    summary = run_batch(files, store, fake_pipeline, workers=2)
    assert (summary.scored, summary.failed) == (4, 1)
    (failed,) = [o for o in summary.outcomes if o.status == "failed"]
    assert failed.file == str(deadly) and "worker process died" in (failed.error or "")
    assert _intact(store) == 4
