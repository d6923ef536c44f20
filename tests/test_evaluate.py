"""callqa.speech.diarize.evaluate and `callqa eval diarization`: DER against a reference RTTM."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from callqa.cli import main
from callqa.records import Diarization, Turn
from callqa.speech.diarize.evaluate import diarization_error, read_rttm, write_rttm
from callqa.speech.diarize.registry import set_diarizer

DATA = Path(__file__).parent / "data" / "diarization"
RTTM = DATA / "sample.rttm"


def reference() -> Diarization:
    turns = read_rttm(RTTM)
    return Diarization(turns, tuple(dict.fromkeys(t.speaker for t in turns)))


def test_read_rttm() -> None:
    turns = read_rttm(RTTM)
    assert len(turns) == 10
    assert turns[0] == Turn(6.69, 7.12, "speaker90")
    assert {t.speaker for t in turns} == {"speaker90", "speaker91"}


def test_rttm_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "x.rttm"
    path.write_text(write_rttm(reference(), "sample"))
    assert read_rttm(path) == read_rttm(RTTM)


def test_perfect_hypothesis_scores_zero() -> None:
    report = diarization_error(RTTM, reference(), uri="sample", duration=30.0)
    assert report.der_collar0 == pytest.approx(0.0)
    assert report.der_collar025 == pytest.approx(0.0)
    assert report.total == pytest.approx(24.35)


def test_labels_do_not_matter_only_the_mapping() -> None:
    renamed = tuple(
        Turn(t.start, t.end, {"speaker90": "B", "speaker91": "A"}[t.speaker])
        for t in read_rttm(RTTM)
    )
    report = diarization_error(RTTM, Diarization(renamed, ("A", "B")), duration=30.0)
    assert report.der_collar0 == pytest.approx(0.0)


def test_all_one_speaker_and_overlap_is_scored() -> None:
    # the reference speech, all given to one speaker: the smaller speaker's time is
    # confusion and the overlapped speech (1.89 s) is missed (DESIGN.md: 0.50 / 0.47)
    union = ((6.69, 7.12), (7.55, 17.92), (18.05, 21.49), (21.78, 30.0))
    one = Diarization(tuple(Turn(a, b, "x") for a, b in union), ("x",))
    report = diarization_error(RTTM, one, duration=30.0)
    assert report.der_collar0 == pytest.approx(0.487, abs=0.002)
    assert report.der_collar025 == pytest.approx(0.475, abs=0.002)
    assert report.missed == pytest.approx(1.89)
    assert report.false_alarm == pytest.approx(0.0)
    assert report.confusion == pytest.approx(9.96)


def test_cli_eval_diarization_json(tmp_path: Path) -> None:
    class Reference:
        def __call__(self, signal: np.ndarray, *, speakers: object) -> Diarization:
            return reference()

    set_diarizer(Reference(), "default")
    try:
        hyp = tmp_path / "hyp.rttm"
        result = CliRunner().invoke(
            main,
            [
                "eval",
                "diarization",
                "--audio",
                str(DATA / "sample.wav"),
                "--rttm",
                str(RTTM),
                "--json",
                "--hypothesis",
                str(hyp),
            ],
        )
    finally:
        set_diarizer(None, "default")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["der_collar0"] == 0.0 and data["der_collar025"] == 0.0
    assert {"missed", "false_alarm", "confusion", "total"} <= data.keys()
    assert read_rttm(hyp) == read_rttm(RTTM)


def test_cli_eval_diarization_text() -> None:
    result = CliRunner().invoke(
        main, ["eval", "diarization", "--audio", str(DATA / "sample.wav"), "--rttm", str(RTTM)]
    )
    assert result.exit_code == 0, result.output
    assert "DER collar 0 " in result.output and "DER collar 0.25" in result.output
    assert "confusion" in result.output


def test_cli_rejects_bad_speaker_count() -> None:
    result = CliRunner().invoke(
        main,
        [
            "eval",
            "diarization",
            "--audio",
            str(DATA / "sample.wav"),
            "--rttm",
            str(RTTM),
            "--speakers",
            "9",
        ],
    )
    assert result.exit_code != 0
    assert "1-4" in result.output
