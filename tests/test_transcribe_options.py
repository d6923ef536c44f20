"""What the transcriber asks of faster-whisper (a stand-in model records the call)."""

from __future__ import annotations

from typing import Any

import numpy as np

from callqa.speech.transcribe.whisper import TranscribeOptions, WhisperTranscriber
from callqa.speech.weights import ResolvedModel


class _Recorder:
    def __init__(self) -> None:
        self.kwargs: dict[str, Any] = {}

    def transcribe(self, signal: Any, **kwargs: Any) -> tuple[list[Any], None]:
        self.kwargs = kwargs
        return [], None


def test_no_window_is_skipped_as_silence_by_default() -> None:
    """The VAD has chosen the speech already: faster-whisper's own silence skip (no-speech
    probability over 0.6 with a low log-probability) dropped whole 30 s windows of a
    synthetic agent Whisper reads poorly (corpus/test t17: 33 s, the hold and the recap)."""
    t = WhisperTranscriber(ResolvedModel("base", "base", "/nowhere", "test"))
    model = _Recorder()
    t._model = model
    t(np.zeros(16000, dtype=np.float32), options=TranscribeOptions())
    assert model.kwargs["no_speech_threshold"] is None
    assert model.kwargs["log_prob_threshold"] == -1.0
    t(np.zeros(16000, dtype=np.float32), options=TranscribeOptions(no_speech_threshold=0.6))
    assert model.kwargs["no_speech_threshold"] == 0.6
