"""A recap looked for in the agent's speech after the request: how well the margin separates.

    python benchmarks/bench_recap_reread.py corpus/dev --db dev.db [--threshold 6]

For every call of a labelled split already scored into `--db` (`callqa eval verdicts`),
the stretches of the agent's speech that the recap item would read
(`callqa.scoring.rereading.recap_spans`: the first three after the customer's request),
and two from the second half of the call (where a recap is rarely said), are read with
the recap lead-ins proposed (`callqa.speech.reread.read_lead_ins`).  Each lead-in a
reading has is checked against the labelled script of that stretch (您/你 alike): was it
said there?  Prints how many said and not-said lead-ins reach the threshold, the calls
labelled without a recap where one would be confirmed, and the time it took.  Run it on
the tuning splits (dev, holdout, final, fresh) only: the threshold is set there.
"""

from __future__ import annotations

import time

from calibration import agent_signal, readers, report, scripted, tuning_args

from callqa.records import Span
from callqa.run.evaluate import stored_transcripts
from callqa.scoring.engine import score_call
from callqa.scoring.rereading import recap_spans
from callqa.scoring.scorecard import load_scorecard
from callqa.speech.measure import measure
from callqa.speech.reread import read_lead_ins, stretches
from callqa.store.db import Store


def main() -> None:
    args = tuning_args(__doc__ or "")
    card = load_scorecard("etiquette")
    _, verifier, retranscribe = readers()

    store = Store.open(args.db, create=False)
    said: list[float] = []
    not_said: list[tuple[float, str]] = []
    wrong_calls: list[str] = []
    seconds = 0.0
    read = 0
    for item, transcript in stored_transcripts(args.folder, store):
        if not any(u.role == "agent" for u in transcript.utterances):
            continue
        score = score_call(
            card, transcript, measure(transcript), company=item.labels.get("company")
        )
        spans = recap_spans(score, transcript, "recap")
        line = transcript.timeline
        speech = [(s.start, s.end) for s in line.speech("agent")] if line is not None else []
        late = [Span(a, b) for a, b in stretches(speech) if a > transcript.duration / 2]
        spans += [s for s in late[len(late) // 2 : len(late) // 2 + 2] if s not in spans]
        signal = agent_signal(item, transcript)
        labelled = item.labels.get("expected_rules", {}).get("recap")
        for span in spans:
            spoken = scripted(item, span)
            t0 = time.perf_counter()
            found = read_lead_ins(retranscribe, verifier, signal, start=span.start, end=span.end)
            seconds += time.perf_counter() - t0
            read += 1
            for r in found:
                if r.phrase.replace("你", "您") in spoken:
                    said.append(r.over_cohort)
                else:
                    not_said.append((r.over_cohort, f"{item.audio.name}: {r.phrase} in {r.text}"))
                if labelled == "fail" and r.over_cohort >= args.threshold:
                    wrong_calls.append(f"{item.audio.name}: {r.phrase} {r.over_cohort:+.1f}")
    report(args.folder, read, seconds, said, not_said, args.threshold)
    print(f"calls labelled without a recap that a lead-in would pass: {len(wrong_calls)}")
    for what in wrong_calls:
        print(f"  {what}")


if __name__ == "__main__":
    main()
