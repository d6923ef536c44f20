"""The web fixture database plus what the desk needs: uncertain items (status `review`).

c5 (A2, 100, pass): `closing` left as review by the machine (0 points deducted).
c7 (B1, 100, pass): `self_intro` left as review.
"""

from __future__ import annotations

from pathlib import Path

from callqa.store.db import Store
from tests.web.fixture_db import build, call_id

UNCERTAIN = (("c5", "closing"), ("c7", "self_intro"))


def mark_review(store: Store, key: str, rule: str, message: str = "") -> None:
    store.db.execute(
        "UPDATE rule_results SET status = 'review', points = 0, message = ? WHERE rule_id = ?"
        " AND scoring_id = (SELECT MAX(id) FROM scorings WHERE call_id = ?)",
        [message, rule, call_id(key)],
    )


def build_desk(db: Path, audio: Path | None = None, *, users: bool = False) -> Store:
    store = build(db, audio, users=users)
    mark_review(
        store,
        "c5",
        "closing",
        "missing in the last 30 s: offer of further help (还有什么) - but the transcript "
        "there is uncertain",
    )
    mark_review(store, "c7", "self_intro", '{"id": "kind.new_reason", "params": {"x": 1}}')
    # c7 entered the queue before c5 (oldest first)
    store.db.execute(
        "UPDATE scorings SET created_at = '2026-11-24T01:00:00+00:00' WHERE call_id = ?",
        [call_id("c7")],
    )
    store.db.execute(
        "UPDATE scorings SET created_at = '2026-11-25T01:00:00+00:00' WHERE call_id = ?",
        [call_id("c5")],
    )
    return store
