"""Audio for a player: the file itself where browsers play it, else a WAV made in chunks.

`playable_type` says whether a recording can be sent as it is (wav with PCM, mp3, flac,
ogg/opus; at most two channels) and with which MIME type.  `transcode_to_wav` writes
any other recording to a 16-bit WAV file frame by frame, so memory stays flat however
long the call is; a recording damaged part-way gives what could be decoded.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import av
import numpy as np
import soundfile as sf

from callqa.speech.audio import downmixed

log = logging.getLogger(__name__)

_BROWSER = {
    ".wav": ("audio/wav", {"pcm_s16le", "pcm_u8", "pcm_s24le", "pcm_s32le", "pcm_f32le"}),
    ".mp3": ("audio/mpeg", {"mp3", "mp3float"}),
    ".flac": ("audio/flac", {"flac"}),
    ".ogg": ("audio/ogg", {"vorbis", "opus", "flac"}),
    ".opus": ("audio/ogg", {"opus"}),
}


def playable_type(path: str | os.PathLike[str]) -> str | None:
    """The MIME type to send `path` as it is, or None when it must be transcoded.

    Raises `av.error.FFmpegError` or `OSError` when the file cannot be opened at all.
    """
    known = _BROWSER.get(Path(path).suffix.lower())
    if known is None:
        return None
    mimetype, codecs = known
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        ctx = container.streams.audio[0].codec_context
        if ctx is None or ctx.name not in codecs or (ctx.channels or 1) > 2:
            return None
    return mimetype


def transcode_to_wav(
    source: str | os.PathLike[str], target: str | os.PathLike[str], *, rate: int = 16_000
) -> None:
    """`source` as a 16-bit WAV at `target` (mono, or stereo kept), written in chunks.

    Writes to a temporary name next to `target` and renames it, so a reader never sees
    half a file.
    """
    target = Path(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with av.open(str(source)) as container:
            stream = container.streams.audio[0]
            if stream.codec_context is None:
                raise av.error.InvalidDataError(1094995529, "no decoder for this audio")
            n_in = stream.codec_context.channels or 1
            layout = "stereo" if n_in == 2 else "mono"
            resampler = av.AudioResampler(format="s16", layout=layout, rate=rate)
            with sf.SoundFile(
                tmp,
                "w",
                samplerate=rate,
                channels=2 if n_in == 2 else 1,
                format="WAV",
                subtype="PCM_16",
            ) as out:
                try:
                    for frame in container.decode(stream):
                        for chunk in resampler.resample(downmixed(frame) if n_in > 2 else frame):
                            out.write(_interleaved(chunk, 2 if n_in == 2 else 1))
                    for chunk in resampler.resample(None):
                        out.write(_interleaved(chunk, 2 if n_in == 2 else 1))
                except av.error.FFmpegError as exc:
                    log.warning("%s: decoding stopped early (%s)", source, exc)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _interleaved(frame: av.AudioFrame, channels: int) -> np.ndarray:
    return frame.to_ndarray().reshape(-1, channels)
