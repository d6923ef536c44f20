"""Tried, not adopted: the agent's speech read one stretch at a time, for missed 禁语.

    python benchmarks/try_read_alone.py DB DIR [DIR ...] [--turns] [--show]

Whisper base reads a 30-second window at once, and the words of a window steer the rest
(corpus/holdout h06: 行了行了 came out as 请问请问 after the opening's 请问 in the same
window).  This reads again, greedily and on its own, each stretch of the agent's speech
that the stored timeline has (`callqa eval verdicts DIR --db DB` stored it; pauses under
0.35 s joined), judges the text by the forbidden-phrase rules as a clean line
(`eval_probes.forbidden_status`) and, for a stretch whose reading alone brings in a
forbidden phrase the first reading lacked, scores both readings by forced decoding over
the stretch (summed log-probability, new minus first).  Prints per split: stretches read,
seconds per stretch, and each new hit's margin, said (a labelled 禁语 turn within 1 s) or
not.  A tuning split only: it prints the words with --show.  docs/accuracy.md, round 10.

With --turns (round 13) a stretch is the agent's whole turn instead: the agent's speech
joined across any pause in which the other side does not speak (at most 28 s), which is
what the round-10 diagnosis of the misses read (the labelled turn) and found them in.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from diagnose_hits import QUERY  # noqa: E402
from eval_probes import forbidden_status  # noqa: E402

from callqa.records import SAMPLE_RATE  # noqa: E402
from callqa.scoring.scorecard import load_scorecard  # noqa: E402
from callqa.speech.audio import decode  # noqa: E402
from callqa.speech.reread import plain  # noqa: E402
from callqa.speech.textnorm import to_simplified  # noqa: E402
from callqa.speech.transcribe.whisper import WhisperTranscriber  # noqa: E402
from callqa.speech.verify import PAD_S, WhisperVerifier  # noqa: E402

GAP_S = 0.35
MIN_S = 0.4
MAX_S = 28.0


def stretches(speech: list[list[float]]) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for a, b in speech:
        if out and a - out[-1][1] <= GAP_S and b - out[-1][0] <= MAX_S:
            out[-1][1] = b
        else:
            out.append([a, b])
    return [(a, b) for a, b in out if b - a >= MIN_S]


def turns(speech: list[list[float]], others: list[list[float]]) -> list[tuple[float, float]]:
    """The agent's speech joined into turns: across pauses where the other side is silent."""
    out: list[list[float]] = []
    for a, b in speech:
        if (
            out
            and b - out[-1][0] <= MAX_S
            and not any(out[-1][1] < (x + y) / 2 < a for x, y in others)
        ):
            out[-1][1] = b
        else:
            out.append([a, b])
    return [(a, b) for a, b in out if b - a >= MIN_S]


@dataclass(frozen=True)
class Lane:
    """One agent lane of a stored call: its audio, its speech and the other side's."""

    path: Path
    expected: dict[str, Any]
    scoring_id: int
    signal: npt.NDArray[np.float32]
    speech: list[list[float]]
    others: list[list[float]]


def agent_lanes(db: sqlite3.Connection, folders: list[Path]) -> Iterator[Lane]:
    """Every agent lane of the calls `db` stored from `folders`, with its signal."""
    wanted = {f.resolve() for f in folders}
    for file, sid in db.execute(QUERY).fetchall():
        path = Path(file)
        if path.parent.resolve() not in wanted:
            continue
        exp = json.loads(path.with_name(path.name.split(".")[0] + ".expected.json").read_text())
        line = json.loads(
            db.execute("select timeline from scorings where id = ?", (sid,)).fetchone()[0] or "null"
        )
        if not line:
            continue
        audio = decode(path)
        for lane in line["lanes"]:
            if lane["role"] != "agent":
                continue
            side = {"left": 0, "right": 1}.get(lane["speaker"])
            stereo = side is not None and len(audio.channels) == 2
            signal = audio.channels[side] if stereo and side is not None else audio.mono()
            others = [s for ln in line["lanes"] if ln is not lane for s in ln["speech"]]
            yield Lane(path, exp, sid, signal, lane["speech"], others)


def said_in(expected: dict[str, Any], a: float, b: float) -> bool:
    """Whether a labelled 禁语 turn of the agent lies within 1 s of a..b."""
    return any(
        t["speaker"] == "agent"
        and h["text"] in t["text"]
        and t.get("start", -9) < b + 1
        and t.get("end", -9) > a - 1
        for h in expected["agent_forbidden_hits"]
        for t in expected["turns"]
    )


def stored_words(db: sqlite3.Connection, scoring_id: int, a: float, b: float) -> str:
    """The agent's stored words over a..b (seconds), in plain characters."""
    rows = db.execute(
        'select text from utterances where scoring_id = ? and role = "agent" '
        'and "end" >= ? and start <= ?',
        (scoring_id, a, b),
    ).fetchall()
    return plain("".join(t for (t,) in rows))


def read_alone(model: Any, signal: npt.NDArray[np.float32], a: float, b: float) -> str:
    """signal[a..b] (seconds) read greedily on its own, in plain characters."""
    clip = signal[max(0, int(a * SAMPLE_RATE)) : int(b * SAMPLE_RATE)]
    segments, _ = model.transcribe(
        np.ascontiguousarray(clip), language="zh", beam_size=1, temperature=0.0,
        vad_filter=False, condition_on_previous_text=False, word_timestamps=False,
    )  # fmt: skip
    return plain(to_simplified("".join(s.text for s in segments)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--turns", action="store_true", help="read whole turns (round 13)")
    args = parser.parse_args(argv)
    card = load_scorecard("etiquette")
    model = WhisperTranscriber().load()
    verifier = WhisperVerifier(model)
    db = sqlite3.connect(args.db)
    n = 0
    seconds = 0.0
    for lane in agent_lanes(db, args.folders):
        sid, signal = lane.scoring_id, lane.signal
        pieces = turns(lane.speech, lane.others) if args.turns else stretches(lane.speech)
        for a, b in pieces:
            t0 = time.perf_counter()
            text = read_alone(model, signal, a - PAD_S, b + PAD_S)
            seconds += time.perf_counter() - t0
            n += 1
            first = stored_words(db, sid, a, b)
            if not text or forbidden_status(card, text) != "fail":
                continue
            if first and forbidden_status(card, first) == "fail":
                continue
            lp_new, lp_first = verifier(
                signal, start=a, end=b, candidates=(text, first or "。"), total=True
            )
            said = said_in(lane.expected, a, b)
            print(f"new hit, {'said' if said else 'NOT said'}: audio {lp_new - lp_first:+.1f}")
            if args.show:
                print(f"    first: {first}\n    alone: {text}")
    print(f"{n} stretches read alone, {seconds / max(1, n):.2f} s each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
