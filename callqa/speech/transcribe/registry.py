"""One registry of transcribers: a name (or ``module:factory`` path) → a `Transcriber`.

A new ASR backend registers a factory here (`register`) or is named by its import path,
e.g. ``--transcriber mypkg.asr:make``; the pipeline never names a backend itself.  A
factory is called as ``factory(model, cpu_threads=N)``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from callqa.errors import ModelNotFound
from callqa.speech.transcribe.base import Transcriber
from callqa.speech.transcribe.whisper import WhisperTranscriber

Factory = Callable[..., Transcriber]

_FACTORIES: dict[str, Factory] = {"whisper": WhisperTranscriber}
DEFAULT_TRANSCRIBER = "whisper"


def register(name: str, factory: Factory) -> None:
    """Make `name` usable wherever a transcriber is named."""
    _FACTORIES[name] = factory


def names() -> tuple[str, ...]:
    return tuple(_FACTORIES)


def make_transcriber(backend: str, model: str, *, cpu_threads: int = 2) -> Transcriber:
    """The transcriber `backend` names, for `model`."""
    factory = _FACTORIES.get(backend)
    if factory is None and ":" in backend:
        module, _, attr = backend.partition(":")
        try:
            factory = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as exc:
            raise ModelNotFound(
                f"transcriber {backend!r} cannot be imported ({exc}) - check the module path"
            ) from exc
    if factory is None:
        raise ModelNotFound(
            f"unknown transcriber {backend!r} - choose one of {', '.join(_FACTORIES)} "
            "or give module:factory"
        )
    return factory(model, cpu_threads=cpu_threads)
