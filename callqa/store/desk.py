"""SQL of the QA desk: users' language, the review queue, sampling plans (抽检).

Tables (migration `_m4_desk`):
    user_prefs     a web user's language
    sample_plans   one row per draw: who drew it, when (UTC), seed, calls per agent,
                   period, weighting and reviewers
    sample_items   the calls a plan drew, each assigned to a reviewer; `done_at` is set
                   once, when the reviewer marks the call reviewed
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import sqlite_utils

from callqa.errors import StoreError


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def create_desk_tables(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE user_prefs (
            name TEXT PRIMARY KEY,
            lang TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE sample_plans (
            id INTEGER PRIMARY KEY,
            drawn_at TEXT NOT NULL,
            drawn_by TEXT NOT NULL,
            seed INTEGER NOT NULL,
            per_agent INTEGER NOT NULL,
            since TEXT,
            until TEXT,
            weight TEXT NOT NULL,
            reviewers TEXT NOT NULL,
            filters TEXT NOT NULL
        );
        CREATE TABLE sample_items (
            plan_id INTEGER NOT NULL REFERENCES sample_plans(id),
            call_id TEXT NOT NULL REFERENCES calls(call_id),
            reviewer TEXT NOT NULL,
            position INTEGER NOT NULL,
            done_at TEXT,
            done_by TEXT,
            note TEXT,
            PRIMARY KEY (plan_id, call_id)
        );
        CREATE INDEX sample_items_reviewer ON sample_items(reviewer, done_at);
        CREATE TRIGGER sample_plans_no_update BEFORE UPDATE ON sample_plans
            BEGIN SELECT RAISE(ABORT, 'sample plans are kept as drawn'); END;
        CREATE TRIGGER sample_items_done_once BEFORE UPDATE ON sample_items
            WHEN old.done_at IS NOT NULL OR new.call_id != old.call_id
              OR new.reviewer != old.reviewer OR new.plan_id != old.plan_id
            BEGIN SELECT RAISE(ABORT, 'a sampled call is marked done once'); END;
        """
    )


# -- language -----------------------------------------------------------------------------


def get_user_lang(store: Any, name: str) -> str | None:
    row = store.db.execute("SELECT lang FROM user_prefs WHERE name = ?", [name]).fetchone()
    return str(row[0]) if row and row[0] else None


def set_user_lang(store: Any, name: str, lang: str) -> None:
    with store.transaction() as db:
        db.execute(
            "INSERT INTO user_prefs (name, lang, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET lang = excluded.lang,"
            " updated_at = excluded.updated_at",
            [name, lang, _now()],
        )


# -- review queue -------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    rule: str | None = None
    agent: str | None = None
    team: str | None = None


def _filter_sql(f: QueueFilters, where: list[str], params: list[Any], rule_col: str) -> None:
    if f.rule:
        where.append(f"{rule_col} = ?")
        params.append(f.rule)
    if f.agent:
        where.append("c.agent_id = ?")
        params.append(f.agent)
    if f.team:
        where.append("COALESCE(c.team, a.team) = ?")
        params.append(f.team)


def uncertain_items(db: sqlite_utils.Database, f: QueueFilters) -> list[dict[str, Any]]:
    """Items of each call's latest scoring the machine left as `review` and no human set."""
    where = [
        "r.status = 'review'",
        "c.status = 'scored'",
        """NOT EXISTS (SELECT 1 FROM reviews v WHERE v.call_id = c.call_id
             AND v.rule_id = r.rule_id AND v.kind IN ('review', 'appeal_decision')
             AND v.new_status IN ('pass', 'fail')
             AND (v.scoring_id IS NULL OR v.scoring_id = s.id))""",
    ]
    params: list[Any] = []
    _filter_sql(f, where, params, "r.rule_id")
    sql = f"""
        SELECT c.call_id, c.agent_id, COALESCE(c.team, a.team) AS team, c.call_time,
               s.id AS scoring_id, s.scorecard_id, s.created_at AS since_at,
               r.rule_id, r.status, r.points, r.max_points, r.critical, r.message, r.evidence
        FROM calls c
        JOIN scorings s ON s.call_id = c.call_id AND s.id = (
            SELECT id FROM scorings WHERE call_id = c.call_id ORDER BY id DESC LIMIT 1)
        JOIN rule_results r ON r.scoring_id = s.id
        LEFT JOIN agents a ON a.agent_id = c.agent_id
        WHERE {" AND ".join(where)}
        ORDER BY s.created_at, c.call_id, r.rowid
    """
    rows = list(db.query(sql, params))
    for row in rows:
        row["evidence"] = json.loads(row["evidence"])
    return rows


def appeal_rows(db: sqlite_utils.Database, f: QueueFilters) -> list[dict[str, Any]]:
    """Appeals (open or not: the caller keeps the open ones) with their call's who/when."""
    where = ["v.kind = 'appeal'"]
    params: list[Any] = []
    _filter_sql(f, where, params, "v.rule_id")
    sql = f"""
        SELECT v.*, c.agent_id, COALESCE(c.team, a.team) AS team, c.call_time
        FROM reviews v JOIN calls c ON c.call_id = v.call_id
        LEFT JOIN agents a ON a.agent_id = c.agent_id
        WHERE {" AND ".join(where)}
        AND NOT EXISTS (SELECT 1 FROM reviews d WHERE d.call_id = v.call_id
            AND d.rule_id = v.rule_id AND d.kind = 'appeal_decision' AND d.id > v.id)
        ORDER BY v.id
    """
    return list(db.query(sql, params))


# -- sampling plans -----------------------------------------------------------------------


def sample_candidates(
    db: sqlite_utils.Database,
    *,
    since: str | None,
    until_exclusive: str | None,
    agent: str | None,
    team: str | None,
) -> list[dict[str, Any]]:
    """Scored calls with an agent in the period: call id, agent, time, latest score."""
    where = ["c.status = 'scored'", "c.agent_id IS NOT NULL"]
    params: list[Any] = []
    if since:
        where.append("c.call_time >= ?")
        params.append(since)
    if until_exclusive:
        where.append("c.call_time < ?")
        params.append(until_exclusive)
    if agent:
        where.append("c.agent_id = ?")
        params.append(agent)
    if team:
        where.append("COALESCE(c.team, a.team) = ?")
        params.append(team)
    sql = f"""
        SELECT c.call_id, c.agent_id, c.call_time, s.score, s.max_score
        FROM calls c
        JOIN scorings s ON s.id = (
            SELECT id FROM scorings WHERE call_id = c.call_id ORDER BY id DESC LIMIT 1)
        LEFT JOIN agents a ON a.agent_id = c.agent_id
        WHERE {" AND ".join(where)}
        ORDER BY c.agent_id, c.call_id
    """
    return list(db.query(sql, params))


@dataclass(frozen=True)
class PlanRow:
    id: int
    drawn_at: str
    drawn_by: str
    seed: int
    per_agent: int
    since: str | None
    until: str | None
    weight: str
    reviewers: tuple[str, ...]


def save_plan(
    store: Any,
    *,
    drawn_by: str,
    seed: int,
    per_agent: int,
    since: str | None,
    until: str | None,
    weight: str,
    reviewers: Sequence[str],
    filters: dict[str, Any],
    items: Sequence[tuple[str, str]],
) -> int:
    """Store a plan and its (call id, reviewer) items in one transaction; the plan id."""
    with store.transaction() as db:
        cursor = db.execute(
            "INSERT INTO sample_plans (drawn_at, drawn_by, seed, per_agent, since, until,"
            " weight, reviewers, filters) VALUES (?,?,?,?,?,?,?,?,?)",
            [
                _now(),
                drawn_by,
                seed,
                per_agent,
                since,
                until,
                weight,
                json.dumps(list(reviewers), ensure_ascii=False),
                json.dumps(filters, ensure_ascii=False),
            ],
        )
        plan_id = int(cursor.lastrowid or 0)
        db.conn.executemany(
            "INSERT INTO sample_items (plan_id, call_id, reviewer, position) VALUES (?,?,?,?)",
            [(plan_id, call, reviewer, i) for i, (call, reviewer) in enumerate(items)],
        )
    return plan_id


def _plan(row: dict[str, Any]) -> PlanRow:
    return PlanRow(
        row["id"],
        row["drawn_at"],
        row["drawn_by"],
        row["seed"],
        row["per_agent"],
        row["since"],
        row["until"],
        row["weight"],
        tuple(json.loads(row["reviewers"])),
    )


def list_plans(db: sqlite_utils.Database) -> list[PlanRow]:
    return [_plan(r) for r in db.query("SELECT * FROM sample_plans ORDER BY id")]


def get_plan(db: sqlite_utils.Database, plan_id: int) -> PlanRow:
    rows = list(db.query("SELECT * FROM sample_plans WHERE id = ?", [plan_id]))
    if not rows:
        raise StoreError(f"no sample plan {plan_id} - list plans with: callqa sample --list")
    return _plan(rows[0])


def sample_items(
    db: sqlite_utils.Database, *, plan_id: int | None = None, reviewer: str | None = None
) -> list[dict[str, Any]]:
    """Sampled calls with who/when and the plan they came from, in draw order."""
    where: list[str] = ["1 = 1"]
    params: list[Any] = []
    if plan_id is not None:
        where.append("i.plan_id = ?")
        params.append(plan_id)
    if reviewer is not None:
        where.append("i.reviewer = ?")
        params.append(reviewer)
    sql = f"""
        SELECT i.plan_id, i.call_id, i.reviewer, i.position, i.done_at, i.done_by, i.note,
               c.agent_id, COALESCE(c.team, a.team) AS team, c.call_time, p.drawn_at
        FROM sample_items i JOIN calls c ON c.call_id = i.call_id
        JOIN sample_plans p ON p.id = i.plan_id
        LEFT JOIN agents a ON a.agent_id = c.agent_id
        WHERE {" AND ".join(where)}
        ORDER BY i.plan_id, i.position
    """
    return list(db.query(sql, params))


def mark_sample_done(store: Any, *, plan_id: int, call_id: str, who: str, note: str | None) -> bool:
    """Mark a sampled call reviewed (once); False if it is not assigned to `who` or done."""
    with store.transaction() as db:
        cursor = db.execute(
            "UPDATE sample_items SET done_at = ?, done_by = ?, note = ?"
            " WHERE plan_id = ? AND call_id = ? AND reviewer = ? AND done_at IS NULL",
            [_now(), who, note, plan_id, call_id, who],
        )
        return cursor.rowcount == 1


def open_samples_of_call(
    db: sqlite_utils.Database, call_id: str, reviewer: str
) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT plan_id, call_id, done_at FROM sample_items"
            " WHERE call_id = ? AND reviewer = ? ORDER BY plan_id",
            [call_id, reviewer],
        )
    )


def latest_scoring_row(db: sqlite_utils.Database) -> dict[str, Any] | None:
    """The newest scoring's pass mark and scorecard (what a chart's pass line shows)."""
    rows = list(
        db.query(
            "SELECT id, pass_mark, scorecard_id, scorecard_version FROM scorings"
            " ORDER BY id DESC LIMIT 1"
        )
    )
    return rows[0] if rows else None


def known_rule_ids(db: sqlite_utils.Database) -> list[str]:
    """Every item id some stored scoring has, sorted."""
    # a loose index scan on rule_results(rule_id, status): one probe per item id
    sql = """
        WITH RECURSIVE ids(rule_id) AS (
            SELECT min(rule_id) FROM rule_results
            UNION ALL
            SELECT (SELECT min(rule_id) FROM rule_results r WHERE r.rule_id > ids.rule_id)
            FROM ids WHERE ids.rule_id IS NOT NULL)
        SELECT rule_id FROM ids WHERE rule_id IS NOT NULL ORDER BY 1
    """
    return [str(r[0]) for r in db.execute(sql)]


def agent_ids(db: sqlite_utils.Database) -> list[str]:
    """Every agent id some stored call has, sorted."""
    return [
        str(r[0])
        for r in db.execute(
            "SELECT DISTINCT agent_id FROM calls WHERE agent_id IS NOT NULL ORDER BY 1"
        )
    ]
