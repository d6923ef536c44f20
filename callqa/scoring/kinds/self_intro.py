"""`self_intro`: the agent opens with a greeting, the company name and who they are.

Looked for in the agent's utterances that start within `within_s` seconds of the agent's
first word, every phrase by characters or by sound (位您服务 ≈ 为您服务, 宫号 ≈ 工号).

- Company: the call's own company (manifest or file name) when known, else the
  scorecard's `companies:` (names, aliases, and each name without a generic suffix such as
  通信/银行).  A transcriber's homophone slip (行河通信) counts with `company_match`
  "pinyin"; "fuzzy_pinyin" also folds nasals, flat/retroflex initials and n/l (心何通信).
  With no company configured, the opening must introduce *an* organisation:
  `org_before` + a name (欢迎致电星河通信) or a name + `org_after` (星河通信客服), and the
  evidence quotes it.
- Self-identification: a `self_ids` phrase (工号, 客服代表, 我是…) or a run of at least
  `min_id_digits` digits, Arabic or read out (工号幺二三四 is 工号1234).

Fail lists the parts that are missing; when the transcript of the opening is itself too
uncertain to say a part is missing: review.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from callqa.records import Evidence, Role, Utterance
from callqa.scoring.base import Outcome, Phrase, RuleKind, first_match, phrases_problems
from callqa.scoring.context import CallContext
from callqa.speech.roles import company_suffix, company_variants
from callqa.speech.textnorm import MatchText, closest, readings, sounds_like

_DIGITS = re.compile("[零一二三四五六七八九十]+")


@dataclass(frozen=True)
class Params:
    greetings: tuple[Phrase, ...]
    self_ids: tuple[Phrase, ...]
    within_s: float = 15.0
    company_match: Literal["exact", "pinyin", "fuzzy_pinyin"] = "fuzzy_pinyin"
    org_before: tuple[Phrase, ...] = ()
    org_after: tuple[Phrase, ...] = ()
    min_id_digits: int = 3
    company_near: float = 0.0
    """With fuzzy_pinyin: the share of a company name's syllables (names of 4 or more)
    that may be merely near (same initial, two letters off), not one as for other phrases."""

    def problems(self) -> list[tuple[str, str]]:
        found = phrases_problems("greetings", self.greetings)
        found += phrases_problems("self_ids", self.self_ids)
        if self.within_s <= 0:
            found.append(("within_s", "must be more than 0 seconds"))
        if not self.greetings:
            found.append(("greetings", "needs at least one phrase"))
        if not self.self_ids:
            found.append(("self_ids", "needs at least one phrase"))
        if not 0.0 <= self.company_near <= 0.5:
            found.append(("company_near", "must be between 0 and 0.5"))
        if self.min_id_digits < 2:
            found.append(("min_id_digits", "must be at least 2"))
        return found


def _find(
    ctx: CallContext, utts: tuple[Utterance, ...], phrases: tuple[Phrase, ...], note: str
) -> Evidence | None:
    for u in utts:
        hit = first_match(ctx.text(u), phrases)
        if hit is not None:
            start, end, heard = hit
            return ctx.evidence(u, start, end, note=f"{note}: {heard}" if heard else note)
    return None


def _greeting(ctx: CallContext, utts: tuple[Utterance, ...], params: Params) -> Evidence | None:
    """A greeting phrase; or the opening's first clause, two syllables ending in "hao" on
    their own before a pause (1号，/林豪，/灵豪，…): Whisper's usual writing of a 您好 whose
    first syllable the line clipped or blurred, right where a greeting is said."""
    found = _find(ctx, utts, params.greetings, "greeting")
    if found is not None or not utts:
        return found
    first = utts[0]
    mt = ctx.text(first)
    if len(mt.chars) < 3 or mt.folded[: mt.index[0]].strip():
        return None
    after = mt.folded[mt.index[1] + 1 : mt.index[1] + 2]
    if (
        after
        and not after.isalnum()
        and "hao" in readings(mt.chars[1])
        and mt.index[1] == mt.index[0] + 1
    ):
        heard = mt.quote(0, 2)
        return ctx.evidence(first, 0, 2, note=f"greeting by sound: {heard} ≈ 您好")
    return None


def _self_id(ctx: CallContext, utts: tuple[Utterance, ...], params: Params) -> Evidence | None:
    found = _find(ctx, utts, params.self_ids, "self-identification")
    if found is not None:
        return found
    for u in utts:
        for m in _DIGITS.finditer(ctx.text(u).chars):
            if m.end() - m.start() >= params.min_id_digits:
                return ctx.evidence(u, m.start(), m.end(), note="self-identification: number")
    return None


def _organisation(ctx: CallContext, utts: tuple[Utterance, ...], params: Params) -> Evidence | None:
    """An organisation introduced by name when no company is configured."""
    for u in utts:
        mt = ctx.text(u)
        for phrase in params.org_before:
            for start, end, _ in phrase.matches(mt):
                name = _name_after(mt, end)
                if len(name) >= 2:
                    return ctx.evidence(u, start, end + len(name), note="organisation")
        for phrase in params.org_after:
            for start, end, _ in phrase.matches(mt):
                name = _name_before(mt, start)
                if len(name) >= 2:
                    return ctx.evidence(u, start - len(name), end, note="organisation")
    return None


_STOP = "的是我你您了吗呢啊请"


def _name_after(mt: MatchText, pos: int) -> str:
    """The name that follows an introducer, up to the sentence or clause end."""
    sid = mt.sentence[pos] if pos < len(mt.chars) else -1
    out = ""
    for k in range(pos, min(len(mt.chars), pos + 12)):
        if mt.sentence[k] != sid or mt.chars[k] in _STOP:
            break
        out += mt.chars[k]
    return out


def _name_before(mt: MatchText, pos: int) -> str:
    """The name before 客服/热线: up to 10 characters back, not a pronoun phrase."""
    if pos == 0:
        return ""
    sid = mt.sentence[pos - 1]
    out = ""
    for k in range(pos - 1, max(-1, pos - 11), -1):
        if mt.sentence[k] != sid or mt.chars[k] in _STOP:
            break
        out = mt.chars[k] + out
    return out


@functools.lru_cache(maxsize=256)
def _phrase(text: str) -> Phrase:
    return Phrase(text, sound=False)  # company names: by sound only as `company_match` says


def _company(
    ctx: CallContext, utts: tuple[Utterance, ...], how: str, near: float = 0.0
) -> Evidence | None:
    names = company_variants(ctx.company_names)
    for u in utts:
        mt = ctx.text(u)
        for name in names:
            span = _phrase(name).first(mt)
            if span is not None:
                return ctx.evidence(u, *span, note="company name")
    if how == "exact":
        return None
    for u in utts:
        mt = ctx.text(u)
        for name in names:
            n = len(_phrase(name).key)
            fuzzy = how == "fuzzy_pinyin"
            errors = int(n * near) if fuzzy and n >= 4 and near > 0 else None
            pos = sounds_like(mt, name, fuzzy=fuzzy, max_errors=errors)
            if pos >= 0:
                heard = mt.quote(pos, pos + n)
                return ctx.evidence(
                    u, pos, pos + n, note=f"company name by sound: {heard} ≈ {name}"
                )
    if how != "fuzzy_pinyin":
        return None
    # The distinctive part garbled, the generic ending heard (安排保险 for 安和保险): a
    # company of that kind was named.
    for u in utts:
        mt = ctx.text(u)
        for name in ctx.company_names:
            suffix = company_suffix(name)
            if suffix is None:
                continue
            core = len(_phrase(name).key) - len(suffix)
            for start, end, _ in Phrase(suffix).matches(mt):
                if start >= core and mt.sentence[start - core] == mt.sentence[start]:
                    heard = mt.quote(start - core, end)
                    return ctx.evidence(
                        u, start - core, end, note=f"company name in part: {heard} ≈ {name}"
                    )
    return None


CANDIDATE = "company name?"
"""Note of the stretch that sounds most like the company when its name was not found: the
pipeline asks the audio about it (`callqa.scoring.verification.verify_company`)."""


def _company_candidate(ctx: CallContext, utts: tuple[Utterance, ...]) -> Evidence | None:
    """Where the opening sounds most like a company name (at least half alike), if anywhere."""
    best: tuple[int, Utterance, int, str] | None = None
    for u in utts:
        mt = ctx.text(u)
        for name in ctx.company_names:
            n = len(_phrase(name).key)
            start, score = closest(mt.chars, name)
            if start < 0 or mt.sentence[start] != mt.sentence[start + n - 1]:
                continue
            if score >= n and (best is None or score > best[0]):
                best = (score, u, start, name)
    if best is None:
        return None
    _, u, start, name = best
    end = start + len(_phrase(name).key)
    heard = ctx.text(u).quote(start, end)
    return ctx.evidence(u, start, end, note=f"{CANDIDATE} {heard} ≈ {name}")


def check(ctx: CallContext, params: Params, role: Role) -> Outcome:
    spoken = ctx.spoken(role)
    if not spoken:
        return Outcome("na", f"no {role} speech")
    limit = spoken[0].start + params.within_s
    opening = tuple(u for u in spoken if u.start < limit)
    found = {
        "greeting": _greeting(ctx, opening, params),
        "company name": (
            _company(ctx, opening, params.company_match, params.company_near)
            if ctx.company_names
            else _organisation(ctx, opening, params)
        ),
        "self-identification": _self_id(ctx, opening, params),
    }
    evidence = tuple(e for e in found.values() if e is not None)
    missing = [part for part, e in found.items() if e is None]
    if not missing:
        return Outcome("pass", "greeting, company name and self-identification", evidence)
    wanted = {
        "greeting": "/".join(p.text for p in params.greetings),
        "company name": "/".join(ctx.company_names)
        or "an organisation: " + "/".join(p.text for p in params.org_before) + " + name",
        "self-identification": "/".join(p.text for p in params.self_ids),
    }
    message = f"missing in the first {params.within_s:g} s: " + ", ".join(
        f"{part} ({wanted[part]})" for part in missing
    )
    said = evidence + tuple(ctx.whole(u, note="opening") for u in opening)
    if "company name" in missing and ctx.company_names:
        candidate = _company_candidate(ctx, opening)
        said = said if candidate is None else (candidate, *said)
    if ctx.uncertain_text(opening):
        return Outcome("review", message + " - but the transcript there is uncertain", said)
    return Outcome("fail", message, said)


KIND = RuleKind(
    "self_intro",
    Params,
    check,
    "greeting + company name + self-identification at the start",
    reads_words=True,
)
