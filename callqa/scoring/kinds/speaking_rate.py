"""`speaking_rate`: the agent speaks neither too fast nor too slow (字/分钟).

Rate = spoken characters (from `Measures`) per minute of the agent's own speaking time:
the sum of the agent's utterance durations, so pauses between utterances and the other
party's turns do not count (pauses inside an utterance do).  Fail when the overall rate
is outside [`min_cpm`, `max_cpm`], or when a sustained stretch is: consecutive agent
utterances adding up to at least `stretch_s` seconds of speech.  Utterances shorter than
`min_utterance_s` are not rated alone (a quick 好的 has no meaningful rate).  Less than
`min_speech_s` of agent speech: na.  Evidence: the stretches out of range, else the
fastest utterances.
"""

from __future__ import annotations

from dataclasses import dataclass

from callqa.records import Evidence, Role, UtteranceMeasure
from callqa.scoring.base import Outcome, RuleKind
from callqa.scoring.context import CallContext, join_evidence


@dataclass(frozen=True)
class Params:
    min_cpm: float = 150.0
    max_cpm: float = 260.0
    stretch_s: float = 20.0
    min_utterance_s: float = 1.5
    min_speech_s: float = 5.0
    max_evidence: int = 3

    def problems(self) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        if not 0 < self.min_cpm < self.max_cpm:
            found.append(("min_cpm", "must be more than 0 and less than max_cpm"))
        if self.stretch_s <= 0:
            found.append(("stretch_s", "must be more than 0 seconds"))
        if self.max_evidence < 1:
            found.append(("max_evidence", "must be at least 1"))
        return found


def _rate(ms: list[UtteranceMeasure]) -> tuple[float, float]:
    seconds = sum(m.utterance.end - m.utterance.start for m in ms)
    chars = sum(m.chars for m in ms)
    return (60.0 * chars / seconds if seconds > 0 else 0.0), seconds


def _stretches(ms: list[UtteranceMeasure], stretch_s: float) -> list[tuple[int, int, float]]:
    """(first, last+1, rate) of each shortest run of utterances reaching `stretch_s`."""
    found: list[tuple[int, int, float]] = []
    j, seconds, chars = 0, 0.0, 0
    for i in range(len(ms)):
        while j < len(ms) and seconds < stretch_s:
            seconds += ms[j].utterance.end - ms[j].utterance.start
            chars += ms[j].chars
            j += 1
        if seconds < stretch_s:
            break
        found.append((i, j, 60.0 * chars / seconds))
        seconds -= ms[i].utterance.end - ms[i].utterance.start
        chars -= ms[i].chars
    return found


def check(ctx: CallContext, params: Params, role: Role) -> Outcome:
    ms = sorted(
        (m for m in ctx.measured(role) if m.utterance.end > m.utterance.start and m.chars),
        key=lambda m: m.utterance.start,
    )
    overall, seconds = _rate(ms)
    if seconds < params.min_speech_s:
        return Outcome("na", f"{seconds:.1f} s of {role} speech (needs {params.min_speech_s:g})")
    lo, hi = params.min_cpm, params.max_cpm

    def ev(i: int, j: int, rate: float) -> Evidence:
        span = ms[i:j]
        dur = sum(m.utterance.end - m.utterance.start for m in span)
        return join_evidence(
            ctx, [m.utterance for m in span], f"{rate:.0f} 字/分钟 over {dur:.1f} s"
        )

    bad: list[tuple[int, int, float]] = []
    for i, j, rate in sorted(
        _stretches(ms, params.stretch_s), key=lambda s: -abs(s[2] - (lo + hi) / 2)
    ):
        if (rate > hi or rate < lo) and all(j <= a or i >= b for a, b, _ in bad):
            bad.append((i, j, rate))
    summary = f"overall {overall:.0f} 字/分钟 (range {lo:g}–{hi:g})"
    fast = overall > (lo + hi) / 2
    if bad or not lo <= overall <= hi:
        evidence = tuple(ev(i, j, r) for i, j, r in bad[: params.max_evidence])
        if not bad:
            evidence = tuple(ev(k, k + 1, _cpm(ms[k])) for k in _extremes(ms, params, fast))
        where = f"; {len(bad)} sustained stretch(es) out of range" if bad else ""
        return Outcome("fail", summary + where, evidence)
    return Outcome(
        "pass",
        summary,
        tuple(ev(k, k + 1, _cpm(ms[k])) for k in _extremes(ms, params, fast=True)),
    )


def _cpm(m: UtteranceMeasure) -> float:
    return 60.0 * m.chars / (m.utterance.end - m.utterance.start)


def _extremes(ms: list[UtteranceMeasure], params: Params, fast: bool) -> list[int]:
    """The fastest (or slowest) utterances long enough to be rated alone, in time order."""
    rated = [
        k for k, m in enumerate(ms) if m.utterance.end - m.utterance.start >= params.min_utterance_s
    ]
    rated.sort(key=lambda k: -_cpm(ms[k]) if fast else _cpm(ms[k]))
    return sorted(rated[: params.max_evidence])


KIND = RuleKind("speaking_rate", Params, check, "speaking rate within range (字/分钟)")
