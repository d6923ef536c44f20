"""`closing`: before hanging up the agent offers further help and thanks / says goodbye.

Looked for in the agent's utterances that end within the agent's last `within_s`
seconds of speech: one of `offers` (请问还有什么可以帮您 …) and one of `farewells`
(感谢您的来电, 再见 …).  Fail lists which is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from callqa.records import Evidence, Role, Utterance
from callqa.scoring.base import Outcome, Phrase, RuleKind, first_of, phrases_problems
from callqa.scoring.context import CallContext


@dataclass(frozen=True)
class Params:
    offers: tuple[Phrase, ...]
    farewells: tuple[Phrase, ...]
    within_s: float = 20.0

    def problems(self) -> list[tuple[str, str]]:
        found = phrases_problems("offers", self.offers) + phrases_problems(
            "farewells", self.farewells
        )
        if self.within_s <= 0:
            found.append(("within_s", "must be more than 0 seconds"))
        return found


def _find(
    ctx: CallContext, utts: tuple[Utterance, ...], phrases: tuple[Phrase, ...], note: str
) -> Evidence | None:
    for utt in reversed(utts):
        span = first_of(ctx.text(utt), phrases)
        if span is not None:
            return ctx.evidence(utt, *span, note=note)
    return None


def check(ctx: CallContext, params: Params, role: Role) -> Outcome:
    spoken = ctx.spoken(role)
    if not spoken:
        return Outcome("na", f"no {role} speech")
    last = max(u.end for u in spoken)
    closing = tuple(u for u in spoken if u.end >= last - params.within_s)
    offer = _find(ctx, closing, params.offers, "offer of further help")
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
