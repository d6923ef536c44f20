"""Transcript search (关键词检索): an FTS5 index over utterance text, trigram tokenizer.

The index `utterances_fts` is an external-content FTS5 table built by sqlite-utils
(`Table.enable_fts`) with triggers, so it follows `utterances` by itself: every call
stored, re-scored or deleted updates it in the same transaction.  The trigram tokenizer
indexes every run of three characters, so any Chinese substring of three or more
characters matches without word segmentation; shorter queries (两个字 such as 投诉) fall
back to LIKE over the same rows.  Only each call's latest scoring is searched.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlite_utils

from callqa.errors import StoreError

FTS_TABLE = "utterances_fts"
TRIGRAM_MIN = 3
MAX_QUERY = 200
ROLES = ("agent", "customer")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def trigram_supported(db: sqlite_utils.Database) -> bool:
    """SQLite 3.34+ ships the trigram tokenizer; probe it rather than trust the version."""
    try:
        db.execute("CREATE VIRTUAL TABLE temp._callqa_probe USING fts5(x, tokenize='trigram')")
    except sqlite3.OperationalError:
        return False
    db.execute("DROP TABLE temp._callqa_probe")
    return True


def enable_search(db: sqlite_utils.Database) -> None:
    """Create the trigram FTS5 index over utterances (and fill it from the rows there).

    Without trigram support (SQLite older than 3.34) no index is made: search still
    works, by LIKE alone.
    """
    if not trigram_supported(db):
        return
    db.table("utterances").enable_fts(["text"], create_triggers=True, tokenize="trigram")


@dataclass(frozen=True)
class SearchHit:
    """One utterance of a call's latest scoring that contains the query."""

    call_id: str
    agent_id: str | None
    team: str | None
    call_time: str | None
    start: float
    end: float
    role: str
    speaker: str
    text: str


@dataclass(frozen=True)
class SearchQuery:
    text: str
    role: str | None = None
    agent: str | None = None
    team: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int = 200

    def terms(self) -> list[str]:
        return self.text.split()


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_utterances(db: sqlite_utils.Database, query: SearchQuery) -> list[SearchHit]:
    """Utterances whose text contains every term of the query, oldest call first.

    Terms of three characters or more go through the FTS5 trigram index; shorter ones
    (or all of them, where the index is missing) through LIKE.
    """
    terms = query.terms()
    if not terms:
        raise StoreError("empty search - give the words to look for")
    if len(query.text) > MAX_QUERY:
        raise StoreError(f"search text too long ({len(query.text)} > {MAX_QUERY} characters)")
    if query.role is not None and query.role not in ROLES:
        raise StoreError(f"role {query.role!r} - choose agent or customer")
    indexed = db[FTS_TABLE].exists()
    long_terms = [t for t in terms if len(t) >= TRIGRAM_MIN] if indexed else []
    short_terms = [t for t in terms if t not in long_terms]
    where = [
        "c.status = 'scored'",
        "u.scoring_id = (SELECT id FROM scorings WHERE call_id = c.call_id"
        " ORDER BY id DESC LIMIT 1)",
    ]
    params: list[Any] = []
    source = "utterances u"
    if long_terms:
        source = f"{FTS_TABLE} f JOIN utterances u ON u.rowid = f.rowid"
        where.append(f"{FTS_TABLE} MATCH ?")
        params.append(" ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
    for term in short_terms:
        where.append("u.text LIKE ? ESCAPE '\\'")
        params.append(f"%{_escape_like(term)}%")
    if query.role:
        where.append("u.role = ?")
        params.append(query.role)
    if query.agent:
        where.append("c.agent_id = ?")
        params.append(query.agent)
    if query.team:
        where.append("COALESCE(c.team, a.team) = ?")
        params.append(query.team)
    if query.since:
        where.append("c.call_time >= ?")
        params.append(query.since)
    if query.until:
        until = query.until
        if _DAY.fullmatch(until):
            where.append("c.call_time < ?")
            until = (date.fromisoformat(until) + timedelta(days=1)).isoformat()
        else:
            where.append("c.call_time <= ?")
        params.append(until)
    sql = f"""
        SELECT c.call_id, c.agent_id, COALESCE(c.team, a.team), c.call_time,
               u.start, u."end", u.role, u.speaker, u.text
        FROM {source}
        JOIN scorings s ON s.id = u.scoring_id
        JOIN calls c ON c.call_id = s.call_id
        LEFT JOIN agents a ON a.agent_id = c.agent_id
        WHERE {" AND ".join(where)}
        ORDER BY c.call_time, c.call_id, u.start
        LIMIT ?
    """
    params.append(max(1, int(query.limit)))
    return [SearchHit(*row) for row in db.execute(sql, params).fetchall()]


def snippet_parts(text: str, terms: list[str], *, context: int = 12) -> tuple[str, str, str]:
    """(before, the first term found, after), each side cut to `context` characters."""
    found = [(text.find(t), t) for t in terms if t and text.find(t) >= 0]
    if not found:
        return (text[: 2 * context] + ("…" if len(text) > 2 * context else ""), "", "")
    at, term = min(found)
    start, end = max(0, at - context), min(len(text), at + len(term) + context)
    return (
        ("…" if start > 0 else "") + text[start:at],
        term,
        text[at + len(term) : end] + ("…" if end < len(text) else ""),
    )


def snippet(text: str, terms: list[str], *, context: int = 12, mark: str = "[]") -> str:
    """The text around the first term found, the term marked (`mark`: open and close)."""
    before, term, after = snippet_parts(text, terms, context=context)
    return before + (mark[0] + term + mark[-1] if term else "") + after
