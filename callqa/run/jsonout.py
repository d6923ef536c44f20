"""The JSON contract of `callqa score --json` (DESIGN.md), one object per call."""

from __future__ import annotations

from typing import Any

from callqa.records import CallScore, Evidence, Partial, Transcript


def _evidence(e: Evidence) -> dict[str, Any]:
    out: dict[str, Any] = {
        "start": round(e.start, 2),
        "end": round(e.end, 2),
        "speaker": e.speaker,
        "text": e.text,
        "confidence": round(e.confidence, 3),
    }
    if e.note:
        out["note"] = e.note
    return out


def partial_json(partial: Partial | None) -> dict[str, Any] | None:
    """`{"kept_s": .., "declared_s": .. or null, "reason": ..}` for a call cut short, else None."""
    if partial is None:
        return None
    return {"kept_s": partial.kept_s, "declared_s": partial.declared_s, "reason": partial.reason}


def call_json(
    *,
    call_id: str,
    file: str,
    duration: float,
    transcript: Transcript,
    score: CallScore,
    partial: Partial | None = None,
) -> dict[str, Any]:
    return {
        "call_id": call_id,
        "file": file,
        "duration": round(duration, 2),
        "agent_channel": transcript.agent_channel,
        "score": round(score.score, 1),
        "max_score": round(score.max_score, 1),
        "verdict": score.verdict,
        "rules": [
            {
                "id": r.id,
                "status": r.status,
                "points": r.points,
                "evidence": [_evidence(e) for e in r.evidence],
            }
            for r in score.rules
        ],
        "partial": partial_json(partial),
    }
