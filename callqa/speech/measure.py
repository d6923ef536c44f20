"""Per-utterance speaking rate and loudness; gaps where nobody speaks; overlaps.

Loudness is RMS in dBFS over the utterance's span, read from the speaker's own channel
on stereo recordings (the other party's voice never leaks into it) and from the mix on
mono.  Rates count spoken characters (Chinese characters, letters, digits; punctuation
does not count) per minute of the utterance's own time.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from callqa.records import (
    DecodedAudio,
    Gap,
    Measures,
    Overlap,
    Transcript,
    Utterance,
    UtteranceMeasure,
)
from callqa.speech.timeline import call_metrics, from_transcript

_SPOKEN = re.compile(r"[\w]", re.UNICODE)
MIN_GAP_S = 0.3
MIN_OVERLAP_S = 0.1
_FLOOR_DBFS = -100.0


def spoken_chars(text: str) -> int:
    return sum(1 for ch in text if _SPOKEN.match(ch) and ch != "_")


def loudness_dbfs(signal: np.ndarray, sample_rate: int, start: float, end: float) -> float | None:
    a, b = int(start * sample_rate), int(end * sample_rate)
    chunk = signal[max(0, a) : max(0, b)]
    if chunk.size < sample_rate // 20:
        return None
    rms = float(np.sqrt(np.mean(np.square(chunk, dtype=np.float64))))
    return max(_FLOOR_DBFS, 20.0 * np.log10(rms)) if rms > 0 else _FLOOR_DBFS


def _channel_for(utt: Utterance, audio: DecodedAudio) -> np.ndarray:
    if audio.is_stereo and utt.speaker in ("left", "right"):
        return audio.channels[0 if utt.speaker == "left" else 1]
    return audio.mono()


def with_loudness(transcript: Transcript, audio: DecodedAudio | None) -> Transcript:
    """The transcript with each utterance's loudness filled in from the audio."""
    if audio is None:
        return transcript
    utterances = tuple(
        replace(
            u,
            loudness_dbfs=loudness_dbfs(_channel_for(u, audio), audio.sample_rate, u.start, u.end),
        )
        for u in transcript.utterances
    )
    return replace(transcript, utterances=utterances)


def gaps(utterances: tuple[Utterance, ...], *, min_gap: float = MIN_GAP_S) -> tuple[Gap, ...]:
    """Stretches between speech where nobody speaks, longer than `min_gap`."""
    found: list[Gap] = []
    ordered = sorted(utterances, key=lambda u: u.start)
    latest: Utterance | None = None
    for utt in ordered:
        if latest is not None and utt.start - latest.end >= min_gap:
            found.append(Gap(latest.end, utt.start, before=latest, after=utt))
        if latest is None or utt.end > latest.end:
            latest = utt
    return tuple(found)


def overlaps(
    utterances: tuple[Utterance, ...], *, min_overlap: float = MIN_OVERLAP_S
) -> tuple[Overlap, ...]:
    """Places where a speaker starts while another is still talking."""
    found: list[Overlap] = []
    ordered = sorted(utterances, key=lambda u: u.start)
    for i, second in enumerate(ordered):
        for first in ordered[:i]:
            if first.speaker == second.speaker or first.start > second.start:
                continue
            end = min(first.end, second.end)
            if end - second.start >= min_overlap:
                found.append(Overlap(second.start, end, first=first, second=second))
    return tuple(found)


def measure(transcript: Transcript) -> Measures:
    """Rates, loudness (already on the utterances), gaps and overlaps of a transcript, and
    the call's metrics from its timeline (from the utterance times when it has none)."""
    per_utt = tuple(
        UtteranceMeasure(
            utterance=u,
            chars=(n := spoken_chars(u.text)),
            chars_per_minute=(60.0 * n / (u.end - u.start)) if u.end > u.start else 0.0,
            loudness_dbfs=u.loudness_dbfs,
        )
        for u in transcript.utterances
    )
    return Measures(
        utterances=per_utt,
        gaps=gaps(transcript.utterances),
        overlaps=overlaps(transcript.utterances),
        metrics=call_metrics(transcript.timeline or from_transcript(transcript), transcript),
    )
