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
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from eval_probes import forbidden_status  # noqa: E402
from try_read_alone import agent_lanes, read_alone, said_in, stored_words, turns  # noqa: E402

from callqa.scoring.scorecard import load_scorecard  # noqa: E402
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
    n = 0
    seconds = 0.0
    for lane in agent_lanes(db, args.folders):
        conf = db.execute(
            'select avg(confidence) from utterances where scoring_id = ? and role = "agent"',
            (lane.scoring_id,),
        ).fetchone()[0]
        clear = conf is not None and conf >= MURKY
        for a, b in turns(lane.speech, lane.others):
            first = stored_words(db, lane.scoring_id, a, b)
            if first and forbidden_status(card, first) == "fail":
                continue
            hits: list[str] = []
            for before, after in MARGINS:
                t0 = time.perf_counter()
                text = read_alone(model, lane.signal, a - before, b + after)
                seconds += time.perf_counter() - t0
                n += 1
                if text and forbidden_status(card, text) == "fail":
                    hits.append(text)
            if not hits:
                continue
            margins = []
            for text in dict.fromkeys(hits):
                lp_new, lp_first = verifier(
                    lane.signal, start=a, end=b, candidates=(text, first or "。"), total=True
                )
                margins.append(lp_new - lp_first)
            said = said_in(lane.expected, a, b)
            print(
                f"{lane.path.name[:3]} {'said' if said else 'NOT said'} "
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
