"""`interruption`: the agent does not talk over the customer.

Read from the call's speech timeline (`CallContext.timeline`, from the signal): an
interruption is the agent starting to speak while the customer is speaking, both going on
together for at least `min_overlap_s`.  A backchannel is not one: the agent's stretch is
only `backchannels` (嗯, 好的, 对 …), or it is under 1 s with nothing else in it.  More than
`max_count` interruptions in the call fail.  No customer or no agent speech: na.
"""

from __future__ import annotations

from dataclasses import dataclass

from callqa.records import Evidence, Role
from callqa.scoring.base import Outcome, RuleKind, other
from callqa.scoring.context import CallContext
from callqa.speech.timeline import BACKCHANNELS, interruptions


@dataclass(frozen=True)
class Params:
    min_overlap_s: float = 0.5
    max_count: int = 1
    backchannels: tuple[str, ...] = BACKCHANNELS

    def problems(self) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        if self.min_overlap_s < 0:
            found.append(("min_overlap_s", "must not be negative"))
        if self.max_count < 0:
            found.append(("max_count", "must not be negative"))
        return found


def check(ctx: CallContext, params: Params, role: Role) -> Outcome:
    them = other(role)
    line = ctx.timeline
    if not line.speech(role) or not line.speech(them) or not ctx.spoken(role):
        return Outcome("na", f"needs both {role} and {them} speech")
    evidence: list[Evidence] = []
    for cut in interruptions(
        line, ctx.transcript, min_overlap_s=params.min_overlap_s, backchannels=params.backchannels
    ):
        if cut.starter != role:
            continue
        evidence.append(
            Evidence(
                start=round(cut.start, 3),
                end=round(cut.end, 3),
                speaker=role,
                text=cut.text or "(speech)",
                confidence=1.0,
                note=f"started {cut.duration:.1f} s before the {them} finished",
            )
        )
    n = len(evidence)
    message = f"{n} interruption(s) over {params.min_overlap_s:g} s (at most {params.max_count})"
    return Outcome("fail" if n > params.max_count else "pass", message, tuple(evidence))


KIND = RuleKind("interruption", Params, check, "does not talk over the customer")
