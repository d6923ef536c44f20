from __future__ import annotations

from pathlib import Path

import pytest

from callqa.records import CallMeta
from callqa.run.meta import ManifestError, from_name, lookup, read_manifest


def test_name_pattern() -> None:
    meta = from_name("day/A1023_care_20261124-093015_extra.wav")
    assert meta == CallMeta("A1023", "care", "2026-11-24T09:30:15")


def test_unknown_stays_none() -> None:
    assert from_name("call01_good_stereo.wav") == CallMeta(None, None, None)


def test_manifest_wins_and_blank_is_none(tmp_path: Path) -> None:
    csv = tmp_path / "m.csv"
    csv.write_text("file,agent_id,team,call_time\nA1023_care_20261124-093015.wav,B7,,\n")
    rows = read_manifest(csv)
    assert lookup(Path("x") / "A1023_care_20261124-093015.wav", rows) == CallMeta("B7", None, None)


def test_manifest_without_file_column(tmp_path: Path) -> None:
    csv = tmp_path / "m.csv"
    csv.write_text("name,agent\nx,y\n")
    with pytest.raises(ManifestError, match="no 'file' column"):
        read_manifest(csv)
