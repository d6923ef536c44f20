"""`politeness`: the standard polite terms (您好、请、谢谢、对不起/抱歉、再见).

Each term has the words that count for it (谢谢 also 感谢/多谢, for instance; a word
inside one of its `unless_in` phrases does not count: 请 in 申请).  Pass when every term
named in `required` is said at least once and at least `min_distinct` different terms
are said over the whole call.

A greeting is a formula (您好，请问有什么可以帮您); courtesy is what the agent keeps up
after it (seed 000: "请、谢谢、对不起"不离嘴边).  With `beyond_opening` set, one of the
terms it names must also be said after the agent's first utterance.
"""

from __future__ import annotations

from dataclasses import dataclass

from callqa.records import Evidence, Role, Utterance
from callqa.scoring.base import Outcome, Phrase, RuleKind, first_of, phrases_problems
from callqa.scoring.context import CallContext


@dataclass(frozen=True)
class Term:
    name: str
    words: tuple[Phrase, ...]


@dataclass(frozen=True)
class Params:
    terms: tuple[Term, ...]
    required: tuple[str, ...] = ()
    min_distinct: int = 1
    beyond_opening: tuple[str, ...] = ()

    def problems(self) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        names = [t.name for t in self.terms]
        for t in self.terms:
            found += phrases_problems(f"terms: {t.name}", t.words)
            if not t.words:
                found.append(("terms", f"term {t.name!r} has no words"))
        if len(set(names)) != len(names):
            found.append(("terms", "a term name is listed twice"))
        for key, listed in (("required", self.required), ("beyond_opening", self.beyond_opening)):
            for r in listed:
                if r not in names:
                    found.append((key, f"{r!r} is not one of the terms ({', '.join(names)})"))
        if not 0 <= self.min_distinct <= len(self.terms):
            found.append(("min_distinct", f"must be between 0 and {len(self.terms)} (the terms)"))
        return found


def check(ctx: CallContext, params: Params, role: Role) -> Outcome:
    spoken = ctx.spoken(role)
    if not spoken:
        return Outcome("na", f"no {role} speech")
    said: dict[str, Evidence] = {}
    for term in params.terms:
        for utt in spoken:
            span = first_of(ctx.text(utt), term.words)
            if span is not None:
                said[term.name] = ctx.evidence(utt, *span, note=term.name)
                break
    evidence = tuple(sorted(said.values(), key=lambda e: e.start))
    missing = [r for r in params.required if r not in said]
    later = _beyond_opening(ctx, params, spoken)
    if later is not None:
        evidence = tuple(sorted({*evidence, later}, key=lambda e: e.start))
    summary = f"{len(said)} of {len(params.terms)} terms ({'、'.join(said) or 'none'})"
    cold = bool(params.beyond_opening) and len(spoken) > 1 and later is None
    if not missing and len(said) >= params.min_distinct and not cold:
        return Outcome("pass", summary, evidence)
    problems = []
    if missing:
        problems.append("missing " + "、".join(missing))
    if cold:
        problems.append("no " + "/".join(params.beyond_opening) + " after the greeting")
    if len(said) < params.min_distinct:
        problems.append(f"fewer than {params.min_distinct} different terms")
    message = f"{summary}: {'; '.join(problems)}"
    if ctx.uncertain_text(spoken):
        return Outcome("review", message + " - but the transcript is uncertain", evidence)
    return Outcome("fail", message, evidence)


def _beyond_opening(
    ctx: CallContext, params: Params, spoken: tuple[Utterance, ...]
) -> Evidence | None:
    """The first of the `beyond_opening` terms said after the agent's first utterance."""
    terms = [t for t in params.terms if t.name in params.beyond_opening]
    for utt in spoken[1:]:
        for term in terms:
            span = first_of(ctx.text(utt), term.words)
            if span is not None:
                return ctx.evidence(utt, *span, note=f"{term.name} after the greeting")
    return None


KIND = RuleKind("politeness", Params, check, "the standard polite terms", reads_words=True)
