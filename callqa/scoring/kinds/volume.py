"""`volume`: the agent is neither too loud nor too quiet (RMS loudness in dBFS).

Per agent utterance of at least `min_utterance_s` with a measured loudness:

- outside [`min_dbfs`, `max_dbfs`];
- shouting: more than `shout_db` above the agent's own median on this call;

and for the call: the agent's median more than `quiet_db` below the customer's median
(too quiet for the customer, whatever the recording level).  Any of these fails.  No
loudness measured for the agent (no audio, or too short): na.  Levels depend on the
recording chain, so the absolute range is wide; the relative checks do the real work.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from callqa.records import Evidence, Role, Utterance
from callqa.scoring.base import Outcome, RuleKind, other
from callqa.scoring.context import CallContext


@dataclass(frozen=True)
class Params:
    min_dbfs: float = -45.0
    max_dbfs: float = -3.0
    shout_db: float = 10.0
    quiet_db: float = 12.0
    min_utterance_s: float = 1.0

    def problems(self) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        if not self.min_dbfs < self.max_dbfs <= 0:
            found.append(("min_dbfs", "must be less than max_dbfs, which must be at most 0"))
        if self.shout_db <= 0:
            found.append(("shout_db", "must be more than 0 dB"))
        if self.quiet_db <= 0:
            found.append(("quiet_db", "must be more than 0 dB"))
        return found


def _levels(ctx: CallContext, role: Role, min_s: float) -> list[tuple[float, Utterance]]:
    found: list[tuple[float, Utterance]] = []
    for m in ctx.measured(role):
        u = m.utterance
        level = m.loudness_dbfs if m.loudness_dbfs is not None else u.loudness_dbfs
        if level is not None and u.end - u.start >= min_s:
            found.append((level, u))
    return found


def check(ctx: CallContext, params: Params, role: Role) -> Outcome:
    mine = _levels(ctx, role, params.min_utterance_s)
    if not mine:
        return Outcome("na", f"no loudness measured for the {role}")
    mid = median(level for level, _ in mine)
    theirs = _levels(ctx, other(role), params.min_utterance_s)
    evidence: list[Evidence] = []
    issues: list[str] = []
    for level, utt in mine:
        note = ""
        if level > params.max_dbfs:
            note = f"too loud: {level:.1f} dBFS > {params.max_dbfs:g}"
        elif level < params.min_dbfs:
            note = f"too quiet: {level:.1f} dBFS < {params.min_dbfs:g}"
        elif level > mid + params.shout_db:
            note = f"shouting: {level:.1f} dBFS, {level - mid:.1f} dB above own median"
        if note:
            evidence.append(ctx.whole(utt, note))
    if evidence:
        issues.append(f"{len(evidence)} utterance(s) out of range")
    summary = f"median {mid:.1f} dBFS"
    if theirs:
        their_mid = median(level for level, _ in theirs)
        summary += f", {other(role)} {their_mid:.1f} dBFS"
        if mid < their_mid - params.quiet_db:
            issues.append(f"{mid - their_mid:.1f} dB below the {other(role)}")
            quietest = min(mine, key=lambda pair: pair[0])
            evidence.append(ctx.whole(quietest[1], "quietest"))
    if issues:
        return Outcome("fail", f"{summary}: {'; '.join(issues)}", tuple(evidence))
    return Outcome("pass", summary)


KIND = RuleKind("volume", Params, check, "volume within range, no shouting, not too quiet")
