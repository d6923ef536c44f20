"""What the benchmarks that set a reading's threshold share: the tuning-split guard and the
readers (the transcriber, its forced-decoding verifier, the prompted reader)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt

from callqa.records import Span, Transcript
from callqa.run.evaluate import Labelled
from callqa.scoring.rereading import REREAD_CONFIRM
from callqa.speech.audio import decode
from callqa.speech.reread import Retranscribe, plain, prompted
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


def agent_signal(item: Labelled, transcript: Transcript) -> npt.NDArray[np.float32]:
    """The call's audio where the agent speaks: the agent's channel, or the mono mix."""
    audio = decode(item.audio)
    channel = {"left": 0, "right": 1}.get(transcript.agent_channel or "")
    return audio.channels[channel] if channel is not None else audio.mono()


def scripted(item: Labelled, span: Span) -> str:
    """The agent's scripted words that overlap `span` (spoken characters only, 你 as 您)."""
    turns = [t for t in item.labels.get("turns", []) if t.get("speaker") == "agent"]
    said = "".join(t["text"] for t in turns if t["start"] < span.end and t["end"] > span.start)
    return plain(said).replace("你", "您")


def report(
    folder: Path,
    read: int,
    seconds: float,
    said: list[float],
    not_said: list[tuple[float, str]],
    threshold: float,
) -> None:
    """Print how many stretches were read and how fast, how many said and not-said phrases
    reach `threshold`, and each not-said one, highest first."""
    each = seconds / max(1, read)
    print(f"{folder}: {read} stretches read in {seconds:.0f} s ({each:.2f} s each)")
    print(reach("said:    ", said, threshold, lowest=True))
    print(reach("not said:", [x for x, _ in not_said], threshold, lowest=False))
    for x, what in sorted(not_said, reverse=True):
        print(f"  not said, {x:+.1f}: {what}")
