"""Decode any audio file PyAV reads into 16 kHz float32 signals, one per channel.

Stereo is kept split (on call recordings each channel is one speaker); more than two
channels (up to 64) are mixed to mono.  Every failure is an `AudioError` naming the file and
the problem: missing, unreadable, empty, not audio, corrupt, silent or too long.

A recording cut short is kept, with `DecodedAudio.partial` saying so: when decoding
stops on damaged data part-way, or when the file holds clearly less audio than its
container declares (a WAV's header, an MP3's length estimate).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from callqa.errors import AudioError
from callqa.records import SAMPLE_RATE, DecodedAudio, Partial
from callqa.speech.wavheader import read_wav_header

log = logging.getLogger(__name__)

AUDIO_SUFFIXES = frozenset(
    {".wav", ".flac", ".mp3", ".m4a", ".aac", ".ogg", ".opus", ".wma", ".amr", ".webm", ".mp4"}
)
MAX_DURATION_S = 2 * 3600.0
"""Longer recordings are refused: a call centre call is minutes, not hours."""
MIN_DURATION_S = 0.5
CUT_TOLERANCE_S = 1.0
"""A file that decodes to more than this (or 2 %) less than it declares was cut short."""
SILENCE_PEAK = 10 ** (-60 / 20)
"""A recording whose peak stays under -60 dBFS on every channel holds no speech."""


def file_sha256(path: str | os.PathLike[str], *, chunk_size: int = 1 << 20) -> str:
    """The sha256 of a file's bytes: the call's id."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(chunk_size):
                digest.update(chunk)
    except FileNotFoundError:
        raise AudioError(str(path), "file not found - check the path") from None
    except IsADirectoryError:
        raise AudioError(str(path), "is a folder, not an audio file") from None
    except PermissionError:
        raise AudioError(
            str(path), "cannot be read (permission denied) - check its permissions"
        ) from None
    return digest.hexdigest()


def decode(
    path: str | os.PathLike[str],
    *,
    max_duration: float = MAX_DURATION_S,
    sample_rate: int = SAMPLE_RATE,
) -> DecodedAudio:
    """Decode `path` to float32 signals at `sample_rate`, keeping stereo channels apart."""
    name = str(path)
    p = Path(path)
    if not p.exists():
        raise AudioError(name, "file not found - check the path")
    if p.is_dir():
        raise AudioError(name, "is a folder, not an audio file")
    if not os.access(p, os.R_OK):
        raise AudioError(name, "cannot be read (permission denied) - check its permissions")
    if p.stat().st_size == 0:
        raise AudioError(name, "empty file (0 bytes) - re-export the recording")

    try:
        header = read_wav_header(p)
    except OSError as exc:
        raise AudioError(name, f"cannot be read ({exc.strerror}) - check the file") from None
    if header is not None and (problem := header.problem()) is not None:
        raise AudioError(name, problem)

    try:
        container = av.open(name)
    except av.error.InvalidDataError as exc:
        raise AudioError(
            name, f"not a recognised audio format ({_short(exc)}) - convert it to wav, flac or mp3"
        ) from None
    except av.error.FFmpegError as exc:
        raise AudioError(name, f"cannot be opened ({_short(exc)})") from None

    with container:
        if not container.streams.audio:
            raise AudioError(name, "holds no audio stream - is this an audio recording?")
        stream = container.streams.audio[0]
        if stream.codec_context is None:
            what = header.encoding if header is not None else "an audio codec FFmpeg lacks"
            raise AudioError(name, f"cannot decode {what} - convert it to PCM wav, flac or mp3")
        n_in = stream.codec_context.channels or 1
        layout = "stereo" if n_in == 2 else "mono"
        source_rate = stream.codec_context.sample_rate or 0
        estimate = _estimated_duration(container, stream)
        declared = header.declared_seconds if header is not None else estimate
        if estimate is not None and estimate > max_duration:
            raise AudioError(
                name,
                f"too long ({estimate / 3600:.1f} h; the limit is "
                f"{max_duration / 3600:.1f} h) - split the recording",
            )
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=sample_rate)
        chunks: list[npt.NDArray[np.float32]] = []
        total = 0
        limit = int(max_duration * sample_rate)
        stopped: str | None = None
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(downmixed(frame) if n_in > 2 else frame):
                    arr = out.to_ndarray().astype(np.float32, copy=False)
                    chunks.append(arr)
                    total += arr.shape[1]
                if total > limit:
                    raise AudioError(
                        name, f"too long (over {max_duration / 3600:.1f} h) - split the recording"
                    )
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().astype(np.float32, copy=False))
        except av.error.FFmpegError as exc:
            if not chunks:
                raise AudioError(
                    name, f"corrupt audio, nothing decodable ({_short(exc)})"
                ) from None
            stopped = _short(exc)
            log.info(  # `partial` carries it to the caller
                "%s: decoding stopped early (%s); keeping %.1f s",
                name,
                stopped,
                total / sample_rate,
            )
        codec = stream.codec_context.name or ""

    if not chunks:
        raise AudioError(name, "no audio samples in the file (truncated or empty stream)")
    data = np.concatenate(chunks, axis=1)
    duration = data.shape[1] / sample_rate
    if duration < MIN_DURATION_S:
        raise AudioError(
            name,
            f"too short ({duration:.2f} s) - a call needs at least {MIN_DURATION_S} s of audio",
        )
    if not np.isfinite(data).all():
        raise AudioError(name, "corrupt audio (non-finite samples)")
    if float(np.max(np.abs(data))) < SILENCE_PEAK:
        raise AudioError(name, "silent recording (peak below -60 dBFS) - nothing to score")
    channels = tuple(np.ascontiguousarray(row, dtype=np.float32) for row in data)
    return DecodedAudio(
        path=name,
        channels=channels,
        sample_rate=sample_rate,
        source_sample_rate=source_rate,
        duration=duration,
        codec=codec,
        partial=_partial(duration, declared, stopped),
    )


def _partial(kept: float, declared: float | None, stopped: str | None) -> Partial | None:
    """A `Partial` when decoding stopped on an error or kept clearly less than declared."""
    short = declared is not None and declared - kept > max(CUT_TOLERANCE_S, 0.02 * declared)
    if stopped is not None:
        reason = f"decoding stopped on damaged data: {stopped}"
    elif short:
        reason = "the file holds less audio than its header declares"
    else:
        return None
    return Partial(
        kept_s=round(kept, 2),
        declared_s=round(declared, 2) if declared is not None and declared > kept else None,
        reason=reason,
    )


def downmixed(frame: av.AudioFrame) -> av.AudioFrame:
    """A frame of more than two channels (any layout, up to FFmpeg's 64) as one mono frame."""
    n = frame.layout.nb_channels
    arr = frame.to_ndarray()
    if not frame.format.is_planar:
        arr = arr.reshape(-1, n).T
    mono = arr.astype(np.float64).mean(axis=0)
    if arr.dtype.kind in "iu":  # integer samples: scale to [-1, 1)
        scale = float(2 ** (arr.dtype.itemsize * 8 - 1))
        mono = (mono - (scale if arr.dtype.kind == "u" else 0.0)) / scale
    out = av.AudioFrame.from_ndarray(mono.astype(np.float32)[None, :], format="fltp", layout="mono")
    out.sample_rate = frame.sample_rate
    out.pts = frame.pts
    out.time_base = frame.time_base
    return out


def is_audio_file(path: Path) -> bool:
    return path.suffix.lower() in AUDIO_SUFFIXES


def _estimated_duration(
    container: av.container.InputContainer, stream: av.AudioStream
) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return None


def _short(exc: BaseException) -> str:
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", str(exc).strip()) or type(exc).__name__
    # PyAV messages end with the path; the caller already names the file.
    return text.split(": '")[0][:120]
