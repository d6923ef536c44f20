"""`forbidden_phrases`: the agent never says what the training material forbids.

Three lists, all matched on normalised text (simplified, punctuation ignored) of the
item's role only — a customer's 喂 or 我不能 never counts:

- `interjections` (喂): a hit only as a word of its own by jieba's segmentation (喂，您好 /
  喂喂), never inside another word (喂养), and only the character itself — homophones
  such as 为/位/未 are different characters and never match.  A phrase of the other lists
  that contains an interjection character follows the same rule.
- `phrases` (不归我管, 你听懂了吗, …): always a hit, by characters or by sound for phrases
  of two or more syllables (为说话呀 ≈ 喂说话呀); each may name its `category` (推诿, 否定,
  命令, 不耐烦, 质问/讽刺, 不文明), which the evidence carries.
- `refusals` (我不能, 我不会, …): a hit unless an apology (`apologies`: 抱歉, 对不起)
  comes earlier in the same sentence — "很抱歉，恐怕我不能帮助您" is the trained refusal.
  A sentence ends at 。！？ (not at a comma); when a refusal opens an utterance that
  continues, within `join_gap_s`, an unfinished sentence of the same speaker, that
  sentence counts too.
- `patterns`: the shapes that no list of phrases can close, as regular expressions over
  the utterance's characters (punctuation removed, 您 kept apart from 你 so that the polite
  form of an instruction never matches the rude one): 说了多少遍, 你到底懂不懂, 这不归我们
  管, 跟我说也没用 … in any wording that has the shape, by characters or by exact sound
  (`sound: false` turns that off).  `^` and `$` hold at a clause's edges too (定金不退，
  合同上写着呢), except in a courtesy guard, a refusal (unless it is the whole clause:
  不可能，大家都在排队) or a pattern with `clause: false`, where they hold at a sentence's
  edges (a 您 in the sentence before does not excuse 卡号报过来。); `refusal: true`
  exempts a pattern after an apology like `refusals`.

A refusal (a `refusals` phrase or a `refusal: true` pattern) is also exempt when an `offers`
phrase follows it in its sentence (我不能直接承诺时间，但我会全程跟进).  No hit counts after a
`quoting` lead-in in its clause (您刚刚问为什么不能退) or inside quotation marks: those are
the customer's words said back.

Each hit is evidence located by word timestamps, with the mean word probability over the
phrase as confidence.  A hit below the scorecard's `min_confidence`, a hit by sound in an
utterance that is unclear as a whole (mean word probability under `clear_agent`: a
sound-alike in garbled text is chance), or (on a diarized mono recording) a hit inside
overlapping speech, is doubtful: it makes the item `review`, not `fail`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import ClassVar

from callqa.records import Evidence, Role, Utterance
from callqa.scoring.base import Outcome, Phrase, RuleKind, any_in, phrases_problems
from callqa.scoring.colloquial import colloquial, spoken_forms
from callqa.scoring.context import CallContext
from callqa.scoring.scope import POLITE, views, without_offers
from callqa.speech.textnorm import (
    MatchText,
    by_sound,
    cuts_word,
    near_at,
    phrase_key,
    prepare,
    readings,
    regex_by_sound,
    standalone,
)

MAX_PATTERN_CHARS = 200
"""A pattern longer than this is refused (they are short shapes, not programs)."""


@dataclass(frozen=True)
class Pattern:
    """A shape of forbidden speech: a regular expression over an utterance's characters."""

    SHORTCUT: ClassVar[str] = "regex"

    regex: str
    category: str = ""
    refusal: bool = False
    sound: bool = True
    """Also match by sound (`textnorm.by_sound`: 照 for 找); off for short words whose
    homophones are everyday (他妈 / 他吗)."""
    clause: bool = True
    """Let ^ and $ also hold at a clause's edges (`_clause_anchored`); off for a shape that
    is rude only as a whole utterance (在处理了。 but 在处理了，明天给您回电)."""

    def problems(self) -> list[tuple[str, str]]:
        if len(self.regex) > MAX_PATTERN_CHARS:
            return [("regex", f"longer than {MAX_PATTERN_CHARS} characters")]
        if _NESTED.search(self.regex):
            return [("regex", f"{self.regex!r} repeats a group that repeats (slow): unnest it")]
        try:
            compiled = _compiled(self.regex)
        except re.error as exc:
            return [("regex", f"{self.regex!r} is not a valid regular expression: {exc}")]
        if compiled.search("") is not None:
            return [("regex", f"{self.regex!r} matches empty text")]
        return []


_NESTED = re.compile(r"\([^()]*[+*}][^()]*\)[+*{]")
"""A repeated group holding a repetition, (a+)+: the shape of catastrophic backtracking."""


@functools.lru_cache(maxsize=1024)
def _compiled(regex: str) -> re.Pattern[str]:
    return re.compile(regex)


@dataclass(frozen=True)
class Params:
    phrases: tuple[Phrase, ...]
    refusals: tuple[Phrase, ...]
    interjections: tuple[str, ...] = ("喂",)
    apologies: tuple[str, ...] = ("抱歉", "对不起")
    join_gap_s: float = 1.0
    patterns: tuple[Pattern, ...] = ()
    quoting: tuple[str, ...] = ()
    """Lead-ins of the customer's own words said back (您问 / 您是说): a phrase right after
    one is a quote, not the agent's ("您问凭什么多扣钱，这个疑问很正常").  Words inside
    quotation marks are a quote too (您提到师傅说“不归我管”)."""
    offers: tuple[str, ...] = ()
    """What turns a refusal into an answer when it follows in the same sentence: 我不能直接
    给您承诺时间，但我会全程跟进 offers what can be done (a refusal, like an apology)."""

    def problems(self) -> list[tuple[str, str]]:
        found = phrases_problems("phrases", self.phrases)
        found += phrases_problems("refusals", self.refusals)
        for word in self.interjections:
            if len(phrase_key(word)) != 1:
                found.append(("interjections", f"{word!r} must be a single character"))
        if not all(phrase_key(a) for a in self.apologies):
            found.append(("apologies", "an apology has no characters to match"))
        if not all(_plain_key(q) for q in self.quoting):
            found.append(("quoting", "a lead-in has no characters to match"))
        if not all(phrase_key(o) for o in self.offers):
            found.append(("offers", "an offer has no characters to match"))
        if self.join_gap_s < 0:
            found.append(("join_gap_s", "must not be negative"))
        return found


@dataclass(frozen=True)
class _Hit:
    utt: Utterance
    start: int
    end: int


def _interjections_ok(mt: MatchText, start: int, end: int, chars: str) -> bool:
    return all(standalone(mt, pos, chars) for pos in range(start, end) if mt.chars[pos] in chars)


def _excused(
    ctx: CallContext, params: Params, utt: Utterance, prev: Utterance | None, start: int, end: int
) -> bool:
    """Whether a refusal at chars[start:end] is the proper kind: an apology before or after
    it, or an offer of what can be done after it, in the same sentence."""
    return _apologised(ctx, params, utt, prev, start) or _offered(ctx.text(utt), params, end)


def _offered(mt: MatchText, params: Params, end: int) -> bool:
    if end >= len(mt.chars):
        return False
    sid = mt.sentence[end - 1]
    stop = end
    while stop < len(mt.chars) and mt.sentence[stop] == sid:
        stop += 1
    after = mt.chars[end:stop]
    # an apology after the no, in the same sentence, excuses it too (…恢复不了，非常抱歉)
    return any(phrase_key(o) in after for o in (*params.offers, *params.apologies))


def _apologised(
    ctx: CallContext, params: Params, utt: Utterance, prev: Utterance | None, pos: int
) -> bool:
    mt = ctx.text(utt)
    before = mt.chars[mt.sentence_start(pos) : pos] if pos else ""
    if mt.sentence[pos] == 0 and prev is not None and utt.start - prev.end <= params.join_gap_s:
        pmt = ctx.text(prev)
        if pmt.chars and not pmt.ends_sentence():
            before = pmt.chars[pmt.sentence_start(len(pmt.chars) - 1) :] + before
    return any(phrase_key(a) in before for a in params.apologies)


def _hits(
    ctx: CallContext, params: Params, utt: Utterance, prev: Utterance | None
) -> list[tuple[int, int, str]]:
    """(start, end, note) of each hit in `utt`; the note names the category and, for a
    hit by sound, what was heard ("为说话呀 ≈ 喂说话呀")."""
    mt = ctx.text(utt)
    chars = "".join(phrase_key(c) for c in params.interjections)
    spans: list[tuple[int, int, str]] = []
    for ch in chars:
        if ch in mt.chars:
            spans.extend(
                (p, p + 1, "interjection") for p in mt.find_all(ch) if standalone(mt, p, chars)
            )
    if any_in(mt, params.phrases):
        for phrase in params.phrases:
            spans.extend(
                (s, e, _note(phrase, heard, mt, s))
                for s, e, heard in phrase.matches(mt)
                if not heard or (_heard_ok(mt, s, e) and _sound_ok(phrase, chars, mt, s, e))
            )
    for phrase in _spoken(params.phrases):  # 你咋回事 for 你怎么回事: by characters only
        spans.extend((s, e, _note(phrase, "")) for s, e, _ in phrase.matches(mt))
    if any_in(mt, params.refusals):
        for phrase in params.refusals:
            spans.extend(
                (s, e, _note(phrase, heard, mt, s))
                for s, e, heard in phrase.matches(mt)
                if (not heard or _heard_ok(mt, s, e)) and not _excused(ctx, params, utt, prev, s, e)
            )
    if params.patterns:
        spans.extend(_pattern_hits(ctx, params, utt, prev))
    if not spans:
        return spans
    spans = [
        h
        for h in spans
        if _interjections_ok(mt, h[0], h[1], chars) and not _quoted(mt, h[0], params.quoting)
    ]
    return _merge(mt, spans)


@functools.lru_cache(maxsize=256)
def _plain_key(text: str) -> str:
    """A lead-in as `_plain` writes it (您 kept apart from 你)."""
    return _plain(prepare(text))


def _quoted(mt: MatchText, start: int, quoting: tuple[str, ...]) -> bool:
    """Whether the hit at `start` follows one of the `quoting` lead-ins in its sentence, or
    lies inside quotation marks."""
    if not quoting or start == 0:
        return False
    if mt.inside_quotes(start):
        return True
    plain = _plain(mt)
    before = plain[mt.sentence_start(start) : start]
    if any(before.endswith(_plain_key(q)) for q in quoting):
        return True
    # A lead-in governs the rest of its clause (您刚刚问为什么不能退), unless it names a
    # topic (您问这个我也不知道, 您说的这个我们管不了: then the words are the agent's own).
    clause = next((a for a, b in mt.clauses if a <= start < b), start)
    said = plain[clause:start]
    for q in map(_plain_key, quoting):
        at = said.rfind(q)
        if at >= 0 and not said[at + len(q) :].startswith(TOPICS):
            return True
    return False


TOPICS = ("的", "这个", "那个", "这些", "那些", "这事", "那事", "这种", "那种")
"""What makes a lead-in name a topic rather than quote words (您说的…, 您问这个…)."""


def _pattern_hits(
    ctx: CallContext, params: Params, utt: Utterance, prev: Utterance | None
) -> list[tuple[int, int, str]]:
    mt = ctx.text(utt)
    plain = _plain(mt)
    heard = by_sound(plain)
    found: list[tuple[int, int, str]] = []
    clauses = mt.clauses if len(mt.clauses) > 1 else ()
    sentences = mt.sentences if len(mt.sentences) > 1 else ()
    # Sentences without the closing offers at their end (这个退不了，您还有其他问题吗): an
    # offer is not the answer that may follow a refusal (`scope.without_offers`).
    trimmed = without_offers(plain, mt.clauses, mt.sentences)
    # The guards' views of each clause (`scope.views`), the same for every guarded shape.
    seen = tuple(views(plain, mt.clauses, (*mt.sentences, *trimmed))) if POLITE in plain else ()
    for pattern in params.patterns:
        as_written, as_heard, anchored = _prepared(pattern)
        # A shape anchored at clauses is tried in each clause; any other (a courtesy guard,
        # a refusal, `clause: false`) in each sentence: a 您 or a 请问 in the sentence
        # before does not excuse 卡号报过来。, nor a question after it 这个退不了。
        by_clause = clauses if anchored else sentences + trimmed
        for text, compiled, sounded in ((plain, as_written, False), (heard, as_heard, True)):
            if compiled is None:
                continue
            spans = _finds(compiled, text, by_clause)
            if not sounded and seen and _guard(pattern):  # 您的订单查到了，卡号报过来
                spans += _guard_finds(compiled, seen)
            for s, e in spans:
                if e <= s or any(s < fe and fs < e for fs, fe, _ in found):
                    continue
                if pattern.refusal and _excused(ctx, params, utt, prev, s, e):
                    continue
                if sounded and not _heard_ok(mt, s, e, pattern):  # 北国 is not 背锅
                    continue
                note = _note_of(pattern)
                if sounded:
                    note += f"; {mt.quote(s, e)} by sound"
                found.append((s, e, note))
    return found


@functools.lru_cache(maxsize=2048)
def _prepared(pattern: Pattern) -> tuple[re.Pattern[str], re.Pattern[str] | None, bool]:
    """A pattern compiled as written and (unless `sound: false`) by sound, and whether it
    is anchored at clauses too: worked out once, not per utterance."""
    # As written, a shape takes its spoken forms too (咋 for 怎么, 甭 for 别, 那边儿); by
    # sound it does not: one syllable such as 啥 sounds like too much (洒 sa ≈ 啥 sha).
    heard = _compiled(regex_by_sound(pattern.regex)) if pattern.sound else None
    return _compiled(colloquial(pattern.regex)), heard, _clause_anchored(pattern)


def _guard(pattern: Pattern) -> bool:
    """Whether a pattern opens with a courtesy guard ("^(?!.*(请|您))…")."""
    return pattern.regex.startswith("^(?!")


def _clause_anchored(pattern: Pattern) -> bool:
    """Whether a pattern's ^ or $ should also hold at a clause's edges (你再等等，应该会好
    的 ends a clause with 再等等): any anchored pattern but a guard ("^(?!.*(请|您))…",
    which must see the whole utterance's courtesy) and a refusal (换新不行，只能维修: what
    follows a bare no in the same sentence is often the answer) unless the whole clause
    is the refusal (^…$ with no alternatives)."""
    regex = pattern.regex
    if not pattern.clause or _guard(pattern):
        return False
    if pattern.refusal:  # only a clause that is all refusal: 加急？不可能，大家都在排队
        return regex.startswith("^") and regex.endswith("$") and not _alternatives(regex)
    return "^" in regex.replace("[^", "") or "$" in regex


def _alternatives(regex: str) -> bool:
    """Whether `regex` has a | outside every group (a|b, not (a|b))."""
    depth = 0
    escaped = False
    for ch in regex:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
    return False


def _guard_finds(
    compiled: re.Pattern[str], seen: tuple[tuple[int, str, tuple[int, int]], ...]
) -> list[tuple[int, int]]:
    """Matches of a guarded shape where the 您 of other clauses is out of its sight
    (`scope.views`: in each sentence, and in each without its closing offers), each
    ending in the clause it was tried for."""
    found: list[tuple[int, int]] = []
    for offset, text, (a, b) in seen:
        for m in compiled.finditer(text):
            s, e = offset + m.start(), offset + m.end()
            if a < e <= b:
                found.append((max(s, a), e))  # quote the clause, not what led to it
    return found


def _finds(
    compiled: re.Pattern[str], text: str, clauses: tuple[tuple[int, int], ...]
) -> list[tuple[int, int]]:
    """(start, end) of each match in `text`, and in each of `clauses` on its own."""
    if not clauses:  # the common case, and most patterns match no line: search first
        if compiled.search(text) is None:
            return []
        return [(m.start(), m.end()) for m in compiled.finditer(text)]
    found = [(m.start(), m.end()) for m in compiled.finditer(text)]
    for a, b in clauses:
        found.extend((a + m.start(), a + m.end()) for m in compiled.finditer(text[a:b]))
    return sorted(set(found))


def _plain(mt: MatchText) -> str:
    """`mt.chars` with 您 and digits as said (same length and positions)."""
    return "".join(mt.folded[i] for i in mt.index)


def _note_of(pattern: Pattern) -> str:
    return "; ".join(x for x in (pattern.category, "by pattern") if x)


MIN_SOUND_SYLLABLES = 4
"""A hit by sound alone spans at least this many syllables.  Below it the words heard
are mostly one two-syllable word and a particle, and six in ten common two-syllable words
sound like another (jieba's dictionary, folded as `by_sound` folds: 不幸 ≈ 不行, 北国 ≈
背锅, 干净 ≈ 赶紧; three-syllable words 2 %, four 0.4 %; docs/accuracy.md, round 15)."""


def _heard_ok(mt: MatchText, start: int, end: int, pattern: Pattern | None = None) -> bool:
    """Whether a match by sound can be a mishearing rather than other words: long enough
    (`MIN_SOUND_SYLLABLES`), and not a piece of a longer word (人物|不知道, 拷贝|过来).
    For a shape, only the syllables that sound like its own characters count, not what
    its wildcards took (机器还没用 is 机 ≈ 急, 器还 anything, 没用: three)."""
    if cuts_word(mt, start, end):
        return False
    if pattern is None:
        return end - start >= MIN_SOUND_SYLLABLES
    own = _own_readings(pattern.regex)
    said = sum(not readings(ch).isdisjoint(own) for ch in mt.chars[start:end])
    return said >= MIN_SOUND_SYLLABLES


@functools.lru_cache(maxsize=2048)
def _own_readings(regex: str) -> frozenset[str]:
    """Every reading of the Chinese characters a shape writes out."""
    return frozenset().union(*(readings(ch) for ch in regex if "\u4e00" <= ch <= "\u9fff"))


EDGE_DOUBT = "near only at its edge: uncertain"
"""Said of a hit whose one wrong syllable (`textnorm.tolerance`) is the phrase's first or
last: there a phrase runs into the words beside it (看完不知道 is not 我不知道, 不可能把
not 不可能帮), so the hit is `review`, never `fail`; a mishearing inside it (我不之道)
stands."""


def _near_at_edge(phrase: Phrase, mt: MatchText, start: int) -> bool:
    """Whether the near syllable of a sound match of `phrase` at `start` is at its edge."""
    near = near_at(mt.chars, phrase.key, start)
    return bool(near) and (near[0] == 0 or near[-1] == len(phrase.key) - 1)


MIN_SOUND_WITH_INTERJECTION = 4
"""A phrase holding an interjection (喂说话呀) matches by sound only from this many
syllables: 为说话呀 ≈ 喂说话呀 is safe, 为什么 ≈ 喂什么 is an everyday word."""


def _sound_ok(phrase: Phrase, interjections: str, mt: MatchText, start: int, end: int) -> bool:
    """A sound match of a phrase holding an interjection needs the phrase long enough, and
    what stands for the interjection a word of its own (为说话呀, not 稍微大声一点)."""
    spots = [i for i, ch in enumerate(phrase.key) if ch in interjections]
    if not spots:
        return True
    if len(phrase.key) < MIN_SOUND_WITH_INTERJECTION:
        return False
    if end - start != len(phrase.key):
        return True
    return all(standalone(mt, start + i, mt.chars[start + i]) for i in spots)


@functools.lru_cache(maxsize=64)
def _spoken(phrases: tuple[Phrase, ...]) -> tuple[Phrase, ...]:
    """The colloquial forms of `phrases` (`colloquial.spoken_forms`), as phrases matched by
    characters only; a phrase with `unless_in` exceptions keeps just its written form."""
    return tuple(
        Phrase(form, sound=False, category=p.category)
        for p in phrases
        if not p.unless_in
        for form in spoken_forms(p.text)
    )


def _note(phrase: Phrase, heard: str, mt: MatchText | None = None, start: int = 0) -> str:
    edge = EDGE_DOUBT if heard and mt is not None and _near_at_edge(phrase, mt, start) else ""
    return "; ".join(x for x in (phrase.category, heard, edge) if x)


def _merge(mt: MatchText, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping hits, and hits with nothing between them (喂喂), become one."""
    merged: list[tuple[int, int, str]] = []
    for s, e, note in sorted(spans):
        if merged and (
            s < merged[-1][1] or (s == merged[-1][1] and mt.index[s] == mt.index[s - 1] + 1)
        ):
            ps, pe, pnote = merged[-1]
            if not pnote or (EDGE_DOUBT in pnote and note):  # a sure hit outweighs a doubtful one
                pnote = note
            merged[-1] = (ps, max(e, pe), pnote)
        else:
            merged.append((s, e, note))
    return merged


def check(ctx: CallContext, params: Params, role: Role) -> Outcome:
    spoken = ctx.spoken(role)
    if not spoken:
        return Outcome("na", f"no {role} speech")
    sure: list[Evidence] = []
    doubtful: list[Evidence] = []
    prev: Utterance | None = None
    for utt in spoken:
        for s, e, note in _hits(ctx, params, utt, prev):
            ev = ctx.evidence(utt, s, e, note=note)
            if ev.confidence < ctx.min_confidence:
                doubtful.append(_noted(ev, f"low confidence < {ctx.min_confidence:g}"))
            elif EDGE_DOUBT in note:
                doubtful.append(ev)
            elif _sounded(note) and utt.confidence < ctx.clear_agent:
                # a sound-alike in word salad (闲林先别抄击林师…) is chance, not speech
                doubtful.append(_noted(ev, f"by sound in unclear speech < {ctx.clear_agent:g}"))
            elif ctx.attribution_doubtful(utt, ev.start, ev.end):
                doubtful.append(_noted(ev, "overlapping speech: speaker uncertain"))
            else:
                sure.append(ev)
        prev = utt
    evidence = tuple(sorted(sure + doubtful, key=lambda e: e.start))
    said = "; ".join(e.text for e in evidence)
    if sure:
        return Outcome("fail", f"{len(sure)} forbidden phrase(s): {said}", evidence)
    if doubtful:
        return Outcome("review", f"{len(doubtful)} uncertain forbidden phrase(s): {said}", evidence)
    return Outcome("pass", "no forbidden phrase")


def _sounded(note: str) -> bool:
    """Whether a hit's note says it was heard by sound, not read in the characters."""
    return "by sound" in note or "≈" in note


def _noted(ev: Evidence, note: str) -> Evidence:
    joined = "; ".join(x for x in (ev.note, note) if x)
    return Evidence(ev.start, ev.end, ev.speaker, ev.text, ev.confidence, joined)


KIND = RuleKind(
    "forbidden_phrases",
    Params,
    check,
    "no forbidden phrases (seed 004 不可以说)",
    reads_words=True,
    fails_on_absence=False,
)
