"""Agreement figures (scoring.agreement) and `callqa eval verdicts` on a tiny labelled set."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from callqa.cli import main
from callqa.records import CallScore, Evidence, RuleResult
from callqa.run.pipeline import Pipeline
from callqa.scoring.agreement import Judged, Span, compare, table


def _score(statuses: dict[str, str], verdict: str, hits: tuple[Evidence, ...] = ()) -> CallScore:
    rules = tuple(
        RuleResult(id=k, status=v, points=0.0, evidence=hits if k == "forbidden_phrases" else ())  # type: ignore[arg-type]
        for k, v in statuses.items()
    )
    return CallScore(100.0, 100.0, verdict, rules, "x", "1")  # type: ignore[arg-type]


def test_confusion_precision_recall_and_localisation() -> None:
    hit = Evidence(10.0, 11.0, "agent", "不归我管", 0.9)
    stray = Evidence(30.0, 31.0, "agent", "喂", 0.9)
    judged = [
        Judged(
            "a",
            _score({"forbidden_phrases": "fail", "recap": "pass"}, "fail", (hit, stray)),
            {"forbidden_phrases": "fail", "recap": "fail"},
            expected_verdict="fail",
            expected_hits=(Span(9.5, 12.0),),
            customer_turns=(Span(29.0, 33.0),),
        ),
        Judged(
            "b",
            _score({"forbidden_phrases": "pass", "recap": "review"}, "fail"),
            {"forbidden_phrases": "pass", "recap": "pass"},
            expected_verdict="pass",
        ),
    ]
    f = compare(judged)
    fp = f.rules["forbidden_phrases"]
    assert fp.confusion["fail"]["fail"] == 1 and fp.confusion["pass"]["pass"] == 1
    assert fp.fail_precision == 1.0 and fp.fail_recall == 1.0
    recap = f.rules["recap"]
    assert recap.fail_recall == 0.0 and recap.reviews == 1 and recap.accuracy_decided == 0.0
    assert f.compliant_failed == ["b"] and f.verdict_correct == 1
    assert (f.hits_labelled, f.hits_located, f.false_hits, f.customer_hits) == (1, 1, 1, 1)
    assert any("recall 1.000" in line for line in table(f))


@pytest.fixture
def labelled(tmp_path: Path, stereo_wav: Path) -> Path:
    folder = tmp_path / "set"
    folder.mkdir()
    shutil.copy(stereo_wav, folder / "c1.wav")
    labels = {
        "file": "c1.wav",
        "expected_rules": {"self_intro": "pass", "forbidden_phrases": "pass"},
        "verdict": "pass",
        "agent_forbidden_hits": [],
        "turns": [],
    }
    (folder / "c1.expected.json").write_text(json.dumps(labels), encoding="utf-8")
    (folder / "manifest.csv").write_text("file,agent_id,company\nc1.wav,A1,星河通信\n")
    return folder


def test_eval_verdicts_command(
    monkeypatch: pytest.MonkeyPatch, fake_pipeline: Any, labelled: Path, tmp_path: Path
) -> None:
    monkeypatch.setattr(Pipeline, "from_spec", classmethod(lambda cls, spec: fake_pipeline))
    db = str(tmp_path / "e.db")
    out = CliRunner().invoke(main, ["eval", "verdicts", str(labelled), "--db", db, "--json"])
    assert out.exit_code == 0, out.output
    figures = json.loads(out.stdout)
    assert figures["calls"] == 1 and figures["items"]["items"] == 2
    again = CliRunner().invoke(main, ["eval", "verdicts", str(labelled), "--db", db, "--rescore"])
    assert again.exit_code == 0 and "self_intro" in again.stdout
    held = CliRunner().invoke(main, ["eval", "verdicts", str(labelled), "--db", db, "--stored"])
    assert held.exit_code == 0 and "calls 1;" in held.stdout
    none = CliRunner().invoke(main, ["eval", "verdicts", "--from-reviews", "--db", db])
    assert none.exit_code == 2 and "no reviewed items" in none.stderr
