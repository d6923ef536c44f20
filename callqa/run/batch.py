"""A batch of calls into the store: collect files, skip what is scored, one writer.

Each file is scored by `callqa.run.pipeline.score_one`, in this process or in worker
processes (`callqa.run.workers`); results come back here and are stored one transaction
per call.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from callqa.errors import AudioError
from callqa.records import CallMeta
from callqa.run.meta import DEFAULT_NAME_PATTERN, lookup
from callqa.run.pipeline import FileOutcome, Pipeline, score_one
from callqa.run.workers import parallel_outcomes
from callqa.speech.audio import file_sha256, is_audio_file
from callqa.store.db import Store

log = logging.getLogger(__name__)

ProgressHook = Callable[..., None]
"""Called as hook(step, completed=, total=, audio_seconds=, outcome=) after each file."""


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and audio files under folders (sorted); missing paths kept to fail."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.is_file() and is_audio_file(f)))
        else:
            found.append(p)
    return list(dict.fromkeys(found))


@dataclass
class BatchSummary:
    scored: int = 0
    skipped: int = 0
    failed: int = 0
    audio_seconds: float = 0.0
    wall_seconds: float = 0.0
    outcomes: list[FileOutcome] = field(default_factory=list)

    @property
    def line(self) -> str:
        speed = self.audio_seconds / self.wall_seconds if self.wall_seconds > 0 else 0.0
        return (
            f"{self.scored} scored, {self.skipped} skipped (already scored), "
            f"{self.failed} failed; {self.audio_seconds / 60:.1f} min of audio in "
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
    hook: ProgressHook | None = None,
) -> BatchSummary:
    """Score `files` into `store`; a bad file is recorded as failed and the batch goes on.

    Results are written here, one transaction per call, whatever `workers` is; with
    several workers each process builds its own pipeline from `pipeline.spec`.
    """
    summary = BatchSummary()
    start = time.perf_counter()
    total = len(files)
    version = pipeline.scorecard.version_key
    options = pipeline.options_key
    todo: list[tuple[Path, str, CallMeta]] = []
    for path in files:
        meta = lookup(path, manifest, name_pattern)
        try:
            call_id = file_sha256(path)
        except AudioError as exc:
            _record(summary, _fail(store, path, None, exc.reason), hook, total, start)
            continue
        if not force and store.has_scoring(
            call_id, scorecard_version=version, model=pipeline.model_name, options=options
        ):
            _record(summary, FileOutcome(str(path), "skipped", call_id), hook, total, start)
            continue
        todo.append((path, call_id, meta))

    for outcome in _execute(todo, pipeline, workers):
        if outcome.result is not None:
            t = time.perf_counter()
            store.save_result(outcome.result)
            timings = replace(outcome.result.timings, store=time.perf_counter() - t)
            outcome = replace(outcome, result=replace(outcome.result, timings=timings))
        elif outcome.status == "failed":
            outcome = _fail(store, Path(outcome.file), outcome.call_id, outcome.error or "")
        _record(summary, outcome, hook, total, start)
    return summary


def _fail(store: Store, path: Path, call_id: str | None, reason: str) -> FileOutcome:
    key = call_id or "path:" + _path_key(path)
    store.save_failure(call_id=key, file=str(path), reason=reason)
    log.info("%s: %s", path, reason)  # the caller reports failures to the user
    return FileOutcome(str(path), "failed", key, error=reason)


def _path_key(path: Path) -> str:
    return hashlib.sha256(os.fsencode(os.path.abspath(path))).hexdigest()


def _record(
    summary: BatchSummary, outcome: FileOutcome, hook: ProgressHook | None, total: int, start: float
) -> None:
    summary.outcomes.append(outcome)
    if outcome.status == "scored":
        summary.scored += 1
    elif outcome.status == "skipped":
        summary.skipped += 1
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
    todo: list[tuple[Path, str, CallMeta]], pipeline: Pipeline, workers: int
) -> Iterator[FileOutcome]:
    if workers <= 1 or len(todo) <= 1 or pipeline.spec is None:
        for path, call_id, meta in todo:
            yield score_one(pipeline, path, call_id, meta)
        return
    yield from parallel_outcomes(todo, pipeline.spec, workers)
