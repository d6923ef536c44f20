from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
import soundfile as sf

from callqa.errors import AudioError
from callqa.speech.audio import decode, file_sha256
from tests.conftest import tone


def test_stereo_kept_split_and_resampled(stereo_wav: Path) -> None:
    audio = decode(stereo_wav)
    assert audio.is_stereo
    assert audio.sample_rate == 16000 and audio.source_sample_rate == 8000
    assert audio.duration == pytest.approx(32.0, abs=0.01)
    left, right = audio.channels
    assert left.dtype == np.float32
    assert np.max(np.abs(right)) == pytest.approx(0.8 * np.max(np.abs(left)), rel=0.05)


def test_mono_flac(mono_flac: Path) -> None:
    audio = decode(mono_flac)
    assert len(audio.channels) == 1 and audio.codec == "flac"


@pytest.mark.parametrize("suffix,codec", [(".mp3", "mp3"), (".ogg", "libopus"), (".m4a", "aac")])
def test_compressed_formats(tmp_path: Path, suffix: str, codec: str) -> None:
    path = tmp_path / f"call{suffix}"
    rate = 48000 if codec == "libopus" else 8000 if codec == "mp3" else 16000
    x = tone(3.0, rate=rate)
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(x[None, :], format="flt", layout="mono")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    audio = decode(path)
    assert audio.duration == pytest.approx(3.0, abs=0.1)


def _expect(path: Path, fragment: str) -> None:
    with pytest.raises(AudioError) as info:
        decode(path)
    assert str(path) in str(info.value)
    assert fragment in info.value.reason


def test_bad_files(tmp_path: Path) -> None:
    _expect(tmp_path / "missing.wav", "not found")
    (tmp_path / "empty.wav").write_bytes(b"")
    _expect(tmp_path / "empty.wav", "empty file")
    (tmp_path / "notes.mp3").write_text("these are meeting notes, not audio\n" * 50)
    _expect(tmp_path / "notes.mp3", "not a recognised audio format")
    sf.write(tmp_path / "silent.wav", np.zeros(8000 * 5, dtype=np.float32), 8000)
    _expect(tmp_path / "silent.wav", "silent")
    sf.write(tmp_path / "short.wav", tone(0.1), 8000)
    _expect(tmp_path / "short.wav", "too short")
    (tmp_path / "folder.wav").mkdir()
    _expect(tmp_path / "folder.wav", "folder")


def test_too_long_refused_from_header(tmp_path: Path) -> None:
    path = tmp_path / "long.wav"
    sf.write(path, tone(20.0), 8000)
    with pytest.raises(AudioError, match="too long"):
        decode(path, max_duration=10.0)


def test_sha256_is_content_key(tmp_path: Path, stereo_wav: Path) -> None:
    copy = tmp_path / "copy.wav"
    copy.write_bytes(stereo_wav.read_bytes())
    assert file_sha256(copy) == file_sha256(stereo_wav)
