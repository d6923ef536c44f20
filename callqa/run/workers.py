"""Score calls in worker processes; each builds its own pipeline, results return to one writer.

The same per-call function runs here, in-process, or as a task on a distributed engine:
it takes a file and a `PipelineSpec`, and returns a `FileOutcome` (plain frozen records).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path

from callqa.records import CallMeta
from callqa.run.pipeline import FileOutcome, Pipeline, PipelineSpec, score_one

log = logging.getLogger(__name__)

_WORKER: Pipeline | None = None


def _init(spec: PipelineSpec) -> None:
    global _WORKER
    _WORKER = Pipeline.from_spec(spec)


def _work(path: Path, call_id: str, meta: CallMeta) -> FileOutcome:
    assert _WORKER is not None
    return score_one(_WORKER, path, call_id, meta)


def parallel_outcomes(
    todo: list[tuple[Path, str, CallMeta]], spec: PipelineSpec, workers: int
) -> Iterator[FileOutcome]:
    """Outcomes as they finish; CPU threads are shared out between the workers."""
    threads = max(1, (os.cpu_count() or 2) // workers)
    spec = replace(spec, cpu_threads=threads)
    log.info(
        "scoring %d calls in %d worker processes, %d threads each", len(todo), workers, threads
    )
    with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(spec,)) as pool:
        futures = [pool.submit(_work, *item) for item in todo]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise
