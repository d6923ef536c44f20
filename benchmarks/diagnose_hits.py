"""Why labelled forbidden phrases were not located: counts by cause, no wording printed.

    python benchmarks/diagnose_hits.py DB DIR

For a reported split (one that must not be read), this sorts each labelled 禁语 of DIR,
as scored into DB by `callqa eval verdicts DIR --db DB`, into one cause, and prints only
counts: located (a hit within 1 s of it); the rules miss its clean text (the labelled line
judged as a perfect transcript, as `eval_probes.py` does); its words were given to the
customer (under half of the transcribed words of its labelled turn carry the agent role);
the agent's turn was not read (character error rate of that turn over `UNREAD_CER`); or
found only doubtfully (a hit within 1 s that was `review`, not `fail`); else "other".
Also the agent voice of each. Nothing of the calls' text, companies or labels is shown.
"""

from __future__ import annotations

import argparse
import collections
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from eval_probes import forbidden_status  # noqa: E402

from callqa.scoring.scorecard import load_scorecard  # noqa: E402
from callqa.speech.textnorm import edit_distance, phrase_key  # noqa: E402

UNREAD_CER = 0.5
SLACK_S = 1.0

QUERY = """
select c.file, s.id from scorings s join calls c on c.call_id = s.call_id
where s.id = (select max(id) from scorings where call_id = c.call_id)
"""


def _turn_of(expected: dict[str, Any], hit: dict[str, Any]) -> dict[str, Any] | None:
    return next(
        (
            t
            for t in expected["turns"]
            if t["speaker"] == "agent" and hit["text"] in t["text"] and "start" in t
        ),
        None,
    )


def cause(card: Any, db: sqlite3.Connection, sid: int, exp: dict[str, Any], hit: dict) -> str:
    rows = db.execute(
        "select status, evidence from rule_results where scoring_id = ? "
        "and rule_id = 'forbidden_phrases'",
        (sid,),
    ).fetchone()
    status, evidence = (rows[0], json.loads(rows[1] or "[]")) if rows else ("na", [])
    near = [
        e
        for e in evidence
        if e["start"] <= hit["end"] + SLACK_S and e["end"] >= hit["start"] - SLACK_S
    ]
    if near:
        return "located" if status == "fail" else "located, doubtful (review)"
    if forbidden_status(card, hit["text"]) == "pass":
        return "rules miss the clean text"
    turn = _turn_of(exp, hit)
    if turn is None:
        return "other"
    words = db.execute(
        'select role, text from utterances where scoring_id = ? and "end" >= ? and start <= ?',
        (sid, turn["start"] - 0.2, turn["end"] + 0.2),
    ).fetchall()
    agent_chars = sum(len(phrase_key(t)) for r, t in words if r == "agent")
    all_chars = sum(len(phrase_key(t)) for _, t in words)
    # On stereo the channel says who spoke: customer words in the window are overlap (an
    # agent who cuts in), not the agent's words given away.
    mono = not exp.get("agent_channel")
    if mono and all_chars and agent_chars / all_chars < 0.5:
        return "words given to the customer"
    heard = "".join(phrase_key(t) for r, t in words if r == "agent")
    ref = phrase_key(turn["text"])
    if not heard or edit_distance(ref, heard) / max(1, len(ref)) > UNREAD_CER:
        return "agent's turn not read (CER > 0.5)"
    return "other (turn read, shape not heard)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    card = load_scorecard("etiquette")
    db = sqlite3.connect(args.db)
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    for file, sid in db.execute(QUERY).fetchall():
        path = Path(file)
        if path.parent.resolve() != args.folder.resolve():
            continue
        exp = json.loads(path.with_name(path.name.split(".")[0] + ".expected.json").read_text())
        voice = exp["voices"]["agent"].split()[0]
        for hit in exp["agent_forbidden_hits"]:
            counts[(cause(card, db, sid, exp, hit), voice)] += 1
    for (why, voice), n in sorted(counts.items()):
        print(f"{n:3d}  {why}  [agent {voice}]")
    print(f"{sum(counts.values()):3d}  labelled in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
