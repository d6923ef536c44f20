"""Score the samples end to end and print seconds and real-time factor per stage.

    python benchmarks/bench_pipeline.py [--beam-size 1] [--hotwords] [--workers 1] [FILES...]

Model loading is timed apart.  The real-time factor (RTF) is stage seconds / audio
seconds; "x real time" is audio seconds per wall second, end to end (store included).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

from callqa.run.batch import collect_files, run_batch
from callqa.run.pipeline import Pipeline, PipelineOptions, PipelineSpec
from callqa.speech.transcribe.whisper import TranscribeOptions, WhisperTranscriber
from callqa.store.db import Store

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", default=[str(ROOT / "samples")])
    parser.add_argument("--model", default="base")
    parser.add_argument("--beam-size", type=int, default=1)
    parser.add_argument("--hotwords", action="store_true")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="score the files N times")
    args = parser.parse_args()

    files = collect_files(args.files) * args.repeat
    spec = PipelineSpec(
        model=args.model,
        scorecard="etiquette",
        options=PipelineOptions(
            transcribe=TranscribeOptions(beam_size=args.beam_size), hotwords=args.hotwords
        ),
    )
    t = time.perf_counter()
    pipeline = Pipeline.from_spec(spec)
    transcriber = pipeline.transcriber
    if isinstance(transcriber, WhisperTranscriber):
        transcriber.load()
    _ = pipeline.diarizer
    load = time.perf_counter() - t

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.db")
        t = time.perf_counter()
        summary = run_batch(files, store, pipeline, force=True, workers=args.workers)
        wall = time.perf_counter() - t

    stages = {
        "decode": 0.0,
        "diarize": 0.0,
        "transcribe": 0.0,
        "timeline": 0.0,
        "score": 0.0,
        "store": 0.0,
    }
    audio = 0.0
    for outcome in summary.outcomes:
        if outcome.result is None:
            continue
        audio += outcome.result.duration
        for stage in stages:
            stages[stage] += getattr(outcome.result.timings, stage)

    device = getattr(transcriber, "device", "?")
    compute = getattr(transcriber, "compute_type", "?")
    print(
        f"machine: {platform.machine()} {platform.processor() or ''}, "
        f"{os.cpu_count()} cores; model {pipeline.model_name} on "
        f"{device}/{compute}, beam {args.beam_size}, hotwords {args.hotwords}, "
        f"workers {args.workers}"
    )
    print(f"calls: {summary.scored} scored, {summary.failed} failed; audio {audio:.1f} s")
    print(f"model load (once): {load:.2f} s")
    print(f"{'stage':<12}{'seconds':>10}{'RTF':>10}")
    for stage, seconds in stages.items():
        label = "VAD/diarize" if stage == "diarize" else stage
        print(f"{label:<12}{seconds:>10.3f}{seconds / audio if audio else 0:>10.4f}")
    print(f"{'end to end':<12}{wall:>10.2f}{wall / audio if audio else 0:>10.4f}")
    print(f"end to end: {audio / wall:.1f} audio seconds per wall second")
    print(
        f"timeline + metrics: {100 * stages['timeline'] / sum(stages.values()):.2f} % of the"
        " summed stage time"
    )


if __name__ == "__main__":
    main()
