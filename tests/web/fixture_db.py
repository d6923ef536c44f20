"""A fixture database with known numbers, built from hand-made records (no models).

Scorecard: max score 100; items self_intro (10), forbidden_phrases (20, critical),
closing (10).  score = 100 + sum(points); verdict fail if a critical item fails or
the score is under the pass mark, 80 (stored in scorings.pass_mark).

    key agent team  call_time          dur  self_intro forbidden closing  score verdict
    c1  A1    care  2026-11-23T09:00   12   pass       pass      pass     100   pass
    c2  A1    care  2026-11-23T10:00   24   fail       pass      pass      90   pass  (rescored)
    c3  A1    care  2026-11-30T09:00   12   pass       fail      pass      80   fail
    c4  A2    care  2026-11-24T09:00   36   fail       pass      fail      80   pass  (readback)
    c5  A2    care  2026-11-24T11:00   12   pass       pass      pass     100   pass
    c6  B1    sales 2026-11-24T15:00   48   fail       fail      fail      60   fail
    c7  B1    sales 2026-12-01T09:00   24   pass       pass      na       100   pass
    c8  B2    sales 2026-12-01T10:00   12   pass       pass      fail      90   pass
    bad  -    -     -                       (a failed call: not counted anywhere)

Every call has a customer line reading a card number with word timestamps
(8.2-10.5 s, digits 9.0-10.5 s); c4's agent reads a phone number back in Chinese
numerals (幺三八…) at duration-6 .. duration-4 s with no word timestamps.
Audio (when asked for): 8 kHz stereo wav; left = a ramp that encodes the time
(`ramp_time`), right = a 300 Hz tone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import soundfile as sf

from callqa.records import (
    CallMeta,
    CallScore,
    Evidence,
    RuleResult,
    Transcript,
    Utterance,
    Verdict,
    Word,
)
from callqa.store.db import Store
from tests.test_store import make_result

RULES = {"self_intro": (10.0, False), "forbidden_phrases": (20.0, True), "closing": (10.0, False)}
PASS_MARK = 80.0
AUDIO_RATE = 8000
RAMP_PEAK = 0.9
PASSWORD = "correct horse 1"
USERS = {  # name: (role, agent id)
    "sup": ("supervisor", None),
    "trainer": ("trainer", None),
    "agent1": ("agent", "A1"),
    "agent2": ("agent", "A2"),
}


@dataclass(frozen=True)
class CallSpec:
    key: str
    agent: str
    team: str
    time: str
    duration: float
    statuses: tuple[str, str, str]  # self_intro, forbidden_phrases, closing
    readback: bool = False


CALLS = (
    CallSpec("c1", "A1", "care", "2026-11-23T09:00:00", 12, ("pass", "pass", "pass")),
    CallSpec("c2", "A1", "care", "2026-11-23T10:00:00", 24, ("fail", "pass", "pass")),
    CallSpec("c3", "A1", "care", "2026-11-30T09:00:00", 12, ("pass", "fail", "pass")),
    CallSpec("c4", "A2", "care", "2026-11-24T09:00:00", 36, ("fail", "pass", "fail"), True),
    CallSpec("c5", "A2", "care", "2026-11-24T11:00:00", 12, ("pass", "pass", "pass")),
    CallSpec("c6", "B1", "sales", "2026-11-24T15:00:00", 48, ("fail", "fail", "fail")),
    CallSpec("c7", "B1", "sales", "2026-12-01T09:00:00", 24, ("pass", "pass", "na")),
    CallSpec("c8", "B2", "sales", "2026-12-01T10:00:00", 12, ("pass", "pass", "fail")),
)
SPECS = {c.key: c for c in CALLS}
CARD_WORDS = (
    Word(8.2, 8.6, "我的", 0.9),
    Word(8.6, 9.0, "卡号是", 0.9),
    Word(9.0, 9.4, " 6222", 0.9),
    Word(9.4, 9.8, " 0212", 0.9),
    Word(9.8, 10.1, " 3456", 0.9),
    Word(10.1, 10.5, " 7890", 0.9),
)
CARD_SPAN = (9.0, 10.5)
READBACK = "您的号码是幺三八零零幺三八零零零，对吗"


def call_id(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def score_of(statuses: tuple[str, ...]) -> tuple[float, Verdict]:
    points = [-RULES[r][0] if s == "fail" else 0.0 for r, s in zip(RULES, statuses, strict=True)]
    score = 100.0 + sum(points)
    critical = any(s == "fail" and RULES[r][1] for r, s in zip(RULES, statuses, strict=True))
    return score, "fail" if critical or score < PASS_MARK else "pass"


def _utterances(spec: CallSpec) -> tuple[Utterance, ...]:
    d = spec.duration
    intro, forbidden, closing = spec.statuses
    greeting = "您好，星河通信，工号1023" if intro == "pass" else "喂，说"
    middle = "这不归我管" if forbidden == "fail" else "好的，请稍等"
    ending = "感谢来电，再见" if closing != "fail" else "嗯"
    utts = [
        Utterance(0.5, 3.0, "left", "agent", greeting, (Word(0.5, 1.0, greeting[:2], 0.9),)),
        Utterance(3.5, 5.5, "right", "customer", "你好，我想查一下话费"),
        Utterance(6.0, 8.0, "left", "agent", middle, (Word(6.0, 8.0, middle, 0.9),)),
        Utterance(8.2, 10.5, "right", "customer", "我的卡号是 6222 0212 3456 7890", CARD_WORDS),
    ]
    if spec.readback:
        utts.append(Utterance(d - 6, d - 4, "left", "agent", READBACK))
    utts.append(Utterance(d - 3, d - 1, "left", "agent", ending, (Word(d - 3, d - 1, ending, 1),)))
    return tuple(utts)


def _rules(spec: CallSpec) -> tuple[RuleResult, ...]:
    d = spec.duration
    _, forbidden, closing = spec.statuses
    utts = _utterances(spec)
    ev = {
        "self_intro": (Evidence(0.5, 3.0, "agent", utts[0].text, 0.9, "greeting"),),
        "forbidden_phrases": (Evidence(6.0, 8.0, "agent", "这不归我管", 0.91, "forbidden phrase"),)
        if forbidden == "fail"
        else (),
        "closing": (Evidence(d - 3, d - 1, "agent", utts[-1].text, 0.8, "closing line"),)
        if closing != "na"
        else (),
    }
    out = []
    for (rule, (weight, critical)), status in zip(RULES.items(), spec.statuses, strict=True):
        points = -weight if status == "fail" else 0.0
        out.append(
            RuleResult(rule, status, points, ev[rule], "", critical, weight)  # type: ignore[arg-type]
        )
    return tuple(out)


def write_audio(path: Path, duration: float) -> None:
    """8 kHz stereo: left a ramp from -RAMP_PEAK to +RAMP_PEAK over the call, right a tone."""
    t = np.arange(int(duration * AUDIO_RATE)) / AUDIO_RATE
    left = RAMP_PEAK * (2 * t / duration - 1)
    right = 0.3 * np.sin(2 * np.pi * 300 * t)
    sf.write(path, np.stack([left, right], axis=1).astype(np.float32), AUDIO_RATE, "PCM_16")


def ramp_time(value: float, duration: float) -> float:
    """The time in the call at which the left channel had `value`."""
    return (value / RAMP_PEAK + 1) * duration / 2


def build(db_path: Path, audio_dir: Path | None = None, *, users: bool = False) -> Store:
    """Write the fixture calls (and audio, and web users) and return the open store."""
    store = Store.open(db_path)
    base = make_result()
    for spec in CALLS:
        file = f"{spec.key}.wav"
        if audio_dir is not None:
            audio_dir.mkdir(parents=True, exist_ok=True)
            write_audio(audio_dir / file, spec.duration)
            file = str(audio_dir / file)
        score, verdict = score_of(spec.statuses)
        transcript = Transcript(_utterances(spec), spec.duration, base.transcript.roles, "left")
        result = replace(
            base,
            call_id=call_id(spec.key),
            file=file,
            duration=spec.duration,
            meta=CallMeta(spec.agent, spec.team, spec.time),
            transcript=transcript,
            score=CallScore(score, 100.0, verdict, _rules(spec), "etiquette", "2+def"),
        )
        if spec.key == "c2":  # scored before with an older scorecard: the latest one counts
            old = replace(result.score, score=50.0, verdict="fail", scorecard_version="1+abc")
            store.save_result(replace(result, score=old))
        scoring_id = store.save_result(result)
        store.db.execute("UPDATE scorings SET pass_mark = ? WHERE id = ?", [PASS_MARK, scoring_id])
    store.save_failure(call_id=call_id("bad"), file="bad.wav", reason="empty file (0 bytes)")
    if users:  # in the auth store beside the database (NAME.auth.db)
        from callqa.web.users import add_user, open_auth

        auth = open_auth(str(db_path))
        for name, (role, agent) in USERS.items():
            add_user(auth, name, role=role, password=PASSWORD, agent_id=agent)
        auth.close()
    return store
