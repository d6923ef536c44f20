"""`interruption`: the agent does not talk over the customer.

An interruption is an overlap (from `Measures.overlaps`) where the agent started while
the customer was speaking and both spoke for more than `min_overlap_s`; an agent
utterance that is only a back-channel (`backchannels`: 嗯, 好的, 对 …) is not one.  More
than `max_count` interruptions in the call fail.  No customer or no agent speech: na.
"""

from __future__ import annotations

from dataclasses import dataclass

from callqa.records import Evidence, Role
from callqa.scoring.base import Outcome, RuleKind, other
from callqa.scoring.context import CallContext
from callqa.speech.textnorm import phrase_key


@dataclass(frozen=True)
class Params:
    min_overlap_s: float = 0.8
    max_count: int = 1
    backchannels: tuple[str, ...] = ("嗯", "嗯嗯", "好", "好的", "对", "对对", "是", "是的", "哦")

    def problems(self) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        if self.min_overlap_s < 0:
            found.append(("min_overlap_s", "must not be negative"))
        if self.max_count < 0:
            found.append(("max_count", "must not be negative"))
        return found


def check(ctx: CallContext, params: Params, role: Role) -> Outcome:
    them = other(role)
    if not ctx.spoken(role) or not ctx.spoken(them):
        return Outcome("na", f"needs both {role} and {them} speech")
    backchannels = {phrase_key(b) for b in params.backchannels}
    evidence: list[Evidence] = []
    for ov in ctx.measures.overlaps:
        if ov.second.role != role or ov.first.role != them:
            continue
        if ov.duration <= params.min_overlap_s:
            continue
        if ctx.text(ov.second).chars in backchannels:
            continue
        ev = ctx.whole(ov.second, f"started {ov.duration:.1f} s before the {them} finished")
        evidence.append(
            Evidence(
                round(ov.start, 3), round(ov.end, 3), ev.speaker, ev.text, ev.confidence, ev.note
            )
        )
    n = len(evidence)
    message = f"{n} interruption(s) over {params.min_overlap_s:g} s (at most {params.max_count})"
    return Outcome("fail" if n > params.max_count else "pass", message, tuple(evidence))


KIND = RuleKind("interruption", Params, check, "does not talk over the customer")
