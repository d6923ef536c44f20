"""The progress bar: failures are printed above it (not through it) and files skipped as
already scored count neither in its rate nor in its ETA."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from callqa.cli import main
from callqa.run.pipeline import Pipeline


@pytest.fixture
def fake_cli(monkeypatch: pytest.MonkeyPatch, fake_pipeline: Any) -> None:
    monkeypatch.setattr(Pipeline, "from_spec", classmethod(lambda cls, spec: fake_pipeline))


def test_failures_go_above_the_bar_and_skips_leave_the_total(
    fake_cli: None, tmp_path: Path, stereo_wav: Path
) -> None:
    db = str(tmp_path / "c.db")
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"RIFF....WAVEfmt garbage")
    first = CliRunner().invoke(main, ["score", str(stereo_wav), "--db", db, "--progress"])
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(main, ["score", str(stereo_wav), str(bad), "--db", db, "--progress"])
    assert again.exit_code == 1
    screens = [s for s in re.split(r"[\r\n]", again.stderr) if s.strip()]
    failed = [s for s in screens if "failed: " in s and "broken.wav" in s]
    assert failed and all(s.startswith("failed: ") for s in failed), screens
    bars = [s for s in screens if "call/s" in s or "it/s" in s or "s/call" in s]
    assert bars, screens
    # two files, one skipped: the bar ends at 1/1, not 2/2
    assert re.search(r"\b1/1\b", bars[-1]) and "1 skipped" in bars[-1], bars[-1]
    assert not any(re.search(r"\b2/2\b", b) for b in bars)
