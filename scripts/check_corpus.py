"""Decode every corpus file with the ffmpeg CLI (independently of PyAV) and check it against
its expected.json: length, which channel carries the agent, dual mono, the silent agent
channel, clipping, and the agent's active level. Needs ffmpeg and numpy only::

    .tts/venv/bin/python scripts/check_corpus.py          # or any python with numpy
    .tts/venv/bin/python scripts/check_corpus.py final    # some splits (dev test holdout final)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

SR = 8000
CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def load(path: Path, channels: int) -> np.ndarray:
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "f32le", "-ar", str(SR), "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype="<f4").reshape(-1, channels).T.astype(np.float64)


def level(x: np.ndarray, spans: list[tuple[float, float]]) -> float:
    """Active level as in make_corpus: 10 ms frames within 40 dB of the loudest, dBFS."""
    frames = []
    for s, e in spans:
        seg = x[round(s * SR) : round(e * SR)]
        n = len(seg) // 80
        if n:
            frames.append(seg[: n * 80].reshape(n, 80))
    p = np.mean(np.concatenate(frames) ** 2, axis=1)
    p = p[p > p.max() * 1e-4]
    return float(10 * np.log10(p.mean()))


def alone(mine: list[tuple[float, float]], other: list[tuple[float, float]]):
    """The parts of ``mine`` (spans in s) during which no ``other`` span is active."""
    out = []
    for s, e in mine:
        cuts = sorted((max(s, a), min(e, b)) for a, b in other if a < e and b > s)
        t = s
        for a, b in cuts:
            if a > t:
                out.append((t, a))
            t = max(t, b)
        if t < e:
            out.append((t, e))
    return [(s, e) for s, e in out if e - s >= 0.05]


def check(doc: dict, path: Path) -> list[str]:
    n_ch = 2 if doc["channels"] == "stereo" else 1
    x = load(path, n_ch)
    problems = []
    if abs(x.shape[1] / SR - doc["duration"]) > 0.1:
        problems.append(f"length {x.shape[1] / SR:.2f} s, expected {doc['duration']}")
    turns = doc["turns"]
    agent = [(t["start"], t["end"]) for t in turns if t["speaker"] == "agent"]
    cust = [(t["start"], t["end"]) for t in turns if t["speaker"] == "customer"]
    a_ch = {"left": 0, "right": 1, None: 0}[doc["agent_channel"]]
    if doc["dual_mono"] and np.abs(x[0] - x[1]).max() > 1e-4:
        problems.append("dual mono channels differ")
    if n_ch == 2 and not doc["dual_mono"]:
        if not agent:  # silent agent channel
            rms = 20 * np.log10(np.sqrt(np.mean(x[a_ch] ** 2)) + 1e-12)
            if rms > -55:
                problems.append(f"silent agent channel at {rms:.1f} dBFS")
        else:
            only = alone(agent, cust)  # agent speaking, customer not
            diff = level(x[a_ch], only) - level(x[1 - a_ch], only)
            if diff < 20:
                problems.append(f"agent channel only {diff:.1f} dB above the other")
    if agent:
        got = level(x[a_ch], agent)
        want = doc["truth"]["agent_level_dbfs"]
        if abs(got - want) > 3:
            problems.append(f"agent level {got:.1f} dBFS, truth {want}")
        seg = np.concatenate([x[a_ch][round(s * SR) : round(e * SR)] for s, e in agent])
        clip = float(np.mean(np.abs(seg) >= 0.99))
        if (clip > 0.001) != (doc["truth"]["agent_clipping"] > 0.001):
            problems.append(f"clipping {clip:.4f}, truth {doc['truth']['agent_clipping']}")
    if cust and n_ch == 2 and not doc["dual_mono"]:
        got = level(x[1 - a_ch], cust)
        if abs(got - doc["truth"]["customer_level_dbfs"]) > 3:
            problems.append(f"customer level {got:.1f} dBFS")
    return problems


def main(argv: list[str] | None = None) -> int:
    splits = sys.argv[1:] if argv is None else argv
    bad = 0
    docs = sorted(CORPUS.glob("*/*.expected.json"))
    if splits:
        unknown = set(splits) - {f.parent.name for f in docs}
        if unknown:
            print(f"no such split: {', '.join(sorted(unknown))}")
            return 2
        docs = [f for f in docs if f.parent.name in splits]
    for f in docs:
        doc = json.loads(f.read_text(encoding="utf-8"))
        problems = check(doc, f.parent / doc["file"])
        print(f"{f.parent.name}/{doc['file']}: {'; '.join(problems) or 'ok'}")
        bad += bool(problems)
    print(f"{len(docs) - bad} ok, {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
