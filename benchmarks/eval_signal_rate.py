"""The agent's rate read from the signal by the pipeline, against the scripted rate.

    python benchmarks/eval_signal_rate.py DB DIR [DB DIR ...]

Each DB is a database that `callqa eval verdicts DIR --db DB` scored the DIR after it
into.  For each call with a scripted agent rate (``truth.agent_cpm`` of
``<stem>.expected.json``) it prints the rate the pipeline stored for the agent's lane
(`Lane.syllables_per_min`: syllable nuclei per minute of the agent's speech on the call's
timeline, stereo and mono alike), the rate Whisper's characters give (`agent_cpm` of the
stored metrics) and the label of `speaking_rate`.  Then, per group of scripted rate
(very slow under 150 字/分钟, normal, rushed over 380), the range the signal reads them at.

This is what `signal_slow_cpm` and `signal_fast_cpm` of `speaking_rate` are set from: a
signal rate past every normal voice measured backs characters that put the rate out of
range (`callqa.scoring.kinds.speaking_rate`).  `benchmarks/eval_syllables.py` measures the
count alone, within the scripted turns of stereo calls.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

QUERY = """
select c.file, s.timeline, s.agent_cpm
from scorings s join calls c on c.call_id = s.call_id
where s.id = (select max(id) from scorings where call_id = c.call_id)
order by c.file
"""

SLOW, RUSHED = 150.0, 380.0


def _group(cpm: float) -> str:
    return "very slow" if cpm < SLOW else "rushed" if cpm > RUSHED else "normal"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", type=Path, nargs="+", metavar="DB DIR")
    args = parser.parse_args(argv)
    if len(args.pairs) % 2:
        parser.error("give a DIR after each DB")
    groups: dict[str, list[float]] = {}
    print(f"{'call':40s} {'voice':7s} {'scripted':>8s} {'signal':>7s} {'chars':>6s}  label")
    for db_path, folder in zip(args.pairs[::2], args.pairs[1::2], strict=True):
        if not db_path.is_file():
            parser.error(
                f"{db_path}: no such database - score the split first: "
                f"callqa eval verdicts {folder} --db {db_path}"
            )
        _report(db_path, folder, groups)
    for name in ("very slow", "normal", "rushed"):
        values = groups.get(name, [])
        if values:
            print(f"{name}: {len(values)} calls, signal reads {min(values):.0f}-{max(values):.0f}")
    return 0


def _report(db_path: Path, folder: Path, groups: dict[str, list[float]]) -> None:
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    labels = {
        p.name.removesuffix(".expected.json"): json.loads(p.read_text("utf-8"))
        for p in folder.glob("*.expected.json")
    }
    for file, timeline, chars_cpm in db.execute(QUERY):
        expected = labels.get(Path(file).name.rsplit(".", 1)[0])
        if expected is None or not (expected.get("truth") or {}).get("agent_cpm"):
            continue
        lanes = json.loads(timeline)["lanes"] if timeline else []
        signal = next((ln["syllables_per_min"] for ln in lanes if ln["role"] == "agent"), None)
        if signal is None:
            continue
        scripted = float(expected["truth"]["agent_cpm"])
        voice = str(expected["voices"]["agent"]).split()[0].split(",")[0]
        groups.setdefault(_group(scripted), []).append(signal)
        label = expected["expected_rules"].get("speaking_rate", "-")
        print(
            f"{Path(file).name[:40]:40s} {voice[:7]:7s} {scripted:8.0f} {signal:7.0f} "
            f"{chars_cpm or 0:6.0f}  {label}"
        )
    db.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
