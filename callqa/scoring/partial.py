"""A call cut short is judged on what was kept, never failed for what was cut.

Items whose rule kind needs the end or the whole of the call (`closing`, `recap`: the
goodbye and the summary come last; `politeness`: counts courtesy terms over the whole
call) cannot be judged when the end is missing: unless they already pass on what was
kept, they become `na` with the reason.  Items that judge what is there (a forbidden
phrase, the speaking rate, a silence, an interruption) stand.  The call's verdict is then
`fail` only for what the kept part shows (a forbidden phrase, say); otherwise `review`,
never `pass`, because a person has to hear the whole call to pass it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from callqa.records import CallScore, Partial
from callqa.scoring.engine import verdict_of

if TYPE_CHECKING:
    from callqa.scoring.scorecard import Scorecard

NEEDS_THE_WHOLE_CALL = frozenset({"closing", "recap", "politeness"})
"""Rule kinds (YAML `type:`) that cannot fail a call whose end is missing."""


def for_partial(score: CallScore, scorecard: Scorecard, partial: Partial) -> CallScore:
    """`score` of a call cut short: end items `na` unless passed, verdict never `pass`."""
    kinds = {item.id: item.type for item in scorecard.items}
    cut = f"recording cut short, {partial.summary}: the end of the call is missing"
    rules = tuple(
        replace(r, status="na", points=0.0, message=cut)
        if kinds.get(r.id) in NEEDS_THE_WHOLE_CALL and r.status != "pass"
        else r
        for r in score.rules
    )
    total, verdict = verdict_of(rules, max_score=score.max_score, pass_mark=scorecard.pass_mark)
    return replace(
        score, rules=rules, score=total, verdict="review" if verdict == "pass" else verdict
    )
