"""Score calls in worker processes; each builds its own pipeline, results return to one writer.

The same per-call function runs here, in-process, or as a task on a distributed engine:
it takes a file and a `PipelineSpec`, and returns a `FileOutcome` (plain frozen records).

Workers never outlive the batch: on Linux each asks the kernel for SIGKILL when its
parent dies (prctl PR_SET_PDEATHSIG), and on every system a watchdog thread in each
worker exits when the parent process is gone (checked every second).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

from callqa.records import CallMeta
from callqa.run.guard import FILE_TIME_LIMIT_S, score_guarded
from callqa.run.pipeline import FileOutcome, Pipeline, PipelineSpec

log = logging.getLogger(__name__)

_WORKER: Pipeline | None = None
_PR_SET_PDEATHSIG = 1
WATCHDOG_INTERVAL_S = 1.0


def die_with_parent(parent_pid: int) -> None:
    """Make this process end when `parent_pid` ends (call it first in a worker)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            log.debug("prctl unavailable; relying on the watchdog")
    if os.getppid() != parent_pid and not _alive(parent_pid):
        os._exit(1)  # the parent died before we got here
    threading.Thread(
        target=_watch, args=(parent_pid,), name="callqa-parent-watchdog", daemon=True
    ).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _watch(parent_pid: int) -> None:
    first_ppid = os.getppid()
    while True:
        time.sleep(WATCHDOG_INTERVAL_S)
        if os.getppid() != first_ppid or not _alive(parent_pid):
            os._exit(1)


def _init(spec: PipelineSpec, parent_pid: int) -> None:
    global _WORKER
    die_with_parent(parent_pid)
    _WORKER = Pipeline.from_spec(spec)


def _work(path: Path, call_id: str, meta: CallMeta, limit_s: float) -> FileOutcome:
    assert _WORKER is not None
    return score_guarded(_WORKER, path, call_id, meta, limit_s=limit_s)


def worker_pool(spec: PipelineSpec, workers: int) -> ProcessPoolExecutor:
    """A pool whose processes build their pipeline from `spec` and die with this process."""
    return ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(spec, os.getpid()))


def parallel_outcomes(
    todo: list[tuple[Path, str, CallMeta]],
    spec: PipelineSpec,
    workers: int,
    *,
    limit_s: float = FILE_TIME_LIMIT_S,
) -> Iterator[FileOutcome]:
    """Outcomes as they finish; CPU threads are shared out between the workers.

    A worker that dies (a crash inside a decoder, the kernel's out-of-memory killer)
    breaks its pool: the files it may have been scoring are then tried again one at a
    time in a pool of their own, so only the file that kills a worker fails ("the
    worker process died while scoring it"), and the rest go on in a new pool.
    """
    threads = max(1, (os.cpu_count() or 2) // workers)
    spec = replace(spec, cpu_threads=threads)
    log.info(
        "scoring %d calls in %d worker processes, %d threads each", len(todo), workers, threads
    )
    pending = list(todo)
    while pending:
        left = yield from _in_pool(pending, spec, workers, limit_s)
        # Those in flight when the pool broke are at the head of what is left.
        suspects, pending = left[: workers + 1], left[workers + 1 :]
        for item in suspects:
            if (yield from _in_pool([item], spec, 1, limit_s)):
                log.warning("%s: the worker process died while scoring it", item[0])
                yield FileOutcome(
                    str(item[0]),
                    "failed",
                    item[1],
                    error="the worker process died while scoring it (a crash while decoding, "
                    "or out of memory) - check the file, or score it alone",
                )


def _in_pool(
    items: list[tuple[Path, str, CallMeta]], spec: PipelineSpec, workers: int, limit_s: float
) -> Generator[FileOutcome, None, list[tuple[Path, str, CallMeta]]]:
    """Score `items` in a new pool; returns those not scored because the pool broke."""
    with worker_pool(spec, workers) as pool:
        futures = {pool.submit(_work, *item, limit_s): item for item in items}
        finished: set[Future[FileOutcome]] = set()
        try:
            for future in as_completed(futures):
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    break
                finished.add(future)
                yield outcome
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return [item for future, item in futures.items() if future not in finished]
