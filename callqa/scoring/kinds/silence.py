"""`silence`: no unannounced dead air; a hold is announced and thanked for.

Gaps are read from the call's speech timeline (`CallContext.timeline`: the signal, not the
transcript), so speech the transcriber could not read is never taken for silence.  Every
gap with nobody speaking longer than `max_gap_s` fails the item unless the agent announced
it: one of `announcements` (请您稍等, 我帮您查一下 …) said at most `announce_within_s`
before the gap, with no other long gap in between (an announcement covers the gap it
precedes, not a later one).  An announced hold longer than `thank_after_s` must also be
followed by thanks or an apology (让您久等了, 感谢您的耐心等待 …) in the agent's first
utterance after it.  No gap that long: pass (nothing went wrong).  No agent speech: na.
When every failing gap is one where the agent's words around it are uncertain (the
announcement may have been said but not read), or the agent's speech as a whole is murky
(mean word probability under the scorecard's `clear_agent`: Whisper base does not read a
hold announced in a synthetic voice), the item is `review`, not `fail`.
"""

from __future__ import annotations

from dataclasses import dataclass

from callqa.records import Evidence, Role, Span, Utterance
from callqa.scoring.base import Outcome, Phrase, RuleKind, first_of, phrases_problems
from callqa.scoring.context import CallContext
from callqa.speech.timeline import silences

SLACK_S = 1.0
"""Transcriber word times may be this far off the signal's speech boundaries."""


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


def _gap_evidence(gap: Span, note: str) -> Evidence:
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
    long_gaps = list(silences(ctx.timeline, min_s=params.max_gap_s))
    long_gaps = [g for g in long_gaps if g.duration > params.max_gap_s]
    if not long_gaps:
        return Outcome("pass", f"no gap longer than {params.max_gap_s:g} s")
    evidence: list[Evidence] = []
    failed = doubtful = 0
    for k, gap in enumerate(long_gaps):
        since = max(
            gap.start - params.announce_within_s,
            long_gaps[k - 1].end - SLACK_S if k else float("-inf"),
        )
        announced = None
        for u in reversed(spoken):
            if u.start > gap.start + SLACK_S or u.end < since:
                continue
            said = _said(ctx, u, params.announcements, "hold announced")
            if said is not None and since <= said.end <= gap.start + SLACK_S:
                announced = said
                break
        if announced is None:
            failed += 1
            before = [u for u in spoken if since <= u.end <= gap.start + SLACK_S][-1:]
            doubtful += bool(before) and ctx.uncertain_text(before)
            evidence.append(_gap_evidence(gap, "unannounced silence"))
            continue
        evidence += [announced, _gap_evidence(gap, "announced hold")]
        if gap.duration <= params.thank_after_s:
            continue
        after = next((u for u in spoken if u.start >= gap.end - SLACK_S), None)
        thanked = _said(ctx, after, params.thanks, "thanks after hold") if after else None
        if thanked is None:
            failed += 1
            doubtful += after is not None and ctx.uncertain_text([after])
            evidence.append(
                ctx.whole(after, "no thanks after the hold")
                if after
                else _gap_evidence(gap, "no thanks after the hold")
            )
        else:
            evidence.append(thanked)
    n = len(long_gaps)
    if failed and failed == doubtful:
        return Outcome(
            "review",
            f"{failed} of {n} gap(s) over {params.max_gap_s:g} s not announced or not thanked "
            "for - but the transcript around them is uncertain",
            tuple(evidence),
        )
    if failed:
        return Outcome(
            "fail",
            f"{failed} of {n} gap(s) over {params.max_gap_s:g} s not announced or not thanked for",
            tuple(evidence),
        )
    return Outcome("pass", f"{n} hold(s) over {params.max_gap_s:g} s, announced", tuple(evidence))


KIND = RuleKind(
    "silence",
    Params,
    check,
    "no unannounced silence; holds announced and thanked",
    fail_needs_words=True,
)
