"""Reports, pages and writes at a year's volume: a database of N scored calls.

    python benchmarks/bench_store.py [--calls 1000000] [--db PATH] [--writes 300]

Builds a callqa database of N calls (default 1,000,000) spread over 200 agents in 12 teams
and 330 days, with nine etiquette items per call (evidence JSON on each), twelve
utterances with word timings per call, human reviews on 1% of calls, appeals on 0.1% (half
of them decided) and an item left in `review` on 2%.  Rows are written straight into the
tables with executemany (not through the pipeline), then the daily roll-ups are built
once from the views, as migration 8 does for an existing database.  With `--db PATH` the
database is kept (and reused when it already holds N calls), so the commands can be timed
by hand:

    callqa report --by week --db PATH
    callqa report --by agent --since 2026-10-01 --until 2026-10-31 --db PATH

Each query runs in a fresh Python process (so its memory is its own): the time of the
first run, the median and the best of five, the process's peak resident memory while the query ran
(VmHWM, reset before it), how much of that came on top of what the process held after
opening the database (Python and SQLite together), and tracemalloc's peak of Python
allocations during the query.  Then the write path:
`Store.save_result` of new calls into the full database, calls per second, against the
same writes into an empty one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

from callqa.records import (
    CallMeta,
    CallResult,
    CallScore,
    Evidence,
    Measures,
    RoleAssignment,
    RuleResult,
    Transcript,
    Utterance,
    Word,
)
from callqa.review.queue import review_queue
from callqa.review.report import (
    GROUPINGS,
    Filters,
    render,
    render_chart,
    report_rows,
    report_trend,
    summarize,
    trend,
)
from callqa.review.reviews import load_call_review
from callqa.store.calls import list_calls
from callqa.store.codec import dumps
from callqa.store.db import Store

AGENTS = 200
TEAMS = 12
DAYS = 330
FIRST_DAY = date(2026, 1, 5)
UTTERANCES = 12
PASS_MARK = 80.0
RULES = (  # id, weight, critical
    ("self_intro", 10.0, False),
    ("forbidden_phrases", 20.0, True),
    ("politeness", 10.0, False),
    ("recap", 10.0, False),
    ("closing", 10.0, False),
    ("speaking_rate", 10.0, False),
    ("volume", 10.0, False),
    ("silence", 10.0, False),
    ("interruption", 10.0, False),
)
LINES = (
    ("agent", "您好，星河通信，工号{n}，很高兴为您服务"),
    ("customer", "你好，我想查一下这个月的话费"),
    ("agent", "好的，请您提供一下手机号码"),
    ("customer", "一三八零零一三八零零零"),
    ("agent", "好的，请稍等，我帮您查询一下"),
    ("agent", "您本月话费是八十六元五角"),
    ("customer", "为什么这么多，上个月才五十"),
    ("agent", "您这个月多了一个流量包，二十元"),
    ("customer", "那我取消可以吗"),
    ("agent", "可以的，已经帮您取消了，下个月生效"),
    ("customer", "好的谢谢"),
    ("agent", "感谢您的来电，祝您生活愉快，再见"),
)


def agent_of(i: int) -> tuple[str, str]:
    return f"A{i:04d}", f"T{i % TEAMS + 1:02d}"


def verdict_of(statuses: list[str]) -> tuple[float, str]:
    score = 100.0 - sum(w for (_, w, _), s in zip(RULES, statuses, strict=True) if s == "fail")
    if score < PASS_MARK or any(
        c and s == "fail" for (_, _, c), s in zip(RULES, statuses, strict=True)
    ):
        return score, "fail"
    pending = [w for (_, w, c), s in zip(RULES, statuses, strict=True) if s == "review"]
    if pending and score - sum(pending) < PASS_MARK:
        return score, "review"
    return score, "pass"


def _statuses(rng: random.Random) -> list[str]:
    out = []
    for rule, _, _ in RULES:
        r = rng.random()
        if rule == "forbidden_phrases":
            out.append("fail" if r < 0.03 else "pass")
        elif rule in ("recap", "interruption") and r < 0.15:
            out.append("na")
        else:
            out.append("fail" if r < 0.12 else "pass")
    if rng.random() < 0.02:
        out[rng.choice((0, 2, 3, 4))] = "review"
    return out


def _words(text: str, start: float, end: float) -> str:
    parts = [text[i : i + 3] for i in range(0, len(text), 3)]
    step = (end - start) / len(parts)
    return dumps(
        [
            (round(start + k * step, 2), round(start + (k + 1) * step, 2), p, 0.9)
            for k, p in enumerate(parts)
        ]
    )


def build(path: Path, calls: int, *, seed: int = 7) -> float:
    """Write `calls` calls straight into a fresh database; returns seconds taken."""
    started = time.perf_counter()
    store = Store.open(path)
    conn = store.db.conn
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -400000")
    rng = random.Random(seed)
    per_day = calls / DAYS
    evidence = {
        s: dumps(
            [
                {
                    "start": 1.2,
                    "end": 3.4,
                    "speaker": "agent",
                    "text": "您好，星河通信",
                    "confidence": 0.91,
                    "note": f"{s}: matched line",
                }
            ]
        )
        for s in ("pass", "fail", "review")
    }
    texts = [(role, text.format(n=1023)) for role, text in LINES]
    words = [_words(t, 0.0, 2.0) for _, t in texts]
    now = "2026-11-28T12:00:00"
    n = 0
    review_id = 0
    for day_index in range(DAYS):
        day = FIRST_DAY + timedelta(days=day_index)
        todo = int(per_day * (day_index + 1)) - n if day_index < DAYS - 1 else calls - n
        call_rows, scoring_rows, rule_rows, utt_rows, review_rows = [], [], [], [], []
        for _ in range(todo):
            n += 1
            call_id = hashlib.sha256(n.to_bytes(8, "big")).hexdigest()
            agent, team = agent_of(rng.randrange(AGENTS))
            secs = rng.randrange(8 * 3600, 20 * 3600)
            when = f"{day.isoformat()}T{secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}"
            duration = round(rng.uniform(60, 600), 1)
            statuses = _statuses(rng)
            score, verdict = verdict_of(statuses)
            call_rows.append(
                (
                    call_id,
                    f"/calls/{day.isoformat()}/{agent}_{n}.wav",
                    "scored",
                    None,
                    duration,
                    2,
                    8000,
                    "left",
                    agent,
                    team,
                    when,
                    0.9,
                    0,
                    "greets first",
                    now,
                    "星河通信",
                )
            )
            scoring_rows.append(
                (
                    n,
                    call_id,
                    "etiquette",
                    "3+bench",
                    "whisper-base",
                    score,
                    100.0,
                    verdict,
                    None,
                    now,
                    PASS_MARK,
                    "",
                )
            )
            for pos, ((rule, weight, critical), status) in enumerate(
                zip(RULES, statuses, strict=True)
            ):
                rule_rows.append(
                    (
                        n,
                        rule,
                        status,
                        -weight if status == "fail" else 0.0,
                        weight,
                        int(critical),
                        "",
                        evidence.get(status, "[]"),
                        pos,
                    )
                )
            step = duration / UTTERANCES
            for k, ((role, text), w) in enumerate(zip(texts, words, strict=True)):
                utt_rows.append(
                    (
                        n,
                        k,
                        round(k * step, 2),
                        round(k * step + step * 0.8, 2),
                        "left" if role == "agent" else "right",
                        role,
                        text,
                        0.9,
                        -20.0,
                        w,
                    )
                )
            r = rng.random()
            fails = [rule for (rule, _, _), s in zip(RULES, statuses, strict=True) if s == "fail"]
            if r < 0.01 and fails:
                review_id += 1
                rule = rng.choice(fails)
                new = "pass" if rng.random() < 0.5 else "fail"
                review_rows.append(
                    (review_id, call_id, n, rule, "review", "sup1", now, "fail", new, "checked")
                )
            elif r < 0.011 and fails:
                review_id += 1
                rule = rng.choice(fails)
                review_rows.append(
                    (review_id, call_id, n, rule, "appeal", "agent", now, "fail", "pass", "I did")
                )
                if rng.random() < 0.5:
                    review_id += 1
                    review_rows.append(
                        (
                            review_id,
                            call_id,
                            n,
                            rule,
                            "appeal_decision",
                            "sup1",
                            now,
                            "fail",
                            "pass",
                            "agreed",
                        )
                    )
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO calls (call_id, file, status, error, duration, channels, sample_rate,"
            " agent_channel, agent_id, team, call_time, role_confidence, roles_swapped,"
            f" role_reason, updated_at, company) VALUES ({','.join('?' * 16)})",
            call_rows,
        )
        conn.executemany(
            "INSERT INTO scorings (id, call_id, scorecard_id, scorecard_version, model, score,"
            " max_score, verdict, timings, created_at, pass_mark, options)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            scoring_rows,
        )
        conn.executemany(
            "INSERT INTO rule_results (scoring_id, rule_id, status, points, max_points, critical,"
            " message, evidence, position) VALUES (?,?,?,?,?,?,?,?,?)",
            rule_rows,
        )
        conn.executemany(
            'INSERT INTO utterances (scoring_id, idx, start, "end", speaker, role, text,'
            " confidence, loudness_dbfs, words) VALUES (?,?,?,?,?,?,?,?,?,?)",
            utt_rows,
        )
        conn.executemany(
            "INSERT INTO reviews (id, call_id, scoring_id, rule_id, kind, who, at, old_status,"
            " new_status, reason) VALUES (?,?,?,?,?,?,?,?,?,?)",
            review_rows,
        )
        conn.execute("COMMIT")
        if day_index % 30 == 29:
            print(f"  built {n:,} calls ({time.perf_counter() - started:.0f} s)", flush=True)
    conn.executemany(
        "INSERT INTO agents (agent_id, team) VALUES (?, ?)", [agent_of(i) for i in range(AGENTS)]
    )
    conn.execute("PRAGMA synchronous = NORMAL")
    store.close()
    return time.perf_counter() - started


def rollups(path: Path) -> float:
    store = Store.open(path)
    t = time.perf_counter()
    store.rebuild_rollups()
    seconds = time.perf_counter() - t
    store.close()
    return seconds


def call_count(path: Path) -> int:
    if not path.exists():
        return 0
    try:
        store = Store.open(path)
        n = int(store.db.execute("SELECT count(*) FROM calls").fetchone()[0])
        store.close()
        return n
    except Exception:
        return 0


# -- queries, each run in its own process ------------------------------------------------

LAST_MONTH = Filters.parse(since="2026-10-01", until="2026-10-31")


def _queries(store: Store) -> dict[str, Callable[[], Any]]:
    agent, _ = agent_of(7)
    sample = store.db.execute(
        "SELECT call_id FROM calls WHERE call_time >= '2026-10-15' ORDER BY call_time LIMIT 1"
    ).fetchone()[0]
    reviewed = store.db.execute(
        "SELECT call_id FROM reviews WHERE kind = 'review' ORDER BY id DESC LIMIT 1"
    ).fetchone()[0]
    mid = list_calls(store, Filters(agent=agent), limit=1000).next_cursor

    def report(by: str, filters: Filters) -> Callable[[], Any]:
        return lambda: render(report_rows(store, filters, by), "table", by=by)

    def call_page(call_id: str) -> Callable[[], Any]:
        def page() -> Any:
            cr = load_call_review(store, call_id)
            return cr, store.load_transcript(cr.scoring_id)

        return page

    def trend_page() -> Any:
        buf = BytesIO()
        render_chart(report_trend(store, Filters(), "week"), buf)
        return buf

    def agent_page() -> Any:
        mine = Filters(agent=agent)
        return (
            summarize(store, mine, "agent"),
            list_calls(store, mine),
            trend(store, mine, lines="agent", period="day", top=1),
        )

    out: dict[str, Callable[[], Any]] = {}
    for by in GROUPINGS:
        out[f"report --by {by}"] = report(by, Filters())
    for by in GROUPINGS:
        out[f"report --by {by} (one month)"] = report(by, LAST_MONTH)
    out["report --by week --since 2026-11-01 --agent A0007"] = report(
        "week", Filters.parse(since="2026-11-01", agent=agent)
    )
    out["report --by agent, one day with a time of day (views)"] = report(
        "agent", Filters.parse(since="2026-10-15T00:00", until="2026-10-15T23:59")
    )
    out["agent's call list (page 1)"] = lambda: list_calls(store, Filters(agent=agent))
    out["agent's call list (page 21, keyset)"] = lambda: list_calls(
        store, Filters(agent=agent), cursor=mid
    )
    out["supervisor's call list (page 1)"] = lambda: list_calls(store)
    out["call page"] = call_page(sample)
    out["call page (reviewed call)"] = call_page(reviewed)
    out["agent's own page (summary, calls, trend data)"] = agent_page
    out["supervisor trend page (data + PNG)"] = trend_page
    out["supervisor trend data only"] = lambda: report_trend(store, Filters(), "week")
    out["review queue (items left in review + open appeals)"] = lambda: review_queue(store)
    return out


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def run_query(path: Path, name: str) -> dict[str, float]:
    store = Store.open(path)
    queries = _queries(store)
    query = queries[name]
    base = _status_mb("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # reset the peak resident set (VmHWM) to the current one
    tracemalloc.start()
    times = []
    for _ in range(5):
        t = time.perf_counter()
        query()
        times.append(time.perf_counter() - t)
    _, python_peak = tracemalloc.get_traced_memory()
    peak = _status_mb("VmHWM")
    return {
        "first_s": times[0],
        "median_s": statistics.median(times),
        "best_s": min(times),
        "peak_mb": peak,
        "above_open_mb": max(0.0, peak - base),
        "python_mb": python_peak / 2**20,
    }


def query_names(path: Path) -> list[str]:
    store = Store.open(path)
    names = list(_queries(store))
    store.close()
    return names


# -- writes --------------------------------------------------------------------------------


def _results(count: int, seed: int) -> Iterator[CallResult]:
    rng = random.Random(seed)
    texts = [(role, text.format(n=1023)) for role, text in LINES]
    for k in range(count):
        agent, team = agent_of(rng.randrange(AGENTS))
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        statuses = _statuses(rng)
        score, verdict = verdict_of(statuses)
        duration = 300.0
        utts = tuple(
            Utterance(
                i * 25.0,
                i * 25.0 + 20.0,
                "left" if role == "agent" else "right",
                role,  # type: ignore[arg-type]
                text,
                (Word(i * 25.0, i * 25.0 + 1.0, text[:2], 0.9),),
                0.9,
                -20.0,
            )
            for i, (role, text) in enumerate(texts)
        )
        rules = tuple(
            RuleResult(
                rule,
                status,  # type: ignore[arg-type]
                -w if status == "fail" else 0.0,
                (Evidence(1.2, 3.4, "agent", "您好，星河通信", 0.91, "matched"),),
                "",
                critical,
                w,
            )
            for (rule, w, critical), status in zip(RULES, statuses, strict=True)
        )
        yield CallResult(
            hashlib.sha256(f"write-{seed}-{k}".encode()).hexdigest(),
            f"/calls/new/{k}.wav",
            duration,
            CallMeta(agent, team, f"{day.isoformat()}T10:{k % 60:02d}:00"),
            Transcript(utts, duration, RoleAssignment("left", 0.9, reason="greets"), "left"),
            Measures((), (), ()),
            CallScore(score, 100.0, verdict, rules, "etiquette", "3+bench", PASS_MARK),  # type: ignore[arg-type]
            "whisper-base",
            channels=2,
            source_sample_rate=8000,
        )


def writes(path: Path, count: int, seed: int) -> dict[str, float]:
    store = Store.open(path)
    times = []
    for result in _results(count, seed):
        t = time.perf_counter()
        store.save_result(result)
        times.append(time.perf_counter() - t)
    store.close()
    times.sort()
    return {
        "calls_per_s": len(times) / sum(times),
        "p50_ms": 1000 * times[len(times) // 2],
        "p95_ms": 1000 * times[int(len(times) * 0.95)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument(
        "--db", type=Path, help="keep the database here (reused if it holds N calls)"
    )
    parser.add_argument("--writes", type=int, default=300, help="calls written in the write test")
    parser.add_argument("--query", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.query:
        print(json.dumps(run_query(args.db, args.query)))
        return
    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench_store_")
        args.db = Path(tmp.name) / "calls.db"
    print(f"callqa store benchmark: {args.calls:,} calls, {os.cpu_count()} cores, db {args.db}")
    print("load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    if call_count(args.db) >= args.calls:
        print("reusing the database (it already holds that many calls)")
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
        seconds = build(args.db, args.calls)
        print(f"built in {seconds:.0f} s ({args.calls / seconds:,.0f} calls/s)")
        print(f"daily roll-ups built from the views in {rollups(args.db):.1f} s")
    size = sum(
        Path(f"{args.db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{args.db}{s}").exists()
    )
    print(f"database size {size / 2**30:.2f} GiB\n")
    print(f"{'query':<58} {'first':>8} {'median':>8} {'peak RSS':>9} {'+ query':>8} {'Python':>7}")
    for name in query_names(args.db):
        out = subprocess.run(
            [sys.executable, __file__, "--db", str(args.db), "--query", name],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{name:<58} {1000 * r['first_s']:>6.1f}ms {1000 * r['median_s']:>6.1f}ms"
            f" {1000 * r['best_s']:>6.1f}ms"
            f" {r['peak_mb']:>7.0f}MB {r['above_open_mb']:>6.0f}MB {r['python_mb']:>5.1f}MB",
            flush=True,
        )
    print()
    full = writes(args.db, args.writes, seed=1)
    with tempfile.TemporaryDirectory() as empty:
        fresh = writes(Path(empty) / "empty.db", args.writes, seed=1)
    for label, r in (
        (f"into the {args.calls:,}-call database", full),
        ("into an empty database", fresh),
    ):
        print(
            f"save_result {label}: {r['calls_per_s']:.0f} calls/s"
            f" (p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms)"
        )
    print("load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
