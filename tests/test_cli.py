from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

import callqa
from callqa.cli import main
from callqa.run.pipeline import Pipeline
from tests.conftest import ROOT


@pytest.fixture
def fake_cli(monkeypatch: pytest.MonkeyPatch, fake_pipeline: Any) -> None:
    monkeypatch.setattr(Pipeline, "from_spec", classmethod(lambda cls, spec: fake_pipeline))


def test_score_table_summary_and_exit_status(
    fake_cli: None, tmp_path: Path, stereo_wav: Path
) -> None:
    db = tmp_path / "c.db"
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"RIFF....WAVEfmt garbage")
    result = CliRunner().invoke(
        main, ["score", str(stereo_wav), str(bad), "--db", str(db), "--no-progress"]
    )
    assert result.exit_code == 1
    assert f"failed: {bad}:" in result.stderr
    assert "1 scored, 0 skipped (already scored), 1 failed" in result.stderr
    assert re.search(r"A1023\s+32\.0\s+\d+\.\d\s+(pass|fail|review)", result.stdout)

    again = CliRunner().invoke(
        main, ["score", str(stereo_wav), "--db", str(db), "--json", "--no-progress"]
    )
    assert again.exit_code == 0
    assert "0 scored, 1 skipped" in again.stderr
    obj = json.loads(again.stdout.strip())
    assert obj["file"] == str(stereo_wav) and obj["agent_channel"] == "left"


def test_show_prints_transcript_and_evidence(
    fake_cli: None, tmp_path: Path, stereo_wav: Path
) -> None:
    db = str(tmp_path / "c.db")
    CliRunner().invoke(main, ["score", str(stereo_wav), "--db", db, "--no-progress"])
    from callqa.store.db import Store

    call_id = Store.open(db).calls()[0].call_id
    result = CliRunner().invoke(main, ["show", call_id[:8], "--db", db])
    assert result.exit_code == 0, result.output
    assert "agent" in result.stdout and "星河通信" in result.stdout
    assert "self_intro" in result.stdout and "[00:00" in result.stdout


def test_unknown_call_is_one_line_error(tmp_path: Path) -> None:
    from callqa.store.db import Store

    Store.open(tmp_path / "c.db").close()
    result = CliRunner().invoke(main, ["show", "deadbeef00", "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "no call 'deadbeef00'" in result.stderr


def test_bad_scorecard_never_starts_a_batch(tmp_path: Path, stereo_wav: Path) -> None:
    card = tmp_path / "bad.yaml"
    card.write_text("id: x\nsections: [\n")
    db = tmp_path / "c.db"
    result = CliRunner().invoke(
        main, ["score", str(stereo_wav), "--db", str(db), "--scorecard", str(card)]
    )
    assert result.exit_code == 2
    assert str(card) in result.stderr
    assert not db.exists()


def test_models_lists_the_default() -> None:
    result = CliRunner().invoke(main, ["models"])
    assert result.exit_code == 0 and "whisper-base" in result.stdout


def _leaves(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found.extend(_leaves(command, f"{prefix} {name}"))
        else:
            found.append((f"{prefix} {name}", command))
    return found


def test_every_command_has_an_example_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for name, command in _leaves(main, "callqa"):
        assert "Example:" in (command.help or ""), name
        assert name in readme, name


def test_public_surface() -> None:
    assert callqa.__all__ == [
        "AudioError",
        "CallQAError",
        "ModelNotFound",
        "Pipeline",
        "PipelineOptions",
        "PipelineSpec",
        "ScorecardError",
        "Store",
        "StoreError",
        "__version__",
        "collect_files",
        "decode",
        "load_scorecard",
        "run_batch",
        "score_call",
    ]
    assert all(hasattr(callqa, name) for name in callqa.__all__)


@pytest.mark.parametrize(
    ("flag", "value", "listed"),
    [("--speakers", "6", "'1', '2', '3', '4', 'auto'"), ("--diarizer", "foo", "'default'")],
)
def test_invalid_option_is_a_usage_error_before_any_work(
    tmp_path: Path, stereo_wav: Path, flag: str, value: str, listed: str
) -> None:
    db = tmp_path / "c.db"
    result = CliRunner().invoke(main, ["score", str(stereo_wav), "--db", str(db), flag, value])
    assert result.exit_code == 2
    assert listed in result.stderr and "Traceback" not in result.output
    assert not db.exists()


def test_changed_option_rescores_instead_of_skipping(
    monkeypatch: pytest.MonkeyPatch, fake_pipeline: Any, tmp_path: Path, stereo_wav: Path
) -> None:
    def from_spec(cls: type[Pipeline], spec: Any) -> Pipeline:
        return Pipeline(
            transcriber=fake_pipeline.transcriber,
            scorecard=fake_pipeline.scorecard,
            diarizer=fake_pipeline.diarizer,
            options=spec.options,
            spec=spec,
        )

    monkeypatch.setattr(Pipeline, "from_spec", classmethod(from_spec))
    db = str(tmp_path / "c.db")
    args = ["score", str(stereo_wav), "--db", db, "--no-progress"]
    assert "1 scored" in CliRunner().invoke(main, args).stderr
    assert "1 skipped" in CliRunner().invoke(main, args).stderr
    assert "1 scored" in CliRunner().invoke(main, [*args, "--beam-size", "5"]).stderr
    right = [*args, "--beam-size", "5", "--agent-channel", "right"]
    assert "1 scored" in CliRunner().invoke(main, right).stderr
    from callqa.store.db import Store

    call_id = Store.open(db).calls()[0].call_id
    shown = CliRunner().invoke(main, ["show", call_id, "--db", db])
    assert "agent_channel=right" in shown.stdout and "beam_size=5" in shown.stdout
