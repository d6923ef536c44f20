"""`self_intro`: the agent opens with a greeting, the company name and who they are.

Looked for in the agent's utterances that start within `within_s` seconds of the agent's
first word.  The company names come from the scorecard (names and aliases); a
transcriber's homophone slip (行河通信 for 星河通信) still counts when `company_match`
is "pinyin" (tone-less pinyin equal) or "fuzzy_pinyin" (also in/ing, en/eng, an/ang,
z/zh, c/ch, s/sh folded: 心何通信).  Fail lists the parts that are missing; when the
transcript of the opening is itself too uncertain to say a part is missing: review.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

from callqa.records import Evidence, Role, Utterance
from callqa.scoring.base import Outcome, Phrase, RuleKind, first_of, phrases_problems
from callqa.scoring.context import CallContext
from callqa.speech.textnorm import sounds_like


@dataclass(frozen=True)
class Params:
    greetings: tuple[Phrase, ...]
    self_ids: tuple[Phrase, ...]
    within_s: float = 15.0
    company_match: Literal["exact", "pinyin", "fuzzy_pinyin"] = "fuzzy_pinyin"

    def problems(self) -> list[tuple[str, str]]:
        found = phrases_problems("greetings", self.greetings)
        found += phrases_problems("self_ids", self.self_ids)
        if self.within_s <= 0:
            found.append(("within_s", "must be more than 0 seconds"))
        if not self.greetings:
            found.append(("greetings", "needs at least one phrase"))
        if not self.self_ids:
            found.append(("self_ids", "needs at least one phrase"))
        return found


def _find(
    ctx: CallContext, utts: tuple[Utterance, ...], phrases: tuple[Phrase, ...], note: str
) -> Evidence | None:
    for u in utts:
        span = first_of(ctx.text(u), phrases)
        if span is not None:
            return ctx.evidence(u, *span, note=note)
    return None


@functools.lru_cache(maxsize=256)
def _phrase(text: str) -> Phrase:
    return Phrase(text)


def _company(ctx: CallContext, utts: tuple[Utterance, ...], how: str) -> Evidence | None:
    for u in utts:
        mt = ctx.text(u)
        for name in ctx.company_names:
            span = _phrase(name).first(mt)
            if span is not None:
                return ctx.evidence(u, *span, note="company name")
    if how == "exact":
        return None
    for u in utts:
        mt = ctx.text(u)
        for name in ctx.company_names:
            n = len(_phrase(name).key)
            pos = sounds_like(mt, name, fuzzy=how == "fuzzy_pinyin")
            if pos >= 0:
                heard = mt.quote(pos, pos + n)
                return ctx.evidence(
                    u, pos, pos + n, note=f"company name by sound: {heard} ≈ {name}"
                )
    return None


def check(ctx: CallContext, params: Params, role: Role) -> Outcome:
    spoken = ctx.spoken(role)
    if not spoken:
        return Outcome("na", f"no {role} speech")
    limit = spoken[0].start + params.within_s
    opening = tuple(u for u in spoken if u.start < limit)
    found = {
        "greeting": _find(ctx, opening, params.greetings, "greeting"),
        "company name": _company(ctx, opening, params.company_match) if ctx.company_names else None,
        "self-identification": _find(ctx, opening, params.self_ids, "self-identification"),
    }
    if not ctx.company_names:
        found.pop("company name")
    evidence = tuple(e for e in found.values() if e is not None)
    missing = [part for part, e in found.items() if e is None]
    if not missing:
        return Outcome("pass", "greeting, company name and self-identification", evidence)
    wanted = {
        "greeting": "/".join(p.text for p in params.greetings),
        "company name": "/".join(ctx.company_names),
        "self-identification": "/".join(p.text for p in params.self_ids),
    }
    message = f"missing in the first {params.within_s:g} s: " + ", ".join(
        f"{part} ({wanted[part]})" for part in missing
    )
    said = evidence + tuple(ctx.whole(u, note="opening") for u in opening)
    if ctx.uncertain_text(opening):
        return Outcome("review", message + " - but the transcript there is uncertain", said)
    return Outcome("fail", message, said)


KIND = RuleKind(
    "self_intro",
    Params,
    check,
    "greeting + company name + self-identification at the start",
    needs_companies=True,
)
