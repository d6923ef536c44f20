"""Is a garbled company name said?  The audio margin against a cohort of other names.

    python benchmarks/bench_name_cohort.py corpus/dev --db dev.db [--foreign 3]

For each labelled call scored into DB whose opening lacks the company name as text but
holds a stretch at least half like it (the candidate `self_intro` asks the audio about),
the opening utterance is scored by forced decoding with the stretch replaced by the name,
by each name of a cohort (`callqa.scoring.cohort`: the same name with another brand), and
as transcribed.  The same is done for names of *other* calls of the folder (`--foreign`),
which the agent did not say: the negatives.  Prints one row per (call, name) with the
margin over what was transcribed and over the cohort, and the separation of said and
unsaid names.  Only what the script of the call says decides "said".
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from callqa.records import Utterance  # noqa: E402
from callqa.scoring.cohort import cohort  # noqa: E402
from callqa.scoring.verification import COHORT_CONFIRM  # noqa: E402
from callqa.speech.audio import decode, file_sha256  # noqa: E402
from callqa.speech.textnorm import closest, phrase_key, prepare  # noqa: E402
from callqa.speech.transcribe.whisper import WhisperTranscriber  # noqa: E402
from callqa.store.db import Store  # noqa: E402

WITHIN_S = 15.0


def _candidate(
    utts: list[Utterance], name: str, likeness: float = 0.5
) -> tuple[Utterance, str] | None:
    """(utterance, heard stretch) most like `name` (at least `likeness` alike: 0.5 is what
    self_intro asks the audio about), as self_intro."""
    n = len(phrase_key(name))
    best = None
    for u in utts:
        mt = prepare(u.text)
        if phrase_key(name) in mt.chars:
            return None  # said as text: nothing to verify
        start, score = closest(mt.chars, name)
        if start < 0 or mt.sentence[start] != mt.sentence[start + n - 1]:
            continue
        if score >= 2 * n * likeness and (best is None or score > best[0]):
            best = (score, u, mt.quote(start, start + n))
    return None if best is None else (best[1], best[2])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", type=Path, nargs="+")
    ap.add_argument("--db", action="append", required=True, help="one per folder, in order")
    ap.add_argument("--foreign", type=int, default=3)
    ap.add_argument(
        "--likeness", type=float, default=0.5, help="least likeness of a stretch (0.5: half)"
    )
    ap.add_argument("--only-below", action="store_true", help="only stretches under half alike")
    args = ap.parse_args()
    verifier = WhisperTranscriber("base", cpu_threads=2).verifier()
    rows: list[tuple[str, str, bool, float, float, float]] = []
    spent = 0.0
    for folder, db in zip(args.folders, args.db, strict=True):
        store = Store.open(db)
        labels = sorted(folder.glob("*.expected.json"))
        docs = [json.loads(p.read_text("utf-8")) for p in labels]
        companies = sorted({d["company"] for d in docs if d.get("company")})
        for label, doc in zip(labels, docs, strict=True):
            audio_path = label.parent / doc["file"]
            scoring = store.latest_scoring(file_sha256(audio_path))
            if scoring is None or not doc.get("company"):
                continue
            transcript = store.load_transcript(scoring.id)
            agent = [u for u in transcript.utterances if u.role == "agent"]
            if not agent:
                continue
            opening = [u for u in agent if u.start < agent[0].start + WITHIN_S]
            said_text = "".join(
                t["text"] for t in doc["turns"] if t["speaker"] == "agent" and t["start"] < 20
            )
            own = doc["company"]
            others = [c for c in companies if c != own][: args.foreign]
            audio = None
            for name in (own, *others):
                found = _candidate(opening, name, args.likeness)
                if found is None:
                    continue
                if args.only_below and _candidate(opening, name) is not None:
                    continue
                utt, heard = found
                if audio is None:
                    audio = decode(audio_path)
                ch = {"left": 0, "right": 1}.get(transcript.agent_channel or "")
                signal = audio.channels[ch] if ch is not None else audio.mono()
                names = (name, *cohort(name))
                texts = [utt.text.replace(heard, c, 1) for c in names] + [utt.text]
                t = time.perf_counter()
                lps = verifier(signal, start=utt.start, end=utt.end, candidates=texts, total=True)
                spent += time.perf_counter() - t
                lp_name, lp_cohort, lp_heard = lps[0], lps[1:-1], lps[-1]
                said = name == own and phrase_key(own) in phrase_key(said_text)
                over_heard = lp_name - lp_heard
                over_best = lp_name - max(lp_cohort)
                over_mean = lp_name - statistics.fmean(lp_cohort)
                rows.append((label.stem[:30], name, said, over_heard, over_best, over_mean))
                print(
                    f"{label.stem[:30]:30} {'SAID ' if said else 'other'} {name:8} heard "
                    f"{heard:8} vs heard {over_heard:+7.1f}  vs best of cohort "
                    f"{over_best:+6.1f}  vs cohort mean {over_mean:+6.1f}",
                    flush=True,
                )
    said = [r for r in rows if r[2]]
    other = [r for r in rows if not r[2]]
    for title, k in (("vs heard", 3), ("vs best of cohort", 4), ("vs cohort mean", 5)):
        s = sorted(float(r[k]) for r in said)
        o = sorted(float(r[k]) for r in other)
        print(
            f"{title:18} said (n={len(s)}): min {min(s, default=0):+.1f} median "
            f"{statistics.median(s) if s else 0:+.1f} | not said (n={len(o)}): max "
            f"{max(o, default=0):+.1f} median {statistics.median(o) if o else 0:+.1f}"
        )
    ok = sum(r[4] >= COHORT_CONFIRM for r in said)
    wrong = sum(r[4] >= COHORT_CONFIRM for r in other)
    print(
        f"at COHORT_CONFIRM {COHORT_CONFIRM:+g}: said confirmed {ok}/{len(said)}, "
        f"not said confirmed {wrong}/{len(other)}"
    )
    print(f"forced decoding: {spent:.1f} s for {len(rows)} candidates")


if __name__ == "__main__":
    main()
