"""What every diarizer is: the `Diarizer` Protocol, the speakers argument, shared helpers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from callqa.records import Diarization, Span, Turn
from callqa.speech.align import overlap_spans

Speakers = int | Literal["auto"]
MAX_SPEAKERS = 4


class Diarizer(Protocol):
    """Anything that turns a 16 kHz mono float32 signal into a `Diarization`."""

    def __call__(self, signal: npt.NDArray[np.float32], *, speakers: Speakers) -> Diarization: ...


def check_speakers(speakers: Speakers) -> None:
    """ValueError unless `speakers` is 1..MAX_SPEAKERS or "auto"."""
    if speakers == "auto":
        return
    if (
        not isinstance(speakers, int)
        or isinstance(speakers, bool)
        or not 1 <= speakers <= MAX_SPEAKERS
    ):
        raise ValueError(f"speakers must be 1-{MAX_SPEAKERS} or 'auto', got {speakers!r}")


def overlaps_of(turns: Sequence[Turn]) -> tuple[Span, ...]:
    """Stretches where turns of two different speakers overlap, merged and sorted."""
    return overlap_spans(turns)
