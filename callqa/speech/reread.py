"""Reading a murky utterance again, with the service phrases proposed.

Whisper base garbles a synthetic or heavily accented agent: 工号 comes out as 公号/功耗,
客服 as 克服, 来电 as 来点, and an opening or close then "lacks" what was said.  A rule
cannot tell a phrase not said from a phrase not heard, so in murky speech such a fail is
`review` (`callqa.scoring.engine`).  This module asks the audio instead:

1. the utterance's audio is transcribed again with the service phrases as the prompt
   (`PROMPT`): the prompt *proposes* readings, it decides nothing;
2. for each phrase the new reading has and the transcript lacks, only the local edit that
   brings it in is kept (`local_edit`: 公号 → 工号 in 您好会泰银行公号1023…); an edit that
   adds much more than it replaces is the prompt talking (Whisper copies a prompt, and
   loops on it), and is dropped;
3. the transcript with that edit is scored by forced decoding without any prompt
   (`callqa.speech.verify`, summed over the whole utterance) against the same text with the
   phrase swapped for ordinary words of its length (`COHORT`: 今天, 问题 …).  The margin
   over the best of those says whether the audio at that place is the phrase rather than
   just any words.  The caller decides what margin confirms it
   (`callqa.scoring.rereading`).

A recap may leave no words at all: Whisper base drops a murky agent's whole reply.
`read_lead_ins` reads a stretch of the agent's speech with the recap lead-ins proposed
(`RECAP_PROMPT`) and weighs each lead-in the reading has against ordinary words in its
place in that same reading.  A reading that copies the prompt beyond the lead-in
(`COPY_CHARS`) or holds more than the stretch could (`MAX_CHARS_PER_S`) is dropped.

A company name of rare characters may leave nothing half like it in a murky opening.
`read_name` reads a stretch of the opening with the name as the prompt and weighs the name
the reading has against other names of its shape in its place (`callqa.scoring.cohort`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

import numpy as np
import numpy.typing as npt

from callqa.records import SAMPLE_RATE, Span
from callqa.speech.timeline import bridge
from callqa.speech.transcribe.base import TranscribeOptions, Transcriber
from callqa.speech.verify import PAD_S, PhraseVerifier

log = logging.getLogger(__name__)

PROMPT = "您好，欢迎致电，工号1023，很高兴为您服务。请问还有什么可以帮您？感谢您的来电，再见。"
"""The service phrases proposed to the transcriber: an opening and a close of the kind
seed 001 teaches.  Only words of `PHRASES` are taken from what it proposes."""
PHRASES = (
    "欢迎致电",
    "工号",
    "客服",
    "为您服务",
    "请问",
    "还有什么",
    "感谢",
    "谢谢",
    "来电",
    "再见",
)
"""What a reading may bring in: the words the opening, closing and politeness rules look for
that Whisper base most often garbles on the corpus's murky agents.  Not 您好: Whisper hears
你好 and 您好 alike, and the difference is the politeness item's to judge (two agents on
the tuning splits who said 你好 were read as 您好, at +11)."""
COHORT = {
    2: ("今天", "时候", "问题", "东西", "地方", "现在", "已经", "这边", "明天", "可能"),
    3: ("这个人", "上个月", "我们的", "现在的", "问题是", "明天会", "已经在", "没有的", "这边的",
        "那个时"),
    4: ("我们这边", "现在已经", "这个问题", "明天上午", "具体情况", "一个小时", "那个地方",
        "系统显示", "重新办理", "马上处理"),
}  # fmt: skip
"""Ordinary words of the phrase's length, none of them a service phrase."""
MAX_GROWTH = 2
"""An edit may add at most this many characters to what it replaces (公 → 工号): more is
the prompt talking, not the audio."""
MAX_READING = 2.0
"""A new reading over this many times the transcript's length (+6) is a prompt loop."""

RECAP_PROMPT = "好的，跟您确认一下，您是说您想办理这个业务，对吗？"
"""The lead-ins of a recap proposed to the transcriber (seed 000: 复述通话内容，以便得到确认)."""
LEAD_INS = ("确认一下", "核实一下", "核对一下", "您是说", "你是说", "您是想", "您是问",
            "您的意思是", "也就是说")  # fmt: skip
"""What a reading of the agent's reply may bring in: lead-ins of the recap rule's phrases."""
COPY_CHARS = 5
"""A reading that shares this many characters in a row with the prompt, outside the lead-in
it brings, is the prompt talking (您想办理这个业务对吗对吗…), not the audio."""
MAX_CHARS_PER_S = 9.0
"""A stretch read with more characters a second than this (+6) is a prompt loop (a rushed
agent says about 7.7)."""
NAME_CONTEXT = 3
"""A reading must hold this many characters besides the company name's own: one that is the
name and little else (清源水务, 飞鸽快运飞鸽) is the prompt talking.  Of 620 readings of the
tuning splits' openings with a name the agent never said, the two that reached +2.3 and
+6.3 were of that kind (benchmarks/bench_name_reread.py, round 11)."""
HOLD_PROMPT = "对不起，请您稍等片刻，我帮您查一下。"
"""A hold's announcement proposed to the transcriber (seed 004: 对不起，请您稍等片刻，好吗？)."""
THANKS_PROMPT = "对不起，让您久等了，感谢您的耐心等待。"
"""The thanks after a hold proposed to the transcriber (seed 004: 对不起，让您久等了)."""
HOLD_CONTEXT = 3
"""A hold reading must hold this many characters besides the phrases it brings: one that
is the phrases and little else is the prompt talking into the silence that follows."""
MERGE_GAP_S = 0.35
"""Pauses shorter than this join two stretches of speech (a breath inside a sentence)."""


@dataclass(frozen=True)
class Reading:
    """One phrase the audio may say where the transcript has other words."""

    phrase: str
    heard: str
    """The transcript's characters that the edit replaces (公 in 公号)."""
    proposed: str
    """What replaces them (工号)."""
    text: str
    """The utterance's text (punctuation dropped) with the edit made."""
    start_char: int
    """Where the edit starts in the utterance's text without punctuation."""
    over_cohort: float
    """Summed log-probability of `text` minus the best of the same text with the phrase
    swapped for an ordinary word of its length."""


def plain(text: str) -> str:
    """The characters that are spoken: CJK, digits and Latin letters."""
    return re.sub(r"[^\u4e00-\u9fff0-9A-Za-z]", "", text)


def local_edit(heard: str, proposed: str, phrase: str) -> tuple[int, int, int, int] | None:
    """(h1, h2, p1, p2): `heard[h1:h2]` becomes `proposed[p1:p2]`, the smallest edit of
    `heard` towards `proposed` that brings in `proposed`'s first `phrase`; None when
    `heard` has the phrase already, `proposed` lacks it, or the edit only inserts or grows
    by more than `MAX_GROWTH` characters."""
    i = proposed.find(phrase)
    if phrase in heard or i < 0:
        return None
    j = i + len(phrase)
    hs: list[int] = []
    ps = [i, j]
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, heard, proposed, autojunk=False).get_opcodes():
        if tag == "equal":
            a, b = max(i, j1), min(j, j2)
            if a < b:
                hs += [i1 + a - j1, i1 + b - j1]
        elif (j1 < j and j2 > i) or (j1 == j2 and i <= j1 <= j):
            hs += [i1, i2]
            ps += [j1, j2]
    if not hs:
        return None
    h1, h2, p1, p2 = min(hs), max(hs), min(ps), max(ps)
    if h2 == h1 or (p2 - p1) - (h2 - h1) > MAX_GROWTH:
        return None
    return h1, h2, p1, p2


def cohort_of(phrase: str) -> tuple[str, ...]:
    """Ordinary words to swap for `phrase` (of its length, or the nearest length listed)."""
    n = len(phrase)
    return COHORT.get(n) or COHORT[min(COHORT, key=lambda k: (abs(k - n), k))]


def stretches(speech: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """`speech` (sorted or not) with pauses under `MERGE_GAP_S` joined (`timeline.bridge`);
    stretches under 0.4 s left out."""
    joined = bridge((Span(a, b) for a, b in speech), MERGE_GAP_S)
    return [(s.start, s.end) for s in joined if s.duration >= 0.4]


def copies_prompt(reading: str, start: int, end: int, prompt: str) -> bool:
    """Whether `reading`, outside `reading[start:end]`, shares `COPY_CHARS` characters in a
    row with `prompt`."""
    said = plain(prompt)
    for part in (reading[:start], reading[end:]):
        for i in range(len(part) - COPY_CHARS + 1):
            if part[i : i + COPY_CHARS] in said:
                return True
    return False


Retranscribe = Callable[[npt.NDArray[np.float32], str, int], str]
"""(clip, prompt, max_tokens) → the clip's text transcribed with `prompt`, in at most
`max_tokens` tokens."""


def prompted(transcriber: Transcriber, options: TranscribeOptions) -> Retranscribe:
    """A `Retranscribe` from `transcriber`: `options` with the prompt and the token cap, the
    clip read whole (no VAD, no gap filling)."""

    def retranscribe(clip: npt.NDArray[np.float32], prompt: str, limit: int) -> str:
        opts = replace(
            options, initial_prompt=prompt, vad_filter=False, fill_gaps=False, max_new_tokens=limit
        )
        return "".join(s.text for s in transcriber(clip, options=opts))

    return retranscribe


def reread(
    retranscribe: Retranscribe,
    verifier: PhraseVerifier,
    signal: npt.NDArray[np.float32],
    *,
    start: float,
    end: float,
    text: str,
    phrases: Sequence[str] = PHRASES,
) -> tuple[Reading, ...]:
    """The phrases of `phrases` that a prompted reading of `signal[start:end]` brings into
    `text` (the utterance as transcribed), each with its margin over ordinary words."""
    heard = plain(text)
    if not heard or end - start < 0.3:
        return ()
    a = max(0, int((start - PAD_S) * SAMPLE_RATE))
    b = min(len(signal), int((end + PAD_S) * SAMPLE_RATE))
    limit = int(MAX_READING * len(heard)) + 8  # anything longer is dropped below
    proposed = plain(retranscribe(np.ascontiguousarray(signal[a:b]), PROMPT, limit))
    if not proposed or len(proposed) > MAX_READING * len(heard) + 6:
        return ()
    edits: list[tuple[str, str]] = []  # (heard, proposed) of each phrase asked
    asked: list[tuple[str, int, list[str]]] = []
    for phrase in phrases:
        edit = local_edit(heard, proposed, phrase)
        if edit is None:
            continue
        h1, h2, p1, p2 = edit
        i = proposed.find(phrase)
        head, tail = proposed[p1:i], proposed[i + len(phrase) : p2]
        texts = [heard[:h1] + proposed[p1:p2] + heard[h2:]]
        texts += [heard[:h1] + head + w + tail + heard[h2:] for w in cohort_of(phrase)]
        edits.append((heard[h1:h2], proposed[p1:p2]))
        asked.append((phrase, h1, texts))
    if not asked:
        return ()
    out: list[Reading] = []
    for (phrase, h1, text, over), (was, now) in zip(
        _weighed(verifier, signal, (start, end), asked), edits, strict=True
    ):
        log.debug("reread %s: %s -> %s (%+.1f)", phrase, was, now, over)
        out.append(Reading(phrase, was, now, text, h1, round(over, 2)))
    return tuple(out)


def _read(
    retranscribe: Retranscribe,
    signal: npt.NDArray[np.float32],
    start: float,
    end: float,
    prompt: str,
) -> str | None:
    """`signal[start:end]` read with `prompt`, punctuation dropped; None for a stretch too
    short to read or a reading longer than the stretch could hold (`MAX_CHARS_PER_S`)."""
    if end - start < 0.3:
        return None
    a = max(0, int((start - PAD_S) * SAMPLE_RATE))
    b = min(len(signal), int((end + PAD_S) * SAMPLE_RATE))
    most = MAX_CHARS_PER_S * (end - start) + 6
    reading = plain(retranscribe(np.ascontiguousarray(signal[a:b]), prompt, int(2 * most)))
    return reading if reading and len(reading) <= most else None


def _weighed(
    verifier: PhraseVerifier,
    signal: npt.NDArray[np.float32],
    span: tuple[float, float],
    asked: Sequence[tuple[str, int, Sequence[str]]],
) -> list[tuple[str, int, str, float]]:
    """(phrase, where, reading, margin) for each (phrase, where, [reading, *others]) of
    `asked`: the reading's forced-decoding score minus the best of the others, all scored
    in one pass of the encoder."""
    flat = [t for *_, texts in asked for t in texts]
    scores = iter(verifier(signal, start=span[0], end=span[1], candidates=flat, total=True))
    out = []
    for phrase, i, texts in asked:
        mine = [next(scores) for _ in texts]
        out.append((phrase, i, texts[0], mine[0] - max(mine[1:])))
    return out


def read_lead_ins(
    retranscribe: Retranscribe,
    verifier: PhraseVerifier,
    signal: npt.NDArray[np.float32],
    *,
    start: float,
    end: float,
    prompt: str = RECAP_PROMPT,
    phrases: Sequence[str] = LEAD_INS,
) -> tuple[Reading, ...]:
    """The lead-ins of `phrases` that a prompted reading of `signal[start:end]` has, each with
    its margin over ordinary words in its place *in that reading* (a stretch of murky speech
    often has no transcript to edit: Whisper base drops a synthetic agent's whole reply)."""
    reading = _read(retranscribe, signal, start, end, prompt)
    if reading is None:
        return ()
    asked: list[tuple[str, int, list[str]]] = []
    for phrase in phrases:
        i = reading.find(phrase)
        if i < 0 or copies_prompt(reading, i, i + len(phrase), prompt):
            continue
        texts = [
            reading,
            *(reading[:i] + w + reading[i + len(phrase) :] for w in cohort_of(phrase)),
        ]
        asked.append((phrase, i, texts))
    if not asked:
        return ()
    out: list[Reading] = []
    for phrase, i, text, over in _weighed(verifier, signal, (start, end), asked):
        log.debug("lead-in %s in %s (%+.1f)", phrase, text, over)
        out.append(Reading(phrase, "", phrase, text, i, round(over, 2)))
    return tuple(out)


def read_hold(
    retranscribe: Retranscribe,
    verifier: PhraseVerifier,
    signal: npt.NDArray[np.float32],
    *,
    start: float,
    end: float,
    prompt: str,
    phrases: Sequence[str],
) -> tuple[Reading, ...]:
    """The hold phrases of `phrases` (an announcement, or thanks after the hold) that a
    reading of `signal[start:end]` with `prompt` has, each with its margin over ordinary
    words in its place in that reading.  An agent often says two of them together (请您稍等，
    我帮您查一下), so the copy check (`COPY_CHARS`) looks past every phrase the reading has;
    a reading that is those phrases and little else (`HOLD_CONTEXT`) is dropped."""
    reading = _read(retranscribe, signal, start, end, prompt)
    if reading is None:
        return ()
    found = [(p, reading.find(p)) for p in phrases if p in reading]
    rest = reading
    for p, _ in sorted(found, key=lambda x: -len(x[0])):
        rest = rest.replace(p, "|")
    if not found or len(rest.replace("|", "")) < HOLD_CONTEXT:
        return ()
    if any(copies_prompt(part, 0, 0, prompt) for part in rest.split("|")):
        return ()
    asked = [
        (p, i, [reading, *(reading[:i] + w + reading[i + len(p) :] for w in cohort_of(p))])
        for p, i in found
    ]
    out: list[Reading] = []
    for phrase, i, text, over in _weighed(verifier, signal, (start, end), asked):
        log.debug("hold %s in %s (%+.1f)", phrase, text, over)
        out.append(Reading(phrase, "", phrase, text, i, round(over, 2)))
    return tuple(out)


def read_name(
    retranscribe: Retranscribe,
    verifier: PhraseVerifier,
    signal: npt.NDArray[np.float32],
    *,
    start: float,
    end: float,
    name: str,
    others: Sequence[str],
) -> Reading | None:
    """The company `name`, when a reading of `signal[start:end]` with the name as the only
    prompt has it, with its margin over `others` (other names of its shape:
    `callqa.scoring.cohort`) in its place *in that reading*.  Whisper base knows no rare
    brand, so a murky opening's name leaves nothing half like it to ask about; proposed, it
    is either heard there or it is one name among many."""
    key = plain(name)
    reading = _read(retranscribe, signal, start, end, key) if key and others else None
    i = -1 if reading is None else reading.find(key)
    if reading is None or i < 0:
        return None
    if sum(ch not in key for ch in reading.replace(key, "")) < NAME_CONTEXT:
        return None  # the name and little else: the prompt, not the audio
    texts = [reading, *(reading[:i] + o + reading[i + len(key) :] for o in others)]
    ((_, _, _, over),) = _weighed(verifier, signal, (start, end), [(key, i, texts)])
    log.debug("name %s in %s (%+.1f)", key, reading, over)
    return Reading(key, "", key, reading, i, round(over, 2))
