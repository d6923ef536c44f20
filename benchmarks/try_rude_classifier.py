"""Would a learned classifier find the 禁语 the written shapes miss?  (Tried, not adopted.)

    python benchmarks/try_rude_classifier.py [--ngram 3] [--c 1.0]

A logistic regression on character n-grams (binary, 1..N), trained on every rude line
and proper line already read, is scored with one author left out at a time: each read
probe (`forbidden_a/b/d/…/t`), each tuning split's agent sentences (dev, holdout, final,
fresh: a sentence holding a labelled 禁语 is rude, the sentences of turns without one are
proper) and the read phrase probes (`phrases_a/b`, all proper).  Prints, per threshold,
the share of rude lines found and the proper lines flagged, all and from the calls alone.

What it showed (round 9, docs/accuracy.md): at a threshold that finds 74 % of a new
author's rude lines, 5 of 547 proper call sentences are flagged too, about one compliant
call in eight with a false 禁语; at 0.98 it finds 60 % and flags 2 of 547.  The written
shapes flag 1 of 1,992 proper lines.  Never opened: the unread probes
(`forbidden_c/f/i/l/x/stock_b`, `phrases_c`), `test` and the unread splits.
"""

from __future__ import annotations

import argparse
import glob
import json
import re
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent / "corpus"
READ_PROBES = (*"abdeghjkmnopqrstuvwyz", "stock_a", "aa", "ab", "ac", "ad")
TUNING = ("dev", "holdout", "final", "fresh")
THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.98)


def _clean(text: str) -> str:
    return re.sub(r"[\W_]", "", text)


def _sentences(text: str) -> list[str]:
    return [p for p in re.split(r"(?<=[。？！?!])", text) if p.strip()]


def _probe(letter: str) -> list[tuple[str, int]]:
    data = json.loads((ROOT / "probes" / f"forbidden_{letter}.json").read_text("utf-8"))
    return [(b["text"], 1) for b in data["bad"]] + [(g, 0) for g in data["good"]]


def _phrases(letter: str) -> list[tuple[str, int]]:
    data = json.loads((ROOT / "probes" / f"phrases_{letter}.json").read_text("utf-8"))
    lines = [x["text"] for x in data["openings"] + data["closings"]]
    return [(t, 0) for t in lines + [x["agent"] for x in data["recaps"]]]


def _split(name: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for path in sorted(glob.glob(str(ROOT / name / "*.expected.json"))):
        labels = json.loads(Path(path).read_text("utf-8"))
        hits = [h for h in labels.get("agent_forbidden_hits") or [] if "start" in h]
        for turn in labels["turns"]:
            if turn.get("speaker") != "agent":
                continue
            near = [
                _clean(h["text"])
                for h in hits
                if h["start"] < turn["end"] + 0.5 and h["end"] > turn["start"] - 0.5
            ]
            for s in _sentences(turn["text"]):
                key = _clean(s)
                if not near:
                    out.append((s, 0))
                elif any(h in key or key in h for h in near):
                    out.append((s, 1))  # other sentences of a rude turn: left out
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ngram", type=int, default=3, help="longest character n-gram")
    ap.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    args = ap.parse_args()
    texts: list[str] = []
    labels: list[int] = []
    groups: list[str] = []
    sources = [(f"probe {x}", _probe(x)) for x in READ_PROBES]
    sources += [(s, _split(s)) for s in TUNING]
    sources.append(("phrases", _phrases("a") + _phrases("b")))
    for group, rows in sources:
        for text, label in rows:
            texts.append(_clean(text))
            labels.append(label)
            groups.append(group)
    y = np.array(labels)
    g = np.array(groups)
    scores = np.zeros(len(texts))
    for held in sorted(set(groups)):
        train = g != held
        vec = CountVectorizer(analyzer="char", ngram_range=(1, args.ngram), binary=True, min_df=2)
        features = vec.fit_transform([t for t, keep in zip(texts, train, strict=True) if keep])
        model = LogisticRegression(C=args.c, max_iter=2000, class_weight="balanced")
        model.fit(features, y[train])
        held_texts = [t for t, keep in zip(texts, train, strict=True) if not keep]
        scores[~train] = model.predict_proba(vec.transform(held_texts))[:, 1]
    calls = np.isin(g, TUNING) & (y == 0)
    print(f"{int(y.sum())} rude and {int((y == 0).sum())} proper lines, {len(set(groups))} authors")
    print("threshold  rude found  proper flagged  of them call sentences")
    for t in THRESHOLDS:
        found = float(np.mean(scores[y == 1] >= t))
        flagged = int(np.sum(scores[y == 0] >= t))
        in_calls = int(np.sum(scores[calls] >= t))
        print(
            f"{t:9.2f}  {found:10.3f}  {flagged:6d}/{int((y == 0).sum())}"
            f"  {in_calls:6d}/{int(calls.sum())}"
        )


if __name__ == "__main__":
    main()
