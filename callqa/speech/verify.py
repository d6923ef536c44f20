"""Acoustic verification: does the audio say the canonical phrase or what was transcribed?

When a rule decides on a phrase matched only by sound (为说话呀 ≈ 喂说话呀), the same
Whisper model scores that stretch of audio twice by forced decoding (CTranslate2's
`Whisper.align`, which returns each text token's probability given the audio): once with
the canonical phrase, once with the words as transcribed.  The margin is the difference of
the mean token log-probabilities, canonical minus heard: near zero or above, the audio is
as consistent with the phrase as with the transcript; far below, it is not.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from callqa.records import SAMPLE_RATE

log = logging.getLogger(__name__)

PAD_S = 0.25
"""Audio kept either side of the evidence span (word times are approximate)."""


class PhraseVerifier(Protocol):
    """Mean (or with `total`, summed) token log-probability of each candidate text for
    `signal[start:end]`."""

    def __call__(
        self,
        signal: npt.NDArray[np.float32],
        *,
        start: float,
        end: float,
        candidates: Sequence[str],
        total: bool = False,
    ) -> tuple[float, ...]: ...


class WhisperVerifier:
    """Forced decoding with the transcriber's own model (loaded once, shared)."""

    def __init__(self, model: Any) -> None:
        self._model = model  # a faster_whisper.WhisperModel
        self._tokenizer: Any = None

    def __call__(
        self,
        signal: npt.NDArray[np.float32],
        *,
        start: float,
        end: float,
        candidates: Sequence[str],
        total: bool = False,
    ) -> tuple[float, ...]:
        from faster_whisper.tokenizer import Tokenizer

        m = self._model
        a = max(0, int((start - PAD_S) * SAMPLE_RATE))
        b = min(len(signal), int((end + PAD_S) * SAMPLE_RATE))
        piece = np.ascontiguousarray(signal[a:b], dtype=np.float32)
        if piece.size < SAMPLE_RATE // 10:
            return tuple(-math.inf for _ in candidates)
        if self._tokenizer is None:
            self._tokenizer = Tokenizer(m.hf_tokenizer, True, task="transcribe", language="zh")
        features = m.feature_extractor(piece)
        num_frames = int(features.shape[-1])
        width = m.feature_extractor.nb_max_frames
        if num_frames < width:
            features = np.pad(features, [(0, 0), (0, width - num_frames)])
        encoded = m.encode(features[:, :width])
        tokens = [self._tokenizer.encode(text) for text in candidates]
        out = []
        for tok in tokens:  # one at a time: the encoder output has a batch of one
            (result,) = m.model.align(encoded, self._tokenizer.sot_sequence, [tok], num_frames)
            probs = [max(float(p), 1e-9) for p in result.text_token_probs]
            logp = sum(math.log(p) for p in probs)
            out.append(-math.inf if not probs else logp if total else logp / len(probs))
        return tuple(out)


def margin(
    verifier: PhraseVerifier,
    signal: npt.NDArray[np.float32],
    *,
    start: float,
    end: float,
    canonical: str,
    heard: str,
    total: bool = False,
) -> float:
    """Log-probability of `canonical` minus that of `heard` over the span: the mean per
    token, or with `total` the sum.

    The sum is for a whole utterance with one stretch replaced (the opening with the
    company's name put in): for a name Whisper does not know, the mean over a few tokens
    says little (the language prior makes any well-formed name likely); over the whole
    utterance, with the words around it fixed, the audio decides (corpus/holdout: the
    right company name -3.7 to -5.8, other names -8.6 to -37)."""
    lp_canonical, lp_heard = verifier(
        signal, start=start, end=end, candidates=(canonical, heard), total=total
    )
    log.debug("verify %s vs %s: %.2f / %.2f", canonical, heard, lp_canonical, lp_heard)
    return lp_canonical - lp_heard


def cohort_margins(
    verifier: PhraseVerifier,
    signal: npt.NDArray[np.float32],
    *,
    start: float,
    end: float,
    canonical: str,
    heard: str,
    cohort: Sequence[str],
) -> tuple[float, float | None]:
    """Summed log-probability of `canonical` minus that of `heard`, and minus that of the
    best of `cohort` (other texts of the same shape: the name with other brands; None when
    the cohort is empty), over the span, from one pass of the encoder."""
    texts = (canonical, *cohort, heard)
    lps = verifier(signal, start=start, end=end, candidates=texts, total=True)
    log.debug("verify %s vs %s and %d others: %s", canonical, heard, len(cohort), lps)
    over_cohort = lps[0] - max(lps[1:-1]) if cohort else None
    return lps[0] - lps[-1], over_cohort
