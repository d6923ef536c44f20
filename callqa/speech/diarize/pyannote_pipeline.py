"""The pyannote.audio backend: a diarization pipeline that a user placed on disk.

No pyannote segmentation or embedding weights are on any package registry, so this is
the upgrade path, not the default: install the extra (``pip install 'callqa[pyannote]'``)
and put a pipeline folder — its ``config.yaml`` with the checkpoints it names — under
``models/pyannote/`` (or pass `model_dir`).  Nothing is downloaded.

`PyannoteDiarizer` adapts any object that behaves like a pyannote pipeline (callable on
``{"waveform", "sample_rate"}`` with ``num_speakers`` / ``min_speakers`` / ``max_speakers``,
returning an Annotation or pyannote.audio 4's ``DiarizeOutput``), so it is tested with a
stand-in.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from callqa.errors import ModelNotFound
from callqa.records import SAMPLE_RATE, Diarization, Turn
from callqa.speech.diarize.base import overlaps_of

log = logging.getLogger(__name__)

CONFIG_NAME = "config.yaml"


def default_model_dir() -> Path:
    """``models/pyannote`` next to the package (where `callqa models` looks)."""
    from callqa.speech.weights import REPO_ROOT

    return REPO_ROOT / "models" / "pyannote"


def find_pipeline_config(model_dir: Path | None = None) -> Path:
    """The pipeline's config.yaml in `model_dir` or one or two folders below it."""
    folder = Path(model_dir) if model_dir is not None else default_model_dir()
    if folder.is_file() and folder.name.endswith((".yaml", ".yml")):
        return folder
    candidates: list[Path] = []
    if folder.is_dir():
        candidates = [
            folder / CONFIG_NAME,
            *sorted(folder.glob(f"*/{CONFIG_NAME}")),
            *sorted(folder.glob(f"*/*/{CONFIG_NAME}")),
        ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise ModelNotFound(
        f"no pyannote diarization pipeline in {folder} - place a pyannote.audio pipeline "
        f"there (a folder with its {CONFIG_NAME} and the checkpoints it names, e.g. "
        f"{folder / 'speaker-diarization-3.1' / CONFIG_NAME}), or use the default diarizer"
    )


def load_pyannote(model_dir: Path | None = None) -> PyannoteDiarizer:
    """Load the pipeline under `model_dir` (default ``models/pyannote``) once."""
    config = find_pipeline_config(model_dir)
    try:
        from pyannote.audio import Pipeline
    except ImportError:
        raise ModelNotFound(
            f"found a pyannote pipeline at {config} but pyannote.audio is not installed - "
            "run: pip install 'callqa[pyannote]'"
        ) from None
    pipeline = Pipeline.from_pretrained(config)
    if pipeline is None:  # older pyannote.audio returns None instead of raising
        raise ModelNotFound(
            f"pyannote.audio could not load the pipeline at {config} - check that the "
            "checkpoints its config names are on disk"
        )
    log.info("loaded pyannote pipeline from %s", config)
    return PyannoteDiarizer(pipeline, source=str(config))


class PyannoteDiarizer:
    """Adapts a pyannote pipeline to the `Diarizer` Protocol."""

    def __init__(self, pipeline: Any, *, source: str = "", max_speakers: int = 4) -> None:
        self.pipeline = pipeline
        self.source = source
        self.max_speakers = max_speakers

    def __call__(self, signal: npt.NDArray[np.float32], *, speakers: int | str = 2) -> Diarization:
        audio = np.ascontiguousarray(signal, dtype=np.float32)
        if audio.ndim != 1:
            raise ValueError(f"diarize expects a mono 16 kHz signal, got shape {audio.shape}")
        options: dict[str, int]
        if speakers == "auto":
            options = {"min_speakers": 1, "max_speakers": self.max_speakers}
        else:
            options = {"num_speakers": int(speakers)}
        output = self.pipeline(
            {"waveform": _waveform(audio), "sample_rate": SAMPLE_RATE}, **options
        )
        return diarization_from_annotation(_annotation_of(output), backend="pyannote")


def _waveform(audio: npt.NDArray[np.float32]) -> Any:
    """(channel, time) as a torch tensor when torch is there (pyannote needs it), else numpy."""
    try:
        import torch
    except ImportError:
        return audio[None, :]
    return torch.from_numpy(audio[None, :].copy())


def _annotation_of(output: Any) -> Any:
    if hasattr(output, "speaker_diarization"):  # pyannote.audio 4: DiarizeOutput
        return output.speaker_diarization
    if isinstance(output, tuple) and output:  # (annotation, embeddings)
        return output[0]
    if hasattr(output, "itertracks"):
        return output
    raise TypeError(f"pyannote pipeline returned {type(output).__name__}, not an Annotation")


def diarization_from_annotation(annotation: Any, *, backend: str = "pyannote") -> Diarization:
    """A pyannote Annotation (or anything with ``itertracks(yield_label=True)``) as turns;
    speakers renamed spk1, spk2, … in order of first appearance; overlaps kept."""

    raw = sorted(
        (float(segment.start), float(segment.end), str(label))
        for segment, _track, label in annotation.itertracks(yield_label=True)
        if float(segment.end) > float(segment.start)
    )
    names: dict[str, str] = {}
    for _, _, label in raw:
        names.setdefault(label, f"spk{len(names) + 1}")
    turns = tuple(Turn(round(s, 3), round(e, 3), names[label]) for s, e, label in raw)
    return Diarization(
        turns=turns, speakers=tuple(names.values()), overlaps=overlaps_of(turns), backend=backend
    )
