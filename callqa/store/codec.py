"""The one JSON codec of the database: evidence spans, word timings and timings.

Evidence is stored as a JSON list of objects (`start`, `end`, `speaker`, `text`,
`confidence`, `note`), times rounded to 10 ms and confidences to 0.001; words as a list
of `[start, end, text, probability]`.  Everything that reads or writes these columns
goes through here, so the format has one definition.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from callqa.records import Evidence, Word


def dumps(value: Any) -> str:
    """Compact UTF-8 JSON."""
    return orjson.dumps(value).decode()


def loads(text: str | bytes | None) -> Any:
    return orjson.loads(text) if text else None


def evidence_json(evidence: Iterable[Evidence]) -> str:
    return dumps(
        [
            {
                "start": round(e.start, 2),
                "end": round(e.end, 2),
                "speaker": e.speaker,
                "text": e.text,
                "confidence": round(e.confidence, 3),
                "note": e.note,
            }
            for e in evidence
        ]
    )


def evidence_record(e: Mapping[str, Any]) -> Evidence:
    return Evidence(
        start=float(e["start"]),
        end=float(e["end"]),
        speaker=e.get("speaker", "unknown"),
        text=e.get("text", ""),
        confidence=float(e.get("confidence", 1.0)),
        note=e.get("note", "") or "",
    )


def evidence_records(text: str | bytes | None) -> tuple[Evidence, ...]:
    return tuple(evidence_record(e) for e in loads(text) or ())


def words_json(words: Iterable[Word]) -> str:
    return dumps([(w.start, w.end, w.text, w.probability) for w in words])


def words_records(text: str | bytes | None) -> tuple[Word, ...]:
    return tuple(Word(float(w[0]), float(w[1]), str(w[2]), float(w[3])) for w in loads(text) or ())
