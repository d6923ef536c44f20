"""What every rule kind is made of: its parameters, its check, and what the check returns.

A rule kind is a module under `callqa.scoring.engine` with a frozen `Params` dataclass (its YAML
`params:` mapping, validated by `callqa.scoring.scorecard`) and a function
`check(ctx, params, role) -> Outcome`.  `role` is the item's `role` (whose behaviour is
judged, "agent" by default); the other party is `other(role)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Generic, TypeVar

from callqa.records import Evidence, Role, Status
from callqa.scoring.context import CallContext
from callqa.speech.textnorm import MatchText, phrase_key, sound_spans

P = TypeVar("P")


@dataclass(frozen=True)
class Phrase:
    """A phrase to look for; occurrences inside any of `unless_in` do not count.

    In YAML either plain text (``我不能``) or ``{text: 我不会, unless_in: [我不会忘记]}``.
    A phrase of two or more syllables is also found by sound (`sound_spans`: 位您服务 ≈
    为您服务); ``sound: false`` turns that off for one phrase.
    """

    SHORTCUT: ClassVar[str] = "text"

    text: str
    unless_in: tuple[str, ...] = ()
    sound: bool = True
    category: str = ""
    key: str = field(default="", init=False, compare=False, repr=False)
    _unless: tuple[str, ...] = field(default=(), init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", phrase_key(self.text))
        object.__setattr__(self, "_unless", tuple(phrase_key(u) for u in self.unless_in))

    def problems(self) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        if not self.key:
            found.append(("text", f"phrase {self.text!r} has no characters to match"))
        for raw, u in zip(self.unless_in, self._unless, strict=True):
            if self.key not in u:
                found.append(("unless_in", f"{raw!r} does not contain the phrase {self.text!r}"))
        return found

    def matches(self, mt: MatchText, *, loose: bool = False) -> list[tuple[int, int, str]]:
        """(start, end, note) in `mt.chars` of each occurrence not inside an `unless_in`
        phrase; the note is empty for the phrase's own characters, else says what was
        heard: "位您服务 ≈ 为您服务".  `loose`: the syllable a long phrase may get wrong
        need not sound near (`sound_spans`); for phrases that show good behaviour, where
        a miss costs a compliant agent points."""
        if not self.key:
            return []
        n = len(self.key)
        found: list[tuple[int, int, str]] = []
        if self.key in mt.chars:
            for pos in mt.find_all(self.key):
                if not any(_inside(mt, pos, n, u) for u in self._unless):
                    found.append((pos, pos + n, ""))
        if not self.sound or n < 2:
            return found
        for sp in sound_spans(mt.chars, self.key, loose=loose):
            if mt.chars[sp.start : sp.end] == self.key:
                continue
            if any(sp.start < e and s < sp.end for s, e, _ in found):
                continue
            if any(_inside_by_sound(mt, sp.start, n, u) for u in self._unless):
                continue
            found.append((sp.start, sp.end, f"{mt.quote(sp.start, sp.end)} ≈ {self.text}"))
        return sorted(found)

    def spans(self, mt: MatchText) -> list[tuple[int, int]]:
        """(start, end) in `mt.chars` of each occurrence (by characters or by sound)."""
        return [(s, e) for s, e, _ in self.matches(mt)]

    def first(self, mt: MatchText) -> tuple[int, int] | None:
        spans = self.spans(mt)
        return spans[0] if spans else None


_PATTERNS: dict[int, tuple[tuple[Phrase, ...], re.Pattern[str] | None]] = {}


def _alternation(phrases: tuple[Phrase, ...]) -> re.Pattern[str] | None:
    """One regex for a list of phrases, cached per list object (params live long)."""
    hit = _PATTERNS.get(id(phrases))
    if hit is not None and hit[0] is phrases:
        return hit[1]
    keys = sorted({p.key for p in phrases if p.key}, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, keys))) if keys else None
    if len(_PATTERNS) > 4096:
        _PATTERNS.clear()
    _PATTERNS[id(phrases)] = (phrases, pattern)
    return pattern


def any_in(mt: MatchText, phrases: tuple[Phrase, ...]) -> bool:
    """Does any phrase occur in `mt` at all, by characters or by sound (ignoring
    `unless_in`)?"""
    pattern = _alternation(phrases)
    if pattern is not None and pattern.search(mt.chars) is not None:
        return True
    return any(p.sound and len(p.key) > 1 and sound_spans(mt.chars, p.key) for p in phrases)


def first_match(mt: MatchText, phrases: tuple[Phrase, ...]) -> tuple[int, int, str] | None:
    """The first phrase (in list order) that counts in `mt`, as (start, end, note).

    Loose (`Phrase.matches`): this is how rules look for what an agent should say."""
    for p in phrases:
        found = p.matches(mt, loose=True)
        if found:
            return found[0]
    return None


def first_of(mt: MatchText, phrases: tuple[Phrase, ...]) -> tuple[int, int] | None:
    """The first phrase (in list order) that counts in `mt`, as (start, end)."""
    hit = first_match(mt, phrases)
    return None if hit is None else (hit[0], hit[1])


def _inside(mt: MatchText, pos: int, n: int, longer: str) -> bool:
    for o in mt.find_all(longer):
        if o <= pos and pos + n <= o + len(longer):
            return True
        if o > pos:
            return False
    return False


def _inside_by_sound(mt: MatchText, pos: int, n: int, longer: str) -> bool:
    """Whether chars[pos:pos+n] lies inside `longer` as written or as heard: a phrase heard
    by sound is exempt where its exemption is heard too (您是什么时候 ≈ 你说什么时候)."""
    if _inside(mt, pos, n, longer):
        return True
    return any(sp.start <= pos and pos + n <= sp.end for sp in sound_spans(mt.chars, longer))


def phrases_problems(key: str, phrases: tuple[Phrase, ...]) -> list[tuple[str, str]]:
    """Phrases listed twice, reported under parameter `key` (each phrase checks itself)."""
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for p in phrases:
        if p.key in seen:
            found.append((key, f"phrase {p.text!r} is listed twice"))
        seen.add(p.key)
    return found


@dataclass(frozen=True)
class Outcome:
    """What a rule says about one call (the engine adds points and the item's id)."""

    status: Status
    message: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class RuleKind(Generic[P]):
    """A rule kind: its `type:` name in YAML, its parameters and its check."""

    name: str
    params: type[P]
    check: Callable[[CallContext, P, Role], Outcome]
    summary: str
    reads_words: bool = False
    """Judged on what was said (not on time or loudness): when the agent's speech as a
    whole is barely intelligible, its pass or fail is not to be trusted."""
    fails_on_absence: bool = True
    """Its fail means something was not heard (a greeting, a recap): in murky speech that
    proves little.  False for a kind whose fail is something heard (a forbidden phrase)."""
    fail_needs_words: bool = False
    """Judged on time, but its fail rests on words not heard (a hold not announced, no
    thanks after it): in murky agent speech that fail is `review`; its pass stands."""


def other(role: Role) -> Role:
    """The other party of a two-party call."""
    return "customer" if role == "agent" else "agent"
