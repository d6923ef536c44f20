"""`speaking_rate`: the agent speaks neither too fast nor too slow (字/分钟).

Rate = spoken characters per minute of the agent's own talk, read from the call's speech
timeline (`CallContext.timeline`): the agent's stretches of speech (pauses under 0.5 s
bridged) of at least `min_turn_s`, each carrying the words that fall in it.  Short
stretches are not rated: a quick 好的 has no meaningful rate, and in telephone
conversation the rate rises with the length of the turn, so rates are compared on longer
turns only.  Fail when the overall rate (`agent_cpm`) is outside [`min_cpm`, `max_cpm`],
or when a sustained stretch is: consecutive rated turns adding up to at least `stretch_s`
seconds of talk.  When the long turns add up to less than `min_speech_s` (a curt agent),
every turn of at least 1 s is rated; still less than `min_speech_s`: na.  Evidence: the stretches
out of range, else the fastest turns.

Characters can only be counted in words the transcriber read.  When the agent's words are
unclear (mean word probability under the scorecard's `clear_agent`), the rate is read from
the signal instead: syllable nuclei per minute of the agent's speech (`Lane.
syllables_per_min`, `callqa.speech.syllables`; Mandarin has one syllable per character),
judged against the same range.  The count is squeezed toward the middle at the extremes
(a very slow voice's long vowels split into two peaks, a rushed voice's syllables run
together), so when it says "in range" but the characters Whisper wrote put the rate out
of range, the characters are believed only where the signal leans the same way, past
every normal voice measured (`signal_slow_cpm`, `signal_fast_cpm`): then the item fails
on both.  Otherwise the two disagree (Whisper drops words of a murky voice, or loops on
them) and the item is `review`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from callqa.records import Evidence, Role
from callqa.scoring.base import Outcome, RuleKind
from callqa.scoring.context import CallContext
from callqa.speech.timeline import MIN_RATED_TURN_S, RatedTurn, rate_of, rated_turns

FALLBACK_TURN_S = 1.0
"""When the long turns add up to less than `min_speech_s`, turns this long are rated too."""


@dataclass(frozen=True)
class Params:
    min_cpm: float = 120.0
    max_cpm: float = 360.0
    stretch_s: float = 20.0
    min_turn_s: float = MIN_RATED_TURN_S
    min_speech_s: float = 5.0
    max_evidence: int = 3
    signal_slow_cpm: float = 0.0
    """A signal rate under this leans slow: it backs characters under `min_cpm` (0: never)."""
    signal_fast_cpm: float = 0.0
    """A signal rate over this leans fast: it backs characters over `max_cpm` (0: never)."""

    def problems(self) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        if not 0 < self.min_cpm < self.max_cpm:
            found.append(("min_cpm", "must be more than 0 and less than max_cpm"))
        if self.stretch_s <= 0:
            found.append(("stretch_s", "must be more than 0 seconds"))
        if self.min_turn_s < 0:
            found.append(("min_turn_s", "must not be negative"))
        if self.max_evidence < 1:
            found.append(("max_evidence", "must be at least 1"))
        for name in ("signal_slow_cpm", "signal_fast_cpm"):
            if getattr(self, name) < 0:
                found.append((name, "must not be negative (0 turns it off)"))
        if (
            self.signal_slow_cpm
            and self.signal_fast_cpm
            and (self.signal_slow_cpm >= self.signal_fast_cpm)
        ):
            found.append(("signal_slow_cpm", "must be less than signal_fast_cpm"))
        return found


def _stretches(turns: Sequence[RatedTurn], stretch_s: float) -> list[tuple[int, int, float]]:
    """(first, last+1, rate) of each shortest run of turns reaching `stretch_s` of talk."""
    found: list[tuple[int, int, float]] = []
    j, seconds, chars = 0, 0.0, 0
    for i in range(len(turns)):
        while j < len(turns) and seconds < stretch_s:
            seconds += turns[j].span.duration
            chars += turns[j].chars
            j += 1
        if seconds < stretch_s:
            break
        found.append((i, j, 60.0 * chars / seconds))
        seconds -= turns[i].span.duration
        chars -= turns[i].chars
    return found


def _rated(ctx: CallContext, params: Params, role: Role) -> tuple[list[RatedTurn], float]:
    """The role's rated turns and their seconds of talk: the long turns, or for a curt
    agent whose long turns add up to less than `min_speech_s`, every turn of a second or
    more."""
    turns = rated_turns(ctx.timeline, ctx.transcript, role, min_turn_s=params.min_turn_s)
    seconds = sum(t.span.duration for t in turns)
    if seconds < params.min_speech_s:
        turns = rated_turns(ctx.timeline, ctx.transcript, role, min_turn_s=FALLBACK_TURN_S)
        seconds = sum(t.span.duration for t in turns)
    return list(turns), seconds


def _by_signal(ctx: CallContext, params: Params, role: Role) -> Outcome | None:
    """The overall rate from syllable nuclei, when the role's transcript is unclear."""
    clarity = ctx.clarity(role)
    if clarity is None or clarity >= ctx.clear_agent:
        return None
    lane = next((ln for ln in ctx.timeline.lanes if ln.role == role), None)
    if lane is None or lane.syllables_per_min is None or lane.talk_s < params.min_speech_s:
        return None
    rate, lo, hi = lane.syllables_per_min, params.min_cpm, params.max_cpm
    message = (
        f"overall {rate:.0f} syllables/min by the signal (range {lo:g}–{hi:g}; the "
        f"transcript is unclear, word confidence {clarity:.2f})"
    )
    spoken = ctx.spoken(role)
    evidence = tuple(
        ctx.whole(u, f"{rate:.0f} syllables/min over the call")
        for u in sorted(spoken, key=lambda u: u.start - u.end)[:1]
    )
    if not lo <= rate <= hi:
        return Outcome("fail", message, evidence)
    # The nuclei count is squeezed toward the middle at the extremes, while Whisper, even
    # when it writes the wrong characters, often writes about as many as were said.
    turns, seconds = _rated(ctx, params, role)
    text_rate = rate_of(turns) if turns and seconds >= params.min_speech_s else None
    if text_rate is None or lo <= text_rate <= hi:
        return Outcome("pass", message, evidence)
    chars = f"the transcript's characters give {text_rate:.0f} 字/分钟"
    if _leans(rate, text_rate, params):
        side = "slow" if text_rate < lo else "fast"
        return Outcome("fail", f"{message}; {chars}, and the signal leans {side} too", evidence)
    return Outcome("review", f"{message}; but {chars}", evidence)


def _leans(signal_rate: float, text_rate: float, params: Params) -> bool:
    """Whether the signal leans the way the characters put the rate out of range."""
    if text_rate < params.min_cpm:
        return 0 < signal_rate < params.signal_slow_cpm
    return 0 < params.signal_fast_cpm < signal_rate


def check(ctx: CallContext, params: Params, role: Role) -> Outcome:
    signal = _by_signal(ctx, params, role)
    if signal is not None:
        return signal
    turns, seconds = _rated(ctx, params, role)
    if seconds < params.min_speech_s or not turns:
        return Outcome(
            "na", f"{seconds:.1f} s of rated {role} talk (needs {params.min_speech_s:g})"
        )
    overall = rate_of(turns) or 0.0
    lo, hi = params.min_cpm, params.max_cpm

    def ev(i: int, j: int, rate: float) -> Evidence:
        span = turns[i:j]
        text = "".join(t.text for t in span)
        dur = sum(t.span.duration for t in span)
        return Evidence(
            start=round(span[0].span.start, 3),
            end=round(span[-1].span.end, 3),
            speaker=role,
            text=text if len(text) <= 80 else text[:79] + "…",
            confidence=1.0,
            note=f"{rate:.0f} 字/分钟 over {dur:.1f} s",
        )

    bad: list[tuple[int, int, float]] = []
    for i, j, rate in sorted(
        _stretches(turns, params.stretch_s), key=lambda s: -abs(s[2] - (lo + hi) / 2)
    ):
        if (rate > hi or rate < lo) and all(j <= a or i >= b for a, b, _ in bad):
            bad.append((i, j, rate))
    summary = f"overall {overall:.0f} 字/分钟 (range {lo:g}–{hi:g})"
    fast = overall > (lo + hi) / 2
    order = sorted(range(len(turns)), key=lambda k: -turns[k].cpm if fast else turns[k].cpm)
    extremes = sorted(order[: params.max_evidence])
    if bad or not lo <= overall <= hi:
        evidence = tuple(ev(i, j, r) for i, j, r in bad[: params.max_evidence])
        if not bad:
            evidence = tuple(ev(k, k + 1, turns[k].cpm) for k in extremes)
        where = f"; {len(bad)} sustained stretch(es) out of range" if bad else ""
        return Outcome("fail", summary + where, evidence)
    fastest = sorted(sorted(range(len(turns)), key=lambda k: -turns[k].cpm)[: params.max_evidence])
    return Outcome("pass", summary, tuple(ev(k, k + 1, turns[k].cpm) for k in fastest))


# Not reads_words: an unclear transcript is judged on the signal (`_by_signal`).
KIND = RuleKind("speaking_rate", Params, check, "speaking rate within range (字/分钟)")
