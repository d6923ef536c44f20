"""A hold announcement looked for before a long silence: how well the margin separates.

    python benchmarks/bench_hold_reread.py corpus/dev --db dev.db [--threshold 6]

For every call of a labelled split already scored into `--db` (`callqa eval verdicts`),
the stretches of the agent's speech that the silence item would read again
(`callqa.scoring.rereading.hold_spans`: the last two before each silence over the item's
`max_gap_s`, and the first after it), and four stretches from the middle of the call away
from any long silence (where no hold is announced, mostly), are read with the hold
phrases proposed (`callqa.speech.reread.read_hold`: announcements before, thanks after).
Each phrase a reading has is checked against the labelled script of that stretch (您/你
alike): was a phrase of its list said there (请您稍候 read as 请您稍等 is an announcement
said, which is all the item asks)?  Prints how many said and not-said phrases reach the
threshold and the time it took.  Run it on the tuning splits (dev, holdout, final,
fresh) only: the threshold is set there.
"""

from __future__ import annotations

import time

from calibration import agent_signal, readers, report, scripted, tuning_args

from callqa.records import Span
from callqa.run.evaluate import stored_transcripts
from callqa.scoring.rereading import hold_prompts, hold_spans, silence_params
from callqa.scoring.scorecard import load_scorecard
from callqa.speech.reread import read_hold, stretches
from callqa.store.db import Store

MID = 2
"""Stretches from the middle of a call read as if before a hold, and as many as if after."""


def main() -> None:
    args = tuning_args(__doc__ or "")
    card = load_scorecard("etiquette")
    params = silence_params(card)
    assert params is not None, "the etiquette scorecard has a silence item"
    prompts = dict(zip(("before", "after"), hold_prompts(params), strict=True))
    _, verifier, retranscribe = readers()
    said: list[float] = []
    not_said: list[tuple[float, str]] = []
    seconds = 0.0
    read = 0
    store = Store.open(args.db, create=False)
    for item, transcript in stored_transcripts(args.folder, store):
        if not any(u.role == "agent" for u in transcript.utterances):
            continue
        asked = hold_spans(transcript, params)
        near = [s for pair in asked for s in (*pair[0], *pair[1])]
        line = transcript.timeline
        speech = [(s.start, s.end) for s in line.speech("agent")] if line is not None else []
        mid = [
            Span(a, b)
            for a, b in stretches(speech)
            if transcript.duration / 4 < a < 3 * transcript.duration / 4
            and all(b < s.start - 15 or a > s.end + 15 for s in near)
        ]
        spans = [(s, "before") for before, _ in asked for s in before]
        spans += [(s, "after") for _, after in asked for s in after]
        spans += [(s, "before") for s in mid[:MID]] + [(s, "after") for s in mid[MID : 2 * MID]]
        signal = agent_signal(item, transcript)
        for span, side in spans:
            spoken = scripted(item, span)
            prompt, phrases = prompts[side]
            t0 = time.perf_counter()
            found = read_hold(
                retranscribe,
                verifier,
                signal,
                start=span.start,
                end=span.end,
                prompt=prompt,
                phrases=phrases,
            )
            seconds += time.perf_counter() - t0
            read += 1
            for r in found:
                what = f"{item.audio.name} {side} {span.start:.1f}: {r.phrase} in {r.text}"
                if any(p in spoken for p in phrases):
                    said.append(r.over_cohort)
                    print(f"  said {r.over_cohort:+.1f}: {what}")
                else:
                    not_said.append((r.over_cohort, what))
    report(args.folder, read, seconds, said, not_said, args.threshold)


if __name__ == "__main__":
    main()
