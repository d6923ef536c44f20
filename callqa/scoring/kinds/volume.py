"""`volume`: the agent is neither too loud nor too quiet, and does not clip.

Read from the call's metrics (`CallContext.metrics`: the signal, per role): the agent's
active speech level (ITU-T P.56 manner, speech only, the agent's own channel on stereo)
and the fraction of the agent's speech samples at or near full scale.  Fails on:

- clipping: more than `max_clipping` of the agent's speech samples at full scale;
- a level far outside the normal telephone range: above `max_dbfs` or below `min_dbfs`
  (RFC 7874 section 4, after ITU-T G.169/G.115: active speech at -19 dBm0, i.e. -22 dBFS,
  held within ±6 dB; the defaults leave a margin outside -28…-16 dBFS);
- the agent more than `balance_db` louder, or quieter, than the customer on the same call;
- shouting: an agent utterance of at least `min_utterance_s` more than `shout_db` above the
  agent's own level (the utterances' RMS loudness).

No agent level measured (no speech, or no audio): na.
"""

from __future__ import annotations

from dataclasses import dataclass

from callqa.records import Evidence, Role
from callqa.scoring.base import Outcome, RuleKind, other
from callqa.scoring.context import CallContext


@dataclass(frozen=True)
class Params:
    min_dbfs: float = -38.0
    max_dbfs: float = -10.0
    max_clipping: float = 0.001
    balance_db: float = 12.0
    shout_db: float = 10.0
    min_utterance_s: float = 1.0

    def problems(self) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        if not self.min_dbfs < self.max_dbfs <= 0:
            found.append(("min_dbfs", "must be less than max_dbfs, which must be at most 0"))
        if not 0 <= self.max_clipping < 1:
            found.append(("max_clipping", "must be a fraction from 0 to less than 1"))
        if self.balance_db <= 0:
            found.append(("balance_db", "must be more than 0 dB"))
        if self.shout_db <= 0:
            found.append(("shout_db", "must be more than 0 dB"))
        return found


def _level_clipping(ctx: CallContext, role: Role) -> tuple[float | None, float | None]:
    m = ctx.metrics
    if role == "agent":
        return m.agent_level_dbfs, m.agent_clipping
    return m.customer_level_dbfs, m.customer_clipping


def check(ctx: CallContext, params: Params, role: Role) -> Outcome:
    level, clipping = _level_clipping(ctx, role)
    if level is None:
        return Outcome("na", f"no speech level measured for the {role}")
    them = other(role)
    their_level, _ = _level_clipping(ctx, them)
    issues: list[str] = []
    evidence: list[Evidence] = []
    if clipping is not None and clipping > params.max_clipping:
        issues.append(f"clipping on {100 * clipping:.2f} % of speech samples")
    if level > params.max_dbfs:
        issues.append(f"too loud ({level:.1f} dBFS > {params.max_dbfs:g})")
    elif level < params.min_dbfs:
        issues.append(f"too quiet ({level:.1f} dBFS < {params.min_dbfs:g})")
    summary = f"{role} {level:.1f} dBFS"
    if their_level is not None:
        summary += f", {them} {their_level:.1f} dBFS"
        diff = level - their_level
        if abs(diff) > params.balance_db:
            issues.append(
                f"{abs(diff):.1f} dB {'louder' if diff > 0 else 'quieter'} than the {them}"
            )
    for m in ctx.measured(role):
        u = m.utterance
        loud = m.loudness_dbfs if m.loudness_dbfs is not None else u.loudness_dbfs
        long_enough = u.end - u.start >= params.min_utterance_s
        if loud is not None and long_enough and loud > level + params.shout_db:
            evidence.append(
                ctx.whole(u, f"shouting: {loud:.1f} dBFS, {loud - level:.1f} dB above own level")
            )
    if evidence:
        issues.append(f"{len(evidence)} utterance(s) shouted")
    if issues:
        if not evidence:
            evidence = _extreme(
                ctx,
                role,
                quiet=level < params.min_dbfs
                or (their_level is not None and level < their_level - params.balance_db),
            )
        return Outcome("fail", f"{summary}: {'; '.join(issues)}", tuple(evidence))
    return Outcome("pass", summary)


def _extreme(ctx: CallContext, role: Role, *, quiet: bool) -> list[Evidence]:
    """The role's loudest (or quietest) utterance, as evidence."""
    rated = [
        (m.loudness_dbfs, m.utterance)
        for m in ctx.measured(role)
        if m.loudness_dbfs is not None and m.utterance.end > m.utterance.start
    ]
    if not rated:
        return []
    pick = min if quiet else max
    level, utt = pick(rated, key=lambda pair: pair[0])
    return [ctx.whole(utt, f"{'quietest' if quiet else 'loudest'} utterance, {level:.1f} dBFS")]


KIND = RuleKind("volume", Params, check, "volume within range, no clipping, balanced")
