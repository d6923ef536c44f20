"""A batch of calls into the store: collect files, skip what is scored, one writer.

Each file lives inside its own guard (`callqa.run.guard`): checked without being opened,
hashed and scored under a time limit, and whatever goes wrong is that file's one line;
the batch goes on.  Files are scored by `callqa.run.pipeline.score_one`, in this process,
in worker processes (`callqa.run.workers`) or by another `Executor`
(`callqa.run.ray_backend`); results come back here and are stored one transaction per
call.  A database that cannot be written (disk full, read-only) stops the batch with one
`StoreError`; every call stored before it stays intact.

Copies of the same audio (same sha256) in one batch are scored once.  Which copy's name
and metadata are kept: the first listed in the manifest; else the first whose name
matches the file-name pattern; else the first given.  The others are reported as
"same audio as <that file>", with a warning when their metadata differs.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from callqa.errors import StoreError
from callqa.records import CallMeta
from callqa.run.guard import FILE_TIME_LIMIT_S, Prepared, prepare_file, score_guarded
from callqa.run.meta import DEFAULT_NAME_PATTERN, lookup, source
from callqa.run.names import printable, storable
from callqa.run.pipeline import FileOutcome, Pipeline
from callqa.run.workers import parallel_outcomes
from callqa.speech.audio import is_audio_file
from callqa.store.db import Store

log = logging.getLogger(__name__)

ProgressHook = Callable[..., None]
"""Called as hook(step, completed=, total=, audio_seconds=, outcome=) after each file."""

Job = tuple[Path, str, CallMeta]
"""One call to score: its file, call id (sha256 of the audio) and metadata."""

Executor = Callable[[list[Job]], Iterable[FileOutcome]]
"""Scores jobs somewhere else and yields one `FileOutcome` per job, in any order."""


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and audio files under folders (sorted); missing paths kept to fail.

    Under a folder, everything named like an audio file is kept, whatever it is (a folder
    named `x.wav`, a pipe, a broken link), so that the batch reports it instead of
    dropping it silently.  So is a folder named like an audio file given on the command
    line that holds no audio.
    """
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if _is_dir(p):
            inside = sorted(f for f in p.rglob("*") if is_audio_file(f))
            if not inside and is_audio_file(p):
                found.append(p)
            found.extend(inside)
        else:
            found.append(p)
    return list(dict.fromkeys(found))


def _is_dir(p: Path) -> bool:
    try:
        return p.is_dir()
    except OSError:
        return False


@dataclass
class BatchSummary:
    scored: int = 0
    skipped: int = 0
    failed: int = 0
    duplicates: int = 0
    partial: int = 0
    audio_seconds: float = 0.0
    wall_seconds: float = 0.0
    outcomes: list[FileOutcome] = field(default_factory=list)

    @property
    def line(self) -> str:
        speed = self.audio_seconds / self.wall_seconds if self.wall_seconds > 0 else 0.0
        extra = f" ({self.partial} cut short, stored as partial)" if self.partial else ""
        dups = f", {self.duplicates} duplicates" if self.duplicates else ""
        return (
            f"{self.scored} scored{extra}, {self.skipped} skipped (already scored), "
            f"{self.failed} failed{dups}; {self.audio_seconds / 60:.1f} min of audio in "
            f"{self.wall_seconds:.1f} s ({speed:.1f}x real time)"
        )


def run_batch(
    files: list[Path],
    store: Store,
    pipeline: Pipeline,
    *,
    manifest: Mapping[str, CallMeta] | None = None,
    name_pattern: str = DEFAULT_NAME_PATTERN,
    force: bool = False,
    workers: int = 1,
    executor: Executor | None = None,
    hook: ProgressHook | None = None,
    time_limit_s: float = FILE_TIME_LIMIT_S,
) -> BatchSummary:
    """Score `files` into `store`; a bad file is recorded as failed and the batch goes on.

    Results are written here, one transaction per call, whatever `workers` is; with
    several workers each process builds its own pipeline from `pipeline.spec`.  An
    `executor` (e.g. `callqa.run.ray_backend.RayExecutor`) replaces `workers`: it gets the
    calls left after skipping and yields their outcomes, which are stored here all the same.
    Raises `StoreError` (and stops) when the database cannot be written.
    """
    summary = BatchSummary()
    start = time.perf_counter()
    total = len(files)
    version = pipeline.scorecard.version_key
    options = pipeline.options_key
    copies: dict[str, list[Path]] = {}
    try:
        for path in files:
            prepared = prepare_file(path, limit_s=time_limit_s)
            if isinstance(prepared, Prepared):
                copies.setdefault(prepared.call_id, []).append(path)
            else:
                _record(summary, _fail(store, path, None, prepared.error or ""), hook, total, start)

        todo: list[Job] = []
        for call_id, paths in copies.items():
            chosen, meta, others = choose_copy(paths, manifest, name_pattern)
            for other in others:
                _record(summary, other, hook, total, start)
            if not force and store.has_scoring(
                call_id, scorecard_version=version, model=pipeline.model_name, options=options
            ):
                _record(summary, FileOutcome(str(chosen), "skipped", call_id), hook, total, start)
                continue
            todo.append((chosen, call_id, meta))

        outcomes = (
            executor(todo)
            if executor is not None
            else _execute(todo, pipeline, workers, time_limit_s)
        )
        for outcome in outcomes:
            if outcome.result is not None:
                t = time.perf_counter()
                store.save_result(outcome.result)
                timings = replace(outcome.result.timings, store=time.perf_counter() - t)
                outcome = replace(outcome, result=replace(outcome.result, timings=timings))
            elif outcome.status == "failed":
                outcome = _fail(store, Path(outcome.file), outcome.call_id, outcome.error or "")
            _record(summary, outcome, hook, total, start)
    except StoreError as exc:
        raise StoreError(
            f"{exc} - the batch stopped; the {summary.scored} calls scored before it are "
            "stored intact"
        ) from None
    return summary


def choose_copy(
    paths: list[Path], manifest: Mapping[str, CallMeta] | None, name_pattern: str
) -> tuple[Path, CallMeta, list[FileOutcome]]:
    """Which of the copies of one audio is kept (see the module docstring), its metadata,
    and a "duplicate" outcome for each other copy."""
    found = [
        (p, lookup(p, manifest, name_pattern), source(p, manifest, name_pattern)) for p in paths
    ]
    rank = {"manifest": 0, "name": 1, "none": 2}
    chosen, meta, origin = min(found, key=lambda f: rank[f[2]])  # min keeps the first on ties
    others: list[FileOutcome] = []
    for path, other_meta, other_origin in found:
        if path == chosen:
            continue
        reason = f"same audio as {chosen} (scored once, under that name)"
        if other_origin != "none" and other_meta != meta:
            reason += (
                f"; its metadata ({_meta_text(other_meta)}) differs from the kept "
                f"({_meta_text(meta)}, from the {origin if origin != 'none' else 'first file'})"
            )
            log.warning("%s: %s", printable(str(path)), printable(reason))
        others.append(FileOutcome(str(path), "duplicate", None, error=reason))
    return chosen, meta, others


def _meta_text(meta: CallMeta) -> str:
    return (
        ", ".join(
            f"{k} {v}"
            for k, v in (("agent", meta.agent_id), ("team", meta.team), ("time", meta.call_time))
            if v
        )
        or "none"
    )


def _fail(store: Store, path: Path, call_id: str | None, reason: str) -> FileOutcome:
    key = call_id or "path:" + _path_key(path)
    store.save_failure(call_id=key, file=storable(str(path)), reason=storable(reason))
    log.info("%s: %s", printable(str(path)), printable(reason))  # the caller tells the user
    return FileOutcome(str(path), "failed", key, error=reason)


def _path_key(path: Path) -> str:
    return hashlib.sha256(os.fsencode(os.path.abspath(path))).hexdigest()


def _record(
    summary: BatchSummary, outcome: FileOutcome, hook: ProgressHook | None, total: int, start: float
) -> None:
    summary.outcomes.append(outcome)
    if outcome.status == "scored":
        summary.scored += 1
        if outcome.result is not None and outcome.result.partial is not None:
            summary.partial += 1
    elif outcome.status == "skipped":
        summary.skipped += 1
    elif outcome.status == "duplicate":
        summary.duplicates += 1
    else:
        summary.failed += 1
    if outcome.result is not None:
        summary.audio_seconds += outcome.result.duration
    summary.wall_seconds = time.perf_counter() - start
    if hook is not None:
        hook(
            "score",
            completed=len(summary.outcomes),
            total=total,
            outcome=outcome,
            audio_seconds=summary.audio_seconds,
        )


def _execute(
    todo: list[Job], pipeline: Pipeline, workers: int, limit_s: float
) -> Iterator[FileOutcome]:
    if workers <= 1 or len(todo) <= 1 or pipeline.spec is None:
        for path, call_id, meta in todo:
            yield score_guarded(pipeline, path, call_id, meta, limit_s=limit_s)
        return
    yield from parallel_outcomes(todo, pipeline.spec, workers, limit_s=limit_s)
