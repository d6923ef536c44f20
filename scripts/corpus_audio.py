"""Signal helpers for make_corpus.py: levels, telephone degradations, encoding, checks."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
from make_samples import decode, frame_db, trim_and_level  # noqa: F401  (re-exported)
from scipy.signal import butter, resample_poly, sosfilt

SR = 8000
FRAME = SR // 100  # 10 ms
ACTIVE_DB = 40.0  # a frame is active speech when within this many dB of the track's loudest


def db(x: float) -> float:
    return float(20 * np.log10(max(x, 1e-10)))


def active_level(track: np.ndarray, spans: list[tuple[float, float]]) -> float | None:
    """Active speech level in dBFS (P.56 in spirit): mean power over the 10 ms frames inside
    ``spans`` (seconds) that are within ACTIVE_DB of the loudest such frame. Full scale = 1.0
    (a full-scale square wave is 0 dBFS)."""
    frames = []
    for start, end in spans:
        seg = track[round(start * SR) : round(end * SR)]
        n = len(seg) // FRAME
        if n:
            frames.append(seg[: n * FRAME].reshape(n, FRAME))
    if not frames:
        return None
    power = np.mean(np.concatenate(frames) ** 2, axis=1)
    power = power[power > power.max() * 10 ** (-ACTIVE_DB / 10)]
    return round(10 * np.log10(max(float(power.mean()), 1e-20)), 2)


def clip_fraction(track: np.ndarray, spans: list[tuple[float, float]]) -> float:
    """Fraction of the samples inside ``spans`` whose magnitude is >= 0.99 full scale."""
    parts = [track[round(s * SR) : round(e * SR)] for s, e in spans]
    if not parts:
        return 0.0
    seg = np.concatenate(parts)
    return round(float(np.mean(np.abs(seg) >= 0.99)), 5)


# ---------------------------------------------------------------- G.711 (numpy, no audioop)


def mulaw_roundtrip(x: np.ndarray) -> np.ndarray:
    """Encode float audio to 8-bit G.711 mu-law (segmented, as ITU-T G.711) and back."""
    pcm = np.clip(np.round(x * 32768), -32768, 32767).astype(np.int64)
    sign = pcm < 0
    mag = np.minimum(np.abs(pcm), 32635) + 0x84
    exp = np.floor(np.log2(mag)).astype(np.int64) - 7
    mant = (mag >> (exp + 3)) & 0x0F
    out = (((mant << 3) + 0x84) << exp) - 0x84
    return np.where(sign, -out, out) / 32768.0


def alaw_roundtrip(x: np.ndarray) -> np.ndarray:
    """Encode float audio to 8-bit G.711 A-law (13-bit segments) and back."""
    pcm = np.clip(np.round(x * 32768), -32768, 32767).astype(np.int64) >> 3  # 13 bit
    sign = pcm < 0
    mag = np.where(sign, -pcm - 1, pcm)
    mag = np.minimum(mag, 4095)
    seg = np.where(mag < 32, 0, np.floor(np.log2(np.maximum(mag, 1))).astype(np.int64) - 4)
    mant = (mag >> np.where(seg < 2, 1, seg)) & 0x0F
    dec = np.where(seg == 0, (mant << 1) + 1, ((mant << 1) + 33) << np.maximum(seg - 1, 0))
    out = np.where(sign, -dec, dec) << 3
    return out / 32768.0


def telephone_band(x: np.ndarray) -> np.ndarray:
    """300-3400 Hz band-pass, as a telephone channel."""
    sos = butter(4, [300, 3400], btype="bandpass", fs=SR, output="sos")
    return sosfilt(sos, x)


def line_noise(n: int, rms_dbfs: float, rng: np.random.Generator) -> np.ndarray:
    """Telephone-line noise: band-limited hiss plus a faint 50 Hz hum and its 150 Hz
    harmonic, scaled to ``rms_dbfs`` in all."""
    hiss = telephone_band(rng.normal(0.0, 1.0, n))
    t = np.arange(n) / SR
    hum = 0.35 * np.sin(2 * np.pi * 50 * t) + 0.15 * np.sin(2 * np.pi * 150 * t + 1.0)
    noise = hiss / np.sqrt(np.mean(hiss**2)) + hum
    return noise / np.sqrt(np.mean(noise**2)) * 10 ** (rms_dbfs / 20)


# ---------------------------------------------------------------- encoding


FLAC_BITS = 12


def keep_bits(pcm: np.ndarray, bits: int = FLAC_BITS) -> np.ndarray:
    """Round int16 ``pcm`` to ``bits`` significant bits (FLAC stores the zero low bits
    for free).  12 bits put the rounding noise near -77 dBFS, 15 dB under the -62 dBFS
    noise floor every call has, and halve the size of a FLAC file."""
    step = 1 << (16 - bits)
    return np.clip(np.round(pcm / step) * step, -32768, 32767).astype(np.int16)


def encode(path: Path, pcm: np.ndarray, bit_rate: int | None = None) -> None:
    """Write int16 ``pcm`` shaped (channels, samples) at 8 kHz as flac, mp3 or ogg (opus)."""
    suffix = path.suffix[1:]
    codec = {"flac": "flac", "mp3": "libmp3lame", "ogg": "libopus"}[suffix]
    layout = "stereo" if pcm.shape[0] == 2 else "mono"
    options = {"joint_stereo": "0"} if codec == "libmp3lame" else {}
    if codec == "libopus":
        options = {"application": "voip"}
    if codec == "flac":
        options = dict(FLAC_OPTIONS)
    with av.open(str(path), "w", options={"fflags": "+bitexact"}) as container:
        stream = container.add_stream(codec, rate=SR, layout=layout, options=options)
        if bit_rate:
            stream.bit_rate = bit_rate
        fmt = "s16" if codec == "libopus" else "s16p"
        if fmt == "s16":  # packed: (1, samples * channels)
            frame = av.AudioFrame.from_ndarray(
                pcm.T.reshape(1, -1).copy(), format=fmt, layout=layout
            )
        else:
            frame = av.AudioFrame.from_ndarray(pcm, format=fmt, layout=layout)
        frame.sample_rate = SR
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    if codec == "flac":
        strip_flac_padding(path)


# The slowest, smallest lossless settings: 5-6 % smaller than the default, same samples.
FLAC_OPTIONS = {
    "compression_level": "12",
    "exact_rice_parameters": "1",
    "lpc_type": "cholesky",
    "lpc_passes": "4",
}


def strip_flac_padding(path: Path) -> None:
    """Drop the PADDING metadata blocks (8 KiB each from ffmpeg) of a FLAC file in place."""
    data = path.read_bytes()
    if data[:4] != b"fLaC":
        raise ValueError(f"{path}: not a FLAC file")
    pos, kept = 4, []
    while True:
        header, size = data[pos], int.from_bytes(data[pos + 1 : pos + 4], "big")
        if header & 0x7F != 1:  # 1 = PADDING
            kept.append(bytearray(data[pos : pos + 4 + size]))
        pos += 4 + size
        if header & 0x80:  # last metadata block
            break
    for block in kept:
        block[0] &= 0x7F
    kept[-1][0] |= 0x80
    path.write_bytes(b"fLaC" + b"".join(bytes(b) for b in kept) + data[pos:])


def repack_flac(path: Path) -> None:
    """Re-encode a FLAC file with FLAC_OPTIONS; the decoded samples must not change."""
    before, rate = decode(path)
    if rate != SR:
        raise ValueError(f"{path}: {rate} Hz, not {SR}")
    pcm = np.ascontiguousarray(np.round(before * 32768).astype(np.int16))
    tmp = path.with_suffix(".repack.flac")
    encode(tmp, pcm, None)
    after, _ = decode(tmp)
    if not np.array_equal(after, before):
        tmp.unlink()
        raise ValueError(f"{path}: repacked samples differ")
    tmp.replace(path)


def decode8k(path: Path) -> np.ndarray:
    """Decode any written file to float (channels, samples) at 8 kHz."""
    audio, rate = decode(path)
    if rate != SR:
        audio = resample_poly(audio, SR, rate, axis=1)
    return audio


def verify(path: Path, pcm: np.ndarray) -> tuple[float, float]:
    """Decode the written file and compare with the PCM: (offset s, SNR dB of the decode)."""
    audio = decode8k(path)
    want = pcm / 32768.0
    if audio.shape[0] != pcm.shape[0]:
        raise RuntimeError(f"{path.name}: {audio.shape[0]} channels, wrote {pcm.shape[0]}")
    if abs(audio.shape[1] - want.shape[1]) > SR // 20:
        raise RuntimeError(f"{path.name}: {audio.shape[1]} samples, wrote {want.shape[1]}")
    if path.suffix == ".flac":
        if not np.array_equal(np.round(audio * 32768), pcm):
            raise RuntimeError(f"{path.name}: lossless round trip differs")
        return 0.0, 99.0
    a, b = audio.sum(axis=0), want.sum(axis=0)
    n = min(len(a), len(b), 30 * SR) - 800
    lags = range(-400, 401)
    scores = [float(np.dot(a[400 + lag : 400 + lag + n], b[400 : 400 + n])) for lag in lags]
    lag = lags[int(np.argmax(scores))]
    offset = lag / SR
    if abs(offset) > 0.005:
        raise RuntimeError(f"{path.name}: decoded audio is offset by {offset:.3f} s")
    m = min(audio.shape[1], want.shape[1])
    err = audio[:, :m] - want[:, :m]
    snr = 10 * np.log10(np.sum(want[:, :m] ** 2) / max(np.sum(err**2), 1e-20))
    return offset, round(float(snr), 1)
