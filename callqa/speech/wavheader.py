"""What a WAV file's RIFF header promises: encoding, channels, and the length of its data.

FFmpeg trusts the file's size over the header, so a WAV cut short in transfer decodes
silently to fewer seconds than its header declares; reading the header ourselves tells
the two apart.  Only the first 64 KiB are read.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

_KNOWN_TAGS = {
    0x0001: "PCM",
    0x0003: "IEEE float",
    0x0006: "A-law",
    0x0007: "mu-law",
    0x0002: "MS ADPCM",
    0x0011: "IMA ADPCM",
    0x0031: "GSM 6.10",
    0x0055: "MP3",
    0xFFFE: "extensible",
}
_STREAMING = {0, 0xFFFFFFFF}
"""Data sizes written by recorders that stream and never patch the header."""


@dataclass(frozen=True)
class WavHeader:
    format_tag: int
    channels: int
    sample_rate: int
    byte_rate: int
    block_align: int
    bits_per_sample: int
    data_bytes: int | None
    """The data chunk's declared size; None when a streaming writer left it open."""

    @property
    def declared_seconds(self) -> float | None:
        if self.data_bytes is None or self.byte_rate <= 0:
            return None
        return self.data_bytes / self.byte_rate

    def problem(self) -> str | None:
        """Why this header cannot describe playable audio, or None."""
        if self.channels == 0:
            return "WAV header says 0 channels - the file is damaged; re-export the recording"
        if self.sample_rate == 0:
            return "WAV header says 0 samples per second - the file is damaged; re-export it"
        if self.bits_per_sample == 0 and self.format_tag in (0x0001, 0x0003, 0x0006, 0x0007):
            return (
                "WAV header says 0 bits per sample - the file is damaged; "
                "re-export the recording as 16-bit PCM wav"
            )
        return None

    @property
    def encoding(self) -> str:
        name = _KNOWN_TAGS.get(self.format_tag)
        return (
            f"{name} (format tag 0x{self.format_tag:04x})"
            if name
            else (f"unknown encoding (format tag 0x{self.format_tag:04x})")
        )


def read_wav_header(path: str | os.PathLike[str]) -> WavHeader | None:
    """The header of a RIFF/WAVE file, or None when `path` is not one (or has no fmt chunk)."""
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if len(head) < 12 or head[:4] not in (b"RIFF", b"RF64") or head[8:12] != b"WAVE":
        return None
    pos = 12
    fmt: tuple[int, int, int, int, int, int] | None = None
    data_bytes: int | None = None
    while pos + 8 <= len(head):
        chunk, size = head[pos : pos + 4], struct.unpack("<I", head[pos + 4 : pos + 8])[0]
        body = pos + 8
        if chunk == b"fmt " and size >= 16 and body + 16 <= len(head):
            fmt = struct.unpack("<HHIIHH", head[body : body + 16])
        elif chunk == b"data":
            data_bytes = None if size in _STREAMING or head[:4] == b"RF64" else size
            break
        pos = body + size + (size & 1)
    if fmt is None:
        return None
    tag, channels, rate, byte_rate, align, bits = fmt
    return WavHeader(tag, channels, rate, byte_rate, align, bits, data_bytes)
