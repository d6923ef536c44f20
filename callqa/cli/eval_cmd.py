"""`callqa eval diarization` (DER against a reference RTTM) and `callqa eval verdicts`
(agreement of the verdicts with labels or reviews)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Literal

import click

from callqa import settings
from callqa.cli import main
from callqa.cli.options import setting_option


def _speakers(value: str) -> int | Literal["auto"]:
    if value == "auto":
        return "auto"
    if value.isdigit() and 1 <= int(value) <= 4:
        return int(value)
    raise click.BadParameter("give a number of speakers (1-4) or 'auto'")


@main.group("eval")
def eval_group() -> None:
    """Measure callqa's stages against references."""


@eval_group.command("diarization")
@click.option(
    "--audio",
    "audio_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Recording (stereo is mixed to mono).",
)
@click.option(
    "--rttm",
    "rttm_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Reference turns (RTTM).",
)
@click.option(
    "--speakers", default="2", show_default=True, help="Number of speakers (1-4) or 'auto'."
)
@click.option(
    "--backend",
    default="default",
    show_default=True,
    type=click.Choice(["default", "resemblyzer", "pyannote"]),
    help="Diarization backend.",
)
@click.option(
    "--model-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="pyannote pipeline folder (default models/pyannote).",
)
@click.option(
    "--hypothesis",
    "hyp_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the diarizer's turns to this RTTM file.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def diarization_command(
    audio_path: str,
    rttm_path: str,
    speakers: str,
    backend: str,
    model_dir: Path | None,
    hyp_path: Path | None,
    as_json: bool,
) -> None:
    """DER of the diarizer on AUDIO against the reference RTTM (overlap scored; collars 0
    and 0.25 s, pyannote convention), with missed speech, false alarm and confusion.

    Example: callqa eval diarization --audio tests/data/diarization/sample.wav
    --rttm tests/data/diarization/sample.rttm
    """
    from callqa.speech.audio import decode
    from callqa.speech.diarize.evaluate import diarization_error, write_rttm
    from callqa.speech.diarize.registry import make_diarizer

    audio = decode(audio_path)
    uri = Path(audio_path).stem
    started = time.perf_counter()
    diarizer = make_diarizer(backend, model_dir=model_dir)
    loaded = time.perf_counter()
    hypothesis = diarizer(audio.mono(), speakers=_speakers(speakers))
    elapsed = time.perf_counter() - loaded
    load_s = loaded - started
    report = diarization_error(Path(rttm_path), hypothesis, duration=audio.duration)
    if hyp_path is not None:
        hyp_path.write_text(write_rttm(hypothesis, uri), encoding="utf-8")
    if as_json:
        data = {
            **report.as_dict(),
            "backend": hypothesis.backend,
            "speakers": len(hypothesis.speakers),
            "seconds": round(elapsed, 3),
            "load_seconds": round(load_s, 3),
            "overlap": round(sum(s.duration for s in hypothesis.overlaps), 3),
        }
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    click.echo(
        f"{uri}: {audio.duration:.1f} s, backend {hypothesis.backend}, "
        f"{len(hypothesis.speakers)} speakers, diarized in {elapsed:.2f} s "
        f"(models loaded in {load_s:.2f} s)"
    )
    click.echo(
        f"  DER collar 0    {report.der_collar0:7.2%}   "
        f"missed {report.missed:6.2f} s  false alarm {report.false_alarm:6.2f} s  "
        f"confusion {report.confusion:6.2f} s  of {report.total:.2f} s"
    )
    click.echo(
        f"  DER collar 0.25 {report.der_collar025:7.2%}   "
        f"missed {report.missed_collar025:6.2f} s  "
        f"false alarm {report.false_alarm_collar025:6.2f} s  "
        f"confusion {report.confusion_collar025:6.2f} s  of {report.total_collar025:.2f} s"
    )


@eval_group.command("verdicts")
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False))
@click.option(
    "--db",
    default="callqa-eval.db",
    show_default=True,
    envvar="CALLQA_EVAL_DB",
    type=click.Path(dir_okay=False),
    help="Database the calls are scored into (a re-run reads them back).",
)
@setting_option("--scorecard", settings.SCORECARD)
@setting_option("--model", settings.MODEL)
@setting_option("--workers", settings.WORKERS)
@setting_option("--beam-size", settings.BEAM_SIZE)
@click.option(
    "--from-reviews",
    is_flag=True,
    help="Measure against the human reviews stored in --db instead of a labelled folder.",
)
@click.option(
    "--stored",
    "use_stored",
    is_flag=True,
    help="Compare what --db already holds for FOLDER, scoring nothing (e.g. another version's).",
)
@click.option(
    "--rescore",
    is_flag=True,
    help="Judge calls already in --db again from their stored transcripts (no transcribing).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--mismatches", is_flag=True, help="List every item where machine and label differ.")
def eval_verdicts(
    folder: str | None,
    db: str,
    scorecard: str,
    model: str,
    workers: int,
    beam_size: int,
    from_reviews: bool,
    use_stored: bool,
    rescore: bool,
    as_json: bool,
    mismatches: bool,
) -> None:
    """Per-rule agreement of callqa's verdicts with labels (or with stored reviews).

    Example: callqa eval verdicts corpus/dev --db dev.db
    """
    from callqa.run.evaluate import evaluate_dir, stored
    from callqa.run.evaluate import from_reviews as reviews_figures
    from callqa.run.pipeline import Pipeline, PipelineOptions, PipelineSpec
    from callqa.scoring.agreement import table
    from callqa.speech.transcribe.base import TranscribeOptions
    from callqa.store.db import Store

    if from_reviews:
        figures = reviews_figures(Store.open(db))
    elif folder is None:
        raise click.UsageError("give a labelled FOLDER, or --from-reviews --db FILE")
    elif use_stored:
        figures = stored(folder, Store.open(db))
    else:
        options = PipelineOptions(transcribe=TranscribeOptions(beam_size=beam_size))
        spec = PipelineSpec(model=model, scorecard=scorecard, options=options)
        pipeline = Pipeline.from_spec(spec)
        figures = evaluate_dir(folder, pipeline, Store.open(db), workers=workers, rescore=rescore)
    if as_json:
        click.echo(json.dumps(figures.as_dict(), ensure_ascii=False))
        return
    for line in table(figures):
        click.echo(line)
    if mismatches:
        click.echo("")
        for line in figures.mismatches:
            click.echo("  " + line)
