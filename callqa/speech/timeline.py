"""Who spoke when, from the audio signal: the call's speech timeline and what follows from it.

The timeline is built without the transcript, so speech the transcriber could not read
still counts as speech:

- stereo: the silero VAD on each channel gives that channel's speaker exact regions;
- mono: the diarizer's turns.

Pauses shorter than `BRIDGE_S` inside one speaker's speech are bridged (a clause pause is
talk, not silence).  Each lane carries its active speech level (ITU-T P.56 manner, read
from the speaker's own channel on stereo and from the speaker's own stretches of the mix
on mono, overlaps left out) and the fraction of clipped samples.

From the timeline (`silences`, `overlaps`, `talk_overs`, `call_metrics`):

    silence       nobody speaks, between the first and the last speech of the call
    overlap       two speakers at once
    interruption  a speaker starts while the other speaks, with at least
                  `MIN_INTERRUPTION_S` of talk-over; a backchannel (嗯/好/对 …, or any
                  stretch under `BACKCHANNEL_S` without words) is not one
    agent_cpm     spoken characters per minute of the agent's own talk, on stretches of
                  at least `MIN_RATED_TURN_S` (words attach to the stretch they fall in)

Recordings that are not what they claim are named in `Timeline.problem`: a stereo channel
with no speech (silent, or line noise only).  Stereo with identical channels is handled
as mono before this stage (`is_dual_mono`).
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from callqa.records import (
    SAMPLE_RATE,
    CallMetrics,
    DecodedAudio,
    Diarization,
    Lane,
    Role,
    Span,
    TalkOver,
    Timeline,
    Transcript,
    Utterance,
)
from callqa.speech import syllables
from callqa.speech.level import active_level_dbfs, clipping_fraction
from callqa.speech.textnorm import phrase_key
from callqa.speech.vad import speech_regions

log = logging.getLogger(__name__)

BRIDGE_S = 0.5
"""Pauses shorter than this inside one speaker's speech are talk."""
MIN_CHANNEL_SPEECH_S = 1.0
"""A stereo channel with less speech than this holds no speaker (silence or line noise)."""
MIN_INTERRUPTION_S = 0.5
BACKCHANNEL_S = 1.0
MIN_RATED_TURN_S = 3.0
"""Stretches shorter than this are not rated for speed (a quick 好的 has no rate)."""
BACKCHANNELS: tuple[str, ...] = (
    "嗯",
    "嗯嗯",
    "啊",
    "哦",
    "噢",
    "好",
    "好的",
    "好好",
    "对",
    "对对",
    "对对对",
    "是",
    "是的",
    "行",
    "明白",
)
DUAL_MONO_CORRELATION = 0.98
"""Stereo channels at least this correlated (and equally loud) are one signal twice."""
DUAL_MONO_LEVEL_DB = 3.0
_SIDES: tuple[str, str] = ("left", "right")


# -- building -----------------------------------------------------------------------------


def bridge(spans: Iterable[Span], max_pause: float = BRIDGE_S) -> tuple[Span, ...]:
    """Spans sorted and merged, pauses shorter than `max_pause` closed."""
    merged: list[Span] = []
    for s in sorted(spans):
        if s.end <= s.start:
            continue
        if merged and s.start - merged[-1].end < max_pause:
            if s.end > merged[-1].end:
                merged[-1] = Span(merged[-1].start, s.end)
        else:
            merged.append(s)
    return tuple(merged)


def is_dual_mono(audio: DecodedAudio) -> bool:
    """True when a stereo file's two channels carry the same signal (mono saved twice)."""
    if not audio.is_stereo:
        return False
    left, right = (np.asarray(c, dtype=np.float64) for c in audio.channels)
    e_left, e_right = float(np.dot(left, left)), float(np.dot(right, right))
    if e_left <= 0 or e_right <= 0:
        return e_left == e_right
    if abs(10.0 * np.log10(e_left / e_right)) > DUAL_MONO_LEVEL_DB:
        return False
    return float(np.dot(left, right)) / float(np.sqrt(e_left * e_right)) >= DUAL_MONO_CORRELATION


def channel_speech(audio: DecodedAudio) -> dict[str, tuple[Span, ...]]:
    """Bridged VAD regions of each stereo channel, keyed "left" and "right", their edges
    moved to where the speech energy starts and ends (`refine_edges`)."""
    return {
        side: bridge(refine_edges(signal, speech_regions(signal), audio.sample_rate))
        for side, signal in zip(_SIDES, audio.channels, strict=True)
    }


EDGE_DB = 40.0
"""A region's speech starts and ends where 10 ms frames come within this of its loudest."""
EDGE_FLOOR_DB = 12.0
"""… and stand at least this far above the channel's noise floor."""
EDGE_REACH_S = (1.0, 0.4)
"""How far an edge may move outwards (into quiet speech) and inwards (off the padding)."""


def refine_edges(
    signal: npt.NDArray[np.float32], regions: Sequence[Span], sample_rate: int
) -> tuple[Span, ...]:
    """VAD regions with their edges set from 10 ms frame energies.

    The silero VAD answers in 32 ms steps, pads, and lags at the ends of words (on the
    samples its ends run 40-80 ms late; a soft onset can start 200 ms late).  Each edge is
    moved to the first (last) frame within `EDGE_DB` of the region's loudest frame and
    `EDGE_FLOOR_DB` above the noise floor (10th percentile of the channel's frames).
    """
    hop = sample_rate // 100
    n = len(signal) // hop
    if n == 0 or not regions:
        return tuple(regions)
    frames = np.asarray(signal[: n * hop], dtype=np.float64).reshape(n, hop)
    energy = 10.0 * np.log10(np.mean(np.square(frames), axis=1) + 1e-12)
    floor = float(np.percentile(energy, 10))
    out_reach, in_reach = (round(r * 100) for r in EDGE_REACH_S)
    bridge_frames = round(BRIDGE_S * 100)
    refined: list[Span] = []
    previous_end = 0
    ordered = sorted(regions)
    for k, r in enumerate(ordered):
        a, b = round(r.start * 100), min(n, round(r.end * 100))
        if b <= a:
            refined.append(r)
            continue
        following = round(ordered[k + 1].start * 100) if k + 1 < len(ordered) else n
        above = energy >= max(float(energy[a:b].max()) - EDGE_DB, floor + EDGE_FLOOR_DB)
        start, end = a, b
        while start < min(b - 1, a + in_reach) and not above[start]:
            start += 1
        while end > max(start + 1, b - in_reach) and not above[end - 1]:
            end -= 1
        # outwards: through speech, and across pauses shorter than the bridge
        low = max(previous_end, a - out_reach)
        while True:
            before = np.flatnonzero(above[max(low, start - bridge_frames) : start])
            if before.size == 0:
                break
            start = max(low, start - bridge_frames) + int(before[0])
        high = min(n, b + out_reach, max(end, following))
        while True:
            after = np.flatnonzero(above[end : min(high, end + bridge_frames)])
            if after.size == 0:
                break
            end = end + int(after[-1]) + 1
        refined.append(Span(start / 100, end / 100))
        previous_end = end
    return tuple(refined)


def diarized_speech(
    diarization: Diarization, signal: npt.NDArray[np.float32] | None = None
) -> dict[str, tuple[Span, ...]]:
    """Bridged turns of each diarized speaker.

    With the `signal`, the edges where speech meets silence are refined as on stereo
    (`refine_edges` on the union of all turns); edges between two speakers stay where the
    diarizer put them.
    """
    by_speaker: dict[str, list[Span]] = {}
    for t in diarization.turns:
        by_speaker.setdefault(t.speaker, []).append(Span(t.start, t.end))
    if signal is not None and by_speaker:
        union = bridge((s for spans in by_speaker.values() for s in spans), max_pause=0.0)
        refined = refine_edges(signal, union, SAMPLE_RATE)
        starts = {round(u.start, 3): r.start for u, r in zip(union, refined, strict=True)}
        ends = {round(u.end, 3): r.end for u, r in zip(union, refined, strict=True)}
        by_speaker = {
            speaker: [
                Span(starts.get(round(s.start, 3), s.start), ends.get(round(s.end, 3), s.end))
                for s in spans
            ]
            for speaker, spans in by_speaker.items()
        }
    return {speaker: bridge(spans) for speaker, spans in by_speaker.items()}


def build(
    speech: Mapping[str, tuple[Span, ...]],
    roles: Mapping[str, Role],
    *,
    audio: DecodedAudio | None,
    duration: float,
    stereo: bool,
) -> Timeline:
    """The timeline of a call from each speaker's speech and role, levels read from `audio`."""
    lanes: list[Lane] = []
    for speaker, spans in speech.items():
        role = roles.get(speaker, "unknown")
        others = [s for other, ss in speech.items() if other != speaker for s in ss]
        level, clipped, spm = _signal_stats(audio, speaker, spans, others, stereo=stereo)
        lanes.append(Lane(speaker, role, spans, level, clipped, spm))
    lanes.sort(key=lambda lane: ("agent", "customer", "unknown").index(lane.role))
    problem = ""
    if stereo:
        problem = _silent_channel(lanes)
    elif len([lane for lane in lanes if lane.talk_s >= MIN_CHANNEL_SPEECH_S]) == 1:
        problem = "one voice only on a mono recording - no second speaker found"
    if problem:
        log.info("timeline: %s", problem)
    return Timeline(
        lanes=tuple(lanes),
        duration=duration,
        source="channels" if stereo else "diarization",
        problem=problem,
    )


def _silent_channel(lanes: Sequence[Lane]) -> str:
    silent = [lane for lane in lanes if lane.talk_s < MIN_CHANNEL_SPEECH_S]
    if len(silent) != 1:
        return ""
    lane = silent[0]
    who = lane.role if lane.role != "unknown" else "speaker"
    return f"no {who} speech on channel {lane.speaker} (silent or line noise only)"


def _signal_stats(
    audio: DecodedAudio | None,
    speaker: str,
    spans: Sequence[Span],
    others: Sequence[Span],
    *,
    stereo: bool,
) -> tuple[float | None, float | None, float | None]:
    """Level, clipping and syllable rate of one speaker's speech."""
    if audio is None or not spans:
        return None, None, None
    if stereo and speaker in _SIDES:
        signal = audio.channels[_SIDES.index(speaker)]
        pieces = spans
    else:
        signal = audio.mono()
        pieces = _subtract(spans, others)  # overlapped speech is two voices: leave it out
    rate = audio.sample_rate
    chunks = [signal[int(s.start * rate) : int(s.end * rate)] for s in pieces]
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    if samples.size == 0:
        return None, None, None
    talk = sum(p.duration for p in pieces)
    spm = syllables.count(signal, rate, pieces) / talk * 60.0 if talk > 0 else None
    return (
        active_level_dbfs(samples, rate),
        _round(clipping_fraction(samples), 5),
        _round(spm, 1),
    )


def from_transcript(transcript: Transcript) -> Timeline:
    """A timeline from utterance times: for transcripts stored without one (and tests).

    Levels are the utterances' RMS loudness, power-averaged over their durations.
    """
    speech: dict[tuple[str, Role], list[Span]] = {}
    for u in transcript.utterances:
        speech.setdefault((u.speaker, u.role), []).append(u.span)
    lanes = []
    for (speaker, role), spans in speech.items():
        mine = [u for u in transcript.utterances if u.speaker == speaker and u.role == role]
        lanes.append(Lane(speaker, role, bridge(spans), _utterance_level(mine)))
    lanes.sort(key=lambda lane: ("agent", "customer", "unknown").index(lane.role))
    return Timeline(tuple(lanes), transcript.duration, "transcript")


def _utterance_level(utts: Sequence[Utterance]) -> float | None:
    rated = [(u.loudness_dbfs, u.end - u.start) for u in utts if u.loudness_dbfs is not None]
    weight = sum(d for _, d in rated)
    if not rated or weight <= 0:
        return None
    power = sum(10 ** (level / 10) * d for level, d in rated) / weight
    return round(10 * float(np.log10(power)), 2) if power > 0 else None


def with_roles(timeline: Timeline, transcript: Transcript) -> Timeline:
    """The timeline with each lane's role taken from the transcript's speakers."""
    roles = {u.speaker: u.role for u in transcript.utterances}
    lanes = tuple(replace(lane, role=roles.get(lane.speaker, lane.role)) for lane in timeline.lanes)
    return replace(timeline, lanes=lanes)


def swapped(timeline: Timeline) -> Timeline:
    """Agent and customer exchanged on every lane (a silent channel's reason follows)."""
    flip: dict[Role, Role] = {"agent": "customer", "customer": "agent", "unknown": "unknown"}
    lanes = tuple(replace(lane, role=flip[lane.role]) for lane in timeline.lanes)
    problem = timeline.problem
    if timeline.source == "channels" and problem:
        problem = _silent_channel(lanes)
    return replace(timeline, lanes=lanes, problem=problem)


# -- reading ------------------------------------------------------------------------------


def silences(timeline: Timeline, *, min_s: float = 0.0) -> tuple[Span, ...]:
    """Stretches when nobody speaks between the first and the last speech, at least `min_s`."""
    speech = bridge((s for lane in timeline.lanes for s in lane.speech), max_pause=0.0)
    return tuple(
        Span(a.end, b.start)
        for a, b in pairwise(speech)
        if b.start - a.end >= min_s and b.start > a.end
    )


def overlaps(timeline: Timeline) -> tuple[Span, ...]:
    """Stretches when two or more speakers speak at once."""
    events: list[tuple[float, int]] = []
    for lane in timeline.lanes:
        for s in lane.speech:
            events += [(s.start, 1), (s.end, -1)]
    events.sort(key=lambda e: (e[0], e[1]))
    found: list[Span] = []
    active, since = 0, 0.0
    for t, step in events:
        if active >= 2 and step < 0 and t > since:
            found.append(Span(since, t))
        active += step
        if active >= 2:
            since = t
    return bridge(found, max_pause=0.0)


def turn_text(transcript: Transcript | None, role: Role, turn: Span) -> str:
    """What `role` said inside `turn`: the words whose middle falls in it."""
    if transcript is None:
        return ""
    parts: list[str] = []
    for u in transcript.utterances:
        if u.role != role or u.end < turn.start or u.start > turn.end:
            continue
        if u.words:
            parts += [w.text for w in u.words if turn.start <= (w.start + w.end) / 2 <= turn.end]
        elif turn.start <= (u.start + u.end) / 2 <= turn.end:
            parts.append(u.text)
    return "".join(parts)


def talk_overs(timeline: Timeline, transcript: Transcript | None = None) -> tuple[TalkOver, ...]:
    """Each place where one party starts speaking while the other is speaking."""
    found: list[TalkOver] = []
    for lane in timeline.lanes:
        if lane.role == "unknown":
            continue
        them = [
            s
            for other in timeline.lanes
            if other.role not in (lane.role, "unknown")
            for s in other.speech
        ]
        for turn in lane.speech:
            held = next((s for s in them if s.start < turn.start < s.end), None)
            if held is None:
                continue
            end = min(held.end, turn.end)
            text = turn_text(transcript, lane.role, turn)
            found.append(TalkOver(turn.start, end, lane.role, turn, text))
    return tuple(sorted(found, key=lambda t: t.start))


def is_backchannel(talk: TalkOver, backchannels: Iterable[str] = BACKCHANNELS) -> bool:
    """A short 嗯/好/对 while the other speaks: not an interruption."""
    key = phrase_key(talk.text)
    if key and key in {phrase_key(b) for b in backchannels}:
        return True
    return talk.turn.duration < BACKCHANNEL_S and not _has_other_words(key, backchannels)


def _has_other_words(key: str, backchannels: Iterable[str]) -> bool:
    """True when `key` holds something besides backchannel characters."""
    allowed = {ch for b in backchannels for ch in phrase_key(b)}
    return any(ch not in allowed for ch in key)


def interruptions(
    timeline: Timeline,
    transcript: Transcript | None = None,
    *,
    min_overlap_s: float = MIN_INTERRUPTION_S,
    backchannels: Iterable[str] = BACKCHANNELS,
) -> tuple[TalkOver, ...]:
    """Talk-overs of at least `min_overlap_s` that are not backchannels."""
    words = tuple(backchannels)
    return tuple(
        t
        for t in talk_overs(timeline, transcript)
        if t.duration >= min_overlap_s and not is_backchannel(t, words)
    )


WORD_REACH_S = 1.0
"""A word outside every stretch of its speaker's speech joins the nearest one this close."""


def attach_words(
    turns: Sequence[Span], transcript: Transcript, role: Role, *, reach: float = WORD_REACH_S
) -> list[str]:
    """The text of each of `role`'s `turns`: every word joins the turn its middle falls in,
    or the nearest turn within `reach` (transcriber times are not the signal's)."""
    texts: list[list[str]] = [[] for _ in turns]
    if not turns:
        return []
    starts = [t.start for t in turns]
    for u in transcript.utterances:
        if u.role != role:
            continue
        pieces = [((w.start + w.end) / 2, w.text) for w in u.words] or [
            ((u.start + u.end) / 2, u.text)
        ]
        for at, text in pieces:
            k = max(0, bisect_right(starts, at) - 1)
            best = min(
                (j for j in (k, k + 1) if j < len(turns)),
                key=lambda j: max(0.0, turns[j].start - at, at - turns[j].end),
            )
            if max(0.0, turns[best].start - at, at - turns[best].end) <= reach:
                texts[best].append(text)
    return ["".join(t) for t in texts]


@dataclass(frozen=True)
class RatedTurn:
    """A stretch of one role's speech long enough to rate, with its words."""

    span: Span
    chars: int
    text: str = ""

    @property
    def cpm(self) -> float:
        return 60.0 * self.chars / self.span.duration if self.span.duration > 0 else 0.0


def rated_turns(
    timeline: Timeline, transcript: Transcript, role: Role, *, min_turn_s: float = MIN_RATED_TURN_S
) -> tuple[RatedTurn, ...]:
    """`role`'s stretches of at least `min_turn_s` that carry words, in time order."""
    turns = timeline.speech(role)
    found = []
    for turn, text in zip(turns, attach_words(turns, transcript, role), strict=True):
        chars = spoken_chars(text)
        if turn.duration >= min_turn_s and chars:
            found.append(RatedTurn(turn, chars, text))
    return tuple(found)


def spoken_chars(text: str) -> int:
    """Characters that are spoken: letters, digits, Chinese characters (no punctuation)."""
    return sum(1 for ch in text if ch.isalnum())


def rate_of(turns: Sequence[RatedTurn]) -> float | None:
    seconds = sum(t.span.duration for t in turns)
    return round(60.0 * sum(t.chars for t in turns) / seconds, 1) if seconds > 0 else None


def call_metrics(timeline: Timeline, transcript: Transcript | None = None) -> CallMetrics:
    """The call's metrics (`CallMetrics`) from its timeline and, for rates, its words."""
    gaps = silences(timeline)
    agent, customer = timeline.lane("agent"), timeline.lane("customer")
    cuts = interruptions(timeline, transcript)

    def talk(lane: Lane | None) -> float | None:
        return round(lane.talk_s, 2) if lane is not None and lane.speech else None

    def cut_count(role: Role, lane: Lane | None) -> int | None:
        return sum(1 for c in cuts if c.starter == role) if talk(lane) is not None else None

    cpm = None
    if transcript is not None and talk(agent) is not None:
        cpm = rate_of(rated_turns(timeline, transcript, "agent"))
    return CallMetrics(
        agent_talk_s=talk(agent),
        customer_talk_s=talk(customer),
        silence_s=round(float(sum(g.duration for g in gaps)), 2),
        longest_silence_s=round(max((g.duration for g in gaps), default=0.0), 2),
        overlap_s=round(float(sum(o.duration for o in overlaps(timeline))), 2),
        agent_interruptions=cut_count("agent", agent),
        customer_interruptions=cut_count("customer", customer),
        agent_cpm=cpm,
        agent_level_dbfs=agent.level_dbfs if agent and agent.speech else None,
        customer_level_dbfs=customer.level_dbfs if customer and customer.speech else None,
        agent_clipping=agent.clipping if agent and agent.speech else None,
        customer_clipping=customer.clipping if customer and customer.speech else None,
    )


def _subtract(spans: Sequence[Span], others: Sequence[Span]) -> list[Span]:
    """`spans` with every part covered by `others` cut out."""
    out: list[Span] = []
    cuts = bridge(others, max_pause=0.0)
    for s in spans:
        start = s.start
        for c in cuts:
            if c.end <= start or c.start >= s.end:
                continue
            if c.start > start:
                out.append(Span(start, c.start))
            start = max(start, c.end)
        if s.end > start:
            out.append(Span(start, s.end))
    return out


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
