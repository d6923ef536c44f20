"""Syllables counted on the signal against the characters the agent said.

    python benchmarks/eval_syllables.py [DIR ...]

For every stereo call of DIR (default: corpus/dev corpus/test corpus/holdout) whose
``<stem>.expected.json`` names the agent's channel and carries ``truth.agent_chars``:
syllable nuclei (`callqa.speech.syllables.count`) on the agent's channel within the
scripted agent turns, against the characters of those turns.  Prints one line per call,
then the ratio's median and range per agent voice.  The rate rule reads this count when
the transcript of the agent is too unclear to count characters.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

from callqa.records import SAMPLE_RATE, Span
from callqa.speech import syllables
from callqa.speech.audio import decode

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or [ROOT / "corpus" / s for s in ("dev", "test", "holdout")]
    ratios: dict[str, list[float]] = {}
    for folder in folders:
        for label in sorted(folder.glob("*.expected.json")):
            data = json.loads(label.read_text("utf-8"))
            truth = data.get("truth") or {}
            if (
                data.get("channels") != "stereo"
                or data.get("dual_mono")
                or not truth.get("agent_chars")
            ):
                continue
            side = 0 if data["agent_channel"] == "left" else 1
            audio = decode(folder / data["file"])
            spans = [Span(t["start"], t["end"]) for t in data["turns"] if t["speaker"] == "agent"]
            found = syllables.count(audio.channels[side], SAMPLE_RATE, spans)
            talk = sum(s.duration for s in spans)
            ratio = found / truth["agent_chars"]
            voice = str(data["voices"]["agent"]).split(",")[0].split("+")[0]
            ratios.setdefault(voice, []).append(ratio)
            print(
                f"{data['file'][:44]:44s} {truth['agent_chars']:4d} chars "
                f"{truth['agent_cpm']:6.1f}/min  {found:4d} nuclei {found / talk * 60:6.1f}/min  "
                f"ratio {ratio:.2f}"
            )
    for voice, values in ratios.items():
        print(
            f"{voice}: {len(values)} calls, ratio median {statistics.median(values):.2f}, "
            f"range {min(values):.2f}-{max(values):.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
