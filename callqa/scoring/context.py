"""One call as the rules see it: utterances by role, normalised text, located evidence.

`CallContext` is built once per call (and once more with agent and customer swapped when
the roles are uncertain).  Phrases are located to the second with the transcriber's word
timestamps when the utterance has words, else by the phrase's position in the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import cached_property

from callqa.records import (
    CallMetrics,
    Evidence,
    Gap,
    Measures,
    Overlap,
    Role,
    Span,
    Timeline,
    Transcript,
    Utterance,
    UtteranceMeasure,
    other_role,
)
from callqa.speech import timeline as speech_timeline
from callqa.speech.textnorm import MatchText, phrase_key, prepare

CHANNEL_SPEAKERS = frozenset(("left", "right"))
"""Speaker labels of stereo channels: attribution is exact, overlaps cannot confuse it."""


@dataclass(frozen=True)
class Located:
    """Where a stretch of an utterance's characters was spoken, and how sure the words are."""

    start: float
    end: float
    confidence: float


class CallContext:
    """The call under judgement plus scorecard-wide settings."""

    def __init__(
        self,
        transcript: Transcript,
        measures: Measures,
        *,
        company_names: tuple[str, ...] = (),
        min_confidence: float,
        clear_agent: float = 0.0,
    ) -> None:
        self.transcript = transcript
        self.measures = measures
        self.company_names = company_names
        self.min_confidence = min_confidence
        self.clear_agent = clear_agent
        self._by_role: dict[Role, tuple[Utterance, ...]] = {}
        self._spoken: dict[Role, tuple[Utterance, ...]] = {}
        self._owners: dict[int, list[int | None]] = {}

    # -- utterances --------------------------------------------------------------------

    def utterances(self, role: Role) -> tuple[Utterance, ...]:
        """The role's utterances, in time order."""
        found = self._by_role.get(role)
        if found is None:
            found = tuple(
                sorted((u for u in self.transcript.utterances if u.role == role), key=_start)
            )
            self._by_role[role] = found
        return found

    def spoken(self, role: Role) -> tuple[Utterance, ...]:
        """The role's utterances that have any text."""
        found = self._spoken.get(role)
        if found is None:
            found = tuple(u for u in self.utterances(role) if self.text(u).chars)
            self._spoken[role] = found
        return found

    def measured(self, role: Role) -> tuple[UtteranceMeasure, ...]:
        return tuple(m for m in self.measures.utterances if m.utterance.role == role)

    @cached_property
    def timeline(self) -> Timeline:
        """Who spoke when (from the signal; from utterance times for a transcript without)."""
        return self.transcript.timeline or speech_timeline.from_transcript(self.transcript)

    @cached_property
    def metrics(self) -> CallMetrics:
        if self.measures.metrics is not None:
            return self.measures.metrics
        return speech_timeline.call_metrics(self.timeline, self.transcript)

    def clarity(self, role: Role) -> float | None:
        """Mean word probability over all of the role's words (None: no words)."""
        return clarity_of(self.transcript, role)

    @staticmethod
    def text(utt: Utterance) -> MatchText:
        return prepare(utt.text)

    @cached_property
    def midpoint(self) -> float:
        if self.transcript.duration > 0:
            return self.transcript.duration / 2
        ends = [u.end for u in self.transcript.utterances]
        return max(ends, default=0.0) / 2

    # -- attribution ---------------------------------------------------------------------

    @cached_property
    def _overlap_spans(self) -> tuple[Span, ...]:
        spans = [Span(o.start, o.end) for o in self.measures.overlaps]
        spans.extend(self.transcript.overlaps)
        return tuple(spans)

    def attribution_doubtful(self, utt: Utterance, start: float, end: float) -> bool:
        """True when [start, end] is overlapping speech on a diarized (mono) recording."""
        if utt.speaker in CHANNEL_SPEAKERS:
            return False
        here = Span(start, end)
        return any(here.overlap(s) > 0 for s in self._overlap_spans)

    # -- locating text -----------------------------------------------------------------

    def locate(self, utt: Utterance, start: int, end: int) -> Located:
        """Time and confidence of chars[start:end] of the utterance's MatchText."""
        mt = self.text(utt)
        owners: list[int | None] | None = None
        if utt.words:
            owners = self._owners.get(id(utt))
            if owners is None:
                owners = self._owners[id(utt)] = _word_owners(utt, mt)
        if owners is not None:
            picked = sorted({w for w in owners[start:end] if w is not None})
            if picked:
                words = [utt.words[i] for i in picked]
                return Located(
                    min(w.start for w in words),
                    max(w.end for w in words),
                    mean([w.probability for w in words]),
                )
        n = max(1, len(mt.chars))
        span = utt.end - utt.start
        return Located(utt.start + span * start / n, utt.start + span * end / n, utt.confidence)

    def evidence(self, utt: Utterance, start: int, end: int, note: str = "") -> Evidence:
        """Evidence quoting chars[start:end] of an utterance as spoken."""
        where = self.locate(utt, start, end)
        return Evidence(
            start=round(where.start, 3),
            end=round(where.end, 3),
            speaker=utt.role,
            text=self.text(utt).quote(start, end),
            confidence=round(where.confidence, 3),
            note=note,
        )

    def whole(self, utt: Utterance, note: str = "") -> Evidence:
        """Evidence quoting a whole utterance."""
        return Evidence(
            start=round(utt.start, 3),
            end=round(utt.end, 3),
            speaker=utt.role,
            text=utt.text,
            confidence=round(confidence(utt), 3),
            note=note,
        )

    def uncertain_text(self, utts: Sequence[Utterance]) -> bool:
        """True when these utterances' words are, on average, below the confidence floor."""
        probs = [w.probability for u in utts for w in u.words]
        if not probs:
            probs = [u.confidence for u in utts]
        return bool(probs) and mean(probs) < self.min_confidence

    # -- roles -----------------------------------------------------------------------------

    def swapped(self) -> CallContext:
        """The same call with agent and customer exchanged (unknown stays unknown)."""
        mapping = {id(u): _swap(u) for u in self.transcript.utterances}

        def s(u: Utterance) -> Utterance:
            return mapping.get(id(u)) or _swap(u)

        measures = Measures(
            utterances=tuple(
                replace(m, utterance=s(m.utterance)) for m in self.measures.utterances
            ),
            gaps=tuple(
                Gap(
                    g.start,
                    g.end,
                    before=None if g.before is None else s(g.before),
                    after=None if g.after is None else s(g.after),
                )
                for g in self.measures.gaps
            ),
            overlaps=tuple(
                Overlap(o.start, o.end, first=s(o.first), second=s(o.second))
                for o in self.measures.overlaps
            ),
        )
        line = self.transcript.timeline
        transcript = replace(
            self.transcript,
            utterances=tuple(s(u) for u in self.transcript.utterances),
            timeline=None if line is None else speech_timeline.swapped(line),
        )
        return CallContext(
            transcript,
            measures,
            company_names=self.company_names,
            min_confidence=self.min_confidence,
            clear_agent=self.clear_agent,
        )


def clarity_of(transcript: Transcript, role: Role) -> float | None:
    """Mean word probability over all of `role`'s words (None: no words)."""
    probs = [w.probability for u in transcript.utterances if u.role == role for w in u.words]
    return sum(probs) / len(probs) if probs else None


def confidence(utt: Utterance) -> float:
    """Mean word probability of an utterance (its own confidence when it has no words)."""
    if utt.words:
        return mean([w.probability for w in utt.words])
    return utt.confidence


def join_evidence(
    ctx: CallContext, utts: Sequence[Utterance], note: str, *, max_chars: int = 80
) -> Evidence:
    """One piece of evidence covering consecutive utterances of one speaker."""
    text = "".join(u.text for u in utts)
    if len(text) > max_chars:
        text = text[: max_chars - 1] + "…"
    return Evidence(
        start=round(utts[0].start, 3),
        end=round(utts[-1].end, 3),
        speaker=utts[0].role,
        text=text,
        confidence=round(mean([confidence(u) for u in utts]), 3),
        note=note,
    )


def mean(values: Sequence[float]) -> float:
    """Arithmetic mean of a non-empty sequence (statistics.fmean is slow on short ones)."""
    return sum(values) / len(values)


def _start(u: Utterance) -> float:
    return u.start


def _swap(u: Utterance) -> Utterance:
    return replace(u, role=other_role(u.role))


def _word_owners(utt: Utterance, mt: MatchText) -> list[int | None]:
    """For each char of `mt.chars`, the index of the word that carries it (None if unknown)."""
    keys = [phrase_key(w.text) for w in utt.words]
    joined = "".join(keys)
    flat = [i for i, k in enumerate(keys) for _ in k]
    if joined == mt.chars:
        return list(flat)
    owners: list[int | None] = [None] * len(mt.chars)
    matcher = SequenceMatcher(None, mt.chars, joined, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            owners[a + k] = flat[b + k]
    return owners
