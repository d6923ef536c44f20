"""Score a batch on a Ray cluster: one actor per worker slot, results back to one writer.

    with ray_executor(spec, address="local") as executor:
        run_batch(files, store, pipeline, executor=executor)

Each actor (`ScoringWorker`) builds its `Pipeline` once from the `PipelineSpec`, so the
models load once per worker, and runs `score_one` per call inside the per-file guard
(`callqa.run.guard.score_guarded`: type check, time limit, any error one line). Outcomes
come back to the driver, where `run_batch` stores each in one transaction exactly as in a
local run: the driver is the only writer. The pool (`plan_pool`) is one actor per GPU when
the cluster has GPUs (the transcriber picks float16 on the GPU Ray gives it), else one
single-threaded actor per CPU; `workers` overrides the count.

A worker that dies mid-call (killed, out of memory, a crash in native code) is restarted and
the calls it held are retried on it (Ray's actor restarts and task retries), on whichever
node it comes back on.  A call's result reaches the driver once and only the driver stores,
so no call is stored twice.  A file that kills its worker `MAX_ATTEMPTS` times is recorded as
failed with that reason, and the batch goes on.

Audio: workers read each file at its absolute path, so every node must see the same paths
(NFS, a mounted bucket); with ``ship_audio`` the driver sends the bytes through Ray's object
store instead and the worker scores a temporary copy.

Ray is an optional dependency (``pip install 'callqa[ray]'``), imported only when used.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import math
import os
import tempfile
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from callqa.errors import ClusterError
from callqa.records import CallMeta
from callqa.run.batch import Job
from callqa.run.guard import score_guarded
from callqa.run.pipeline import FileOutcome, Pipeline, PipelineSpec

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'callqa[ray]'"
MAX_ATTEMPTS = 3
"""Tries per call when its worker dies; after that the file is recorded as failed."""
IN_FLIGHT = 2
"""Calls queued per actor, so an actor starts its next call while the driver stores."""
_MAX_GPU_THREADS = 4


@dataclass(frozen=True)
class PoolPlan:
    """How many actors, and what each one asks the cluster for."""

    workers: int
    num_cpus: float
    num_gpus: float
    cpu_threads: int

    @property
    def line(self) -> str:
        kind = f"{self.num_gpus:g} GPU" if self.num_gpus else f"{self.num_cpus:g} CPU"
        return f"{self.workers} workers, {kind} and {self.cpu_threads} threads each"


def plan_pool(nodes: Sequence[Mapping[str, float]], workers: int | None = None) -> PoolPlan:
    """The actor pool for a cluster whose nodes have these resources (Ray's names: "CPU",
    "GPU").  One actor per GPU if there are GPUs, else one single-threaded actor per CPU;
    `workers` overrides the count and the CPUs (and GPUs) are shared out among them."""
    cpus = sum(n.get("CPU", 0.0) for n in nodes)
    gpus = sum(n.get("GPU", 0.0) for n in nodes)
    biggest = max((n.get("CPU", 0.0) for n in nodes), default=0.0)
    count = workers or (int(gpus) if gpus >= 1 else max(1, int(cpus)))
    threads = max(1, min(int(biggest), int(cpus // count)))
    if gpus >= 1:
        threads = min(threads, _MAX_GPU_THREADS)
    num_cpus = float(threads) if threads * count <= cpus else _share(cpus, count)
    num_gpus = _share(gpus, count) if gpus >= 1 else 0.0
    return PoolPlan(workers=count, num_cpus=num_cpus, num_gpus=num_gpus, cpu_threads=threads)


def _share(total: float, count: int) -> float:
    """`total / count`, at most 1 (Ray takes fractions of one unit), at Ray's precision."""
    return max(1e-4, min(1.0, math.floor(total / count * 1e4) / 1e4))


class ScoringWorker:
    """One worker slot: builds the pipeline once, then scores one call per `score`."""

    def __init__(self, spec: PipelineSpec) -> None:
        self._pipeline = Pipeline.from_spec(spec)

    def ready(self) -> str:
        transcriber = self._pipeline.transcriber
        device = getattr(transcriber, "device", "?")
        compute = getattr(transcriber, "compute_type", "?")
        return f"pid {os.getpid()} ({device}/{compute})"

    def score(
        self, name: str, path: str | None, call_id: str, meta: CallMeta, audio: bytes | None
    ) -> FileOutcome:
        """Score the file at `path`, or the shipped `audio` bytes; report it as `name`."""
        if path is not None:
            return _named(score_guarded(self._pipeline, Path(path), call_id, meta), name, path)
        assert audio is not None
        with tempfile.TemporaryDirectory(prefix="callqa-ray-") as tmp:
            local = Path(tmp) / ("audio" + Path(name).suffix)
            local.write_bytes(audio)
            return _named(score_guarded(self._pipeline, local, call_id, meta), name, str(local))


def _named(outcome: FileOutcome, name: str, read_from: str) -> FileOutcome:
    """`outcome` under the file name the driver knows (not the path the worker read)."""
    error = outcome.error.replace(read_from, name) if outcome.error else outcome.error
    result = replace(outcome.result, file=name) if outcome.result is not None else None
    return replace(outcome, file=name, error=error, result=result)


class RayExecutor:
    """An `Executor` for `run_batch` on a connected cluster; made by `ray_executor`."""

    def __init__(
        self,
        ray: Any,
        spec: PipelineSpec,
        *,
        address: str,
        workers: int | None,
        ship_audio: bool,
    ) -> None:
        self._ray = ray
        self.spec = spec
        self.address = address
        self.workers = workers
        self.ship_audio = ship_audio
        # True once this executor connected (or started a cluster): it disconnects after.
        self.started = False

    def connect(self) -> None:
        """Connect now, unless this process already is."""
        if not self.started and _connect(self._ray, self.address):
            self.started = True

    def plan(self) -> PoolPlan:
        nodes = [n["Resources"] for n in self._ray.nodes() if n.get("Alive")]
        return plan_pool(nodes, self.workers)

    def __call__(self, jobs: list[Job]) -> Iterator[FileOutcome]:
        if not jobs:
            return
        self.connect()
        plan = self.plan()
        plan = replace(plan, workers=min(plan.workers, len(jobs)))
        actor_class = self._ray.remote(
            num_cpus=plan.num_cpus,
            num_gpus=plan.num_gpus,
            max_restarts=-1,
            max_task_retries=MAX_ATTEMPTS - 1,
        )(ScoringWorker)
        spec = replace(self.spec, cpu_threads=plan.cpu_threads)
        actors = [actor_class.remote(spec) for _ in range(plan.workers)]
        try:
            self._wait_ready(actors, plan)
            yield from self._drive(actors, jobs)
        finally:
            for actor in actors:
                self._ray.kill(actor)

    def _wait_ready(self, actors: list[Any], plan: PoolPlan) -> None:
        log.info("starting %s on Ray", plan.line)
        try:
            ready = self._ray.get([a.ready.remote() for a in actors])
        except self._ray.exceptions.RayError as exc:
            raise ClusterError(
                f"Ray workers could not start ({_last_line(exc)}) - callqa and its models "
                "must be installed on every node"
            ) from exc
        log.info("Ray workers ready: %s", ", ".join(ready))

    def _drive(self, actors: list[Any], jobs: list[Job]) -> Iterator[FileOutcome]:
        queue = deque(jobs)
        free = [a for _ in range(IN_FLIGHT) for a in actors]
        pending: dict[Any, tuple[Job, Any]] = {}
        while queue or pending:
            while queue and free:
                job = queue.popleft()
                try:
                    ref = self._submit(free[-1], job)
                except OSError as exc:
                    yield FileOutcome(str(job[0]), "failed", job[1], error=f"cannot read: {exc}")
                    continue
                pending[ref] = (job, free.pop())
            if not pending:
                continue
            [ref], _ = self._ray.wait(list(pending), num_returns=1)
            job, actor = pending.pop(ref)
            free.append(actor)
            yield self._outcome(ref, job)

    def _submit(self, actor: Any, job: Job) -> Any:
        path, call_id, meta = job
        if self.ship_audio:
            audio = self._ray.put(path.read_bytes())
            return actor.score.remote(str(path), None, call_id, meta, audio)
        return actor.score.remote(str(path), str(path.absolute()), call_id, meta, None)

    def _outcome(self, ref: Any, job: Job) -> FileOutcome:
        path, call_id, _meta = job
        try:
            outcome: FileOutcome = self._ray.get(ref)
        except self._ray.exceptions.RayActorError as exc:
            reason = (
                f"the worker died {MAX_ATTEMPTS} times while scoring this file "
                f"({_last_line(exc)}) - check the file and the workers' memory"
            )
            return FileOutcome(str(path), "failed", call_id, error=reason)
        except self._ray.exceptions.RayError as exc:
            reason = f"internal error on a Ray worker ({_last_line(exc)}) - please report"
            return FileOutcome(str(path), "failed", call_id, error=reason)
        return outcome


@contextlib.contextmanager
def ray_executor(
    spec: PipelineSpec,
    *,
    address: str = "local",
    workers: int | None = None,
    ship_audio: bool = False,
) -> Iterator[RayExecutor]:
    """Connect to Ray (``"local"`` starts a cluster here, ``"auto"`` attaches to the running
    one, else a head's address) and yield an executor for `run_batch`; disconnect after.

    A cluster address is checked now, before any work; a local cluster starts only when
    there is something to score (a re-run that skips everything starts none).  A process
    that is already connected (``ray.init`` called) keeps its connection."""
    ray = import_ray()
    executor = RayExecutor(ray, spec, address=address, workers=workers, ship_audio=ship_audio)
    try:
        if address != "local":
            executor.connect()
        yield executor
    finally:
        if executor.started:
            ray.shutdown()


def import_ray() -> Any:
    """The `ray` module, or a `ClusterError` naming the install command."""
    try:
        return importlib.import_module("ray")
    except ImportError as exc:
        raise ClusterError(f"Ray is not installed - run: {INSTALL_HINT}") from exc


def _connect(ray: Any, address: str) -> bool:
    if ray.is_initialized():
        return False
    # Workers' output stays in the cluster's logs: on the driver it would mix into --json.
    kwargs: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.WARNING}
    if address == "local":
        kwargs["include_dashboard"] = False
    try:
        ray.init(address=address, **kwargs)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise ClusterError(
            f"no Ray cluster at {address!r} ({_last_line(exc)}) - start one with "
            "`ray start --head`, or use --ray-address local"
        ) from exc
    return True


def _last_line(exc: BaseException) -> str:
    """The last non-blank line of an error (Ray's carry the worker's traceback above it)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__
