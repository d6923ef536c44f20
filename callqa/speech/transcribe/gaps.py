"""Speech the transcriber skipped, transcribed again on its own.

Whisper decodes 30-second windows.  On a noisy or codec-damaged stretch it sometimes ends a
window early and moves on, so a whole closing can go missing from the transcript while the
VAD plainly hears speech there (corpus/dev d15: the last 16 s of a 45 s call).  A rule that
reads words then fails the call for words it never saw.

`fill_gaps` finds the VAD's speech that no transcribed word covers (`untranscribed`) and
runs the transcriber again on each such stretch alone, with a little context either side.
What comes back is kept only when Whisper itself believes it (its own default thresholds:
average log-probability at least -1.0 and no-speech probability at most 0.6), so that a
stretch of noise does not become invented words.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from callqa.records import SAMPLE_RATE, Segment, Span, Word

log = logging.getLogger(__name__)

MIN_GAP_S = 1.0
"""Untranscribed speech shorter than this is left alone (a breath, a backchannel)."""
COVER_S = 0.3
"""A word covers the speech this far either side of it (word times are approximate)."""
CONTEXT_S = 0.25
"""Signal added either side of a stretch before it is transcribed again."""
MAX_STRETCHES = 12
"""At most this many stretches per signal are transcribed again (bounds the cost)."""
MIN_LOGPROB = -1.0
MAX_NO_SPEECH = 0.6
"""Whisper's own defaults (log_prob_threshold, no_speech_threshold) for trusting a segment."""

Transcribe = Callable[[npt.NDArray[np.float32]], Sequence[Segment]]


def covered(segments: Sequence[Segment]) -> list[Span]:
    """Time the transcript accounts for: its words (or segments without words), widened."""
    spans: list[Span] = []
    for seg in segments:
        if not seg.text.strip():
            continue
        parts = seg.words or (Word(seg.start, seg.end, seg.text, 1.0),)
        spans.extend(Span(w.start - COVER_S, w.end + COVER_S) for w in parts)
    return sorted(spans, key=lambda s: s.start)


def untranscribed(
    speech: Sequence[Span], segments: Sequence[Segment], *, min_s: float = MIN_GAP_S
) -> tuple[Span, ...]:
    """The parts of `speech` no word of `segments` covers, each at least `min_s` long."""
    words = covered(segments)
    found: list[Span] = []
    for region in speech:
        cursor = region.start
        for w in words:
            if w.end <= cursor or w.start >= region.end:
                continue
            if w.start - cursor >= min_s:
                found.append(Span(round(cursor, 3), round(w.start, 3)))
            cursor = max(cursor, w.end)
        if region.end - cursor >= min_s:
            found.append(Span(round(cursor, 3), round(region.end, 3)))
    return tuple(found)


def trusted(seg: Segment) -> bool:
    return (
        bool(seg.text.strip())
        and seg.avg_logprob >= MIN_LOGPROB
        and seg.no_speech_prob <= MAX_NO_SPEECH
    )


def fill_gaps(
    transcribe: Transcribe,
    signal: npt.NDArray[np.float32],
    segments: Sequence[Segment],
    speech: Sequence[Span],
    *,
    channel: int | None = None,
    min_s: float = MIN_GAP_S,
) -> tuple[Segment, ...]:
    """`segments` plus what `transcribe` finds in each untranscribed stretch of `speech`."""
    gaps = untranscribed(speech, segments, min_s=min_s)
    if not gaps:
        return tuple(segments)
    if len(gaps) > MAX_STRETCHES:
        log.info("%d untranscribed stretches; the %d longest are retried", len(gaps), MAX_STRETCHES)
        gaps = tuple(sorted(sorted(gaps, key=lambda g: -g.duration)[:MAX_STRETCHES]))
    added: list[Segment] = []
    total = len(signal) / SAMPLE_RATE
    for gap in gaps:
        start = max(0.0, gap.start - CONTEXT_S)
        end = min(total, gap.end + CONTEXT_S)
        clip = signal[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
        for seg in transcribe(clip):
            if trusted(seg):
                added.append(_shifted(seg, start, channel))
    if added:
        log.info(
            "re-transcribed %d untranscribed stretch(es): %d segment(s) added, %s",
            len(gaps),
            len(added),
            " / ".join(s.text for s in added),
        )
    return tuple(sorted((*segments, *added), key=lambda s: s.start))


def _shifted(seg: Segment, offset: float, channel: int | None) -> Segment:
    return replace(
        seg,
        start=round(seg.start + offset, 3),
        end=round(seg.end + offset, 3),
        words=tuple(
            replace(w, start=round(w.start + offset, 3), end=round(w.end + offset, 3))
            for w in seg.words
        ),
        channel=channel if channel is not None else seg.channel,
    )
