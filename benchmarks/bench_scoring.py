"""Scoring throughput: calls per second for `callqa.scoring.engine.score_call` on ready transcripts.

    python benchmarks/bench_scoring.py [--calls 3000] [--repeat 3] [--uncertain 0.1]

The calls are the six sample scripts (samples/*.expected.json) made distinct: every call
gets its own 工号, amounts, timing jitter and word probabilities, so the text caches see
new text as they would in a real batch.  A share of them (`--uncertain`) has uncertain
roles, which makes the engine judge each item twice; a share says no company name, which
takes the pinyin path.  Measures are computed beforehand (`callqa.speech.measure`) and are not
timed.  Steps are listed in STEPS: "score" alone, and "score+store", which also writes
each call to a fresh SQLite database in its own transaction, as `callqa score` does.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from callqa.records import (
    CallMeta,
    CallResult,
    CallScore,
    Measures,
    RoleAssignment,
    Transcript,
    Utterance,
    Word,
)
from callqa.scoring.engine import score_call
from callqa.scoring.scorecard import Scorecard, load_scorecard
from callqa.speech import measure
from callqa.store.db import Store

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Call:
    transcript: Transcript
    measures: Measures


def _words(text: str, start: float, end: float, rng: random.Random) -> tuple[Word, ...]:
    chars = [i for i, ch in enumerate(text) if ch.isalnum()]
    step = (end - start) / max(1, len(chars))
    return tuple(
        Word(start + k * step, start + (k + 1) * step, text[i], rng.uniform(0.6, 1.0))
        for k, i in enumerate(chars)
    )


def _vary(text: str, rng: random.Random) -> str:
    out = []
    for ch in text:
        out.append(str(rng.randrange(10)) if ch.isdigit() else ch)
    text = "".join(out)
    if rng.random() < 0.15:
        text = text.replace("星河通信", "")
    return text.replace("一百二十九", rng.choice(["一百二十九", "九十九", "五十八", "一百九十九"]))


def make_calls(n: int, *, seed: int = 7, uncertain: float = 0.1) -> list[Call]:
    rng = random.Random(seed)
    scripts = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "samples").glob("*.expected.json"))
    ]
    calls: list[Call] = []
    for k in range(n):
        data = scripts[k % len(scripts)]
        stereo = data["channels"] == "stereo"
        names = (
            {"agent": "left", "customer": "right"} if stereo else {"agent": "S1", "customer": "S2"}
        )
        shift = rng.uniform(0.0, 2.0)
        utts = []
        for t in data["turns"]:
            start, end = t["start"] + shift, t["end"] + shift + rng.uniform(-0.1, 0.1)
            text = _vary(t["text"], rng)
            utts.append(
                Utterance(
                    start=start,
                    end=end,
                    speaker=names[t["speaker"]],
                    role=t["speaker"],
                    text=text,
                    words=_words(text, start, end, rng),
                    loudness_dbfs=rng.uniform(-24.0, -16.0),
                )
            )
        confidence = 0.5 if rng.random() < uncertain else 0.95
        transcript = Transcript(
            utterances=tuple(utts),
            duration=data["duration"] + shift,
            roles=RoleAssignment(names["agent"], confidence),
            agent_channel="left" if stereo else None,
        )
        calls.append(Call(transcript, measure.measure(transcript)))
    return calls


def step_score(card: Scorecard, calls: list[Call]) -> list[CallScore]:
    return [score_call(card, c.transcript, c.measures) for c in calls]


def step_score_and_store(card: Scorecard, calls: list[Call]) -> None:
    """Score, then store each call as the pipeline does: one transaction per call."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.db")
        for k, c in enumerate(calls):
            score = score_call(card, c.transcript, c.measures)
            store.save_result(
                CallResult(
                    call_id=f"{k:064x}",
                    file=f"call{k}.wav",
                    duration=c.transcript.duration,
                    meta=CallMeta(),
                    transcript=c.transcript,
                    measures=c.measures,
                    score=score,
                    model="bench",
                )
            )
        store.close()


Step = Callable[[Scorecard, list[Call]], object]
STEPS: dict[str, Step] = {"score": step_score, "score+store": step_score_and_store}
"""Timed steps, in order."""


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    parser.add_argument("--uncertain", type=float, default=0.1, help="share with uncertain roles")
    parser.add_argument("--scorecard", default="etiquette")
    args = parser.parse_args()

    t = time.perf_counter()
    card = load_scorecard(args.scorecard)
    step_score(card, make_calls(6, seed=1))  # warm up: jieba, OpenCC tables, pypinyin
    warm = time.perf_counter() - t
    print(f"python {platform.python_version()} on {platform.machine()}; warm-up {warm:.2f} s")

    for name, step in STEPS.items():
        best = float("inf")
        for r in range(args.repeat):
            calls = make_calls(args.calls, seed=100 + r, uncertain=args.uncertain)
            t = time.perf_counter()
            step(card, calls)
            best = min(best, time.perf_counter() - t)
        print(
            f"{name}: {args.calls} calls in {best:.3f} s = {args.calls / best:,.0f} calls/s "
            f"({1e3 * best / args.calls:.3f} ms/call, best of {args.repeat})"
        )


if __name__ == "__main__":
    main()
