"""`callqa score`, `callqa calls`: score recordings into the database and list them."""

from __future__ import annotations

import contextlib
import json
import sys
from dataclasses import asdict, replace
from typing import Any

import click

from callqa import settings
from callqa.cli import main
from callqa.cli.options import db_option, existing_db_option, setting_option
from callqa.cli.output import Column, emit, format_option
from callqa.review.reviews import effective_call_score, load_call_review
from callqa.run.batch import BatchSummary, collect_files, run_batch
from callqa.run.jsonout import call_json
from callqa.run.meta import read_manifest
from callqa.run.names import printable
from callqa.run.pipeline import FileOutcome, Pipeline, PipelineOptions, PipelineSpec
from callqa.run.ray_backend import ray_executor
from callqa.speech.transcribe.base import TranscribeOptions
from callqa.store.db import CallRow, Store


@main.command("score")
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False))
@db_option
@setting_option("--scorecard", settings.SCORECARD)
@setting_option("--model", settings.MODEL)
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False),
    help="CSV with columns file,agent_id,team,call_time.",
)
@setting_option("--name-pattern", settings.NAME_PATTERN)
@setting_option("--timezone", settings.TIMEZONE)
@setting_option("--file-time-limit", settings.FILE_TIME_LIMIT)
@setting_option("--agent-channel", settings.AGENT_CHANNEL)
@setting_option("--speakers", settings.SPEAKERS)
@setting_option("--diarizer", settings.DIARIZER)
@setting_option("--beam-size", settings.BEAM_SIZE)
@click.option(
    "--hotwords/--no-hotwords",
    default=False,
    show_default=True,
    help="Pass the scorecard's hotwords to Whisper (off: see BENCHMARKS.md).",
)
@setting_option("--max-hours", settings.MAX_HOURS)
@setting_option("--workers", settings.WORKERS)
@setting_option("--ray-address", settings.RAY_ADDRESS)
@setting_option("--ray-workers", settings.RAY_WORKERS, type=click.IntRange(1, 4096))
@click.option(
    "--ray-ship-audio",
    is_flag=True,
    help="Send the audio through Ray's object store (for nodes without shared storage).",
)
@click.option("--force", is_flag=True, help="Score again even if already scored.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per call on stdout.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on stderr (default: when stderr is a terminal).",
)
def score_command(
    paths: tuple[str, ...],
    db: str,
    scorecard: str,
    model: str,
    manifest: str | None,
    name_pattern: str,
    timezone: str,
    file_time_limit: float,
    agent_channel: str,
    speakers: str,
    diarizer: str,
    beam_size: int,
    hotwords: bool,
    max_hours: float,
    workers: int,
    ray_address: str | None,
    ray_workers: int | None,
    ray_ship_audio: bool,
    force: bool,
    as_json: bool,
    progress: bool | None,
) -> None:
    """Score call recordings (files or folders) and store the results.

    Example: callqa score samples/ --db calls.db
    """
    if ray_address is None and (ray_workers is not None or ray_ship_audio):
        raise click.UsageError("--ray-workers and --ray-ship-audio need --ray-address")
    if ray_address is not None and workers != 1:
        raise click.UsageError("--workers is for local runs; on Ray give --ray-workers")
    options = PipelineOptions(
        agent_channel="right" if agent_channel == "right" else "left",
        speakers=settings.speakers_value(speakers),  # type: ignore[arg-type]
        transcribe=TranscribeOptions(beam_size=beam_size),
        max_duration=max_hours * 3600.0,
        hotwords=hotwords,
    )
    spec = PipelineSpec(model=model, scorecard=scorecard, diarizer=diarizer, options=options)
    pipeline = Pipeline.from_spec(spec)  # a bad scorecard or model stops here, before any work
    files = collect_files(paths)
    if not files:
        raise click.UsageError(f"no audio files found in {', '.join(paths)}")
    meta = read_manifest(manifest, zone=timezone) if manifest else None
    store = Store.open(db)
    bar = _progress_bar(len(files), progress)

    skipped = 0

    def hook(
        step: str, *, completed: int, total: int, outcome: FileOutcome, audio_seconds: float
    ) -> None:
        nonlocal skipped
        line = None
        if outcome.status in ("failed", "duplicate"):
            line = f"{outcome.status}: {printable(outcome.file)}: {printable(outcome.error or '')}"
        elif outcome.result is not None and outcome.result.partial is not None:
            line = f"partial: {printable(outcome.file)}: {outcome.result.partial.summary}"
        if line is not None:
            if bar is not None:
                bar.write(line, file=sys.stderr)  # above the bar, never through it
            else:
                click.echo(line, err=True)
        if as_json and outcome.status in ("scored", "skipped") and outcome.call_id:
            click.echo(json.dumps(_json_for(store, outcome), ensure_ascii=False))
        if bar is None:
            return
        if outcome.status in ("skipped", "duplicate"):
            # already scored, or a copy of a call in this batch: no work, so it counts
            # neither in the rate nor in the ETA
            skipped += 1
            bar.total = max(bar.n, bar.total - 1)
            bar.set_postfix_str(f"{skipped} skipped", refresh=True)
            return
        elapsed = bar.format_dict.get("elapsed") or 0.0
        speed = f"{audio_seconds / max(elapsed, 1e-9):.1f} audio h/h"
        bar.set_postfix_str(speed + (f", {skipped} skipped" if skipped else ""), refresh=False)
        bar.update(1)

    cluster = (
        ray_executor(spec, address=ray_address, workers=ray_workers, ship_audio=ray_ship_audio)
        if ray_address is not None
        else contextlib.nullcontext(None)
    )
    try:
        with cluster as executor:
            summary = run_batch(
                files,
                store,
                pipeline,
                manifest=meta,
                name_pattern=name_pattern,
                force=force,
                workers=workers,
                executor=executor,
                hook=hook,
                time_limit_s=file_time_limit,
            )
    except KeyboardInterrupt:
        click.echo("interrupted: every call finished so far is stored", err=True)
        sys.exit(130)
    finally:
        if bar is not None:
            bar.close()
    if not as_json:
        _print_table(store, summary)
    click.echo(summary.line, err=True)
    store.close()
    if summary.failed:
        sys.exit(1)


def _json_for(store: Store, outcome: FileOutcome) -> dict[str, Any]:
    """The call as stored, with its effective score (reviews of this scoring included)."""
    assert outcome.call_id is not None
    cr = load_call_review(store, outcome.call_id)
    return call_json(
        call_id=outcome.call_id,
        file=outcome.file,
        duration=cr.call.duration or 0.0,
        transcript=store.load_transcript(cr.scoring_id),
        score=replace(effective_call_score(cr), reason=store.reason_of(cr.scoring_id)),
        metrics=store.load_metrics(cr.scoring_id),
        partial=store.partial(outcome.call_id),
    )


def _progress_bar(total: int, enabled: bool | None) -> Any:
    from tqdm import tqdm

    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return None
    return tqdm(total=total, unit="call", file=sys.stderr, dynamic_ncols=True)


def _print_table(store: Store, summary: BatchSummary) -> None:
    ids = {o.call_id for o in summary.outcomes if o.call_id}
    rows = [r for r in store.calls() if r.call_id in ids]
    _echo_calls(rows, "table")


CALL_COLUMNS = (
    Column("call_id", "call", show=lambda v: str(v)[:12]),
    Column("call_time", "time", show=lambda v: (v or "-").replace("T", " ")[:16]),
    Column("team"),
    Column("agent_id", "agent"),
    Column("duration", "dur", align="right"),
    Column("score", align="right"),
    Column("verdict", max_width=40),
    Column("file", max_width=28, keep="end"),
)


def _echo_calls(rows: list[CallRow], fmt: str) -> None:
    recs = []
    for r in rows:
        rec = asdict(r)
        if r.status != "scored":
            error = printable(r.error or "") if fmt == "table" else r.error
            rec["verdict"] = f"FAILED: {error}" if fmt == "table" else None
        elif r.partial and fmt == "table":
            rec["verdict"] = f"{r.verdict} (partial: cut short)"
        if fmt == "table":
            rec["file"] = printable(r.file)
        recs.append(rec)
    emit(recs, CALL_COLUMNS, fmt, empty="no calls stored yet - run: callqa score DIR")


@main.command("calls")
@format_option
@existing_db_option
def calls_command(format: str, db: str) -> None:
    """List the stored calls with their effective score and verdict (after reviews).

    Example: callqa calls --format csv --db calls.db
    """
    store = Store.open(db)
    _echo_calls(store.calls(), format)
