"""SQLite storage through sqlite-utils: WAL, migrations in code, one transaction per call.

Tables:
    calls         one row per audio file's content (sha256), status scored|failed
    scorings      one row per (call, scorecard version, model): score and verdict
    utterances    the transcript of a scoring, by speaker and role
    rule_results  one row per scorecard item of a scoring, evidence as JSON
    agents        agent id and team
    reviews       human overrides, appeals and relabels: append-only (who, when, why)
    utterances_fts  trigram FTS5 index over utterance text (`callqa.store.search`)
    user_prefs, sample_plans, sample_items   the QA desk (`callqa.store.desk`)

Each scoring row also carries the call's speech timeline (JSON), its call-level reason
and the call metrics as real columns (`METRIC_COLUMNS`).

A call is written whole or not at all: `save_result` and `save_failure` each run in
one transaction, so a crash or Ctrl-C leaves every finished call and nothing half-written.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from callqa.errors import StoreError
from callqa.records import (
    CallMetrics,
    CallResult,
    CallScore,
    Lane,
    Partial,
    RoleAssignment,
    RuleResult,
    Span,
    Timeline,
    Transcript,
    Utterance,
)
from callqa.store import schema
from callqa.store.auth import (
    AUTH_SUFFIX,
    AuthStore,
    auth_path_for,
    drop_legacy_credentials,
    legacy_credentials,
)
from callqa.store.codec import (
    dumps,
    evidence_json,
    evidence_records,
    loads,
    words_json,
    words_records,
)
from callqa.store.desk import create_desk_tables
from callqa.store.rows import (
    CALL_COLUMNS,
    REVIEW_COLUMNS,
    SCORING_COLUMNS,
    CallRecord,
    ReviewRecord,
    ScoringRecord,
    UtteranceRecord,
)
from callqa.store.search import enable_search

log = logging.getLogger(__name__)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _m1_initial(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE calls (
            call_id TEXT PRIMARY KEY,
            file TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('scored', 'failed')),
            error TEXT,
            duration REAL,
            channels INTEGER,
            sample_rate INTEGER,
            agent_channel TEXT,
            agent_id TEXT,
            team TEXT,
            call_time TEXT,
            role_confidence REAL,
            roles_swapped INTEGER,
            role_reason TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX calls_agent ON calls(agent_id);
        CREATE INDEX calls_time ON calls(call_time);
        CREATE TABLE scorings (
            id INTEGER PRIMARY KEY,
            call_id TEXT NOT NULL REFERENCES calls(call_id),
            scorecard_id TEXT NOT NULL,
            scorecard_version TEXT NOT NULL,
            model TEXT NOT NULL,
            score REAL NOT NULL,
            max_score REAL NOT NULL,
            verdict TEXT NOT NULL,
            timings TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (call_id, scorecard_version, model)
        );
        CREATE TABLE utterances (
            scoring_id INTEGER NOT NULL REFERENCES scorings(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start REAL NOT NULL,
            "end" REAL NOT NULL,
            speaker TEXT NOT NULL,
            role TEXT NOT NULL,
            text TEXT NOT NULL,
            confidence REAL,
            loudness_dbfs REAL,
            words TEXT,
            PRIMARY KEY (scoring_id, idx)
        );
        CREATE TABLE rule_results (
            scoring_id INTEGER NOT NULL REFERENCES scorings(id) ON DELETE CASCADE,
            rule_id TEXT NOT NULL,
            status TEXT NOT NULL,
            points REAL NOT NULL,
            max_points REAL NOT NULL,
            critical INTEGER NOT NULL,
            message TEXT,
            evidence TEXT NOT NULL,
            PRIMARY KEY (scoring_id, rule_id)
        );
        CREATE TABLE agents (
            agent_id TEXT PRIMARY KEY,
            team TEXT
        );
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            call_id TEXT NOT NULL REFERENCES calls(call_id),
            scoring_id INTEGER REFERENCES scorings(id),
            rule_id TEXT,
            kind TEXT NOT NULL,
            who TEXT NOT NULL,
            at TEXT NOT NULL,
            old_status TEXT,
            new_status TEXT,
            reason TEXT
        );
        CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
            BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
        CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
            BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
        """
    )


def _m2_review_surfaces(db: sqlite_utils.Database) -> None:
    """Web users and roles, key/value settings (the session secret), a reviews index, and
    each scoring's pass mark (NULL until the pipeline writes it), so that a reviewed call's
    verdict can be recomputed the way the rules engine decided it."""
    db.executescript(
        """
        ALTER TABLE scorings ADD COLUMN pass_mark REAL;
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE users (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('supervisor', 'trainer', 'agent')),
            agent_id TEXT,
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            CHECK (role != 'agent' OR agent_id IS NOT NULL)
        );
        CREATE INDEX reviews_call_rule ON reviews(call_id, rule_id);
        """
    )


def _m3_scoring_options(db: sqlite_utils.Database) -> None:
    # The options that produced a scoring: a change re-scores instead of skipping.
    db.execute("ALTER TABLE scorings ADD COLUMN options TEXT NOT NULL DEFAULT ''")
    # The company the agent answered for (manifest or file name), for re-scoring.
    db.execute("ALTER TABLE calls ADD COLUMN company TEXT")


def _m4_transcript_search(db: sqlite_utils.Database) -> None:
    """The trigram FTS5 index over utterance text (`callqa.store.search`), filled from the
    utterances already stored and kept in step by triggers."""
    enable_search(db)


def _m5_desk(db: sqlite_utils.Database) -> None:
    """The QA desk (`callqa.store.desk`): users' language, sampling plans and their items."""
    create_desk_tables(db)


def _m6_partial_calls(db: sqlite_utils.Database) -> None:
    """Calls cut short: how many seconds were kept of how many declared (NULL: unknown),
    and how the cut was noticed.  `partial` is 0 for a whole call."""
    db.executescript(
        """
        ALTER TABLE calls ADD COLUMN partial INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE calls ADD COLUMN kept_s REAL;
        ALTER TABLE calls ADD COLUMN declared_s REAL;
        ALTER TABLE calls ADD COLUMN partial_reason TEXT;
        """
    )


def _m7_credentials_out(db: sqlite_utils.Database) -> None:
    """Users, password hashes and the signing key leave the analytics database: they move
    to the auth store beside it (`callqa.store.auth`, committed there first, so a crash
    before this step commits only repeats the copy), then their tables are dropped here."""
    users, settings = legacy_credentials(db.conn)
    file = str(db.execute("PRAGMA database_list").fetchone()[2] or "")
    if (users or settings) and file:
        target = auth_path_for(file)
        auth = AuthStore.open(target)
        try:
            auth.adopt(users, settings)
        finally:
            auth.close()
        log.warning(
            "%s: moved %d web user(s) and the signing key to %s (pass --auth-db to move it)",
            file,
            len(users),
            target,
        )
    drop_legacy_credentials(db.conn)


def _m8_call_scores(db: sqlite_utils.Database) -> None:
    """Views of each call's effective score (`call_scores`, `scoring_scores`,
    `rule_outcomes`), indexes for the report filters, each item's position in its
    scorecard, and the daily roll-ups the reports read (see `callqa.store.schema`)."""
    if "position" not in db["rule_results"].columns_dict:
        db.executescript(schema.POSITIONS)
    db.executescript(schema.MIGRATION)


METRIC_COLUMNS: tuple[tuple[str, str], ...] = (
    ("agent_talk_s", "REAL"),
    ("customer_talk_s", "REAL"),
    ("silence_s", "REAL"),
    ("longest_silence_s", "REAL"),
    ("overlap_s", "REAL"),
    ("agent_interruptions", "INTEGER"),
    ("customer_interruptions", "INTEGER"),
    ("agent_cpm", "REAL"),
    ("agent_level_dbfs", "REAL"),
    ("customer_level_dbfs", "REAL"),
    ("agent_clipping", "REAL"),
    ("customer_clipping", "REAL"),
)
"""The call metrics (`CallMetrics`), one real column each on `scorings` (reports use them)."""


def _m9_timeline(db: sqlite_utils.Database) -> None:
    """The speech timeline of each scoring (JSON: lanes of speech spans with level and
    clipping), its call-level reason (a silent channel, one voice), and the call metrics
    as real columns, so that reports and views aggregate them in SQL."""
    columns = [("reason", "TEXT"), ("timeline", "TEXT"), *METRIC_COLUMNS]
    have = set(db.table("scorings").columns_dict)  # re-runnable (a rewound user_version)
    for name, kind in columns:
        if name not in have:
            db.execute(f"ALTER TABLE scorings ADD COLUMN {name} {kind}")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _m1_initial,
    _m2_review_surfaces,
    _m3_scoring_options,
    _m4_transcript_search,
    _m5_desk,
    _m6_partial_calls,
    _m7_credentials_out,
    _m8_call_scores,
    _m9_timeline,
]
"""Schema steps in order; PRAGMA user_version counts those applied.  Only ever append."""


_F = TypeVar("_F", bound=Callable[..., Any])
LOCK_WAIT_S = 30.0


def _when_unlocked(step: Callable[[], None]) -> None:
    """Run `step`, again while another process holds the lock, for up to LOCK_WAIT_S.

    Switching a new database to WAL can answer "database is locked" at once, without
    waiting, while another process is creating the same database.
    """
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _write_errors(method: _F) -> _F:
    """A write that the database refuses (disk full, read-only, I/O error) as a one-line
    `StoreError`; the transaction was rolled back, so what was stored stays intact."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if "full" in text:
                fix = "free some disk space (or raise the size limit), then run it again"
            elif "readonly" in text or "read-only" in text:
                fix = "make the database and its folder writable, or pass another --db"
            elif "locked" in text or "busy" in text:
                fix = "another program holds the database; try again when it is done"
            else:
                fix = "check the disk and the file"
            raise StoreError(
                f"{self.path}: cannot write to the database ({text}) - {fix}"
            ) from None

    return wrapper  # type: ignore[return-value]


@dataclass(frozen=True)
class AuditEntry:
    """One append-only audit row: who changed what on a call, when (set on write), and why."""

    kind: str
    who: str
    reason: str | None
    rule_id: str | None = None
    old_status: str | None = None
    new_status: str | None = None


@dataclass(frozen=True)
class CallRow:
    call_id: str
    file: str
    status: str
    error: str | None
    duration: float | None
    agent_id: str | None
    team: str | None
    call_time: str | None
    score: float | None
    verdict: str | None
    scoring_id: int | None
    partial: bool = False


class Store:
    """The callqa database.  Open with `Store.open(path)`; it migrates on open."""

    def __init__(self, db: sqlite_utils.Database, path: str) -> None:
        self.db = db
        self.path = path

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> Store:
        """The database at `path`, migrated; a missing file is created unless `create`
        is False (then `StoreError` says so and lists the databases nearby)."""
        name = str(path)
        if not create:
            require_database(name)
        try:
            if name != ":memory:":
                Path(name).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(name, isolation_level=None, timeout=30)
            conn.execute("PRAGMA foreign_keys = ON")
            db = sqlite_utils.Database(conn)
            if name != ":memory:":
                _when_unlocked(db.enable_wal)
                # WAL + NORMAL: a crash never corrupts or half-writes; only a power cut can
                # lose the last few committed calls (they are re-scored on the next run).
                conn.execute("PRAGMA synchronous = NORMAL")
            store = cls(db, name)
            _when_unlocked(store._migrate)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{name}: cannot open the database ({exc}) - "
                "is it a callqa SQLite file? pass another --db"
            ) from None
        except OSError as exc:
            raise StoreError(f"{name}: cannot create the database ({exc.strerror})") from None
        return store

    def close(self) -> None:
        self.db.conn.close()

    def _migrate(self) -> None:
        """Bring the schema up to date in one BEGIN IMMEDIATE transaction.

        The version is read again inside the write lock, so two processes creating the
        same new database at once never both run a migration: the second waits, then finds
        the schema current.
        """
        if self._schema_version() == len(MIGRATIONS):
            return
        with self.transaction():
            version = self._schema_version()
            for step, migration in enumerate(MIGRATIONS[version:], start=version + 1):
                migration(self.db)
                self.db.execute(f"PRAGMA user_version = {step}")
                log.info("%s: migrated schema to version %d", self.path, step)

    def _schema_version(self) -> int:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: schema version {version} is newer than this callqa "
                f"knows ({len(MIGRATIONS)}) - upgrade callqa"
            )
        return version

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error (Ctrl-C included)."""
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # a failed COMMIT (disk full) leaves it open
                conn.execute("ROLLBACK")
            raise

    # -- queries -------------------------------------------------------------------------

    def has_scoring(
        self, call_id: str, *, scorecard_version: str, model: str, options: str = ""
    ) -> bool:
        """Whether this call is stored as scored with this scorecard, model and options."""
        row = self.db.execute(
            "SELECT 1 FROM scorings WHERE call_id = ? AND scorecard_version = ? AND model = ?"
            " AND options = ?",
            [call_id, scorecard_version, model, options],
        ).fetchone()
        return row is not None

    def calls(self) -> list[CallRow]:
        """Every call with its current scoring's effective score (after reviews), by file."""
        sql = """
            SELECT c.call_id, c.file, c.status, c.error, c.duration, c.agent_id, c.team,
                   c.call_time, cs.score, cs.verdict, cs.scoring_id, c.partial
            FROM calls c LEFT JOIN call_scores cs ON cs.call_id = c.call_id
            ORDER BY c.file
        """
        rows = [CallRow(*row) for row in self.db.execute(sql).fetchall()]
        return [replace(r, partial=bool(r.partial)) for r in rows]

    def find_call(self, prefix: str) -> str:
        """The full call id for an id or a unique prefix of it (at least 6 characters)."""
        if len(prefix) < 6:
            raise StoreError(f"call id {prefix!r} is too short - give at least 6 characters")
        rows = self.db.execute(
            "SELECT call_id FROM calls WHERE call_id LIKE ? ESCAPE '\\' LIMIT 2",
            [prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"],
        ).fetchall()
        if not rows:
            raise StoreError(f"{self.path}: no call {prefix!r} - list calls with: callqa calls")
        if len(rows) > 1:
            raise StoreError(f"call id prefix {prefix!r} is ambiguous - give more characters")
        return str(rows[0][0])

    def call(self, call_id: str) -> CallRecord:
        """The call's row; StoreError if there is none."""
        found = self.find_row(call_id)
        if found is None:
            raise StoreError(f"{self.path}: no call {call_id!r} - list calls with: callqa calls")
        return found

    def partial(self, call_id: str) -> Partial | None:
        """How a call was cut short, or None for a whole call."""
        row = self.db.execute(
            "SELECT partial, kept_s, declared_s, partial_reason FROM calls WHERE call_id = ?",
            [call_id],
        ).fetchone()
        if row is None or not row[0]:
            return None
        return Partial(kept_s=row[1] or 0.0, declared_s=row[2], reason=row[3] or "")

    def find_row(self, call_id: str) -> CallRecord | None:
        row = self.db.execute(
            f"SELECT {CALL_COLUMNS} FROM calls WHERE call_id = ?", [call_id]
        ).fetchone()
        return CallRecord(*row) if row else None

    def latest_scoring(self, call_id: str) -> ScoringRecord | None:
        """The call's current scoring (its latest), as the machine scored it."""
        row = self.db.execute(
            f"SELECT {SCORING_COLUMNS} FROM scorings WHERE call_id = ? ORDER BY id DESC LIMIT 1",
            [call_id],
        ).fetchone()
        return ScoringRecord(*row) if row else None

    def utterances(self, scoring_id: int) -> list[UtteranceRecord]:
        rows = self.db.execute(
            'SELECT idx, start, "end", speaker, role, text, confidence, loudness_dbfs, words'
            " FROM utterances WHERE scoring_id = ? ORDER BY idx",
            [scoring_id],
        ).fetchall()
        return [
            UtteranceRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], words_records(r[8]))
            for r in rows
        ]

    def rule_results(self, scoring_id: int) -> list[RuleResult]:
        """The machine's item results of a scoring, in scorecard order."""
        rows = self.db.execute(
            "SELECT rule_id, status, points, evidence, message, critical, max_points"
            " FROM rule_results WHERE scoring_id = ? ORDER BY position, rowid",
            [scoring_id],
        ).fetchall()
        return [
            RuleResult(
                id=r[0],
                status=r[1],
                points=r[2],
                evidence=evidence_records(r[3]),
                message=r[4] or "",
                critical=bool(r[5]),
                max_points=r[6],
            )
            for r in rows
        ]

    def reviews(self, call_id: str) -> list[ReviewRecord]:
        rows = self.db.execute(
            f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE call_id = ? ORDER BY id", [call_id]
        ).fetchall()
        return [ReviewRecord(*r) for r in rows]

    def review(self, review_id: int) -> ReviewRecord | None:
        row = self.db.execute(
            f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE id = ?", [review_id]
        ).fetchone()
        return ReviewRecord(*row) if row else None

    def load_transcript(self, scoring_id: int) -> Transcript:
        """The stored transcript of a scoring, as records again."""
        row = self.db.execute(
            "SELECT c.duration, c.agent_channel, c.role_confidence, c.roles_swapped,"
            " c.role_reason, s.timeline FROM scorings s JOIN calls c ON c.call_id = s.call_id"
            " WHERE s.id = ?",
            [scoring_id],
        ).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no scoring {scoring_id}")
        duration, agent_channel, confidence, swapped, reason, timeline = row
        utterances = tuple(
            Utterance(
                start=u.start,
                end=u.end,
                speaker=u.speaker,
                role=u.role,  # type: ignore[arg-type]
                text=u.text,
                words=u.words,
                confidence=u.confidence if u.confidence is not None else 1.0,
                loudness_dbfs=u.loudness_dbfs,
            )
            for u in self.utterances(scoring_id)
        )
        agents = {u.speaker for u in utterances if u.role == "agent"}
        roles = RoleAssignment(
            agent_speaker=next(iter(agents)) if len(agents) == 1 else None,
            confidence=confidence if confidence is not None else 0.0,
            swapped=bool(swapped),
            reason=reason or "",
        )
        return Transcript(
            utterances,
            duration or 0.0,
            roles,
            agent_channel=agent_channel,
            timeline=_timeline_from_json(timeline),
        )

    def load_metrics(self, scoring_id: int) -> CallMetrics | None:
        """The stored call metrics of a scoring; None for one scored before they existed."""
        names = [name for name, _ in METRIC_COLUMNS]
        row = self.db.execute(
            f"SELECT {', '.join(names)} FROM scorings WHERE id = ?", [scoring_id]
        ).fetchone()
        if row is None or all(value is None for value in row):
            return None
        return CallMetrics(*row)

    def reason_of(self, scoring_id: int) -> str:
        """The scoring's call-level reason (a silent channel, one voice), "" if none."""
        row = self.db.execute("SELECT reason FROM scorings WHERE id = ?", [scoring_id]).fetchone()
        return str(row[0]) if row and row[0] else ""

    def load_score(self, scoring_id: int) -> CallScore:
        """The stored machine score of a scoring, as records again (before reviews)."""
        row = self.db.execute(
            "SELECT score, max_score, verdict, scorecard_id, scorecard_version, pass_mark,"
            " reason FROM scorings"
            " WHERE id = ?",
            [scoring_id],
        ).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no scoring {scoring_id}")
        rules = tuple(self.rule_results(scoring_id))
        return CallScore(row[0], row[1], row[2], rules, row[3], row[4], row[5], row[6] or "")

    def integrity_ok(self) -> bool:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # -- writes --------------------------------------------------------------------------

    @_write_errors
    def save_result(self, result: CallResult, *, review: AuditEntry | None = None) -> int:
        """Write a scored call whole (call, scoring, utterances, rule results) or not at all.

        `review`, when given, is the audit row of a human change (a relabel, say),
        written in the same transaction.
        """
        score = result.score
        t = result.transcript
        with self.transaction() as db:
            before = self._bucket(db, result.call_id)
            self._upsert_call(
                db,
                call_id=result.call_id,
                file=result.file,
                status="scored",
                error=None,
                duration=result.duration,
                channels=result.channels,
                sample_rate=result.source_sample_rate,
                agent_channel=t.agent_channel,
                agent_id=result.meta.agent_id,
                team=result.meta.team,
                call_time=result.meta.call_time,
                company=result.meta.company,
                role_confidence=t.roles.confidence,
                roles_swapped=int(t.roles.swapped),
                role_reason=t.roles.reason,
                partial=int(result.partial is not None),
                kept_s=result.partial.kept_s if result.partial else None,
                declared_s=result.partial.declared_s if result.partial else None,
                partial_reason=result.partial.reason if result.partial else None,
            )
            cursor = db.execute(
                "INSERT INTO scorings (call_id, scorecard_id, scorecard_version, model, score,"
                " max_score, verdict, timings, created_at, pass_mark, options)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT (call_id, scorecard_version, model) DO UPDATE SET"
                " score = excluded.score, max_score = excluded.max_score,"
                " verdict = excluded.verdict, timings = excluded.timings,"
                " created_at = excluded.created_at, pass_mark = excluded.pass_mark,"
                " options = excluded.options"
                " RETURNING id",
                [
                    result.call_id,
                    score.scorecard_id,
                    score.scorecard_version,
                    result.model,
                    score.score,
                    score.max_score,
                    score.verdict,
                    dumps(vars(result.timings)),
                    _now(),
                    score.pass_mark,
                    result.options,
                ],
            )
            scoring_id = int(cursor.fetchone()[0])
            self._save_timeline(db, scoring_id, result)
            db.execute("DELETE FROM utterances WHERE scoring_id = ?", [scoring_id])
            db.execute("DELETE FROM rule_results WHERE scoring_id = ?", [scoring_id])
            db.conn.executemany(
                'INSERT INTO utterances (scoring_id, idx, start, "end", speaker, role, text,'
                " confidence, loudness_dbfs, words) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        scoring_id,
                        i,
                        u.start,
                        u.end,
                        u.speaker,
                        u.role,
                        u.text,
                        u.confidence,
                        u.loudness_dbfs,
                        words_json(u.words),
                    )
                    for i, u in enumerate(t.utterances)
                ],
            )
            db.conn.executemany(
                "INSERT INTO rule_results (scoring_id, rule_id, status, points, max_points,"
                " critical, message, evidence, position) VALUES (?,?,?,?,?,?,?,?,?)",
                [_rule_row(scoring_id, r, i) for i, r in enumerate(score.rules)],
            )
            if review is not None:
                self._insert_review(db, result.call_id, scoring_id, review)
            self._refresh(db, result.call_id, before)
        return scoring_id

    @staticmethod
    def _save_timeline(db: sqlite_utils.Database, scoring_id: int, result: CallResult) -> None:
        """The scoring's timeline, reason and metrics columns (NULL where not measured)."""
        timeline = result.transcript.timeline
        metrics = result.measures.metrics
        names = [name for name, _ in METRIC_COLUMNS]
        values = [getattr(metrics, n) if metrics is not None else None for n in names]
        db.execute(
            f"UPDATE scorings SET reason = ?, timeline = ?, {', '.join(f'{n} = ?' for n in names)}"
            " WHERE id = ?",
            [
                result.score.reason or None,
                dumps(_timeline_json(timeline)) if timeline is not None else None,
                *values,
                scoring_id,
            ],
        )

    @_write_errors
    def save_failure(self, *, call_id: str, file: str, reason: str) -> None:
        """Record a file that could not be scored; an earlier good scoring is kept."""
        with self.transaction() as db:
            existing = db.execute(
                "SELECT status FROM calls WHERE call_id = ?", [call_id]
            ).fetchone()
            if existing is not None and existing[0] == "scored":
                db.execute(
                    "UPDATE calls SET error = ?, updated_at = ? WHERE call_id = ?",
                    [reason, _now(), call_id],
                )
                return
            self._upsert_call(db, call_id=call_id, file=file, status="failed", error=reason)

    def add_review(
        self,
        *,
        call_id: str,
        kind: str,
        who: str,
        reason: str | None,
        rule_id: str | None = None,
        scoring_id: int | None = None,
        old_status: str | None = None,
        new_status: str | None = None,
    ) -> int:
        row = AuditEntry(kind, who, reason, rule_id, old_status, new_status)
        with self.transaction() as db:
            review_id = self._insert_review(db, call_id, scoring_id, row)
            self._refresh(db, call_id, None)
            return review_id

    def rebuild_rollups(self) -> None:
        """Recompute the daily roll-ups from the views (after editing rows by hand)."""
        with self.transaction() as db:
            for statement in schema.REBUILD_ROLLUPS.split(";"):
                if statement.strip():
                    db.execute(statement)

    @staticmethod
    def _bucket(db: sqlite_utils.Database, call_id: str) -> tuple[str, str, str] | None:
        row = db.execute(schema.BUCKET_OF_CALL, [call_id]).fetchone()
        return (str(row[0]), str(row[1]), str(row[2])) if row else None

    @classmethod
    def _refresh(
        cls, db: sqlite_utils.Database, call_id: str, before: tuple[str, str, str] | None
    ) -> None:
        """Recompute the roll-up buckets the call was and is in (same transaction)."""
        after = cls._bucket(db, call_id)
        for bucket in {b for b in (before, after) if b is not None}:
            for sql, params in schema.refresh_bucket(*bucket):
                db.execute(sql, params)

    @staticmethod
    def _insert_review(
        db: sqlite_utils.Database, call_id: str, scoring_id: int | None, r: AuditEntry
    ) -> int:
        cursor = db.execute(
            "INSERT INTO reviews (call_id, scoring_id, rule_id, kind, who, at, old_status,"
            " new_status, reason) VALUES (?,?,?,?,?,?,?,?,?)",
            [
                call_id,
                scoring_id,
                r.rule_id,
                r.kind,
                r.who,
                _now(),
                r.old_status,
                r.new_status,
                r.reason,
            ],
        )
        return int(cursor.lastrowid or 0)

    @staticmethod
    def _upsert_call(db: sqlite_utils.Database, **values: Any) -> None:
        values["updated_at"] = _now()
        cols = list(values)
        updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c != "call_id")
        db.execute(
            f"INSERT INTO calls ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
            f" ON CONFLICT (call_id) DO UPDATE SET {updates}",
            [values[c] for c in cols],
        )
        if values.get("agent_id"):
            db.execute(
                "INSERT INTO agents (agent_id, team) VALUES (?, ?) ON CONFLICT (agent_id)"
                " DO UPDATE SET team = COALESCE(excluded.team, agents.team)",
                [values["agent_id"], values.get("team")],
            )


def require_database(path: str | Path) -> None:
    """Raise `StoreError` when there is no database at `path`, naming the ones nearby."""
    name = str(path)
    if name == ":memory:" or Path(name).is_file():
        return
    folder = Path(name).parent
    nearby = sorted(
        p.name
        for p in (folder.glob("*.db") if folder.is_dir() else ())
        if not p.name.endswith(AUTH_SUFFIX)
    )
    where = str(folder) if str(folder) != "." else "this folder"
    found = f"databases in {where}: {', '.join(nearby[:10])}" if nearby else f"no .db in {where}"
    more = f" (+{len(nearby) - 10} more)" if len(nearby) > 10 else ""
    raise StoreError(
        f"{name}: no such database ({found}{more}) - pass --db FILE, "
        f"or create it with: callqa score FOLDER --db {name}"
    )


def _timeline_json(t: Timeline) -> dict[str, Any]:
    return {
        "source": t.source,
        "duration": round(t.duration, 3),
        "problem": t.problem,
        "lanes": [
            {
                "speaker": lane.speaker,
                "role": lane.role,
                "level_dbfs": lane.level_dbfs,
                "clipping": lane.clipping,
                "syllables_per_min": lane.syllables_per_min,
                "speech": [[round(s.start, 3), round(s.end, 3)] for s in lane.speech],
            }
            for lane in t.lanes
        ],
    }


def _timeline_from_json(text: str | None) -> Timeline | None:
    if not text:
        return None
    data = loads(text)
    lanes = tuple(
        Lane(
            speaker=lane["speaker"],
            role=lane["role"],
            speech=tuple(Span(a, b) for a, b in lane["speech"]),
            level_dbfs=lane["level_dbfs"],
            clipping=lane["clipping"],
            syllables_per_min=lane.get("syllables_per_min"),
        )
        for lane in data["lanes"]
    )
    return Timeline(lanes, data["duration"], data["source"], data.get("problem", ""))


def _rule_row(scoring_id: int, r: RuleResult, position: int) -> tuple[Any, ...]:
    return (
        scoring_id,
        r.id,
        r.status,
        r.points,
        r.max_points,
        int(r.critical),
        r.message,
        evidence_json(r.evidence),
        position,
    )
