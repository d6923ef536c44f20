"""A company name read again with the name proposed: how well the margin separates.

    python benchmarks/bench_name_reread.py corpus/dev --db dev.db [--threshold 3]

For every call of a labelled split already scored into `--db` (`callqa eval verdicts`),
the stretches of the opening that the self_intro item would read
(`callqa.scoring.rereading.opening_spans`) are read with a name as the only prompt
(`callqa.speech.reread.read_name`): the call's own company, and `FOREIGN` foreign ones
(other calls' companies sharing no character with it), which the agent never said.  Each
name a reading has is weighed against other names of its shape (`callqa.scoring.cohort`)
in its place.  Prints how many said and never-said names reach the threshold, the calls whose
opening's text lacks the name (before `verify_company` asks the audio about a stretch half
like it) that a reading would confirm, and the time it took.  Run it on the tuning splits
(dev, holdout, final, fresh) only: the threshold is set there.
"""

from __future__ import annotations

import time

from calibration import reach, readers, tuning_args

from callqa.run.evaluate import find_labelled, stored_transcripts
from callqa.scoring.cohort import cohort
from callqa.scoring.engine import score_call
from callqa.scoring.rereading import NAME_CONFIRM, naming, opening_spans
from callqa.scoring.scorecard import load_scorecard
from callqa.speech.audio import decode
from callqa.speech.measure import measure
from callqa.speech.reread import plain, read_name
from callqa.store.db import Store

FOREIGN = 4
"""Foreign names read per stretch: a name the agent never said comes back rarely, so many
readings are needed to see how far it can go."""


def main() -> None:
    args = tuning_args(__doc__ or "", threshold=NAME_CONFIRM)
    card = load_scorecard("etiquette")
    _, verifier, retranscribe = readers()
    companies = [str(item.labels.get("company") or "") for item in find_labelled(args.folder)]

    store = Store.open(args.db, create=False)
    said: list[float] = []
    never: list[float] = []
    passed: list[str] = []
    seconds, read = 0.0, 0
    for n, (item, transcript) in enumerate(stored_transcripts(args.folder, store)):
        own = str(item.labels.get("company") or "")
        foreign = [c for c in companies if c and not set(c) & set(own)]
        if not own or not foreign:
            continue
        score = score_call(card, transcript, measure(transcript), company=own)
        in_review = naming(score, card) is not None
        audio = decode(item.audio)
        channel = {"left": 0, "right": 1}.get(transcript.agent_channel or "")
        signal = audio.channels[channel] if channel is not None else audio.mono()
        script = plain(
            "".join(t["text"] for t in item.labels.get("turns", []) if t.get("speaker") == "agent")
        )
        for span in opening_spans(transcript, card):
            strangers = {foreign[(n + 13 * m) % len(foreign)] for m in range(FOREIGN)}
            for name in (own, *sorted(strangers)):
                t0 = time.perf_counter()
                found = read_name(
                    retranscribe,
                    verifier,
                    signal,
                    start=span.start,
                    end=span.end,
                    name=name,
                    others=cohort(name),
                )
                seconds += time.perf_counter() - t0
                read += 1
                if found is None:
                    continue
                (said if name == own and name in script else never).append(found.over_cohort)
                if name == own and in_review and found.over_cohort >= args.threshold:
                    passed.append(f"{item.audio.name}: {found.over_cohort:+.1f}")
    t = args.threshold
    each = seconds / max(1, read)
    print(f"{args.folder}: {read} readings in {seconds:.0f} s ({each:.2f} s each)")
    print(reach("said:      ", said, t, lowest=True))
    print(reach("never said:", never, t, lowest=False))
    print(
        "openings whose text lacks the name (before the cohort check of a half-like stretch)"
        f" that a reading would confirm: {len(passed)}"
    )
    for what in passed:
        print(f"  {what}")


if __name__ == "__main__":
    main()
