"""Diarization speed of the default (offline) backend, per minute of audio.

    python benchmarks/bench_diarize.py [AUDIO ...] [--repeat N] [--minutes M]

Without AUDIO it builds a test call of M minutes (default 5) from pyannote's sample call
(tests/data/diarization/sample.wav) and the packaged agent/customer clips, repeated with
changing gaps.  Model loading (silero VAD, the ONNX speaker embedder, feature tables) is
timed once, separately; then each file is diarized N times and the best and median
times are reported as seconds per audio minute and as a real-time factor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "diarization"
TARGET_RTF = 0.03


def synthetic_call(minutes: float) -> np.ndarray:
    from callqa.speech.audio import decode

    parts = [decode(DATA / name).mono() for name in ("sample.wav", "agent.flac", "customer.flac")]
    rng = np.random.default_rng(0)
    out: list[np.ndarray] = []
    total = 0
    need = int(minutes * 60 * 16000)
    while total < need:
        for part in parts:
            gap = np.zeros(int(rng.uniform(0.2, 1.5) * 16000), dtype=np.float32)
            out += [part, gap]
            total += len(part) + len(gap)
    return np.concatenate(out)[:need]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("audio", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--backend", default="default")
    parser.add_argument("--threads", type=int, default=1, help="embedder threads (1 or 2)")
    args = parser.parse_args(argv)

    from callqa.speech.audio import decode
    from callqa.speech.diarize.registry import make_diarizer

    t0 = time.perf_counter()
    diarizer = make_diarizer(args.backend, threads=args.threads)
    load_s = time.perf_counter() - t0
    print(f"model loading: {load_s:.2f} s (once per process; not counted below)")
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
        f"embedder threads {args.threads}"
    )

    if args.audio:
        inputs = [(p.name, decode(p).mono()) for p in args.audio]
    else:
        inputs = [(f"synthetic {args.minutes:g} min call", synthetic_call(args.minutes))]
    worst = 0.0
    for name, signal in inputs:
        minutes = len(signal) / 16000 / 60
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            result = diarizer(signal, speakers=2)
            times.append(time.perf_counter() - t)
        best, median = min(times), statistics.median(times)
        worst = max(worst, median / minutes)
        print(
            f"{name}: {minutes * 60:.0f} s audio, {len(result.turns)} turns | "
            f"best {best / minutes:.2f} s/min (RTF {best / minutes / 60:.4f}), "
            f"median {median / minutes:.2f} s/min (RTF {median / minutes / 60:.4f})"
        )
    verdict = "within" if worst / 60 <= TARGET_RTF else "OVER"
    print(f"target: RTF <= {TARGET_RTF} ({TARGET_RTF * 60:.1f} s per audio minute): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
