"""Time faster-whisper transcription of decoded call signals on one device (GPU or CPU).

    # here, once: decode the samples exactly as callqa does (16 kHz float32, stereo split)
    python benchmarks/bench_gpu.py --export out/signals.npz samples/

    # anywhere with numpy + faster-whisper + ctranslate2 (PyAV and callqa are not needed)
    python benchmarks/bench_gpu.py --model models/cache/whisper-base out/signals.npz \
        --device cuda --compute-type float16 --repeat 10 --beams 5,1 --batched 8,16

Signals come from .npz archives (one array per channel; stereo channels are keyed
``<call>__ch0`` / ``<call>__ch1``) or single .npy files.  Each channel is transcribed on
its own, as callqa's pipeline does, with callqa's default options: language "zh",
vad_filter on (min silence 500 ms), word timestamps, condition_on_previous_text off.

Model loading is timed apart.  Every configuration gets one untimed warm-up pass over all
signals, then ``--repeat`` timed passes.  Audio seconds are call seconds (a stereo call
counts once, although both of its channels are transcribed).  RTF = wall seconds / audio
seconds; "x real time" = audio seconds / wall second.  The process's CPU seconds per pass
are recorded too: on a shared CPU they show how much of the wall time was spent computing.
``--json`` writes every timing and the first timed pass's texts (to compare devices).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
import types
from pathlib import Path
from typing import Any

import numpy as np

SAMPLE_RATE = 16000
MIN_SAMPLES = SAMPLE_RATE // 10  # callqa skips shorter signals


def export(paths: list[str], out: str) -> None:
    """Decode audio files with callqa (needs PyAV) into one .npz of float32 signals."""
    from callqa.speech.audio import decode, is_audio_file

    files: list[Path] = []
    for p in map(Path, paths):
        files += sorted(f for f in p.iterdir() if is_audio_file(f)) if p.is_dir() else [p]
    arrays: dict[str, np.ndarray] = {}
    for f in files:
        audio = decode(f)
        if len(audio.channels) == 2:
            for i, ch in enumerate(audio.channels):
                arrays[f"{f.stem}__ch{i}"] = ch
        else:
            arrays[f.stem] = audio.mono()
        print(f"{f.name}: {audio.duration:.2f} s, {len(audio.channels)} channel(s)")
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    save: Any = np.savez_compressed  # ~20 % smaller than np.savez: less to carry
    save(out, **arrays)
    print(f"wrote {out} ({len(arrays)} signals)")


def load_signals(paths: list[str]) -> list[tuple[str, str, np.ndarray]]:
    """(call, channel key, signal) triples, in a stable order."""
    out: list[tuple[str, str, np.ndarray]] = []
    for p in map(Path, paths):
        if p.suffix == ".npz":
            with np.load(p) as z:
                items = [(k, z[k]) for k in sorted(z.files)]
        else:
            items = [(p.stem, np.load(p))]
        for key, arr in items:
            call = key.split("__ch")[0]
            out.append((call, key, np.ascontiguousarray(arr, dtype=np.float32)))
    return out


def import_faster_whisper() -> Any:
    try:
        import av  # noqa: F401
    except ImportError:
        # faster_whisper imports av at module level but only uses it to decode files;
        # the signals here are already decoded.
        sys.modules["av"] = types.ModuleType("av")
    import faster_whisper

    return faster_whisper


def machine_info(device: str) -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info: dict[str, Any] = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "loadavg": os.getloadavg(),
        "python": platform.python_version(),
        "device": device,
    }
    for mod in ("numpy", "ctranslate2", "faster_whisper", "onnxruntime", "tokenizers"):
        try:
            info[mod] = __import__(mod).__version__
        except Exception:
            info[mod] = None
    import ctranslate2

    info["cuda_devices"] = ctranslate2.get_cuda_device_count()
    return info


def transcribe_kwargs(beam: int) -> dict[str, Any]:
    return {
        "language": "zh",
        "beam_size": beam,
        "vad_filter": True,
        "vad_parameters": {"min_silence_duration_ms": 500},
        "word_timestamps": True,
        "condition_on_previous_text": False,
    }


def one_pass(
    engine: Any, signals: list[tuple[str, str, np.ndarray]], beam: int, batch: int | None
) -> tuple[dict[str, float], dict[str, str], float]:
    """Wall seconds per call (channels summed), text per channel and process CPU seconds."""
    cpu0 = time.process_time()
    seconds: dict[str, float] = {}
    texts: dict[str, str] = {}
    kwargs = transcribe_kwargs(beam)
    if batch:
        kwargs["batch_size"] = batch
    for call, key, sig in signals:
        t = time.perf_counter()
        text = ""
        if sig.size >= MIN_SAMPLES:
            segments, _info = engine.transcribe(sig, **kwargs)
            segs = list(segments)  # the generator does the decoding
            text = "".join(s.text for s in segs)
            _ = [w for s in segs for w in (s.words or ())]
        seconds[call] = seconds.get(call, 0.0) + time.perf_counter() - t
        texts[key] = text
    return seconds, texts, time.process_time() - cpu0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("signals", nargs="+", help=".npz/.npy signals (or audio with --export)")
    ap.add_argument("--export", metavar="OUT.npz", help="decode audio files to OUT.npz, exit")
    ap.add_argument("--model", help="CTranslate2 Whisper model folder")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--compute-type", default="int8")
    ap.add_argument("--cpu-threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=10, help="timed passes per configuration")
    ap.add_argument("--beams", default="5,1")
    ap.add_argument("--batched", default="", help="BatchedInferencePipeline batch sizes, e.g. 8,16")
    ap.add_argument(
        "--batched-beams", default="", help="beams for the batched runs (default: --beams)"
    )
    ap.add_argument("--json", help="write all timings and texts here")
    ap.add_argument("--label", default="")
    args = ap.parse_args()

    if args.export:
        export(args.signals, args.export)
        return
    if not args.model:
        ap.error("--model is required")

    signals = load_signals(args.signals)
    calls: dict[str, float] = {}
    for call, _key, sig in signals:
        calls[call] = max(calls.get(call, 0.0), sig.size / SAMPLE_RATE)
    audio = sum(calls.values())

    fw = import_faster_whisper()
    info = machine_info(args.device)
    print(f"# {args.label or 'bench_gpu'}: {json.dumps(info)}", flush=True)
    print(
        f"# {len(calls)} calls, {len(signals)} channel signals, audio {audio:.2f} s; "
        f"{args.device}/{args.compute_type}, cpu_threads {args.cpu_threads}, "
        f"repeat {args.repeat}",
        flush=True,
    )

    t = time.perf_counter()
    model = fw.WhisperModel(
        args.model,
        device=args.device,
        compute_type=args.compute_type,
        cpu_threads=args.cpu_threads,
    )
    load_s = time.perf_counter() - t
    print(f"model load: {load_s:.2f} s", flush=True)

    from faster_whisper.vad import VadOptions, get_speech_timestamps

    t = time.perf_counter()
    for _call, _key, sig in signals:
        get_speech_timestamps(sig, VadOptions(min_silence_duration_ms=500))
    vad_s = time.perf_counter() - t  # first call also loads the Silero model
    t = time.perf_counter()
    for _call, _key, sig in signals:
        get_speech_timestamps(sig, VadOptions(min_silence_duration_ms=500))
    vad_s2 = time.perf_counter() - t
    print(f"VAD alone, one pass: {vad_s:.2f} s first, {vad_s2:.2f} s second", flush=True)

    configs: list[tuple[str, int, int | None]] = []
    beams = [int(b) for b in args.beams.split(",") if b]
    for b in beams:
        configs.append((f"sequential beam {b}", b, None))
    bbeams = [int(b) for b in args.batched_beams.split(",") if b] or beams
    for bs in [int(x) for x in args.batched.split(",") if x]:
        for b in bbeams:
            configs.append((f"batched bs{bs} beam {b}", b, bs))

    results: dict[str, Any] = {
        "info": info,
        "label": args.label,
        "compute_type": args.compute_type,
        "cpu_threads": args.cpu_threads,
        "repeat": args.repeat,
        "audio_s": audio,
        "calls": calls,
        "model_load_s": load_s,
        "vad_pass_s": [vad_s, vad_s2],
        "configs": {},
    }

    def dump() -> None:
        if args.json:
            Path(args.json).parent.mkdir(parents=True, exist_ok=True)
            Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))

    for name, beam, batch in configs:
        try:
            engine = fw.BatchedInferencePipeline(model) if batch else model
            t = time.perf_counter()
            _sec, warm_texts, _cpu = one_pass(engine, signals, beam, batch)
            warm = time.perf_counter() - t
            passes: list[dict[str, float]] = []
            cpus: list[float] = []
            texts: dict[str, str] = {}
            for r in range(args.repeat):
                sec, tx, cpu_s = one_pass(engine, signals, beam, batch)
                passes.append(sec)
                cpus.append(cpu_s)
                if r == 0:
                    texts = tx
            totals = [sum(p.values()) for p in passes]
            stable = texts == warm_texts
        except Exception as exc:  # report it and go on with the next configuration
            print(f"{name}: FAILED {type(exc).__name__}: {exc}", flush=True)
            results["configs"][name] = {"error": f"{type(exc).__name__}: {exc}"}
            dump()
            continue
        per_file = {c: statistics.mean(p[c] for p in passes) for c in calls}
        mean = statistics.mean(totals)
        results["configs"][name] = {
            "beam": beam,
            "batch_size": batch,
            "warmup_s": warm,
            "pass_totals_s": totals,
            "pass_process_cpu_s": cpus,
            "loadavg_after": os.getloadavg(),
            "per_call_s": [p for p in passes],
            "per_call_mean_s": per_file,
            "texts": texts,
            "texts_same_as_warmup": stable,
            "chars": sum(len(t) for t in texts.values()),
        }
        print(f"\n## {name}: warm-up pass {warm:.2f} s; texts same as warm-up: {stable}")
        print(f"{'call':<30}{'audio s':>9}{'mean s':>9}{'min s':>8}{'RTF':>8}{'x RT':>8}")
        for c, dur in calls.items():
            m = per_file[c]
            lo = min(p[c] for p in passes)
            print(f"{c:<30}{dur:>9.2f}{m:>9.3f}{lo:>8.3f}{m / dur:>8.4f}{dur / m:>8.1f}")
        sd = statistics.stdev(totals) if len(totals) > 1 else 0.0
        print(
            f"{'total (mean of ' + str(len(totals)) + ')':<30}{audio:>9.2f}{mean:>9.3f}"
            f"{min(totals):>8.3f}{mean / audio:>8.4f}{audio / mean:>8.1f}   sd {sd:.3f} s",
            flush=True,
        )
        print(
            f"process CPU time per pass: mean {statistics.mean(cpus):.2f} s "
            f"({statistics.mean(cpus) / mean:.2f} cores busy on average); "
            f"load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
            flush=True,
        )
        dump()
    results["loadavg_end"] = os.getloadavg()
    dump()


if __name__ == "__main__":
    main()
