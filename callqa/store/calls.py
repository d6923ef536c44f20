"""Call lists and call pages: each call's effective score, items and evidence.

Lists are newest first and paginated by keyset (call time, call id), never by OFFSET,
so the thousandth page costs what the first does.  Calls without a time come last.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from callqa.errors import StoreError
from callqa.store.codec import evidence_records
from callqa.store.db import Store
from callqa.store.filters import EVERY_CALL, Filters
from callqa.store.rows import (
    CALL_SCORE_COLUMNS,
    OUTCOME_COLUMNS,
    CallListRow,
    CallPage,
    CallScoreRecord,
    HitRow,
    OutcomeRecord,
    record,
)

PAGE_SIZE = 50
_CALL_ID = re.compile(r"[0-9a-f]{64}")
_LIST_COLUMNS = (
    "cs.call_id, cs.file, 'scored', NULL, cs.duration, cs.agent_id, cs.team, cs.call_time,"
    " cs.scoring_id, cs.max_score, cs.score, cs.verdict,"
    " (SELECT group_concat(o.rule_id, ' ') FROM rule_outcomes o"
    "  WHERE o.scoring_id = cs.scoring_id AND o.status = 'fail')"
)
_OUTCOMES = ", ".join(f"o.{c.strip()}" for c in OUTCOME_COLUMNS.split(","))


def encode_cursor(row: CallListRow) -> str:
    return f"{row.call_time or ''}|{row.call_id}"


def decode_cursor(cursor: str) -> tuple[str | None, str]:
    """(call time or None, call id) of a cursor; StoreError if it is not one."""
    when, _, call_id = cursor.rpartition("|")
    if not _CALL_ID.fullmatch(call_id) or len(when) > 64:
        raise StoreError(f"{cursor[:80]!r} is not a page cursor - start from the first page")
    return when or None, call_id


def _list_row(row: Any) -> CallListRow:
    return record(CallListRow, [*row[:12], tuple(sorted((row[12] or "").split()))])


def list_calls(
    store: Store,
    filters: Filters = EVERY_CALL,
    *,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> CallPage:
    """One page of scored calls matching `filters`, newest first, after `cursor`."""
    where, params = filters.where(
        time="cs.call_time", agent="cs.agent_id", team="cs.team", call_id="cs.call_id"
    )
    after_time, after_id = decode_cursor(cursor) if cursor else (None, None)
    rows: list[CallListRow] = []
    if cursor is None or after_time is not None:
        cond = ["cs.call_time IS NOT NULL", *where]
        args = list(params)
        if after_time is not None:
            cond.append("(cs.call_time, cs.call_id) < (?, ?)")
            args += [after_time, after_id]
        sql = (
            f"SELECT {_LIST_COLUMNS} FROM call_scores cs WHERE {' AND '.join(cond)}"
            " ORDER BY cs.call_time DESC, cs.call_id DESC LIMIT ?"
        )
        rows += [_list_row(r) for r in store.db.execute(sql, [*args, limit + 1])]
    if len(rows) <= limit and not (filters.since or filters.until):
        cond = ["cs.call_time IS NULL", *where]
        args = list(params)
        if after_time is None and after_id is not None:
            cond.append("cs.call_id < ?")
            args.append(after_id)
        sql = (
            f"SELECT {_LIST_COLUMNS} FROM call_scores cs WHERE {' AND '.join(cond)}"
            " ORDER BY cs.call_id DESC LIMIT ?"
        )
        rows += [_list_row(r) for r in store.db.execute(sql, [*args, limit + 1 - len(rows)])]
    page = tuple(rows[:limit])
    more = len(rows) > limit
    return CallPage(page, encode_cursor(page[-1]) if more and page else None)


def call_score(store: Store, call_id: str) -> CallScoreRecord | None:
    """The call's current scoring with its effective score, None if it has none."""
    row = store.db.execute(
        f"SELECT {CALL_SCORE_COLUMNS} FROM call_scores WHERE call_id = ?", [call_id]
    ).fetchone()
    return CallScoreRecord(*row) if row else None


def outcomes(store: Store, scoring_id: int) -> list[OutcomeRecord]:
    """Every item of a scoring, machine and effective status, with its evidence."""
    rows = store.db.execute(
        f"SELECT {_OUTCOMES}, r.evidence FROM rule_outcomes o"
        " JOIN rule_results r ON r.scoring_id = o.scoring_id AND r.rule_id = o.rule_id"
        " WHERE o.scoring_id = ? ORDER BY o.position, r.rowid",
        [scoring_id],
    ).fetchall()
    return [_outcome(r) for r in rows]


def _outcome(row: Any) -> OutcomeRecord:
    cols: Any = list(row[:-1])
    evidence = row[-1]
    cols[7] = bool(cols[7])
    cols[8] = cols[8] or ""
    return record(OutcomeRecord, [*cols, evidence_records(evidence)])


def hits(
    store: Store, rule_id: str, *, status: str, filters: Filters = EVERY_CALL
) -> Iterator[HitRow]:
    """Calls (oldest first) whose current scoring has `rule_id` at effective `status`,
    with that item's evidence; rows are read as the caller iterates."""
    where, params = filters.where(
        time="cs.call_time", agent="cs.agent_id", team="cs.team", call_id="cs.call_id"
    )
    cond = " AND ".join(["o.status = ?", *where])
    sql = (
        f"SELECT cs.call_id, cs.file, cs.scoring_id, cs.agent_id, cs.team, cs.call_time,"
        f" {_OUTCOMES}, r.evidence"
        " FROM call_scores cs"
        " JOIN rule_outcomes o ON o.scoring_id = cs.scoring_id AND o.rule_id = ?"
        " JOIN rule_results r ON r.scoring_id = o.scoring_id AND r.rule_id = o.rule_id"
        f" WHERE {cond} ORDER BY cs.call_time, cs.call_id"
    )
    row: Any
    for row in store.db.execute(sql, [rule_id, status, *params]):
        yield record(HitRow, [*row[:6], _outcome(row[6:])])


def rule_ids(store: Store) -> list[str]:
    """Every item id in the stored scorings (from the daily roll-ups)."""
    return [r[0] for r in store.db.execute("SELECT DISTINCT rule_id FROM daily_rules ORDER BY 1")]
