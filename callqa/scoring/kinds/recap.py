"""`recap`: the agent confirms or restates what the customer asked for.

Pass either way:

1. by phrase: the agent says one of `phrases` (跟您确认一下, 您是说, 我复述一下, 请问我刚才的
   解释是否清楚 …) anywhere in the call;
2. by similarity: one of the `look_ahead` agent utterances that follow the customer's
   main request is similar enough to it: character n-gram TF-IDF cosine (n from
   `ngram_min` to `ngram_max`, see `callqa.scoring.similarity`) of at least `similarity`.

3. by a checking question: an agent utterance that ends with one of `confirm_tags` (对吗,
   是吗, 没错吧 …) and shares at least `min_shared` character pairs with what the customer
   said before it: the agent puts the customer's own words back as a question, whatever
   the lead-in.  Or, with `min_restated`, one whose question before the tag holds at
   least that many characters: a restatement put as a question is a recap even when the
   customer's words came out garbled (a murky caller leaves no pairs to share).

The main request is the longest customer utterance (in characters) starting in the first
half of the call with at least `min_request_chars` characters; failing that, the first
customer utterance that long anywhere.  No such utterance, or a call shorter than
`min_call_s`: na.  Evidence: the request, the closest reply and their similarity.
"""

from __future__ import annotations

from dataclasses import dataclass

from callqa.records import Role, Utterance
from callqa.scoring.base import Outcome, Phrase, RuleKind, first_of, other, phrases_problems
from callqa.scoring.context import CallContext
from callqa.scoring.similarity import cosine_of_keys


@dataclass(frozen=True)
class Params:
    phrases: tuple[Phrase, ...]
    similarity: float = 0.1
    ngram_min: int = 2
    ngram_max: int = 2
    min_request_chars: int = 10
    look_ahead: int = 2
    min_call_s: float = 20.0
    confirm_tags: tuple[Phrase, ...] = ()
    min_shared: int = 3
    min_restated: int = 0
    """Characters before the tag that make a checking question a recap by themselves
    (0: off, the echo of the customer's words is needed)."""

    def problems(self) -> list[tuple[str, str]]:
        found = phrases_problems("phrases", self.phrases)
        found += phrases_problems("confirm_tags", self.confirm_tags)
        if self.min_shared < 1:
            found.append(("min_shared", "must be at least 1"))
        if self.min_restated < 0:
            found.append(("min_restated", "must be 0 (off) or more"))
        if not 0.0 < self.similarity <= 1.0:
            found.append(("similarity", "must be more than 0 and at most 1"))
        if not 1 <= self.ngram_min <= self.ngram_max:
            found.append(("ngram_min", "must be at least 1 and at most ngram_max"))
        if self.look_ahead < 1:
            found.append(("look_ahead", "must be at least 1"))
        if self.min_request_chars < 1:
            found.append(("min_request_chars", "must be at least 1"))
        return found


def main_request(ctx: CallContext, role: Role, min_chars: int) -> Utterance | None:
    """The customer's main request (see the module docstring)."""
    asks = [u for u in ctx.spoken(role) if len(ctx.text(u).chars) >= min_chars]
    early = [u for u in asks if u.start < ctx.midpoint]
    if early:
        return max(early, key=lambda u: len(ctx.text(u).chars))
    return asks[0] if asks else None


def check(ctx: CallContext, params: Params, role: Role) -> Outcome:
    spoken = ctx.spoken(role)
    if not spoken:
        return Outcome("na", f"no {role} speech")
    for utt in spoken:
        span = first_of(ctx.text(utt), params.phrases)
        if span is not None:
            return Outcome("pass", "recap by phrase", (ctx.evidence(utt, *span, "recap"),))
    asked = _checking_question(ctx, params, role)
    if asked is not None:
        return asked
    end = max((u.end for u in ctx.transcript.utterances), default=0.0)
    if max(ctx.transcript.duration, end) < params.min_call_s:
        return Outcome("na", f"call shorter than {params.min_call_s:g} s")
    request = main_request(ctx, other(role), params.min_request_chars)
    if request is None:
        return Outcome("na", f"no {other(role)} request of {params.min_request_chars}+ characters")
    replies = [u for u in spoken if u.start > request.start][: params.look_ahead]
    if not replies:
        return Outcome(
            "fail", f"no {role} reply after the request", (ctx.whole(request, "request"),)
        )
    key = ctx.text(request).chars
    rng = (params.ngram_min, params.ngram_max)
    best, score = max(
        ((u, cosine_of_keys(key, ctx.text(u).chars, ngram_range=rng)) for u in replies),
        key=lambda pair: pair[1],
    )
    note = f"similarity {score:.2f} (needs {params.similarity:g})"
    evidence = (ctx.whole(request, "request"), ctx.whole(best, note))
    if score >= params.similarity:
        return Outcome("pass", f"recap by similarity {score:.2f}", evidence)
    message = f"no recap phrase and the closest reply has similarity {score:.2f}"
    if ctx.uncertain_text([request, best]):
        return Outcome("review", message + " - but the transcript is uncertain", evidence)
    return Outcome("fail", message, evidence)


def _pairs(chars: str) -> set[str]:
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def _checking_question(ctx: CallContext, params: Params, role: Role) -> Outcome | None:
    """An agent utterance ending with a confirm tag that echoes the customer's words."""
    if not params.confirm_tags:
        return None
    theirs = ctx.spoken(other(role))
    for utt in ctx.spoken(role):
        mt = ctx.text(utt)
        tail = len(mt.chars) - max((len(p.key) for p in params.confirm_tags), default=0) - 1
        spans = [s for p in params.confirm_tags for s, e in p.spans(mt) if s >= tail]
        if not spans:
            continue
        body = mt.chars[: min(spans)]
        before = "".join(ctx.text(u).chars for u in theirs if u.start < utt.start)
        shared = _pairs(body) & _pairs(before)
        if len(shared) >= params.min_shared:
            note = f"checking question echoing the {other(role)} ({len(shared)} shared pairs)"
            return Outcome("pass", "recap by a checking question", (ctx.whole(utt, note),))
        if 0 < params.min_restated <= len(body):
            note = f"checking question restating {len(body)} characters"
            return Outcome("pass", "recap by a checking question", (ctx.whole(utt, note),))
    return None


KIND = RuleKind(
    "recap", Params, check, "confirms or restates the customer's request", reads_words=True
)
