"""What acoustic verification adds and costs, on calls already scored into a database.

For every forbidden-phrase hit found only by sound (evidence "为说话呀 ≈ 喂说话呀") in the
calls of DB whose recordings are under FOLDER, the hit's span is scored by forced decoding
(canonical phrase vs. what was transcribed) and the margin and time are printed with what
the label file says (a labelled hit overlapping the span, or none).  It also times the
check on the *exact* hits, as a stand-in for its cost per call.

    python benchmarks/bench_verify.py corpus/dev --db dev.db
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from callqa.scoring.verification import CONFIRM, REJECT, sound_match
from callqa.speech.audio import decode, file_sha256
from callqa.speech.transcribe.whisper import WhisperTranscriber
from callqa.speech.verify import margin
from callqa.store.db import Store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--db", required=True)
    args = ap.parse_args()
    store = Store.open(args.db)
    verifier = WhisperTranscriber("base", cpu_threads=2).verifier()
    rows = []
    for label in sorted(args.folder.rglob("*.expected.json")):
        data = json.loads(label.read_text(encoding="utf-8"))
        audio_path = label.parent / data["file"]
        scoring = store.latest_scoring(file_sha256(audio_path))
        if scoring is None:
            continue
        score = store.load_score(scoring.id)
        rule = next(r for r in score.rules if r.id == "forbidden_phrases")
        if not rule.evidence:
            continue
        audio = decode(audio_path)
        channel = {"left": 0, "right": 1}.get(data.get("agent_channel") or "")
        signal = audio.channels[channel] if channel is not None else audio.mono()
        hits = data.get("agent_forbidden_hits", [])
        for ev in rule.evidence:
            match = sound_match(ev) or (ev.text, ev.text)
            heard, canonical = match
            t = time.perf_counter()
            m = margin(
                verifier, signal, start=ev.start, end=ev.end, canonical=canonical, heard=heard
            )
            ms = (time.perf_counter() - t) * 1000
            true = any(h["start"] - 1 < ev.end and ev.start < h["end"] + 1 for h in hits)
            kind = "sound" if sound_match(ev) else "exact"
            decision = "confirm" if m >= CONFIRM else "reject" if m < REJECT else "review"
            rows.append((label.stem[:28], kind, heard, canonical, m, decision, true, ms))
            if kind == "exact":
                # negative control: a forbidden phrase that was NOT said, on the same span
                other = "你听懂了吗" if "听懂" not in heard else "不归我管"
                m2 = margin(
                    verifier, signal, start=ev.start, end=ev.end, canonical=other, heard=heard
                )
                d2 = "confirm" if m2 >= CONFIRM else "reject" if m2 < REJECT else "review"
                rows.append((label.stem[:28], "ctrl", heard, other, m2, d2, False, 0.0))
    print(
        f"{'call':<28} {'kind':<5} {'heard':<10} {'canonical':<10} margin  decision  labelled  ms"
    )
    for r in rows:
        print(
            f"{r[0]:<28} {r[1]:<5} {r[2]:<10} {r[3]:<10} {r[4]:+6.2f}  {r[5]:<8}  "
            f"{r[6]!s:<8} {r[7]:5.0f}"
        )
    sound = [r for r in rows if r[1] == "sound"]
    ctrl = [r for r in rows if r[1] == "ctrl"]
    print(
        f"negative controls rejected {sum(r[5] == 'reject' for r in ctrl)}/{len(ctrl)}, "
        f"sent to review {sum(r[5] == 'review' for r in ctrl)}, "
        f"confirmed {sum(r[5] == 'confirm' for r in ctrl)}"
    )
    timed = [r for r in rows if r[1] != "ctrl"]
    if timed:
        print(
            f"\n{len(sound)} sound-only hits; "
            f"mean check {sum(r[7] for r in timed) / len(timed):.0f} ms"
        )


if __name__ == "__main__":
    main()
