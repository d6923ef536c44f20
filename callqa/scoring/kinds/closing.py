"""`closing`: before hanging up the agent offers further help and thanks / says goodbye.

Looked for in the agent's utterances that end within the agent's last `within_s`
seconds of speech: one of `offers` (请问还有什么可以帮您 …) and one of `farewells`
(感谢您的来电, 谢谢, 再见 …).  Fail lists which is missing.

The offer is also shown by the customer's answer when its words were not caught: an agent
utterance of the close that holds one of `offer_cues` (还, 其他, 别的 …) and that the
customer answers, next and within `answer_within_s`, with one of `declines` (没有了, 不用了
…) at the start.  "Anything else?" is the question that "nothing more" answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from callqa.records import Evidence, Role, Utterance
from callqa.scoring.base import Outcome, Phrase, RuleKind, first_of, other, phrases_problems
from callqa.scoring.context import CallContext


@dataclass(frozen=True)
class Params:
    offers: tuple[Phrase, ...]
    farewells: tuple[Phrase, ...]
    within_s: float = 20.0
    offer_cues: tuple[Phrase, ...] = ()
    declines: tuple[Phrase, ...] = ()
    answer_within_s: float = 3.0

    def problems(self) -> list[tuple[str, str]]:
        found = (
            phrases_problems("offers", self.offers)
            + phrases_problems("farewells", self.farewells)
            + phrases_problems("offer_cues", self.offer_cues)
            + phrases_problems("declines", self.declines)
        )
        if self.within_s <= 0:
            found.append(("within_s", "must be more than 0 seconds"))
        if self.answer_within_s <= 0:
            found.append(("answer_within_s", "must be more than 0 seconds"))
        if bool(self.offer_cues) != bool(self.declines):
            found.append(("declines", "offer_cues and declines go together: give both or neither"))
        return found


def _find(
    ctx: CallContext, utts: tuple[Utterance, ...], phrases: tuple[Phrase, ...], note: str
) -> Evidence | None:
    for utt in reversed(utts):
        span = first_of(ctx.text(utt), phrases)
        if span is not None:
            return ctx.evidence(utt, *span, note=note)
    return None


def _answered_offer(
    ctx: CallContext, params: Params, role: Role, closing: tuple[Utterance, ...]
) -> Evidence | None:
    """The agent's question of the close that the customer answered with "nothing more"."""
    if not params.declines:
        return None
    replies = ctx.spoken(other(role))
    for utt in reversed(closing):
        if first_of(ctx.text(utt), params.offer_cues) is None:
            continue
        after = [u for u in replies if u.start >= utt.start + 0.1]
        if not after or after[0].start > utt.end + params.answer_within_s:
            continue
        answer = after[0]
        span = first_of(ctx.text(answer), params.declines)
        if span is not None and span[0] == 0:
            said = ctx.text(answer).quote(*span)
            return ctx.whole(utt, f"offer of further help (the {other(role)} answered {said})")
    return None


def check(ctx: CallContext, params: Params, role: Role) -> Outcome:
    spoken = ctx.spoken(role)
    if not spoken:
        return Outcome("na", f"no {role} speech")
    last = max(u.end for u in spoken)
    closing = tuple(u for u in spoken if u.end >= last - params.within_s)
    offer = _find(ctx, closing, params.offers, "offer of further help")
    if offer is None:
        offer = _answered_offer(ctx, params, role, closing)
    farewell = _find(ctx, closing, params.farewells, "thanks / farewell")
    evidence = tuple(e for e in (offer, farewell) if e is not None)
    missing = []
    if offer is None:
        missing.append("offer of further help (" + "/".join(p.text for p in params.offers) + ")")
    if farewell is None:
        missing.append("thanks/farewell (" + "/".join(p.text for p in params.farewells) + ")")
    if not missing:
        return Outcome("pass", "offer of further help and farewell", evidence)
    message = f"missing in the last {params.within_s:g} s: " + ", ".join(missing)
    said = evidence + tuple(ctx.whole(u, "closing") for u in closing[-2:])
    if ctx.uncertain_text(closing):
        return Outcome("review", message + " - but the transcript there is uncertain", said)
    return Outcome("fail", message, said)


KIND = RuleKind(
    "closing", Params, check, "offers further help and thanks/farewell at the end", reads_words=True
)
