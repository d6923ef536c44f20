"""Tried: the agent's whole turns read alone several times, with the edges moved, for 禁语.

    python benchmarks/try_read_votes.py DB DIR [DIR ...] [--show]

Round 13 read each of the agent's turns alone once and found Whisper base too fragile to
rely on: holdout h06's turn read from 23.66 s gives the rude line, read from 23.70 s it
does not.  If forty milliseconds decide, one reading is a draw, and several readings with
the edges moved are a vote.  This reads each agent turn of the stored timeline
(`try_read_alone.turns`) with four pairs of margins around it (greedy, on its own),
judges each reading by the forbidden-phrase rules as a clean line
(`eval_probes.forbidden_status`) and, where readings bring in a forbidden phrase that the
stored transcript of the turn lacks, prints how many of the four did, the forced-decoding
margin of the best such reading over the stored words (summed log-probability, new minus
first), whether the call's agent is intelligible, and whether a labelled 禁语 turn lies
within 1 s (said) or not.  Tuning splits only; the words with --show.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from diagnose_hits import QUERY  # noqa: E402
from eval_probes import forbidden_status  # noqa: E402
from try_read_alone import turns  # noqa: E402

from callqa.records import SAMPLE_RATE  # noqa: E402
from callqa.scoring.scorecard import load_scorecard  # noqa: E402
from callqa.speech.audio import decode  # noqa: E402
from callqa.speech.reread import plain  # noqa: E402
from callqa.speech.textnorm import to_simplified  # noqa: E402
from callqa.speech.transcribe.whisper import WhisperTranscriber  # noqa: E402
from callqa.speech.verify import WhisperVerifier  # noqa: E402

MARGINS = ((0.10, 0.10), (0.25, 0.10), (0.10, 0.30), (0.30, 0.30))
MURKY = 0.62  # the intelligibility gate's mean word confidence


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args(argv)
    card = load_scorecard("etiquette")
    model = WhisperTranscriber().load()
    verifier = WhisperVerifier(model)
    db = sqlite3.connect(args.db)
    folders = {f.resolve() for f in args.folders}
    n = 0
    seconds = 0.0
    for file, sid in db.execute(QUERY).fetchall():
        path = Path(file)
        if path.parent.resolve() not in folders:
            continue
        exp = json.loads(path.with_name(path.name.split(".")[0] + ".expected.json").read_text())
        line = json.loads(
            db.execute("select timeline from scorings where id = ?", (sid,)).fetchone()[0] or "null"
        )
        if not line:
            continue
        conf = db.execute(
            'select avg(confidence) from utterances where scoring_id = ? and role = "agent"', (sid,)
        ).fetchone()[0]
        clear = conf is not None and conf >= MURKY
        audio = decode(path)
        for lane in line["lanes"]:
            if lane["role"] != "agent":
                continue
            side = {"left": 0, "right": 1}.get(lane["speaker"])
            stereo = side is not None and len(audio.channels) == 2
            signal = audio.channels[side] if stereo and side is not None else audio.mono()
            others = [s for ln in line["lanes"] if ln is not lane for s in ln["speech"]]
            for a, b in turns(lane["speech"], others):
                rows = db.execute(
                    'select text from utterances where scoring_id = ? and role = "agent" '
                    'and "end" >= ? and start <= ?',
                    (sid, a, b),
                ).fetchall()
                first = plain("".join(t for (t,) in rows))
                if first and forbidden_status(card, first) == "fail":
                    continue
                hits: list[str] = []
                for before, after in MARGINS:
                    t0 = time.perf_counter()
                    lo = max(0, int((a - before) * SAMPLE_RATE))
                    clip = signal[lo : int((b + after) * SAMPLE_RATE)]
                    segments, _ = model.transcribe(
                        np.ascontiguousarray(clip), language="zh", beam_size=1, temperature=0.0,
                        vad_filter=False, condition_on_previous_text=False,
                        word_timestamps=False,
                    )  # fmt: skip
                    text = plain(to_simplified("".join(s.text for s in segments)))
                    seconds += time.perf_counter() - t0
                    n += 1
                    if text and forbidden_status(card, text) == "fail":
                        hits.append(text)
                if not hits:
                    continue
                margins = [
                    m
                    for text in dict.fromkeys(hits)
                    for m in [
                        (lambda r: r[0] - r[1])(
                            verifier(
                                signal, start=a, end=b, candidates=(text, first or "。"), total=True
                            )
                        )
                    ]
                ]
                said = any(
                    t["speaker"] == "agent"
                    and h["text"] in t["text"]
                    and t.get("start", -9) < b + 1
                    and t.get("end", -9) > a - 1
                    for h in exp["agent_forbidden_hits"]
                    for t in exp["turns"]
                )
                print(
                    f"{path.name[:3]} {'said' if said else 'NOT said'} "
                    f"{'clear' if clear else 'murky'}: {len(hits)}/{len(MARGINS)} readings, "
                    f"audio {max(margins):+.1f}",
                    flush=True,
                )
                if args.show:
                    print(f"    first: {first}")
                    for text in dict.fromkeys(hits):
                        print(f"    alone: {text}")
    print(f"{n} readings, {seconds / max(1, n):.2f} s each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
