"""A batch never stops on one file, and a recording cut short is never scored as a whole call.

The acceptance batch of issue 16: good calls among every kind of hostile input, through
the real `callqa score` command with a fake transcriber.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner

from callqa.cli import main
from callqa.records import Turn
from callqa.run import guard
from callqa.run.batch import collect_files, run_batch
from callqa.run.guard import check_file, time_limit
from callqa.run.names import printable
from callqa.run.pipeline import Pipeline
from callqa.scoring.scorecard import load_scorecard
from callqa.store.db import Store
from tests.conftest import ROOT, tone
from tests.fakes import GOOD_AGENT, GOOD_CUSTOMER, FakeDiarizer, FakeTranscriber, segment

AGENT_INTRO = segment(0.5, "您好，欢迎致电星河通信，工号1023，很高兴为您服务，请问有什么可以帮您？")
"""An opening that passes `self_intro`: the items a cut cannot explain pass on good calls."""


@pytest.fixture
def heard_pipeline() -> Pipeline:
    """Like `fake_pipeline`, but only what was said before the audio ends is heard."""
    agent = [AGENT_INTRO, *GOOD_AGENT[1:]]
    mono = sorted([*agent, *GOOD_CUSTOMER], key=lambda s: s.start)
    turns = [Turn(s.start, s.end, "S1" if s in agent else "S2") for s in mono]
    script = {0: agent, 1: GOOD_CUSTOMER, None: mono}
    return Pipeline(
        transcriber=FakeTranscriber(script, sample_rate=16_000),
        scorecard=load_scorecard("etiquette"),
        diarizer=FakeDiarizer(turns),
    )


def write_mp3(path: Path, seconds: float, *, rate: int = 16_000) -> None:
    t = np.arange(int(seconds * rate)) / rate
    y = (0.3 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
    with av.open(str(path), "w") as out:
        stream = out.add_stream("mp3", rate=rate, layout="mono")
        for i in range(0, len(y), 1152):
            frame = av.AudioFrame.from_ndarray(y[None, i : i + 1152], format="fltp", layout="mono")
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def wav_with_header(path: Path, good: Path, **fields: int) -> None:
    """A copy of `good` (a 44-byte-header PCM WAV) with fmt fields overwritten."""
    data = bytearray(good.read_bytes()[:200_000])
    offsets = {"format_tag": 20, "bits": 34}
    for name, value in fields.items():
        data[offsets[name] : offsets[name] + 2] = struct.pack("<H", value)
    path.write_bytes(bytes(data))


def hostile_batch(folder: Path, good: Path) -> dict[str, Path]:
    """Every kind of bad input of issue 16, by what is wrong with it."""
    folder.mkdir()
    bad: dict[str, Path] = {}
    bad["fifo"] = folder / "fifo.wav"
    os.mkfifo(bad["fifo"])
    bad["dev_zero"] = folder / "zero.wav"
    bad["dev_zero"].symlink_to("/dev/zero")
    bad["loop"] = folder / "loop.wav"
    (folder / "loop2.wav").symlink_to(bad["loop"])
    bad["loop"].symlink_to(folder / "loop2.wav")
    raw = os.fsencode(folder) + b"/bad_\xff\xfe.wav"
    with open(raw, "wb") as fh:
        fh.write(good.read_bytes())
    bad["not_utf8"] = Path(os.fsdecode(raw))
    bad["bits0"] = folder / "bits0.wav"
    wav_with_header(bad["bits0"], good, bits=0)
    bad["format_tag"] = folder / "tag.wav"
    wav_with_header(bad["format_tag"], good, format_tag=0x1234)
    bad["unreadable"] = folder / "locked.wav"
    shutil.copy(good, bad["unreadable"])
    bad["unreadable"].write_bytes(good.read_bytes() + b"\0")  # other audio than `good`
    bad["unreadable"].chmod(0)
    bad["folder"] = folder / "x.wav"
    bad["folder"].mkdir()
    bad["newline"] = folder / "new\nline.wav"
    bad["newline"].write_bytes(b"RIFF\0\0\0\0WAVEjunk" * 10)
    bad["ansi"] = folder / "\x1b[31mred\x1b[0m\r.mp3"
    bad["ansi"].write_text("not audio at all\n" * 50)
    return bad


def test_acceptance_batch(
    tmp_path: Path, heard_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = tmp_path / "A1023_care_20261124-093015.wav"
    sf.write(good, tone(32.0, channels=2), 8000, subtype="PCM_16")
    mono = tmp_path / "A2002_care_20261124-100000.flac"
    sf.write(mono, tone(32.0), 8000)
    copy = tmp_path / "backup_copy.wav"
    shutil.copy(good, copy)
    cut = tmp_path / "A3003_care_20261124-110000.wav"  # its header promises 32 s, holds 15 s
    cut.write_bytes(good.read_bytes()[: 44 + 15 * 8000 * 4])
    damaged = tmp_path / "A4004_sales_20261124-120000.mp3"
    write_mp3(damaged, 30.0)
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2 :] = np.random.default_rng(0).bytes(len(data) - len(data) // 2)
    damaged.write_bytes(bytes(data))
    bad = hostile_batch(tmp_path / "bad", good)
    # Running as root, permissions do not stop a read: simulate the refusal.
    monkeypatch.setattr(guard, "readable", lambda p: p.name != "locked.wav" and os.access(p, 4))
    monkeypatch.setattr(Pipeline, "from_spec", classmethod(lambda cls, spec: heard_pipeline))

    db = tmp_path / "calls.db"
    args = ["score", str(good), *map(str, bad.values()), str(cut), str(damaged), str(copy)]
    t0 = time.monotonic()
    result = CliRunner().invoke(main, [*args, str(mono), "--db", str(db), "--no-progress"])
    elapsed = time.monotonic() - t0

    assert elapsed < 60
    assert result.exit_code == 1, result.output
    errors = result.stderr.splitlines()
    assert not any("\x1b" in line or "\r" in line for line in errors)
    failed = [line for line in errors if line.startswith("failed: ")]
    assert len(failed) == len(bad), failed
    for name, path in bad.items():
        shown = printable(str(path))
        hits = [line for line in failed if line.startswith(f"failed: {shown}: ")]
        assert len(hits) == 1, (name, shown, failed)
    reasons = {
        name: next(x for x in failed if printable(str(p)) + ": " in x) for name, p in bad.items()
    }
    assert "named pipe" in reasons["fifo"]
    assert "device" in reasons["dev_zero"]
    assert "link loop" in reasons["loop"]
    assert "not valid UTF-8" in reasons["not_utf8"] and "bad_\\xff\\xfe.wav" in reasons["not_utf8"]
    assert "0 bits per sample" in reasons["bits0"]
    assert "format tag 0x1234" in reasons["format_tag"]
    assert "permission denied" in reasons["unreadable"]
    assert "a folder" in reasons["folder"]
    assert "new\\nline.wav" in reasons["newline"]
    assert "\\x1b[31mred\\x1b[0m\\r.mp3" in reasons["ansi"]
    assert f"duplicate: {copy}: same audio as {good}" in result.stderr
    assert f"partial: {cut}: 15.0 s of 32.0 s kept" in result.stderr
    assert "4 scored (2 cut short, stored as partial)" in result.stderr
    assert f"{len(bad)} failed, 1 duplicates" in result.stderr

    store = Store.open(db)
    assert store.integrity_ok()
    rows = {Path(r.file).name: r for r in store.calls() if r.status == "scored"}
    assert set(rows) == {good.name, mono.name, cut.name, damaged.name}
    assert rows[good.name].agent_id == "A1023"  # the copy's name did not win
    for name in (cut.name, damaged.name):
        row = rows[name]
        assert row.scoring_id is not None
        assert row.partial and row.verdict == "review", store.rule_results(row.scoring_id)
        partial = store.partial(row.call_id)
        assert partial is not None and partial.kept_s < (partial.declared_s or 0)
        assert row.scoring_id is not None
        closing = next(r for r in store.rule_results(row.scoring_id) if r.id == "closing")
        assert closing.status == "na" and "cut short" in closing.message
    assert not rows[good.name].partial and store.partial(rows[good.name].call_id) is None

    shown = CliRunner().invoke(main, ["show", rows[cut.name].call_id[:10], "--db", str(db)])
    assert "PARTIAL recording" in shown.stdout and "15.0 s of 32.0 s" in shown.stdout
    listed = CliRunner().invoke(main, ["calls", "--db", str(db)])
    assert "review (partial: cut short)" in listed.stdout
    assert "\x1b" not in listed.stdout and "\\x1b[31mred" in listed.stdout


def test_json_carries_partial(tmp_path: Path, heard_pipeline: Pipeline, monkeypatch: Any) -> None:
    import json

    good = tmp_path / "A1023_care_20261124-093015.wav"
    sf.write(good, tone(32.0, channels=2), 8000, subtype="PCM_16")
    cut = tmp_path / "cut.wav"
    cut.write_bytes(good.read_bytes()[: 44 + 10 * 8000 * 4])
    monkeypatch.setattr(Pipeline, "from_spec", classmethod(lambda cls, spec: heard_pipeline))
    db = str(tmp_path / "c.db")
    for _ in range(2):  # scored, then skipped (read back from the store)
        out = CliRunner().invoke(main, ["score", str(good), str(cut), "--db", db, "--json"])
        objs = {Path(o["file"]).name: o for o in map(json.loads, out.stdout.splitlines())}
        assert objs[good.name]["partial"] is None
        assert objs[cut.name]["partial"]["kept_s"] == 10.0
        assert objs[cut.name]["partial"]["declared_s"] == 32.0
        assert objs[cut.name]["verdict"] == "review"


def test_duplicates_manifest_wins_and_conflict_is_warned(
    tmp_path: Path, fake_pipeline: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from callqa.records import CallMeta

    named = tmp_path / "A1023_care_20261124-093015.wav"
    sf.write(named, tone(32.0, channels=2), 8000)
    listed = tmp_path / "copy.wav"
    shutil.copy(named, listed)
    store = Store.open(tmp_path / "c.db")
    manifest = {"copy.wav": CallMeta("B7", "sales", "2026-11-24T09:30:15")}
    summary = run_batch([named, listed], store, fake_pipeline, manifest=manifest)
    assert (summary.scored, summary.duplicates, summary.failed) == (1, 1, 0)
    (row,) = store.calls()
    assert (Path(row.file).name, row.agent_id, row.team) == ("copy.wav", "B7", "sales")
    dup = next(o for o in summary.outcomes if o.status == "duplicate")
    assert dup.file == str(named) and f"same audio as {listed}" in (dup.error or "")
    assert "differs" in (dup.error or "") and "from the manifest" in (dup.error or "")
    assert any("differs" in r.getMessage() for r in caplog.records)


def test_check_file_never_opens_special_files(tmp_path: Path) -> None:
    fifo = tmp_path / "p.wav"
    os.mkfifo(fifo)
    link = tmp_path / "l.wav"
    link.symlink_to(fifo)
    assert "named pipe" in (check_file(fifo) or "")
    assert "symbolic link to a named pipe" in (check_file(link) or "")
    assert "device" in (check_file(Path("/dev/null")) or "")
    assert "not found" in (check_file(tmp_path / "none.wav") or "")
    (tmp_path / "dangling.wav").symlink_to(tmp_path / "none.wav")
    assert "broken symbolic link" in (check_file(tmp_path / "dangling.wav") or "")


def test_printable_escapes_control_characters() -> None:
    assert printable("a\nb\rc\x1b[31m\x7f\\") == "a\\nb\\rc\\x1b[31m\\x7f\\"
    assert printable(os.fsdecode(b"x\xff.wav")) == "x\\xff.wav"
    assert printable("客服 call.wav") == "客服 call.wav"


def test_time_limit_stops_a_step() -> None:
    with pytest.raises(guard.TimeLimitExceeded), time_limit(0.2):
        time.sleep(2)
    with time_limit(5):
        pass  # the timer is cleared on the way out


def test_slow_file_is_one_line_and_batch_goes_on(
    tmp_path: Path, fake_pipeline: Any, stereo_wav: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = tmp_path / "slow.wav"
    sf.write(slow, tone(31.0, channels=2), 8000)
    real = fake_pipeline.score_file

    def score_file(path: Any, **kw: Any) -> Any:
        if Path(path).name == "slow.wav":
            time.sleep(5)
        return real(path, **kw)

    monkeypatch.setattr(fake_pipeline, "score_file", score_file)
    store = Store.open(tmp_path / "c.db")
    summary = run_batch([slow, stereo_wav], store, fake_pipeline, time_limit_s=0.5)
    assert (summary.scored, summary.failed) == (1, 1)
    assert "longer than 0.5 s" in (summary.outcomes[0].error or "")


def test_collect_files_reports_folders_named_like_audio(tmp_path: Path) -> None:
    day = tmp_path / "day"
    (day / "x.wav").mkdir(parents=True)
    sf.write(day / "a.wav", tone(1.0), 8000)
    os.mkfifo(day / "p.mp3")
    assert [p.name for p in collect_files([day])] == ["a.wav", "p.mp3", "x.wav"]
    empty = tmp_path / "y.wav"
    empty.mkdir()
    assert collect_files([empty]) == [empty]


def test_multichannel_wav_is_mixed_down(tmp_path: Path) -> None:
    from callqa.speech.audio import decode

    path = tmp_path / "32ch.wav"
    sf.write(path, np.tile(tone(2.0)[:, None], (1, 32)), 8000, subtype="PCM_16")
    audio = decode(path)
    assert len(audio.channels) == 1 and abs(audio.duration - 2.0) < 0.01
    assert 0.25 < float(np.max(np.abs(audio.channels[0]))) < 0.35


def test_unreadable_file_for_real(tmp_path: Path) -> None:
    """Without the simulation: a process that may not read the file (root drops its
    override capabilities for this) reports it on one line and scores the rest."""
    good = tmp_path / "A1023_care_20261124-093015.wav"
    sf.write(good, tone(32.0, channels=2), 8000, subtype="PCM_16")
    locked = tmp_path / "locked.wav"
    locked.write_bytes(good.read_bytes() + b"\0")
    locked.chmod(0)
    script = (
        "from callqa.cli import main\n"
        "from callqa.run.pipeline import Pipeline\n"
        "from callqa.scoring.scorecard import load_scorecard\n"
        "from tests.fakes import GOOD_AGENT, GOOD_CUSTOMER, FakeTranscriber\n"
        "fake = Pipeline(transcriber=FakeTranscriber({0: GOOD_AGENT, 1: GOOD_CUSTOMER}),"
        " scorecard=load_scorecard('etiquette'))\n"
        "Pipeline.from_spec = classmethod(lambda cls, spec: fake)\n"
        "main()\n"
    )
    command = [sys.executable, "-c", script, "score", str(locked), str(good)]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("root without setpriv: the simulated check covers it")
        command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *command]
    done = subprocess.run(
        [*command, "--db", str(tmp_path / "c.db"), "--no-progress"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert f"failed: {locked}: cannot be read (permission denied)" in done.stderr
    assert "1 scored, 0 skipped (already scored), 1 failed" in done.stderr
