"""`silence`: no unannounced dead air; a hold is announced and thanked for.

Every gap with nobody speaking (from `Measures.gaps`) longer than `max_gap_s` fails the
item unless the agent announced it: one of `announcements` (请您稍等, 我帮您查一下 …)
in an agent utterance ending at most `announce_within_s` before the gap.  An announced
hold longer than `thank_after_s` must also be followed by thanks or an apology (让您久等了,
感谢您的耐心等待 …) in the agent's first utterance after it.  No gap that long: pass
(nothing went wrong).  No agent speech: na.
"""

from __future__ import annotations

from dataclasses import dataclass

from callqa.records import Evidence, Gap, Role, Utterance
from callqa.scoring.base import Outcome, Phrase, RuleKind, first_of, phrases_problems
from callqa.scoring.context import CallContext


@dataclass(frozen=True)
class Params:
    announcements: tuple[Phrase, ...]
    thanks: tuple[Phrase, ...]
    max_gap_s: float = 8.0
    announce_within_s: float = 15.0
    thank_after_s: float = 8.0

    def problems(self) -> list[tuple[str, str]]:
        found = phrases_problems("announcements", self.announcements)
        found += phrases_problems("thanks", self.thanks)
        if self.max_gap_s <= 0:
            found.append(("max_gap_s", "must be more than 0 seconds"))
        if self.announce_within_s < 0:
            found.append(("announce_within_s", "must not be negative"))
        return found


def _said(
    ctx: CallContext, utt: Utterance, phrases: tuple[Phrase, ...], note: str
) -> Evidence | None:
    span = first_of(ctx.text(utt), phrases)
    return None if span is None else ctx.evidence(utt, *span, note=note)


def _gap_evidence(gap: Gap, note: str) -> Evidence:
    return Evidence(
        start=round(gap.start, 3),
        end=round(gap.end, 3),
        speaker="unknown",
        text=f"(silence {gap.duration:.1f} s)",
        confidence=1.0,
        note=note,
    )


def check(ctx: CallContext, params: Params, role: Role) -> Outcome:
    spoken = ctx.spoken(role)
    if not spoken:
        return Outcome("na", f"no {role} speech")
    long_gaps = [g for g in ctx.measures.gaps if g.duration > params.max_gap_s]
    if not long_gaps:
        return Outcome("pass", f"no gap longer than {params.max_gap_s:g} s")
    evidence: list[Evidence] = []
    failed = 0
    for gap in long_gaps:
        before = [
            u for u in spoken if gap.start - params.announce_within_s <= u.end <= gap.start + 0.05
        ]
        announced = next(
            (
                e
                for u in reversed(before)
                if (e := _said(ctx, u, params.announcements, "hold announced"))
            ),
            None,
        )
        if announced is None:
            failed += 1
            evidence.append(_gap_evidence(gap, "unannounced silence"))
            continue
        evidence += [announced, _gap_evidence(gap, "announced hold")]
        if gap.duration <= params.thank_after_s:
            continue
        after = next((u for u in spoken if u.start >= gap.end - 0.05), None)
        thanked = _said(ctx, after, params.thanks, "thanks after hold") if after else None
        if thanked is None:
            failed += 1
            evidence.append(
                ctx.whole(after, "no thanks after the hold")
                if after
                else _gap_evidence(gap, "no thanks after the hold")
            )
        else:
            evidence.append(thanked)
    n = len(long_gaps)
    if failed:
        return Outcome(
            "fail",
            f"{failed} of {n} gap(s) over {params.max_gap_s:g} s not announced or not thanked for",
            tuple(evidence),
        )
    return Outcome("pass", f"{n} hold(s) over {params.max_gap_s:g} s, announced", tuple(evidence))


KIND = RuleKind("silence", Params, check, "no unannounced silence; holds announced and thanked")
