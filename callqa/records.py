"""Typed, frozen records passed between pipeline stages.

Every stage is a function from these records to these records:

    decode      -> DecodedAudio
    transcribe  -> tuple[Segment, ...]            (per channel on stereo)
    diarize     -> Diarization                    (mono only)
    align/roles -> Transcript                     (utterances with speaker and role)
    timeline    -> Timeline                       (who spoke when, from the signal)
    measure     -> Measures                       (rate, loudness, gaps, overlaps, metrics)
    rules       -> CallScore                      (RuleResult with Evidence)
    pipeline    -> CallResult                     (all of the above, ready to store)

Times are seconds from the start of the recording.  Nothing here is a loose dict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

Role = Literal["agent", "customer", "unknown"]
"""A speaker's part in the call (not a web user's permission level: that is `UserRole`)."""


def other_role(role: Role) -> Role:
    """agent ↔ customer; unknown stays unknown."""
    return "customer" if role == "agent" else "agent" if role == "customer" else role


Status = Literal["pass", "fail", "na", "review"]
Verdict = Literal["pass", "fail", "review"]
ChannelName = Literal["left", "right"]

SAMPLE_RATE = 16_000
"""Every stage after decoding works on 16 kHz mono float32 signals."""


@dataclass(frozen=True, order=True)
class Span:
    """A closed time interval [start, end] in seconds."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)

    def overlap(self, other: Span) -> float:
        return max(0.0, min(self.end, other.end) - max(self.start, other.start))


@dataclass(frozen=True)
class Partial:
    """A recording that was cut short: what was kept, what the file promised (None when the
    file says nothing about its length), and how the cut was noticed."""

    kept_s: float
    declared_s: float | None
    reason: str

    @property
    def summary(self) -> str:
        """'7.3 s of 73.0 s kept (the file holds less audio than its header declares)'"""
        of = f" of {self.declared_s:.1f} s" if self.declared_s is not None else ""
        return f"{self.kept_s:.1f} s{of} kept ({self.reason})"

    @property
    def line(self) -> str:
        return f"partial: {self.summary}"


@dataclass(frozen=True, eq=False)
class DecodedAudio:
    """A decoded recording: one 16 kHz float32 signal per channel (stereo kept split)."""

    path: str
    channels: tuple[npt.NDArray[np.float32], ...]
    sample_rate: int
    source_sample_rate: int
    duration: float
    codec: str = ""
    partial: Partial | None = None
    """Set when the file was cut short (its header promises more, or decoding stopped)."""

    @property
    def is_stereo(self) -> bool:
        return len(self.channels) == 2

    def mono(self) -> npt.NDArray[np.float32]:
        """The channels mixed down to one signal."""
        if len(self.channels) == 1:
            return self.channels[0]
        return np.mean(np.stack(self.channels), axis=0).astype(np.float32)


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    text: str
    probability: float


@dataclass(frozen=True)
class Segment:
    """One transcriber segment: text with word timings, from one channel (or the mix)."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...]
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    channel: int | None = None


@dataclass(frozen=True)
class Turn:
    """A stretch of time in which one speaker talks (diarizer output)."""

    start: float
    end: float
    speaker: str


@dataclass(frozen=True)
class Diarization:
    """Who spoke when, on a mono recording.  Turns of different speakers may overlap."""

    turns: tuple[Turn, ...]
    speakers: tuple[str, ...]
    overlaps: tuple[Span, ...] = ()
    backend: str = ""


@dataclass(frozen=True)
class RoleAssignment:
    """Which speaker label is the agent, and how sure we are."""

    agent_speaker: str | None
    confidence: float
    swapped: bool = False
    reason: str = ""

    @property
    def uncertain(self) -> bool:
        return self.agent_speaker is None or self.confidence < 0.6


@dataclass(frozen=True)
class Utterance:
    start: float
    end: float
    speaker: str
    role: Role
    text: str
    words: tuple[Word, ...] = ()
    confidence: float = 1.0
    loudness_dbfs: float | None = None

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True)
class Lane:
    """One speaker's speech on the timeline, with its level read from the signal.

    `speech` is sorted and disjoint, pauses under the bridging limit already joined.
    `level_dbfs` is the active speech level (ITU-T P.56 manner) and `clipping` the
    fraction of speech samples at or near full scale; `syllables_per_min` the rate of
    syllable nuclei in the speech (`callqa.speech.syllables`); all None without speech or
    audio.
    """

    speaker: str
    role: Role
    speech: tuple[Span, ...]
    level_dbfs: float | None = None
    clipping: float | None = None
    syllables_per_min: float | None = None

    @property
    def talk_s(self) -> float:
        return sum(s.duration for s in self.speech)


TimelineSource = Literal["channels", "diarization", "transcript"]


@dataclass(frozen=True)
class Timeline:
    """Who spoke when, from the audio (per-channel VAD on stereo, diarization on mono).

    `problem` is a call-level reason when the recording is not what it claims (a silent
    channel, one voice on a mono call); empty when all is well.
    """

    lanes: tuple[Lane, ...]
    duration: float
    source: TimelineSource
    problem: str = ""

    def lane(self, role: Role) -> Lane | None:
        return next((lane for lane in self.lanes if lane.role == role), None)

    def speech(self, role: Role) -> tuple[Span, ...]:
        """Every stretch of speech of `role`, sorted and disjoint."""
        spans = sorted(s for lane in self.lanes if lane.role == role for s in lane.speech)
        merged: list[Span] = []
        for s in spans:
            if merged and s.start <= merged[-1].end:
                merged[-1] = Span(merged[-1].start, max(merged[-1].end, s.end))
            else:
                merged.append(s)
        return tuple(merged)


@dataclass(frozen=True)
class Transcript:
    """The call as utterances in time order, each with its speaker and role."""

    utterances: tuple[Utterance, ...]
    duration: float
    roles: RoleAssignment
    agent_channel: ChannelName | None = None
    overlaps: tuple[Span, ...] = ()
    timeline: Timeline | None = None

    def by_role(self, role: Role) -> tuple[Utterance, ...]:
        return tuple(u for u in self.utterances if u.role == role)


@dataclass(frozen=True)
class Gap:
    """A stretch where nobody speaks."""

    start: float
    end: float
    before: Utterance | None = None
    after: Utterance | None = None

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Overlap:
    """Two speakers at once: `second` started while `first` was still speaking."""

    start: float
    end: float
    first: Utterance
    second: Utterance

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class UtteranceMeasure:
    utterance: Utterance
    chars: int
    chars_per_minute: float
    loudness_dbfs: float | None


@dataclass(frozen=True)
class TalkOver:
    """Both parties speaking at once on the timeline: `starter` began while the other spoke.

    `turn` is the starter's stretch of speech that began the talk-over; `words` its text.
    """

    start: float
    end: float
    starter: Role
    turn: Span
    text: str = ""

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class CallMetrics:
    """The call's numbers from the timeline and the signal (`callqa score --json` "metrics").

    Seconds, counts, characters per minute, dBFS and fractions; None where a role has no
    speech (or, for the levels, no audio was measured).
    """

    agent_talk_s: float | None
    customer_talk_s: float | None
    silence_s: float
    longest_silence_s: float
    overlap_s: float
    agent_interruptions: int | None
    customer_interruptions: int | None
    agent_cpm: float | None
    agent_level_dbfs: float | None
    customer_level_dbfs: float | None
    agent_clipping: float | None
    customer_clipping: float | None


@dataclass(frozen=True)
class Measures:
    utterances: tuple[UtteranceMeasure, ...]
    gaps: tuple[Gap, ...]
    overlaps: tuple[Overlap, ...]
    metrics: CallMetrics | None = None


@dataclass(frozen=True)
class Evidence:
    start: float
    end: float
    speaker: Role
    text: str
    confidence: float
    note: str = ""


@dataclass(frozen=True)
class RuleResult:
    id: str
    status: Status
    points: float
    evidence: tuple[Evidence, ...] = ()
    message: str = ""
    critical: bool = False
    max_points: float = 0.0


@dataclass(frozen=True)
class CallScore:
    score: float
    max_score: float
    verdict: Verdict
    rules: tuple[RuleResult, ...]
    scorecard_id: str
    scorecard_version: str
    pass_mark: float | None = None
    reason: str = ""
    """A call-level reason that decided the verdict (a silent channel, one voice only)."""


@dataclass(frozen=True)
class CallMeta:
    """Who and when, from a manifest or the file name; unknown stays None."""

    agent_id: str | None = None
    team: str | None = None
    call_time: str | None = None
    company: str | None = None
    """The brand the agent answers for (outsourcing centres serve many); None: any."""


@dataclass(frozen=True)
class StageTimings:
    decode: float = 0.0
    diarize: float = 0.0
    transcribe: float = 0.0
    score: float = 0.0
    store: float = 0.0
    timeline: float = 0.0


@dataclass(frozen=True)
class CallResult:
    """Everything callqa knows about one scored call."""

    call_id: str
    file: str
    duration: float
    meta: CallMeta
    transcript: Transcript
    measures: Measures
    score: CallScore
    model: str
    timings: StageTimings = field(default_factory=StageTimings)
    channels: int = 1
    source_sample_rate: int = 0
    options: str = ""
    """Canonical JSON of every option that changed this result (part of the skip key)."""
    partial: Partial | None = None
