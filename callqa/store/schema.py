"""The effective-score views, the report indexes and the daily roll-ups (migration 8).

Views (plain SQL, so Datasette and sqlite-utils see the same numbers as callqa):

    rule_outcomes   every item of every scoring: the machine's status and points, the
                    effective ones after the latest human review, and that review's id
    scoring_scores  every scoring: the machine's score and verdict and the effective ones
    call_scores     each scored call's current scoring (its latest) with the effective
                    score and verdict; team falls back to the agent's team

The effective status of an item is the `new_status` of its latest `review` or
`appeal_decision` (on that scoring, or on the call when the review names no scoring),
else the machine's.  A scoring with a changed item is scored again the way the rules
engine does (`callqa.scoring.engine.verdict_of`): an item turned to pass loses its
deduction, one turned to fail deducts its full weight, a critical fail fails the call, a
score under the stored pass mark fails it.  Without a stored pass mark the verdict is
inferred from the machine's (`callqa.review.reviews.effective_score` is the reference).
The effective columns are correlated subqueries behind an EXISTS on the reviews index,
so an unreviewed call costs one index probe.

Roll-ups hold the same numbers summed per day, agent and the call's own team
(`daily_calls`, `daily_rules`; '' for unknown), per month, agent and team (`monthly_*`)
and per day for everyone (`day_*`).  The store refreshes the buckets a write touches in
the same transaction, so a report over a year reads a few thousand rows, not millions.
"""

from __future__ import annotations

OVERRIDE_KINDS = "('review', 'appeal_decision')"
HUMAN_STATUSES = "('pass', 'fail')"

DAY = (
    "CASE WHEN {t} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'"
    " AND date(substr({t}, 1, 10)) = substr({t}, 1, 10) THEN substr({t}, 1, 10) END"
)
"""The calendar day ('YYYY-MM-DD') of an ISO time column {t} as written, else NULL."""


def week_of(day: str) -> str:
    """SQL for the ISO week key ('2026-W48') of a 'YYYY-MM-DD' expression."""
    thursday = f"date({day}, '-3 days', 'weekday 4')"
    return (
        f"(strftime('%Y', {thursday}) || '-W' || "
        f"printf('%02d', (CAST(strftime('%j', {thursday}) AS INTEGER) - 1) / 7 + 1))"
    )


_HAS_OVERRIDE = f"""EXISTS (
        SELECT 1 FROM reviews v
        WHERE v.call_id = s.call_id AND v.kind IN {OVERRIDE_KINDS}
          AND v.rule_id IS NOT NULL AND v.new_status IN {HUMAN_STATUSES}
          AND (v.scoring_id IS NULL OR v.scoring_id = s.id))"""

_SCORE_AGAIN = "round(s.score - total(o.machine_points) + total(o.points), 3)"

_EFFECTIVE_SCORE = f"""CASE WHEN NOT {_HAS_OVERRIDE} THEN s.score ELSE (
        SELECT CASE WHEN total(o.status != o.machine_status) = 0 THEN s.score
                    ELSE {_SCORE_AGAIN} END
        FROM rule_outcomes o WHERE o.scoring_id = s.id) END"""

_EFFECTIVE_VERDICT = f"""CASE WHEN NOT {_HAS_OVERRIDE} THEN s.verdict ELSE (
        SELECT CASE
            WHEN total(o.status != o.machine_status) = 0 THEN s.verdict
            WHEN s.pass_mark IS NOT NULL THEN CASE
                WHEN {_SCORE_AGAIN} < s.pass_mark
                     OR max(o.critical AND o.status = 'fail') THEN 'fail'
                WHEN max(o.critical AND o.status = 'review')
                     OR {_SCORE_AGAIN} - total(CASE WHEN o.status = 'review'
                                                  THEN o.max_points END) < s.pass_mark
                     THEN 'review'
                ELSE 'pass' END
            WHEN max(o.critical AND o.status = 'fail') THEN 'fail'
            WHEN max(o.status = 'review') THEN 'review'
            WHEN s.verdict = 'pass' AND {_SCORE_AGAIN} >= s.score THEN 'pass'
            WHEN s.verdict = 'fail' AND NOT max(o.critical AND o.machine_status = 'fail')
                 AND {_SCORE_AGAIN} <= s.score THEN 'fail'
            ELSE 'review' END
        FROM rule_outcomes o WHERE o.scoring_id = s.id) END"""

RULE_OUTCOMES = f"""
CREATE VIEW IF NOT EXISTS rule_outcomes AS
SELECT s.call_id, r.scoring_id, r.rule_id, r.position,
       r.status AS machine_status,
       COALESCE(v.new_status, r.status) AS status,
       r.points AS machine_points,
       CASE WHEN v.new_status IS NULL OR v.new_status = r.status THEN r.points
            WHEN v.new_status = 'fail' THEN -abs(r.max_points)
            ELSE 0.0 END AS points,
       r.max_points, r.critical, r.message,
       v.id AS review_id
FROM rule_results r
JOIN scorings s ON s.id = r.scoring_id
LEFT JOIN reviews v ON v.id = (
    SELECT max(w.id) FROM reviews w
    WHERE w.call_id = s.call_id AND w.rule_id = r.rule_id
      AND w.kind IN {OVERRIDE_KINDS} AND w.new_status IN {HUMAN_STATUSES}
      AND (w.scoring_id IS NULL OR w.scoring_id = r.scoring_id))
"""

SCORING_SCORES = f"""
CREATE VIEW IF NOT EXISTS scoring_scores AS
SELECT s.id AS scoring_id, s.call_id, s.scorecard_id, s.scorecard_version, s.model,
       s.max_score, s.pass_mark,
       s.score AS machine_score, s.verdict AS machine_verdict,
       {_EFFECTIVE_SCORE} AS score,
       {_EFFECTIVE_VERDICT} AS verdict,
       s.options, s.created_at
FROM scorings s
"""

CALL_SCORES = f"""
CREATE VIEW IF NOT EXISTS call_scores AS
SELECT c.call_id, c.file, c.agent_id, COALESCE(c.team, a.team) AS team, c.call_time,
       {DAY.format(t="c.call_time")} AS day,
       c.duration,
       s.id AS scoring_id, s.scorecard_id, s.scorecard_version, s.model,
       s.max_score, s.pass_mark,
       s.score AS machine_score, s.verdict AS machine_verdict,
       {_EFFECTIVE_SCORE} AS score,
       {_EFFECTIVE_VERDICT} AS verdict,
       s.options
FROM calls c
JOIN scorings s ON s.call_id = c.call_id
    AND s.id = (SELECT max(id) FROM scorings WHERE call_id = c.call_id)
LEFT JOIN agents a ON a.agent_id = c.agent_id
WHERE c.status = 'scored'
"""

_CALL_COLS = """
    calls INTEGER NOT NULL,
    audio_s REAL NOT NULL,
    score_sum REAL NOT NULL,
    passes INTEGER NOT NULL"""
_RULE_COLS = """
    rule_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    evaluated INTEGER NOT NULL,
    fails INTEGER NOT NULL,
    reviewed INTEGER NOT NULL,
    agreed INTEGER NOT NULL,
    false_alarms INTEGER NOT NULL,
    misses INTEGER NOT NULL"""
CALL_SUMS = "calls, audio_s, score_sum, passes"
RULE_SUMS = "rule_id, position, evaluated, fails, reviewed, agreed, false_alarms, misses"

ROLLUP_TABLES = f"""
CREATE TABLE IF NOT EXISTS daily_calls (
    day TEXT NOT NULL, agent_id TEXT NOT NULL, team TEXT NOT NULL,{_CALL_COLS},
    PRIMARY KEY (day, agent_id, team)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS daily_calls_agent ON daily_calls(agent_id, day);
CREATE TABLE IF NOT EXISTS daily_rules (
    day TEXT NOT NULL, agent_id TEXT NOT NULL, team TEXT NOT NULL,{_RULE_COLS},
    PRIMARY KEY (day, agent_id, team, rule_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS daily_rules_agent ON daily_rules(agent_id, day);
CREATE TABLE IF NOT EXISTS monthly_calls (
    month TEXT NOT NULL, agent_id TEXT NOT NULL, team TEXT NOT NULL,{_CALL_COLS},
    PRIMARY KEY (month, agent_id, team)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS monthly_rules (
    month TEXT NOT NULL, agent_id TEXT NOT NULL, team TEXT NOT NULL,{_RULE_COLS},
    PRIMARY KEY (month, agent_id, team, rule_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS day_calls (
    day TEXT NOT NULL PRIMARY KEY,
    week TEXT NOT NULL,{_CALL_COLS}
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS day_rules (
    day TEXT NOT NULL,{_RULE_COLS},
    PRIMARY KEY (day, rule_id)
) WITHOUT ROWID;
"""
"""Three grains of the same sums: per day, agent and team (`daily_*`); per month, agent
and team (`monthly_*`); per day for everyone (`day_*`, with each day's ISO week, so a
weekly report looks the week up instead of computing it per row).  A report reads the
smallest one that answers it."""

INDEXES = """
DROP INDEX IF EXISTS calls_agent;
DROP INDEX IF EXISTS calls_time;
CREATE INDEX IF NOT EXISTS calls_agent_time ON calls(agent_id, call_time, call_id);
CREATE INDEX IF NOT EXISTS calls_time ON calls(call_time, call_id);
CREATE INDEX IF NOT EXISTS calls_team_time ON calls(team, call_time);
CREATE INDEX IF NOT EXISTS scorings_call ON scorings(call_id, id);
CREATE INDEX IF NOT EXISTS scorings_verdict ON scorings(verdict);
CREATE INDEX IF NOT EXISTS rule_results_rule ON rule_results(rule_id, status);
CREATE INDEX IF NOT EXISTS rule_results_pending ON rule_results(scoring_id) WHERE status = 'review';
CREATE INDEX IF NOT EXISTS reviews_kind ON reviews(kind, call_id);
"""

POSITIONS = """
ALTER TABLE rule_results ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE rule_results SET position = (
    SELECT count(*) FROM rule_results r2
    WHERE r2.scoring_id = rule_results.scoring_id AND r2.rowid < rule_results.rowid);
"""

_VIEW_CALL_SUMS = "count(*), total(cs.duration), total(cs.score), total(cs.verdict = 'pass')"
_VIEW_RULE_SUMS = """o.rule_id, min(o.position),
       total(o.status != 'na'), total(o.status = 'fail'),
       count(o.review_id),
       total(o.review_id IS NOT NULL AND o.status = o.machine_status),
       total(o.review_id IS NOT NULL AND o.machine_status = 'fail' AND o.status = 'pass'),
       total(o.review_id IS NOT NULL AND o.machine_status = 'pass' AND o.status = 'fail')"""
_ADD_CALLS = "sum(calls), total(audio_s), total(score_sum), sum(passes)"
_ADD_RULES = """rule_id, min(position), sum(evaluated), sum(fails), sum(reviewed), sum(agreed),
       sum(false_alarms), sum(misses)"""
_KEYS = "COALESCE(cs.day, ''), COALESCE(c.agent_id, ''), COALESCE(c.team, '')"
_WEEK = f"CASE WHEN day = '' THEN '' ELSE {week_of('day')} END"

REBUILD_ROLLUPS = f"""
DELETE FROM daily_calls;
DELETE FROM daily_rules;
DELETE FROM monthly_calls;
DELETE FROM monthly_rules;
DELETE FROM day_calls;
DELETE FROM day_rules;
INSERT INTO daily_calls (day, agent_id, team, {CALL_SUMS})
SELECT {_KEYS}, {_VIEW_CALL_SUMS}
FROM call_scores cs JOIN calls c ON c.call_id = cs.call_id
GROUP BY 1, 2, 3;
INSERT INTO daily_rules (day, agent_id, team, {RULE_SUMS})
SELECT day, agent_id, team, rule_id, min(position),
       total(status != 'na'), total(status = 'fail'), count(review_id),
       total(review_id IS NOT NULL AND status = machine_status),
       total(review_id IS NOT NULL AND machine_status = 'fail' AND status = 'pass'),
       total(review_id IS NOT NULL AND machine_status = 'pass' AND status = 'fail')
FROM (
    -- calls without a status-setting review: the machine's items as they are
    SELECT COALESCE({DAY.format(t="c.call_time")}, '') AS day, COALESCE(c.agent_id, '') AS agent_id,
           COALESCE(c.team, '') AS team, r.rule_id, r.position,
           r.status AS machine_status, r.status, NULL AS review_id
    FROM calls c
    JOIN scorings s ON s.call_id = c.call_id
        AND s.id = (SELECT max(id) FROM scorings WHERE call_id = c.call_id)
    JOIN rule_results r ON r.scoring_id = s.id
    WHERE c.status = 'scored' AND NOT {_HAS_OVERRIDE}
    UNION ALL
    -- reviewed calls: through the view
    SELECT {_KEYS}, o.rule_id, o.position, o.machine_status, o.status, o.review_id
    FROM call_scores cs JOIN calls c ON c.call_id = cs.call_id
    JOIN scorings s ON s.id = cs.scoring_id
    JOIN rule_outcomes o ON o.scoring_id = cs.scoring_id
    WHERE {_HAS_OVERRIDE}
)
GROUP BY 1, 2, 3, 4;
INSERT INTO monthly_calls (month, agent_id, team, {CALL_SUMS})
SELECT substr(day, 1, 7), agent_id, team, {_ADD_CALLS} FROM daily_calls GROUP BY 1, 2, 3;
INSERT INTO monthly_rules (month, agent_id, team, {RULE_SUMS})
SELECT substr(day, 1, 7), agent_id, team, {_ADD_RULES} FROM daily_rules
GROUP BY 1, 2, 3, rule_id;
INSERT INTO day_calls (day, week, {CALL_SUMS})
SELECT day, {_WEEK}, {_ADD_CALLS} FROM daily_calls GROUP BY day;
INSERT INTO day_rules (day, {RULE_SUMS}) SELECT day, {_ADD_RULES} FROM daily_rules
GROUP BY day, rule_id;
"""

BUCKET_OF_CALL = f"""
SELECT COALESCE({DAY.format(t="call_time")}, ''), COALESCE(agent_id, ''), COALESCE(team, '')
FROM calls WHERE call_id = ?
"""


def bucket_calls(day: str, agent: str, team: str) -> tuple[str, list[str]]:
    """SQL selecting the call ids of one roll-up bucket (indexed on agent and time)."""
    where, params = [], []
    if agent:
        where.append("agent_id = ?")
        params.append(agent)
    else:
        where.append("(agent_id IS NULL OR agent_id = '')")
    if day:
        where.append("call_time >= ? AND call_time < date(?, '+1 day')")
        params += [day, day]
    where.append(f"COALESCE({DAY.format(t='call_time')}, '') = ?")
    params.append(day)
    where.append("COALESCE(team, '') = ?")
    params.append(team)
    return f"SELECT call_id FROM calls WHERE {' AND '.join(where)}", params


def refresh_bucket(day: str, agent: str, team: str) -> list[tuple[str, list[str]]]:
    """Statements that recompute one day/agent/team bucket from the views, then the
    month/agent/team and the day totals it adds into."""
    members, params = bucket_calls(day, agent, team)
    keys = [day, agent, team]
    month = [day[:7], agent, team]
    if day:  # the month's days, as an index range on (agent_id, day)
        month_of = "agent_id = ? AND day >= ? AND day <= ? AND team = ?"
        month_args = [agent, day[:7] + "-01", day[:7] + "-31", team]
    else:
        month_of = "agent_id = ? AND day = '' AND team = ?"
        month_args = [agent, team]
    return [
        ("DELETE FROM daily_calls WHERE day = ? AND agent_id = ? AND team = ?", keys),
        ("DELETE FROM daily_rules WHERE day = ? AND agent_id = ? AND team = ?", keys),
        (
            f"INSERT INTO daily_calls (day, agent_id, team, {CALL_SUMS})"
            f" SELECT ?, ?, ?, {_VIEW_CALL_SUMS} FROM call_scores cs"
            f" WHERE cs.call_id IN ({members}) HAVING count(*) > 0",
            keys + params,
        ),
        (
            f"INSERT INTO daily_rules (day, agent_id, team, {RULE_SUMS})"
            f" SELECT ?, ?, ?, {_VIEW_RULE_SUMS} FROM call_scores cs"
            " JOIN rule_outcomes o ON o.scoring_id = cs.scoring_id"
            f" WHERE cs.call_id IN ({members}) GROUP BY o.rule_id",
            keys + params,
        ),
        ("DELETE FROM monthly_calls WHERE month = ? AND agent_id = ? AND team = ?", month),
        ("DELETE FROM monthly_rules WHERE month = ? AND agent_id = ? AND team = ?", month),
        (
            f"INSERT INTO monthly_calls (month, agent_id, team, {CALL_SUMS})"
            f" SELECT ?, ?, ?, {_ADD_CALLS} FROM daily_calls WHERE {month_of}"
            " HAVING count(*) > 0",
            month + month_args,
        ),
        (
            f"INSERT INTO monthly_rules (month, agent_id, team, {RULE_SUMS})"
            f" SELECT ?, ?, ?, {_ADD_RULES} FROM daily_rules WHERE {month_of} GROUP BY rule_id",
            month + month_args,
        ),
        ("DELETE FROM day_calls WHERE day = ?", [day]),
        ("DELETE FROM day_rules WHERE day = ?", [day]),
        (
            f"INSERT INTO day_calls (day, week, {CALL_SUMS}) SELECT day, {_WEEK}, {_ADD_CALLS}"
            " FROM daily_calls WHERE day = ? GROUP BY day",
            [day],
        ),
        (
            f"INSERT INTO day_rules (day, {RULE_SUMS}) SELECT ?, {_ADD_RULES} FROM daily_rules"
            " WHERE day = ? GROUP BY rule_id",
            [day, day],
        ),
    ]


MIGRATION = "\n".join(
    [
        INDEXES,
        RULE_OUTCOMES + ";",
        SCORING_SCORES + ";",
        CALL_SCORES + ";",
        ROLLUP_TABLES,
        REBUILD_ROLLUPS,
    ]
)
