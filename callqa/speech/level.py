"""Active speech level (in the manner of ITU-T P.56, method B) and clipping of a signal.

`active_level_dbfs` follows P.56's method B: the envelope is the rectified signal
smoothed twice with a 30 ms time constant; for each threshold c (2^-k of full scale) a
sample is active while the envelope is at or above c, or was within the last 200 ms
(hangover); the active level A(c) is the energy over the active samples.  The level is
where A(c) is 15.9 dB above c (the margin M), interpolated between thresholds.  Pauses
and line noise therefore do not pull the level down the way a plain RMS does.

Levels are dBFS as RMS against full scale: a full-scale square wave is 0 dBFS and a
full-scale sine -3 dBFS.
RFC 7874 (section 4), after ITU-T G.169 and G.115, puts active telephone speech at
-19 dBm0 = RMS 2600 of 32767, i.e. -22 dBFS, and asks AGC to hold it within ±6 dB.

`clipping_fraction` is the share of samples at or near full scale.  It must see the signal
as decoded: `callqa.speech.audio.decode` converts to float without rescaling, so full scale
in the file is 1.0 here (a resampled clipped plateau stays within a few per cent of it).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

TIME_CONSTANT_S = 0.03
HANGOVER_S = 0.2
MARGIN_DB = 15.9
CLIP_LEVEL = 0.98
"""|sample| at or above this (-0.18 dBFS) counts as at full scale."""
_THRESHOLDS = 2.0 ** -np.arange(0, 16)  # 0 dB … -90 dB of full scale in 6 dB steps
_FLOOR = 1e-10


def active_level_dbfs(signal: npt.NDArray[np.float32], sample_rate: int) -> float | None:
    """The active speech level of `signal` in dBFS; None when it holds no activity."""
    from scipy.signal import lfilter  # heavy (100 MB): only where levels are measured

    x = np.asarray(signal, dtype=np.float64)
    if x.size < sample_rate // 20:
        return None
    g = np.exp(-1.0 / (sample_rate * TIME_CONSTANT_S))
    p = lfilter([1 - g], [1, -g], np.abs(x))
    q = lfilter([1 - g], [1, -g], p)
    energy = np.square(x)
    hang = max(1, int(HANGOVER_S * sample_rate))
    index = np.arange(x.size)
    previous: tuple[float, float] | None = None  # (A - C, A) in dB at the last threshold
    for c in _THRESHOLDS:
        above = q >= c
        if not above.any():
            previous = None
            continue
        last = np.maximum.accumulate(np.where(above, index, -hang - 1))
        active = (index - last) <= hang
        a = 10.0 * np.log10(max(float(energy[active].sum()) / int(active.sum()), _FLOOR))
        d = a - 20.0 * np.log10(c)
        # A(c) - C(c) grows as the threshold falls towards the noise; the level is where
        # it reaches the margin, interpolated from the threshold above.
        if d >= MARGIN_DB:
            if previous is None:
                return round(float(a), 2)
            d0, a0 = previous
            return round(float(a0 + (MARGIN_DB - d0) / (d - d0) * (a - a0)), 2)
        previous = (d, a)
    return None


def clipping_fraction(signal: npt.NDArray[np.float32]) -> float | None:
    """Fraction of samples with |x| at or above `CLIP_LEVEL`; None for an empty signal."""
    x = np.asarray(signal)
    if x.size == 0:
        return None
    return float(np.count_nonzero(np.abs(x) >= CLIP_LEVEL)) / x.size
