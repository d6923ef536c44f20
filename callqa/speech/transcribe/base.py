"""What every transcriber is: the `Transcriber` Protocol and the options it takes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from callqa.records import Segment
from callqa.speech.verify import PhraseVerifier

DEFAULT_BEAM_SIZE = 1
MAX_BEAM_SIZE = 10


@dataclass(frozen=True)
class TranscribeOptions:
    """What shapes a transcription; the defaults are the ones the samples were tested with.

    Measured on the samples (BENCHMARKS.md): beam 1 with no temperature fallback is twice
    as fast as beam 5 and gives the same verdicts.  Hotwords are off by default: with
    Whisper base they made the model repeat them on the customer's channel ("客服代表
    客服代表 …") and cost 2-6x more time on some calls; company names are matched on
    pinyin instead, which absorbs the transcriber's homophone slips.
    """

    language: str = "zh"
    beam_size: int = DEFAULT_BEAM_SIZE
    temperature: float = 0.0
    vad_filter: bool = True
    vad_min_silence_ms: int = 500
    initial_prompt: str | None = None
    hotwords: tuple[str, ...] = ()
    condition_on_previous_text: bool = False
    no_speech_threshold: float | None = None
    """faster-whisper skips a whole window (up to 30 s) when its no-speech probability is
    over this *and* its text's mean log-probability under `log_prob_threshold`.  None (the
    default) never skips: the VAD has already chosen the speech, and the skip dropped 33 s
    of a synthetic agent Whisper reads poorly, hold and recap included (corpus/test t17).
    Words it is unsure of keep their low probabilities, which the rules weigh."""
    log_prob_threshold: float | None = -1.0
    max_new_tokens: int | None = None
    """At most this many tokens per window (None: Whisper's own limit).  A second reading
    with a prompt (`callqa.speech.reread`) sets it: a prompt can make Whisper loop."""
    fill_gaps: bool = True
    """Transcribe again, alone, any speech the first pass left without words
    (`callqa.speech.transcribe.gaps`)."""


class Transcriber(Protocol):
    """Anything that turns a 16 kHz mono float32 signal into timed segments with words."""

    name: str

    def __call__(
        self,
        signal: npt.NDArray[np.float32],
        *,
        options: TranscribeOptions,
        channel: int | None = None,
    ) -> tuple[Segment, ...]: ...


def with_hotwords(options: TranscribeOptions, hotwords: Sequence[str]) -> TranscribeOptions:
    """`options` with `hotwords` added (once each, in order)."""
    return replace(options, hotwords=tuple(dict.fromkeys((*options.hotwords, *hotwords))))


@runtime_checkable
class SupportsVerify(Protocol):
    """A transcriber whose model can also score given text against audio."""

    def verifier(self) -> PhraseVerifier: ...
