"""Speech regions from the silero VAD that ships inside faster-whisper's wheel (ONNX).

The diarizer only embeds and labels audio inside these regions; everything else is
silence.  Defaults were chosen on pyannote's sample phone call, where they miss 0.3 s
and add 0.2 s of 22.5 s of speech (detection error 2.4 %).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from typing import Any

import numpy as np
import numpy.typing as npt

from callqa.records import SAMPLE_RATE, Span

log = logging.getLogger(__name__)

MIN_SILENCE_MS = 200
"""A pause shorter than this does not split a region (speaker turns often meet closer)."""
PAD_MS = 30
THRESHOLD = 0.5


class _CachedVad:
    """silero's speech probabilities for the last few signals it was run on.

    faster-whisper runs the same silero model over each channel before transcribing it
    (its VAD filter) and the speech timeline runs it again over the same samples; with
    this cache the model runs once per signal (the probabilities depend on the samples
    only; the options of each caller apply afterwards).
    """

    def __init__(self, model: Any, size: int = 4) -> None:
        self.model = model
        self.size = size
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, audio: Any, num_samples: int = 512, context_size_samples: int = 64) -> Any:
        digest = hashlib.blake2b(np.ascontiguousarray(audio).tobytes(), digest_size=16)
        key = (audio.shape[0], str(audio.dtype), num_samples, context_size_samples, digest.digest())
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        probs = self.model(audio, num_samples, context_size_samples)
        with self._lock:
            self._cache[key] = probs
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)
        return probs


def share_vad_runs() -> None:
    """Let faster-whisper's VAD filter and `speech_regions` share silero's output (idempotent)."""
    import faster_whisper.vad as fw_vad

    current = fw_vad.get_vad_model
    if getattr(current, "callqa_cached", False):
        return
    cached = _CachedVad(current())

    def get_vad_model() -> _CachedVad:
        return cached

    get_vad_model.callqa_cached = True  # type: ignore[attr-defined]
    fw_vad.get_vad_model = get_vad_model


def speech_regions(
    signal: npt.NDArray[np.float32],
    *,
    min_silence_ms: int = MIN_SILENCE_MS,
    pad_ms: int = PAD_MS,
    threshold: float = THRESHOLD,
    min_speech_ms: int = 0,
) -> tuple[Span, ...]:
    """Where `signal` (16 kHz mono float32) holds speech, in seconds, sorted, disjoint."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    share_vad_runs()
    audio = np.ascontiguousarray(signal, dtype=np.float32)
    if audio.ndim != 1:
        raise ValueError(f"speech_regions expects a mono signal, got shape {audio.shape}")
    if len(audio) == 0:
        return ()
    options = VadOptions(
        threshold=threshold,
        min_silence_duration_ms=min_silence_ms,
        speech_pad_ms=pad_ms,
        min_speech_duration_ms=min_speech_ms,
    )
    stamps = get_speech_timestamps(audio, options, sampling_rate=SAMPLE_RATE)
    regions = tuple(
        Span(round(s["start"] / SAMPLE_RATE, 3), round(s["end"] / SAMPLE_RATE, 3))
        for s in stamps
        if s["end"] > s["start"]
    )
    log.debug(
        "VAD: %d speech regions, %.1f s of speech", len(regions), sum(r.duration for r in regions)
    )
    return regions
