"""Reviews and appeals as stored: open appeals.

An appeal is open while no `appeal_decision` on the same item of the same call came
after it (`callqa.review.reviews` builds on this; nothing else decides it).
"""

from __future__ import annotations

from callqa.store.db import Store
from callqa.store.rows import (
    CALL_COLUMNS,
    REVIEW_COLUMNS,
    CallRecord,
    ReviewRecord,
)

_OPEN = """r.kind = 'appeal' AND NOT EXISTS (
    SELECT 1 FROM reviews d
    WHERE d.call_id = r.call_id AND d.kind = 'appeal_decision'
      AND d.rule_id IS r.rule_id AND d.id > r.id)"""
_R = ", ".join(f"r.{c.strip()}" for c in REVIEW_COLUMNS.split(","))
_C = ", ".join(f"c.{c.strip()}" for c in CALL_COLUMNS.split(","))


def open_appeals(
    store: Store, *, agent_id: str | None = None, call_id: str | None = None
) -> list[tuple[ReviewRecord, CallRecord]]:
    """Open appeals with their call, oldest first (of one agent or one call if given)."""
    where, params = [_OPEN], []
    if agent_id is not None:
        where.append("c.agent_id = ?")
        params.append(agent_id)
    if call_id is not None:
        where.append("r.call_id = ?")
        params.append(call_id)
    rows = store.db.execute(
        f"SELECT {_R}, {_C} FROM reviews r JOIN calls c ON c.call_id = r.call_id"
        f" WHERE {' AND '.join(where)} ORDER BY r.id",
        params,
    ).fetchall()
    width = len(REVIEW_COLUMNS.split(","))
    return [(ReviewRecord(*row[:width]), CallRecord(*row[width:])) for row in rows]
