"""Ray against local worker processes, and the single writer fed by Ray.

    PYTHONPATH=. python benchmarks/bench_ray.py [--workers 2] [--calls 1000] [--ray-first]

1. The six samples with the real model, in one run: `run_batch` with `--workers N` local
   processes, then (or first, `--ray-first`) on a local Ray cluster with N workers
   (`callqa.run.ray_backend`).  Both walls include starting the workers and loading their
   models; starting the Ray cluster itself is timed apart, before either.  The overhead
   ratio is Ray's wall / the local wall.
2. The writer: `--calls` short distinct recordings (3 s, 8 kHz) scored by Ray workers with the
   scripted fake transcriber and diarizer (`tests.fakes`: a 30 s call of 110 words), so the
   workers are cheap and the driver, which stores every result in its own transaction, is
   the bottleneck.  Prints calls/s stored end to end, the driver's seconds spent storing,
   and the driver's CPU seconds: calls per driver CPU-second is what the one writer can take
   (hashing, receiving and storing) however many workers feed it.  The same files through
   local worker processes give the comparison.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from callqa.run.batch import BatchSummary, collect_files, run_batch
from callqa.run.pipeline import Pipeline, PipelineSpec
from callqa.run.ray_backend import import_ray, ray_executor
from callqa.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
FAKES = {"transcriber": "tests.fakes:script_transcriber", "diarizer": "tests.fakes:script_diarizer"}


def _batch(
    label: str, files: list[Path], spec: PipelineSpec, db: Path, **kwargs: Any
) -> tuple[BatchSummary, float]:
    """Score `files` into a fresh `db`; print and return the summary and the wall seconds."""
    store = Store.open(db)
    pipeline = Pipeline.from_spec(spec)
    wall, cpu = time.perf_counter(), time.process_time()
    s = run_batch(files, store, pipeline, force=True, **kwargs)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    store.close()
    kb = db.stat().st_size / 1024 / max(1, s.scored)
    stored = sum(o.result.timings.store for o in s.outcomes if o.result is not None)
    print(
        f"{label:<34} {s.scored:>5} scored {s.failed:>2} failed  wall {wall:6.2f} s  "
        f"{s.scored / wall:6.1f} calls/s  {s.audio_seconds / wall:5.1f}x real time | driver: "
        f"CPU {cpu:5.2f} s ({s.scored / cpu:,.0f} calls/CPU-s), storing {stored:5.2f} s "
        f"({s.scored / stored if stored else 0:,.0f} calls/s); {kb:.0f} KiB of database per call"
    )
    return s, wall


def _short_calls(folder: Path, count: int) -> list[Path]:
    t = np.arange(8000 * 3) / 8000
    rng = np.random.default_rng(0)
    for i in range(count):
        tone = 0.3 * np.sin(2 * np.pi * (150 + i % 500) * t) + 0.01 * rng.standard_normal(t.size)
        sf.write(folder / f"c{i:06d}.wav", tone.astype(np.float32), 8000)
    return collect_files([folder])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--calls", type=int, default=1000, help="writer test calls (0: none)")
    parser.add_argument("--skip-model", action="store_true", help="only the writer test")
    parser.add_argument("--ray-first", action="store_true", help="Ray before local")
    args = parser.parse_args()
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
    )
    ray = import_ray()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}; ray {ray.__version__}; workers {args.workers}"
    )
    samples = collect_files([ROOT / "samples"])
    real = PipelineSpec(model="base", scorecard="etiquette")
    fake = PipelineSpec(
        model="base",
        scorecard="etiquette",
        transcriber=FAKES["transcriber"],
        diarizer=FAKES["diarizer"],
    )
    t = time.perf_counter()
    ray.init(num_cpus=os.cpu_count(), include_dashboard=False, log_to_driver=False)
    print(f"Ray cluster start: {time.perf_counter() - t:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if not args.skip_model:
            walls: dict[str, float] = {}
            for where in ("ray", "local") if args.ray_first else ("local", "ray"):
                if where == "local":
                    label = f"samples, local --workers {args.workers}"
                    kwargs: dict[str, Any] = {"workers": args.workers}
                    _s, walls[where] = _batch(label, samples, real, folder / "l.db", **kwargs)
                    continue
                with ray_executor(real, workers=args.workers) as on_ray:
                    label = f"samples, Ray {args.workers} workers"
                    _s, walls[where] = _batch(
                        label, samples, real, folder / "r.db", executor=on_ray
                    )
            print(f"overhead ratio Ray / local (wall): {walls['ray'] / walls['local']:.2f}")
        calls = folder / "calls"
        calls.mkdir()
        files = _short_calls(calls, args.calls)
        if files:
            with ray_executor(fake, workers=args.workers) as on_ray:
                label = f"{args.calls} short calls, Ray, fake ASR"
                _batch(label, files, fake, folder / "wr.db", executor=on_ray)
        ray.shutdown()
        if files:
            label = f"{args.calls} short calls, local, fake ASR"
            _batch(label, files, fake, folder / "wl.db", workers=args.workers)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
