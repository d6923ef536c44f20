"""Proper agent speech the forbidden-phrase rule would flag: the precision check for a new shape.

    python benchmarks/check_proper_lines.py [--scorecard FILE] [DB ...]

Judges, each alone in a short proper call (as `eval_probes.py`), every agent line that a
supervisor would pass, from sources already read to write rules:

- the script lines of the read splits (dev, test, holdout, final, fresh) that are not a
  labelled 禁语;
- the proper look-alikes of the read probes (`forbidden_a/b/d/e/g/h/j/k/m/n`);
- with DB arguments (databases filled by `callqa eval verdicts SPLIT --db DB`), what the
  transcriber wrote for the agents of calls labelled with no 禁语: garbled text is where
  a loose shape finds things that were never said.

Prints each flagged line with its source, then the count.  The unread splits and probes
(blind, sealed, novel, vault, forbidden_c/f/i/l/x/stock_b) are never opened.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

from eval_probes import PROBES, ROOT, forbidden_status

from callqa.scoring.scorecard import load_scorecard

READ_SPLITS = ("dev", "test", "holdout", "final", "fresh")
READ_PROBES = (
    "forbidden_a", "forbidden_b", "forbidden_d", "forbidden_e", "forbidden_g", "forbidden_h",
    "forbidden_j", "forbidden_k", "forbidden_m", "forbidden_n", "forbidden_o", "forbidden_p",
    "forbidden_q", "forbidden_r", "forbidden_s", "forbidden_t", "forbidden_u", "forbidden_v",
    "forbidden_w", "forbidden_y", "forbidden_z", "forbidden_stock_a", "forbidden_aa",
    "forbidden_ab", "forbidden_ac", "forbidden_ad", "proper_a",
)  # fmt: skip
AGENT_TEXT = """
select u.text, c.file from utterances u
join scorings s on s.id = u.scoring_id join calls c on c.call_id = s.call_id
where u.role = 'agent' and s.id = (select max(id) from scorings where call_id = c.call_id)
"""


def script_lines() -> Iterator[tuple[str, str]]:
    for split in READ_SPLITS:
        for path in sorted((ROOT / "corpus" / split).glob("*.expected.json")):
            doc = json.loads(path.read_text("utf-8"))
            hits = [h["text"] for h in doc["agent_forbidden_hits"]]
            for turn in doc["turns"]:
                if turn["speaker"] == "agent" and not any(h in turn["text"] for h in hits):
                    yield f"script {split}", turn["text"]


def probe_lines() -> Iterator[tuple[str, str]]:
    for name in READ_PROBES:
        for line in json.loads((PROBES / f"{name}.json").read_text("utf-8"))["good"]:
            yield f"probe {name}", line["text"] if isinstance(line, dict) else line


def transcript_lines(db_path: Path) -> Iterator[tuple[str, str]]:
    db = sqlite3.connect(db_path)
    for text, file in db.execute(AGENT_TEXT):
        path = Path(file)
        if path.parent.name not in READ_SPLITS:
            continue
        expected = path.with_name(path.name.split(".")[0] + ".expected.json")
        if not expected.exists():
            continue
        doc = json.loads(expected.read_text("utf-8"))
        if doc["expected_rules"]["forbidden_phrases"] == "pass":
            yield f"transcript {path.parent.name}", text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scorecard", default="etiquette")
    parser.add_argument("dbs", nargs="*", type=Path)
    args = parser.parse_args(argv)
    card = load_scorecard(args.scorecard)
    sources = [script_lines(), probe_lines(), *(transcript_lines(db) for db in args.dbs)]
    seen: set[str] = set()
    flagged = 0
    for source in sources:
        for where, line in source:
            if line in seen:
                continue
            seen.add(line)
            if forbidden_status(card, line) != "pass":
                flagged += 1
                print(f"flagged  {where}: {line}")
    print(f"proper agent lines: {len(seen)}, flagged: {flagged}")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
