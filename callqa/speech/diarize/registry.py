"""One registry of diarizers by backend name; each is loaded once per process.

``default`` (offline, packaged models: `callqa.speech.diarize.clustering`),
``resemblyzer`` (the ``resemblyzer`` extra) and ``pyannote`` (a pyannote.audio pipeline a
user placed under ``models/pyannote``: `callqa.speech.diarize.pyannote_pipeline`).
A ``module:factory`` path names any other diarizer (called as ``factory(threads=N)``), so
worker processes, e.g. on a Ray cluster, can build it from its name.
"""

from __future__ import annotations

import importlib
import threading
from pathlib import Path

import numpy as np
import numpy.typing as npt

from callqa.errors import ModelNotFound
from callqa.records import Diarization
from callqa.speech.diarize.base import Diarizer, Speakers, check_speakers
from callqa.speech.diarize.clustering import EmbeddingDiarizer
from callqa.speech.diarize.embed import load_embedder
from callqa.speech.diarize.pyannote_pipeline import load_pyannote

BACKENDS = ("default", "resemblyzer", "pyannote")
"""The names `--diarizer` accepts."""


_DIARIZERS: dict[tuple[str, str, int], Diarizer] = {}
_LOCK = threading.Lock()


def get_diarizer(
    backend: str = "default", *, model_dir: Path | None = None, threads: int = 1
) -> Diarizer:
    """The diarizer for `backend`, created (and its models loaded) once per process."""
    key = (backend, str(model_dir) if model_dir is not None else "", threads)
    with _LOCK:
        if key not in _DIARIZERS:
            _DIARIZERS[key] = _create(backend, model_dir, threads)
        return _DIARIZERS[key]


def _create(backend: str, model_dir: Path | None, threads: int) -> Diarizer:
    if backend == "default":
        embedder = load_embedder("voicefilter", threads=threads)
        return EmbeddingDiarizer(embedder, backend="default").load()
    if backend == "resemblyzer":
        embedder = load_embedder("resemblyzer", threads=threads)
        return EmbeddingDiarizer(embedder, backend="resemblyzer").load()
    if backend == "pyannote":
        return load_pyannote(model_dir)
    if ":" in backend:
        module, _, attr = backend.partition(":")
        try:
            factory = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as exc:
            raise ModelNotFound(
                f"diarizer {backend!r} cannot be imported ({exc}) - check the module path"
            ) from exc
        diarizer: Diarizer = factory(threads=threads)
        return diarizer
    raise ValueError(
        f"unknown diarization backend {backend!r}; choose one of {', '.join(BACKENDS)}"
    )


def set_diarizer(
    diarizer: Diarizer | None,
    backend: str = "default",
    *,
    model_dir: Path | None = None,
    threads: int = 1,
) -> None:
    """Install `diarizer` for `backend` (tests, or a caller with its own model); None
    forgets it so the next call loads the real one again."""
    key = (backend, str(model_dir) if model_dir is not None else "", threads)
    with _LOCK:
        if diarizer is None:
            _DIARIZERS.pop(key, None)
        else:
            _DIARIZERS[key] = diarizer


def diarize(
    signal: npt.NDArray[np.float32],
    *,
    speakers: Speakers = 2,
    backend: str = "default",
    model_dir: Path | None = None,
) -> Diarization:
    """Who spoke when in `signal` (16 kHz mono float32).

    `speakers` is the number of speakers (2 for a call) or ``"auto"`` to estimate 1-4.
    `backend` is ``"default"`` (offline, packaged models), ``"resemblyzer"`` (needs the
    ``resemblyzer`` extra) or ``"pyannote"`` (needs a pyannote.audio pipeline in
    `model_dir`, by default ``models/pyannote``).
    """
    check_speakers(speakers)
    return get_diarizer(backend, model_dir=model_dir)(signal, speakers=speakers)


def default_diarizer() -> Diarizer:
    """The offline default diarizer (loaded once per process)."""
    return get_diarizer("default")


def make_diarizer(backend: str, *, model_dir: Path | None = None, threads: int = 1) -> Diarizer:
    """The diarizer named by `backend` ("default", "resemblyzer" or "pyannote")."""
    return get_diarizer(backend, model_dir=model_dir, threads=threads)
