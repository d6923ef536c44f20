"""Role assignment (which speaker is the agent) against labelled calls, from stored transcripts.

    python benchmarks/eval_roles.py DB DIR [DIR ...] [--changes]

DB is a database that `callqa eval verdicts DIR --db DB` scored DIR into.  For each call it
takes the stored utterances (speaker + text + times, as transcribed), assigns the roles again
with the current `callqa.speech.roles` (the same inputs the pipeline gives it: the
scorecard's companies and the manifest's, the configured agent channel on stereo), and
compares both the stored and the new choice with the truth: the labelled agent channel on
stereo; on mono the diarized speaker whose speech overlaps the labelled agent turns most.
So a change to the role cues can be measured on every scored split without transcribing
again.  Prints the calls whose choice is wrong or uncertain (or, with --changes, every call
whose choice or confidence moved) and the counts: right and confident, uncertain, wrong.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from callqa.records import RoleAssignment, Utterance  # noqa: E402
from callqa.scoring.scorecard import load_scorecard  # noqa: E402
from callqa.speech import roles  # noqa: E402

QUERY = """
select s.id, c.file, c.company, c.role_confidence, s.options
from scorings s join calls c on c.call_id = s.call_id
where s.id = (select max(id) from scorings where call_id = c.call_id)
"""


def _utterances(db: sqlite3.Connection, scoring_id: int) -> list[Utterance]:
    rows = db.execute(
        'select start, "end", speaker, role, text from utterances where scoring_id = ? '
        "order by idx",
        (scoring_id,),
    )
    return [Utterance(start=a, end=b, speaker=s, role=r, text=t) for a, b, s, r, t in rows]


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


def true_agent(expected: dict[str, Any], utterances: list[Utterance]) -> str | None:
    """The speaker label that is really the agent (None when the agent never speaks)."""
    if expected["channels"] == "stereo" and not expected.get("dual_mono"):
        return str(expected["agent_channel"])
    agent_turns = [(t["start"], t["end"]) for t in expected["turns"] if t["speaker"] == "agent"]
    share: dict[str, float] = {}
    for u in utterances:
        share[u.speaker] = share.get(u.speaker, 0.0) + sum(
            _overlap((u.start, u.end), t) for t in agent_turns
        )
    return max(share, key=share.__getitem__) if share and max(share.values()) > 0 else None


def _verdict(choice: str | None, confidence: float, truth: str | None) -> str:
    if truth is None:
        return "no-agent"
    if confidence < roles.CONFIDENT:
        return "uncertain-right" if choice == truth else "uncertain-wrong"
    return "right" if choice == truth else "WRONG"


def evaluate(db_path: Path, folders: list[Path], show_changes: bool) -> dict[str, dict[str, int]]:
    card_companies = load_scorecard("etiquette").company_names
    db = sqlite3.connect(db_path)
    counts: dict[str, dict[str, int]] = {"stored": {}, "now": {}}
    for sid, file, company, stored_conf, options in db.execute(QUERY).fetchall():
        path = Path(file)
        if not any(path.parent.resolve() == f.resolve() for f in folders):
            continue
        expected = json.loads(
            path.with_name(path.name.split(".")[0] + ".expected.json").read_text()
        )
        utterances = _utterances(db, sid)
        truth = true_agent(expected, utterances)
        stored_agent = next((u.speaker for u in utterances if u.role == "agent"), None)
        opts = json.loads(options or "{}")
        stereo = {u.speaker for u in utterances} <= {"left", "right"} and bool(utterances)
        hint = opts.get("agent_channel", "left") if stereo else None
        companies = tuple(card_companies) + ((company,) if company else ())
        now: RoleAssignment = roles.assign_roles(
            utterances, company_names=companies, agent_hint=hint
        )
        before = _verdict(stored_agent, stored_conf or 0.0, truth)
        after = _verdict(now.agent_speaker, now.confidence, truth)
        counts["stored"][before] = counts["stored"].get(before, 0) + 1
        counts["now"][after] = counts["now"].get(after, 0) + 1
        moved = before != after or abs((stored_conf or 0.0) - now.confidence) > 0.05
        if after not in ("right", "no-agent") or (show_changes and moved):
            print(f"{path.name}: {before} ({stored_conf or 0:.2f}) -> {after} "
                  f"({now.confidence:.2f}); {now.reason}")  # fmt: skip
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--changes", action="store_true", help="also list calls that moved")
    args = parser.parse_args(argv)
    counts = evaluate(args.db, args.folders, args.changes)
    for which in ("stored", "now"):
        print(which, ", ".join(f"{k} {v}" for k, v in sorted(counts[which].items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
