"""Speech to text with faster-whisper: VAD on, word timestamps, Mandarin, simplified output.

`WhisperTranscriber` is the real `callqa.speech.transcribe.base.Transcriber`; tests swap
in a fake.  The model is loaded once per transcriber.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import numpy.typing as npt

from callqa.records import SAMPLE_RATE, Segment, Word
from callqa.speech.textnorm import to_simplified
from callqa.speech.transcribe.base import TranscribeOptions, Transcriber, with_hotwords
from callqa.speech.transcribe.loops import collapse_loops
from callqa.speech.verify import WhisperVerifier
from callqa.speech.weights import DEFAULT_MODEL, ResolvedModel, resolve

log = logging.getLogger(__name__)

__all__ = ["TranscribeOptions", "Transcriber", "WhisperTranscriber", "pick_device", "with_hotwords"]


def pick_device() -> tuple[str, str]:
    """float16 on CUDA when a GPU is present, else int8 on CPU."""
    try:
        import ctranslate2

        if ctranslate2.get_cuda_device_count() > 0:
            return "cuda", "float16"
    except (ImportError, RuntimeError):
        pass
    return "cpu", "int8"


class WhisperTranscriber:
    """faster-whisper behind the `Transcriber` protocol."""

    def __init__(
        self,
        model: str | ResolvedModel = DEFAULT_MODEL,
        *,
        device: str | None = None,
        compute_type: str | None = None,
        cpu_threads: int = 2,
    ) -> None:
        self.resolved = model if isinstance(model, ResolvedModel) else resolve(model)
        auto_device, auto_type = pick_device()
        self.device = device or auto_device
        self.compute_type = compute_type or (auto_type if self.device == auto_device else "int8")
        self.cpu_threads = cpu_threads
        self.name = self.resolved.name
        self._model: Any = None

    def load(self) -> Any:
        """Load the model now (it is otherwise loaded on the first call)."""
        if self._model is None:
            from faster_whisper import WhisperModel

            log.info(
                "loading %s from %s on %s/%s",
                self.name,
                self.resolved.path,
                self.device,
                self.compute_type,
            )
            self._model = WhisperModel(
                self.resolved.path,
                device=self.device,
                compute_type=self.compute_type,
                cpu_threads=self.cpu_threads,
            )
        return self._model

    def verifier(self) -> WhisperVerifier:
        """Forced decoding with this transcriber's model (`callqa.speech.verify`)."""
        return WhisperVerifier(self.load())

    def __call__(
        self,
        signal: npt.NDArray[np.float32],
        *,
        options: TranscribeOptions,
        channel: int | None = None,
    ) -> tuple[Segment, ...]:
        if signal.size < SAMPLE_RATE // 10:
            return ()
        segments, _info = self.load().transcribe(
            signal,
            language=options.language,
            beam_size=options.beam_size,
            temperature=options.temperature,
            vad_filter=options.vad_filter,
            vad_parameters={"min_silence_duration_ms": options.vad_min_silence_ms},
            word_timestamps=True,
            initial_prompt=options.initial_prompt,
            hotwords=" ".join(options.hotwords) or None,
            condition_on_previous_text=options.condition_on_previous_text,
            no_speech_threshold=options.no_speech_threshold,
            log_prob_threshold=options.log_prob_threshold,
            max_new_tokens=options.max_new_tokens,
        )
        # The segments are a lazy generator: the decoding happens here.
        return tuple(collapse_loops(_segment(s, channel)) for s in list(segments))


def _segment(seg: Any, channel: int | None) -> Segment:
    words = tuple(
        Word(
            start=float(w.start),
            end=float(w.end),
            text=to_simplified(w.word).strip(),
            probability=float(w.probability),
        )
        for w in (seg.words or ())
        if w.word.strip()
    )
    return Segment(
        start=float(seg.start),
        end=float(seg.end),
        text=to_simplified(seg.text).strip(),
        words=words,
        avg_logprob=float(seg.avg_logprob),
        no_speech_prob=float(seg.no_speech_prob),
        channel=channel,
    )
