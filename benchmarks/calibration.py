"""What the benchmarks that set a reading's threshold share: the tuning-split guard and the
readers (the transcriber, its forced-decoding verifier, the prompted reader)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from callqa.scoring.rereading import REREAD_CONFIRM
from callqa.speech.reread import Retranscribe, prompted
from callqa.speech.transcribe.base import TranscribeOptions, Transcriber
from callqa.speech.transcribe.registry import make_transcriber
from callqa.speech.verify import PhraseVerifier

REPORT_ONLY = ("test", "vault", "novel", "sealed", "blind", "outer")
"""Splits a threshold is never set on (docs/accuracy.md: how each split was used)."""


def tuning_args(
    doc: str, *extra: tuple[str, dict[str, object]], threshold: float = REREAD_CONFIRM
) -> argparse.Namespace:
    """FOLDER --db DB [--threshold T] and `extra` options; exits on a report-only split."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--threshold", type=float, default=threshold)
    for flag, kwargs in extra:
        ap.add_argument(flag, **kwargs)  # type: ignore[arg-type]
    args = ap.parse_args()
    if args.folder.name in REPORT_ONLY:
        sys.exit(f"{args.folder}: a report-only split - set thresholds on the tuning splits")
    return args


def readers() -> tuple[Transcriber, PhraseVerifier, Retranscribe]:
    """Whisper base, its verifier and a prompted reader with the default options."""
    transcriber = make_transcriber("whisper", "base")
    verifier = transcriber.verifier()  # type: ignore[attr-defined]
    return transcriber, verifier, prompted(transcriber, TranscribeOptions())


def reach(label: str, margins: list[float], threshold: float, *, lowest: bool) -> str:
    """ "said: 46 of 56 reach +6 (lowest +1.3)": how many margins reach the threshold, with
    the lowest (said) or highest (not said) of them."""
    edge = (min if lowest else max)(margins) if margins else None
    line = f"{label} {sum(x >= threshold for x in margins)} of {len(margins)} reach {threshold:+g}"
    return line if edge is None else f"{line} ({'lowest' if lowest else 'highest'} {edge:+.1f})"
