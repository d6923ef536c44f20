"""Reading murky openings and closes again: how well the margin over ordinary words separates.

    python benchmarks/bench_reread.py corpus/dev --db dev.db [--jsonl OUT] [--threshold 5]

For every call of a labelled split already scored into `--db` (`callqa eval verdicts`),
the agent's opening and closing utterances, and two from the middle of the call (where
no service phrase is expected), are read again with the service phrases proposed
(`callqa.speech.reread`).  Each phrase a reading brings in is checked against the
labelled script: was it said in that stretch?  Prints how many said and not-said
phrases reach the threshold, and the time it took.  Run it on the tuning splits (dev,
holdout, final, fresh) only: the threshold is set here.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from calibration import readers, tuning_args

from callqa.records import Utterance
from callqa.run.evaluate import stored_transcripts
from callqa.speech.audio import decode
from callqa.speech.reread import plain, reread
from callqa.store.db import Store


def _picked(agent: list[Utterance], duration: float) -> list[tuple[str, Utterance]]:
    opening = [u for u in agent if u.start < agent[0].start + 15][:2] or agent[:1]
    closing = [u for u in agent if u.end > duration - 20][-2:] or agent[-1:]
    rest = [u for u in agent if u not in opening and u not in closing]
    mid = [rest[len(rest) // 3], rest[2 * len(rest) // 3]] if len(rest) >= 3 else rest[:1]
    return (
        [("open", u) for u in opening]
        + [("close", u) for u in closing if u not in opening]
        + [("mid", u) for u in mid]
    )


def main() -> None:
    jsonl = {"type": Path, "help": "append one JSON line per reading here"}
    args = tuning_args(__doc__ or "", ("--jsonl", jsonl))
    _, verifier, retranscribe = readers()

    store = Store.open(args.db, create=False)
    out = args.jsonl.open("a", encoding="utf-8") if args.jsonl else None
    rows: list[dict[str, Any]] = []
    seconds = 0.0
    utterances = 0
    for item, transcript in stored_transcripts(args.folder, store):
        agent = sorted(
            (u for u in transcript.utterances if u.role == "agent" and plain(u.text)),
            key=lambda u: u.start,
        )
        if not agent:
            continue
        audio = decode(item.audio)
        channel = {"left": 0, "right": 1}.get(transcript.agent_channel or "")
        signal = audio.channels[channel] if channel is not None else audio.mono()
        script = [t for t in item.labels.get("turns", []) if t.get("speaker") == "agent"]
        for where, utt in _picked(agent, transcript.duration):
            spoken = plain(
                "".join(
                    t["text"]
                    for t in script
                    if t["start"] < utt.end + 0.5 and t["end"] > utt.start - 0.5
                )
            )
            t0 = time.perf_counter()
            readings = reread(
                retranscribe, verifier, signal, start=utt.start, end=utt.end, text=utt.text
            )
            seconds += time.perf_counter() - t0
            utterances += 1
            for found in readings:
                row = {
                    "call": item.audio.name,
                    "where": where,
                    "phrase": found.phrase,
                    "said": found.phrase in spoken,
                    "over_cohort": found.over_cohort,
                    "heard": found.heard,
                    "proposed": found.proposed,
                    "confidence": utt.confidence,
                }
                rows.append(row)
                if out:
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
    said = [r["over_cohort"] for r in rows if r["said"]]
    not_said = [r["over_cohort"] for r in rows if not r["said"]]
    t = args.threshold
    print(f"{args.folder}: {utterances} utterances read again in {seconds:.0f} s")
    print(f"said:     {sum(x >= t for x in said)} of {len(said)} reach {t:+g}")
    print(f"not said: {sum(x >= t for x in not_said)} of {len(not_said)} reach {t:+g}")
    for r in rows:
        if not r["said"] and r["over_cohort"] >= t:
            print(f"  not said, {r['over_cohort']:+.1f}: {r['heard']} -> {r['proposed']}")


if __name__ == "__main__":
    main()
