"""Diarization error rate against a reference RTTM, with pyannote.metrics.

DER = (missed speech + false alarm + speaker confusion) / total reference speech, with the
speaker labels mapped optimally.  Overlapped speech is scored (``skip_overlap=False``):
a turn missing under another speaker's counts as missed speech.  Two collars are reported,
in pyannote's convention, where ``collar`` is the total width removed around each
reference boundary: 0 (strict) and 0.25 (±0.125 s).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from callqa.records import Diarization, Turn

COLLARS = (0.0, 0.25)


@dataclass(frozen=True)
class DerReport:
    """Diarization error of one recording.  Times are seconds at collar 0."""

    uri: str
    der_collar0: float
    der_collar025: float
    missed: float
    false_alarm: float
    confusion: float
    total: float
    """Reference speech (overlap counted once per speaker), the DER's denominator."""
    missed_collar025: float = 0.0
    false_alarm_collar025: float = 0.0
    confusion_collar025: float = 0.0
    total_collar025: float = 0.0
    duration: float = 0.0

    def as_dict(self) -> dict[str, float | str]:
        return {
            "uri": self.uri,
            "der_collar0": round(self.der_collar0, 4),
            "der_collar025": round(self.der_collar025, 4),
            "missed": round(self.missed, 3),
            "false_alarm": round(self.false_alarm, 3),
            "confusion": round(self.confusion, 3),
            "total": round(self.total, 3),
            "missed_collar025": round(self.missed_collar025, 3),
            "false_alarm_collar025": round(self.false_alarm_collar025, 3),
            "confusion_collar025": round(self.confusion_collar025, 3),
            "total_collar025": round(self.total_collar025, 3),
            "duration": round(self.duration, 3),
        }


def read_rttm(path: Path, *, uri: str | None = None) -> tuple[Turn, ...]:
    """Reference turns from an RTTM file (SPEAKER lines; the first or the named file id)."""
    turns: list[Turn] = []
    chosen = uri
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if len(fields) < 8 or fields[0] != "SPEAKER":
            continue
        file_id = fields[1]
        if chosen is None:
            chosen = file_id
        if file_id != chosen:
            continue
        start, duration = float(fields[3]), float(fields[4])
        turns.append(Turn(start, round(start + duration, 6), fields[7]))
    return tuple(sorted(turns, key=lambda t: (t.start, t.end, t.speaker)))


def write_rttm(diarization: Diarization, uri: str) -> str:
    """RTTM text of `diarization` (one SPEAKER line per turn)."""
    return "".join(
        f"SPEAKER {uri} 1 {t.start:.3f} {t.end - t.start:.3f} <NA> <NA> {t.speaker} <NA> <NA>\n"
        for t in sorted(diarization.turns, key=lambda t: (t.start, t.end))
    )


def _annotation(turns: tuple[Turn, ...], uri: str) -> Any:
    from pyannote.core import Annotation, Segment

    annotation = Annotation(uri=uri)
    for turn in turns:
        segment = Segment(turn.start, turn.end)
        annotation[segment, annotation.new_track(segment)] = turn.speaker
    return annotation


def diarization_error(
    reference_rttm: Path,
    hypothesis: Diarization,
    *,
    uri: str | None = None,
    duration: float | None = None,
) -> DerReport:
    """DER of `hypothesis` against the reference RTTM, at collars 0 and 0.25, overlap scored.

    The scored region is [0, duration] (default: up to the last reference or hypothesis turn).
    """
    from pyannote.core import Segment, Timeline
    from pyannote.metrics.diarization import DiarizationErrorRate

    reference_turns = read_rttm(reference_rttm, uri=uri)
    name = uri or Path(reference_rttm).stem
    end = (
        duration
        if duration is not None
        else max([t.end for t in reference_turns] + [t.end for t in hypothesis.turns] + [0.0])
    )
    reference = _annotation(reference_turns, name)
    hyp = _annotation(hypothesis.turns, name)
    uem = Timeline([Segment(0.0, end)], uri=name)
    details = {}
    for collar in COLLARS:
        metric = DiarizationErrorRate(collar=collar, skip_overlap=False)
        details[collar] = metric(reference, hyp, uem=uem, detailed=True)
    strict, loose = details[0.0], details[0.25]
    return DerReport(
        uri=name,
        der_collar0=float(strict["diarization error rate"]),
        der_collar025=float(loose["diarization error rate"]),
        missed=float(strict["missed detection"]),
        false_alarm=float(strict["false alarm"]),
        confusion=float(strict["confusion"]),
        total=float(strict["total"]),
        missed_collar025=float(loose["missed detection"]),
        false_alarm_collar025=float(loose["false alarm"]),
        confusion_collar025=float(loose["confusion"]),
        total_collar025=float(loose["total"]),
        duration=float(end),
    )
