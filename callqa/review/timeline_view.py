"""The speech timeline for people: text lanes (`callqa show`) and bar segments (web page).

Both read a stored `Timeline` and its `CallMetrics`; nothing here measures anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from callqa.records import CallMetrics, Role, Span, Timeline
from callqa.speech.timeline import overlaps, silences

LONG_SILENCE_S = 3.0
"""Silences at least this long are marked on the web bar."""


def text_lanes(timeline: Timeline, *, width: int = 64) -> list[str]:
    """One line per role: █ where the role speaks, · where nobody does, over the call."""
    duration = max(
        timeline.duration, max((s.end for ln in timeline.lanes for s in ln.speech), default=0.0)
    )
    if duration <= 0:
        return []
    step = duration / width
    lines = []
    for role in ("agent", "customer", "unknown"):
        speech = timeline.speech(role)
        if not speech and role == "unknown":
            continue
        cells = []
        for k in range(width):
            cell = Span(k * step, (k + 1) * step)
            covered = sum(cell.overlap(s) for s in speech)
            cells.append("█" if covered >= step / 2 else ("▌" if covered > 0 else "·"))
        lines.append(f"{role:<8} |{''.join(cells)}| {sum(s.duration for s in speech):.1f} s")
    return lines


def metrics_lines(metrics: CallMetrics) -> list[str]:
    """The call metrics in two short lines."""

    def num(value: float | None, fmt: str, unit: str = "") -> str:
        return "-" if value is None else f"{value:{fmt}}{unit}"

    return [
        f"talk: agent {num(metrics.agent_talk_s, '.1f', ' s')}, customer "
        f"{num(metrics.customer_talk_s, '.1f', ' s')}; silence {metrics.silence_s:.1f} s "
        f"(longest {metrics.longest_silence_s:.1f} s); overlap {metrics.overlap_s:.1f} s; "
        f"interruptions agent {num(metrics.agent_interruptions, 'd')}, customer "
        f"{num(metrics.customer_interruptions, 'd')}",
        f"agent rate {num(metrics.agent_cpm, '.0f', ' 字/分钟')}; level agent "
        f"{num(metrics.agent_level_dbfs, '.1f', ' dBFS')}, customer "
        f"{num(metrics.customer_level_dbfs, '.1f', ' dBFS')}; clipping agent "
        f"{_pct(metrics.agent_clipping)}, customer {_pct(metrics.customer_clipping)}",
    ]


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.2f} %"


@dataclass(frozen=True)
class BarSegment:
    """A piece of the web timeline bar, in per cent of the call's length."""

    kind: str  # "agent", "customer", "unknown", "silence", "overlap"
    start: float
    end: float
    left_pct: float
    width_pct: float

    @property
    def title(self) -> str:
        return f"{self.kind} {self.start:.1f}–{self.end:.1f} s ({self.end - self.start:.1f} s)"


def bar_segments(timeline: Timeline) -> dict[str, list[BarSegment]]:
    """Segments per row of the bar: a lane per role, then silences and overlaps."""
    duration = max(
        timeline.duration, max((s.end for ln in timeline.lanes for s in ln.speech), default=0.0)
    )
    if duration <= 0:
        return {}

    def seg(kind: str, s: Span) -> BarSegment:
        return BarSegment(
            kind,
            s.start,
            s.end,
            round(100 * s.start / duration, 3),
            round(max(0.15, 100 * s.duration / duration), 3),
        )

    rows: dict[str, list[BarSegment]] = {}
    roles: tuple[Role, ...] = ("agent", "customer", "unknown")
    for role in roles:
        speech = timeline.speech(role)
        if speech or role != "unknown":
            rows[role] = [seg(role, s) for s in speech]
    rows["marks"] = [seg("silence", s) for s in silences(timeline, min_s=LONG_SILENCE_S)] + [
        seg("overlap", s) for s in overlaps(timeline)
    ]
    return rows
