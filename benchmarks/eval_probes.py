"""The text rules on labelled lines of clean text (no audio): how far do wordings carry?

    python benchmarks/eval_probes.py [--scorecard FILE]

`corpus/probes/` holds lines written by helpers who never saw the rules (corpus/README.md):
`forbidden_*.json` rude agent lines by 服务禁语 class (`bad`) and proper look-alikes
(`good`); `proper_*.json` proper agent lines of many trades (`good`, with `--show` the
flagged ones); `phrases_*.json` openings, request/reply pairs and closings, proper or not.
Each line is put into a short call with a proper opening, request and close, and judged
by the scorecard; the figures are what a transcript with every word right would give.
`forbidden_c.json`, `forbidden_f.json`, `forbidden_i.json`, `forbidden_l.json`,
`forbidden_x.json` (its rude lines; the two proper lines the rules flagged were read),
`proper_b.json`,
`forbidden_stock_b.json` and `phrases_c.json` are never read to write a rule: report them,
do not tune on them.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path
from typing import Any

from callqa.records import RoleAssignment, Transcript, Utterance
from callqa.scoring.engine import score_call
from callqa.scoring.scorecard import load_scorecard
from callqa.speech.measure import measure

ROOT = Path(__file__).resolve().parent.parent
PROBES = ROOT / "corpus" / "probes"
OPEN = ("agent", 0.5, 6.0, "您好，星河通信，工号1023，请问有什么可以帮您？")
ASK = ("customer", 6.5, 12.0, "我上个月的账单多扣了五十块钱，怎么回事？")
CLOSE = ("agent", 40.0, 46.0, "还有什么可以帮您？感谢您的来电，再见。")


def _call(turns: list[tuple[str, float, float, str]]) -> Transcript:
    side = {"agent": "left", "customer": "right"}
    utts = tuple(Utterance(a, b, side[r], r, text) for r, a, b, text in turns)  # type: ignore[arg-type]
    return Transcript(utts, duration=50.0, roles=RoleAssignment("left", 1.0), agent_channel="left")


def _status(card: Any, turns: list[tuple[str, float, float, str]], rule: str, **kw: Any) -> str:
    t = _call(turns)
    score = score_call(card, t, measure(t), **kw)
    return next(r.status for r in score.rules if r.id == rule)


def forbidden_status(card: Any, line: str) -> str:
    """The forbidden_phrases status of one agent line, said in a short proper call."""
    turns = [OPEN, ASK, ("agent", 12.5, 18.0, line), ("customer", 18.5, 20.0, "好的。"), CLOSE]
    return _status(card, turns, "forbidden_phrases")


def forbidden(card: Any, path: Path) -> None:
    data = json.loads(path.read_text("utf-8"))

    def said(line: str) -> str:
        return forbidden_status(card, line)

    per: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for b in data["bad"]:
        per[b["category"]][0] += said(b["text"]) != "pass"
        per[b["category"]][1] += 1
    found = sum(f for f, _ in per.values())
    flagged = sum(said(g) != "pass" for g in data["good"])
    classes = ", ".join(f"{k} {f}/{n}" for k, (f, n) in per.items())
    print(
        f"{path.name}: rude lines found {found}/{len(data['bad'])} ({classes}); "
        f"proper lines flagged {flagged}/{len(data['good'])}"
    )


NEVER_SHOWN = ("proper_b",)
"""Proper-line probes kept unread: their flagged lines are counted, never printed."""


def proper(card: Any, path: Path, *, show: bool = False) -> None:
    """Proper agent lines alone (`proper_*.json`): how many the rules flag, by industry."""
    data = json.loads(path.read_text("utf-8"))
    per: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for g in data["good"]:
        status = forbidden_status(card, g["text"])
        per[g["industry"]][0] += status != "pass"
        per[g["industry"]][1] += 1
        if show and status != "pass" and path.stem not in NEVER_SHOWN:
            print(f"    {status}: {g['text']}")
    flagged = sum(f for f, _ in per.values())
    worst = ", ".join(f"{k} {f}/{n}" for k, (f, n) in per.items() if f)
    print(f"{path.name}: proper lines flagged {flagged}/{len(data['good'])} ({worst or 'none'})")


def phrases(card: Any, path: Path) -> None:
    data = json.loads(path.read_text("utf-8"))
    reply = ("agent", 12.5, 20.0, "好的，多扣的五十元已经为您申请退回。")
    thanks = ("customer", 20.5, 22.0, "好的，谢谢。")
    handled = ("agent", 24.5, 30.0, "好的，我马上为您处理。")
    kinds = {
        "openings": ("self_intro", lambda o: [("agent", 0.5, 8.0, o["text"]), ASK, CLOSE]),
        "recaps": (
            "recap",
            lambda p: [OPEN, ("customer", 6.5, 14.0, p["customer"]),
                       ("agent", 14.5, 22.0, p["agent"]), ("customer", 22.5, 24.0, "对。"),
                       handled, CLOSE],
        ),
        "closings": (
            "closing",
            lambda c: [OPEN, ASK, reply, thanks, ("agent", 30.0, 38.0, c["text"])],
        ),
    }  # fmt: skip
    for kind, (rule, call) in kinds.items():
        right = sum(
            _status(card, call(row), rule, company=row.get("company") or None)
            == ("pass" if row["ok"] else "fail")
            for row in data[kind]
        )
        print(f"{path.name}: {kind} right {right}/{len(data[kind])}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scorecard", default="etiquette")
    parser.add_argument("--show", action="store_true", help="print flagged proper_* lines")
    args = parser.parse_args(argv)
    card = load_scorecard(args.scorecard)
    for path in sorted(PROBES.glob("forbidden_*.json")):
        forbidden(card, path)
    for path in sorted(PROBES.glob("proper_*.json")):
        proper(card, path, show=args.show)
    for path in sorted(PROBES.glob("phrases_*.json")):
        phrases(card, path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
