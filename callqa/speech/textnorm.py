"""Text normalisation for phrase matching on Mandarin transcripts.

What the rules match against is never the raw transcript text but a `MatchText`:

- simplified characters (OpenCC ``t2s``; skipped when no character of the text is ever
  changed by ``t2s``, which is almost always the case since the transcriber already
  converts);
- full-width forms folded to half-width (Ａ１，！？ → A1,!?) and Latin letters lower-cased;
- punctuation and spaces removed, so ``喂，说话呀`` matches the phrase ``喂说话呀``;
- each remaining character keeps its position in the original text (to quote what was
  said) and the number of the sentence it belongs to (sentences end at 。！？, not at
  commas).

- digits folded to one form: Arabic digits and 幺/〇 become 中文数字 (工号1234 ≡ 工号一二三四);
- 您 folded to 你, so a phrase written with one matches speech with the other.

Word boundaries come from jieba (`tokens`, loaded once, lazily).  Sound-alike matching is
`sound_spans` (pypinyin readings, every rule and role detection use it): tone-less pinyin
with the folds of `FOLDS`, a tolerance that grows with the phrase's length (`tolerance`),
never for a single syllable — so 为/位/未 never count as the interjection 喂.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
import threading
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

SENTENCE_END = frozenset("。!?")
"""Sentence terminators after width folding (！→!, ？→?); commas do not end a sentence."""

_FUZZY_FINALS = (("ing", "in"), ("eng", "en"), ("ang", "an"))
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"))
FOLDS = "zh=z ch=c sh=s n=l (initials); ing=in eng=en ang=an (finals)"
"""The sound folds of `sounds_like`: slips that Mandarin speakers and recognisers make
(front/back nasals, flat/retroflex initials, n/l), as in fuzzy-pinyin input methods."""
NEGATORS = frozenset("不没别无非未莫")
"""Characters a sound match may never substitute: 我很清楚 is not 我不清楚."""


@dataclass(frozen=True)
class MatchText:
    """Normalised text for matching, with a way back to the original characters."""

    original: str
    folded: str
    """`original` normalised (same length), punctuation kept."""
    chars: str
    """Normalised characters, punctuation and spaces removed, digits and 您 folded."""

    @functools.cached_property
    def _layout(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        index: list[int] = []
        sentence: list[int] = []
        sid = 0
        folded = self.folded
        for m in _TOKEN.finditer(folded):
            run, at = m.group(), m.start()
            if run in SENTENCE_END:
                sid += 1
            elif run == ".":
                sid += 0 if folded[at - 1 : at].isdigit() else 1
            else:
                index.extend(range(at, at + len(run)))
                sentence.extend([sid] * len(run))
        return tuple(index), tuple(sentence)

    @property
    def index(self) -> tuple[int, ...]:
        """For each of `chars`, its position in `original`."""
        return self._layout[0]

    @property
    def sentence(self) -> tuple[int, ...]:
        """For each of `chars`, the number of its sentence (0-based) in `original`."""
        return self._layout[1]

    @functools.cached_property
    def clauses(self) -> tuple[tuple[int, int], ...]:
        """(start, end) in `chars` of each clause: the stretches between punctuation of any
        kind (，、；：。！？ and quotation marks), so 定金不退，合同上写着呢 is two."""
        index = self.index
        bounds = [0]
        for i in range(1, len(index)):
            if index[i] != index[i - 1] + 1 and _CLAUSE_MARK.search(
                self.folded, index[i - 1] + 1, index[i]
            ):
                bounds.append(i)
        bounds.append(len(index))
        return tuple((a, b) for a, b in itertools.pairwise(bounds) if b > a)

    @functools.cached_property
    def sentences(self) -> tuple[tuple[int, int], ...]:
        """(start, end) in `chars` of each sentence (the stretches between 。！？)."""
        ids = self.sentence
        bounds = [0, *(i for i in range(1, len(ids)) if ids[i] != ids[i - 1]), len(ids)]
        return tuple((a, b) for a, b in itertools.pairwise(bounds) if b > a)

    def inside_quotes(self, pos: int) -> bool:
        """Whether chars[pos] lies inside quotation marks (“…”, 「…」, "…") of its
        sentence: words said back, not the speaker's own."""
        start = self.index[self.sentence_start(pos)]
        before = self.folded[start : self.index[pos]]
        opened = sum(before.count(q) for q in "“「『") - sum(before.count(q) for q in "”」』")
        return opened > 0 or before.count('"') % 2 == 1

    def quote(self, start: int, end: int) -> str:
        """The original text spoken for chars[start:end] (inner punctuation kept)."""
        if start >= end:
            return ""
        return self.original[self.index[start] : self.index[end - 1] + 1]

    def find_all(self, phrase: str) -> Iterator[int]:
        """Start positions (in `chars`) of every occurrence of a normalised phrase."""
        if not phrase:
            return
        i = self.chars.find(phrase)
        while i >= 0:
            yield i
            i = self.chars.find(phrase, i + 1)

    def sentence_start(self, pos: int) -> int:
        """The position (in `chars`) where the sentence of chars[pos] begins."""
        sid = self.sentence[pos]
        while pos > 0 and self.sentence[pos - 1] == sid:
            pos -= 1
        return pos

    def ends_sentence(self) -> bool:
        """True when the original text ends with a sentence terminator."""
        return fold_width(self.original.rstrip()[-1:]) in SENTENCE_END


@functools.lru_cache(maxsize=1)
def _opencc() -> tuple[object, frozenset[str]]:
    """The t2s converter and the set of characters it may change (built once)."""
    import opencc

    converter = opencc.OpenCC("t2s")
    folder = Path(opencc.__file__).parent / "dictionary"

    def entries(name: str) -> Iterator[tuple[str, str]]:
        with open(folder / name, encoding="utf-8") as fh:
            for line in fh:
                key, _, values = line.rstrip("\n").partition("\t")
                value = values.split(" ")[0]
                if key != value:
                    yield key, value

    changing = {key for key, _ in entries("TSCharacters.txt")}
    # A phrase with a character of its own that changes is caught by that character;
    # the others (瞭解 → 了解) add the characters that change within them.
    for key, value in list(entries("TSPhrases.txt")):
        if any(ch in changing for ch in key):
            continue
        if len(key) == len(value):
            changing.update(k for k, v in zip(key, value, strict=True) if k != v)
        else:
            changing.update(key)
    return converter, frozenset(changing)


_VARIANTS = (("甚么", "什么"), ("甚麼", "什么"))
"""Variant spellings Whisper writes that t2s keeps (甚么 is the older form of 什么)."""


def to_simplified(text: str) -> str:
    """Traditional → simplified characters (OpenCC t2s); cheap when already simplified."""
    if "甚" in text:
        for old, new in _VARIANTS:
            text = text.replace(old, new)
    converter, changing = _opencc()
    if changing.isdisjoint(text):
        return text
    return str(converter.convert(text))  # type: ignore[attr-defined]


_HALF_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
"""Full-width ASCII forms (Ａ１，！？) and the ideographic space, to their half-width forms."""
_MATCH_FOLD = str.maketrans("0123456789幺〇您", "零一二三四五六七八九一零你")
"""Digits to 中文数字 and 您 to 你, for matching only (quotes keep what was said)."""


def fold_width(text: str) -> str:
    """Full-width letters, digits and punctuation to half-width (as NFKC does, faster)."""
    return text.translate(_HALF_WIDTH)


def normalize(text: str) -> str:
    """Simplified, half-width, lower-case text (punctuation kept)."""
    return to_simplified(fold_width(text)).lower()


_SPOKEN = re.compile(r"[^\W_]+")
"""Runs of spoken characters: letters, digits, han (what phrases are matched on)."""
_TOKEN = re.compile(r"[^\W_]+|[。!?.]")
_CLAUSE_MARK = re.compile(r"[,;:。!?.、，；：“”「」『』\"()（）]")
"""What ends a clause (after width folding: ，→, ；→; ：→:)."""
"""Runs of spoken characters, and sentence terminators."""


@functools.lru_cache(maxsize=4096)
def phrase_key(phrase: str) -> str:
    """A phrase as it is searched for: normalised, punctuation and spaces removed."""
    return "".join(_SPOKEN.findall(normalize(phrase))).translate(_MATCH_FOLD)


@functools.lru_cache(maxsize=4096)
def prepare(text: str) -> MatchText:
    """The `MatchText` of a transcript line (cached: stock phrases repeat across calls)."""
    folded = normalize(text)
    if len(folded) != len(text):
        # t2s changed the length (a rare phrase): keep positions in the folded text.
        text = folded
    return MatchText(text, folded, "".join(_SPOKEN.findall(folded)).translate(_MATCH_FOLD))


# -- words (jieba) -----------------------------------------------------------------------

_JIEBA_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def _jieba() -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # jieba imports the deprecated pkg_resources
        import jieba

    jieba.setLogLevel(logging.WARNING)
    with _JIEBA_LOCK:
        jieba.initialize()
    log.debug("jieba dictionary loaded")
    return jieba


def tokens(text: str) -> tuple[str, ...]:
    """jieba's words for `text` (dictionary loaded on first use, then kept)."""
    return _tokens(text)


@functools.lru_cache(maxsize=1024)
def _tokens(text: str) -> tuple[str, ...]:
    jb = _jieba()
    return tuple(jb.lcut(text, HMM=False))  # type: ignore[attr-defined]


def standalone(mt: MatchText, pos: int, chars: str) -> bool:
    """True when chars[pos] is (part of) a jieba word made only of `chars` (e.g. 喂, 喂喂).

    So 喂 in 喂，您好 or 喂你好 is standalone; in 喂养 it is not.
    """
    target = mt.index[pos]
    offset = 0
    for tok in _tokens(mt.original):
        if offset <= target < offset + len(tok):
            return all(ch in chars for ch in tok)
        offset += len(tok)
    return False


def cuts_word(mt: MatchText, start: int, end: int) -> bool:
    """True when a jieba word of the text runs across an edge of chars[start:end].

    A match by sound that takes a piece of an ordinary word is a collision, not a
    mishearing: 人物|不知道 is not 我不知道, 拷贝|过来 not 背锅, 没|这个 not 没辙
    (docs/accuracy.md, round 15).
    """
    if start >= end:
        return False
    first, last = mt.index[start], mt.index[end - 1]
    offset = 0
    for tok in _tokens(mt.original):
        stop = offset + len(tok)
        if len(tok) > 1 and (offset < first < stop or offset <= last < stop - 1):
            return True
        if offset > last:
            break
        offset = stop
    return False


# -- sound (pypinyin) --------------------------------------------------------------------


def _toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable).replace("u\u0308", "v")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _fuzz(syllable: str, initials: tuple[tuple[str, str], ...] = _FUZZY_INITIALS) -> str:
    for long, short in initials:
        if syllable.startswith(long) and len(syllable) > len(long):
            syllable = short + syllable[len(long) :]
            break
    for long, short in _FUZZY_FINALS:
        if syllable.endswith(long):
            return syllable[: -len(long)] + short
    return syllable


@functools.lru_cache(maxsize=8192)
def readings(ch: str, *, fuzzy: bool = True, every: bool = False) -> frozenset[str]:
    """The tone-less pinyin of a character, folded (`FOLDS`) unless `fuzzy` is False; the
    character itself when it is not a han.

    Only the common reading unless `every` (pypinyin lists the most common first): rare
    literary readings would make 有 (you, rarely wei) sound like 喂.
    """
    from pypinyin.pinyin_dict import pinyin_dict

    raw = pinyin_dict.get(ord(ch))
    if raw is None:
        return frozenset((ch,))
    listed = raw.split(",")
    found = {_toneless(s) for s in (listed if every else listed[:1])}
    if fuzzy:
        found = {_fuzz(s) for s in found}
    return frozenset(found)


def tolerance(syllables: int) -> int:
    """Syllables a sound match may get wrong: none up to 3 syllables, one from 4 on."""
    return 0 if syllables < 4 else 1


@functools.lru_cache(maxsize=65536)
def _near(a: str, b: str) -> bool:
    """Two characters whose readings share the initial and differ by at most two letters
    (号 hao ≈ 后 hou), but not 懂 dong / 到 dao."""
    return any(_close(x, y) for x in readings(a) for y in readings(b))


def _close(x: str, y: str) -> bool:
    if x == y:
        return True
    if not x or not y or x[0] != y[0] or not x[0].isalpha():
        return False
    return edit_distance(x, y) <= 2


def edit_distance(x: str, y: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions all cost 1)."""
    row = list(range(len(y) + 1))
    for i, cx in enumerate(x, 1):
        prev, row[0] = row[0], i
        for j, cy in enumerate(y, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (cx != cy))
    return row[-1]


@dataclass(frozen=True)
class SoundSpan:
    """Where a phrase was heard in `MatchText.chars`, and how far from its text."""

    start: int
    end: int
    errors: int
    """Syllables that only sound near (see `sound_spans`), not alike."""


def sound_spans(
    chars: str, key: str, *, max_errors: int | None = None, loose: bool = False
) -> list[SoundSpan]:
    """See `_sound_spans` (cached: every rule asks the same lines for the same phrases)."""
    return list(_sound_spans(chars, key, max_errors, loose))


@functools.lru_cache(maxsize=65536)
def _sound_spans(
    chars: str, key: str, max_errors: int | None, loose: bool = False
) -> tuple[SoundSpan, ...]:
    """Every place where the normalised phrase `key` is heard in `chars` by sound.

    Same characters always match.  A position matches by sound when the two characters
    share a folded reading (为 ≈ 喂 ≈ 位, 宫 ≈ 工); up to `max_errors` positions (default
    `tolerance(len(key))`) may be merely near (same initial, two letters off at most: 号
    hao ≈ 后 hou), never on a negator; with `loose` they may be any other character (for
    phrases that are evidence of good behaviour: 特服代表 ≈ 客服代表).  A
    single syllable matches only itself.  Overlapping finds keep the better one.
    """
    n = len(key)
    if n == 0 or len(chars) < n:
        return ()
    if n == 1:
        return tuple(SoundSpan(i, i + 1, 0) for i, ch in enumerate(chars) if ch == key)
    budget = tolerance(n) if max_errors is None else max_errors
    wanted = _key_readings(key)
    heard = _char_readings(chars)
    pool = _reading_pool(chars)
    # Quick exit (most phrases, most lines): more syllables unheard anywhere than allowed.
    if sum(1 for w in wanted if w.isdisjoint(pool)) > budget:
        return ()
    found: list[SoundSpan] = []
    for start in range(len(chars) - n + 1):
        errors = 0
        for k in range(n):
            have, want = chars[start + k], key[k]
            if have == want or not heard[start + k].isdisjoint(wanted[k]):
                continue
            if (
                errors < budget
                and want not in NEGATORS
                and have not in NEGATORS
                and (loose or _near(have, want))
            ):
                errors += 1
                continue
            errors = -1
            break
        if errors < 0:
            continue
        if found and start < found[-1].end:
            if errors < found[-1].errors:
                found[-1] = SoundSpan(start, start + n, errors)
            continue
        found.append(SoundSpan(start, start + n, errors))
    return tuple(found)


def near_at(chars: str, key: str, start: int) -> tuple[int, ...]:
    """Where the match of `key` at chars[start:] rests on a merely near syllable (not the
    phrase's character, not a shared reading): the positions `tolerance` allowed."""
    heard = _char_readings(chars[start : start + len(key)])
    wanted = _key_readings(key)
    return tuple(
        k
        for k, (have, want) in enumerate(zip(chars[start : start + len(key)], key, strict=False))
        if have != want and heard[k].isdisjoint(wanted[k])
    )


@functools.lru_cache(maxsize=8192)
def _char_readings(chars: str) -> tuple[frozenset[str], ...]:
    """The folded readings of each character of `chars` (cached: lines repeat per call)."""
    return tuple(readings(ch) for ch in chars)


@functools.lru_cache(maxsize=8192)
def _key_readings(key: str) -> tuple[frozenset[str], ...]:
    """What each character of a phrase may sound like: its common reading, its reading in
    this phrase (pypinyin's phrase dictionary: 行 is hang in 银行, not xing), and for 你
    also 您's (phrases are folded to 你, and 您 nin sounds like 林 lin, not like li)."""
    from pypinyin import Style, lazy_pinyin

    own = _char_readings(key)
    in_phrase = lazy_pinyin(key, style=Style.NORMAL, errors="ignore")
    if len(in_phrase) != len(key):  # letters or other non-han characters: by character
        in_phrase = [""] * len(key)
    out = []
    for ch, common, said in zip(key, own, in_phrase, strict=True):
        extra = {_fuzz(_toneless(said))} if said and said != ch else set()
        if ch == "你":
            extra |= readings("您")
        out.append(common | extra)
    return tuple(out)


@functools.lru_cache(maxsize=8192)
def _reading_pool(chars: str) -> frozenset[str]:
    """Every folded reading heard anywhere in `chars`."""
    return frozenset().union(*_char_readings(chars))


_SOUND_BASE = 0xF0000
"""Sound classes are written as characters of Unicode's private use plane 15."""
_SOUND_CLASS: dict[str, str] = {}
_SOUND_LOCK = threading.Lock()


def _sound_char(ch: str) -> str:
    """One character standing for every character with `ch`'s exact toneless reading."""
    if ch in NEGATORS or not ("\u4e00" <= ch <= "\u9fff"):
        return ch
    reading = _class_fold(min(readings(ch, fuzzy=False)))
    code = _SOUND_CLASS.get(reading)
    if code is None:
        with _SOUND_LOCK:
            code = _SOUND_CLASS.setdefault(reading, chr(_SOUND_BASE + len(_SOUND_CLASS)))
    return code


_CLASS_INITIALS = tuple(pair for pair in _FUZZY_INITIALS if pair != ("n", "l"))


def _class_fold(reading: str) -> str:
    """`FOLDS` without n=l: 经 jing = 今 jin, 是 shi = 四 si, but 你 ni is never 里 li."""
    return _fuzz(reading, _CLASS_INITIALS)


@functools.lru_cache(maxsize=8192)
def by_sound(text: str) -> str:
    """`text` (same length) with every han character replaced by its sound class: toneless
    common reading with the nasal and flat/retroflex folds (not n=l), negators kept as
    themselves.  A regular expression rewritten the same way (`regex_by_sound`) then finds
    你照厂家去 for 你找厂家去 and 不是我今首的 for 不是我经手的, but never 里 (li) for 你 (ni)."""
    return "".join(_sound_char(ch) for ch in text)


@functools.lru_cache(maxsize=1024)
def regex_by_sound(regex: str) -> str:
    """`regex` with its han characters (literals and class members) as sound classes, and
    ``\\w`` taking the sound classes too (they are private-use characters, not word ones)."""
    return _word_takes_sounds(by_sound(regex))


_SOUND_RANGE = f"{chr(_SOUND_BASE)}-{chr(_SOUND_BASE + 0xFFFD)}"


def _word_takes_sounds(regex: str) -> str:
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(regex):
        ch = regex[i]
        if ch == "\\" and i + 1 < len(regex):
            pair = regex[i : i + 2]
            if pair == "\\w":
                pair = "\\w" + _SOUND_RANGE if in_class else f"(?:\\w|[{_SOUND_RANGE}])"
            out.append(pair)
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


def closest(chars: str, phrase: str) -> tuple[int, int]:
    """(start, likeness) of the stretch of `chars` that sounds most like `phrase`: each
    syllable scores 2 when it sounds alike, 1 when it is near (same initial, two letters
    off), 0 otherwise.  (-1, 0) when `chars` is shorter than the phrase."""
    key = phrase_key(phrase)
    n = len(key)
    if n == 0 or len(chars) < n:
        return -1, 0
    wanted = _key_readings(key)
    heard = _char_readings(chars)
    best = (-1, 0)
    for start in range(len(chars) - n + 1):
        score = 0
        for k in range(n):
            if not heard[start + k].isdisjoint(wanted[k]):
                score += 2
            elif _near(chars[start + k], key[k]):
                score += 1
        if score > best[1]:
            best = (start, score)
    return best


def find_phrase(chars: str, phrase: str, *, loose: bool = False) -> int:
    """Where `phrase` is said in `chars` (characters or sound, `loose` as `sound_spans`);
    -1 when it is not."""
    key = phrase_key(phrase)
    at = chars.find(key)
    if at >= 0:
        return at
    spans = sound_spans(chars, key, loose=loose)
    return spans[0].start if spans else -1


def sounds_like(
    mt: MatchText, name: str, *, fuzzy: bool = True, max_errors: int | None = None
) -> int:
    """Where `name` occurs in `mt` by sound; -1 if nowhere.

    With `fuzzy` (the default) the `FOLDS` apply and long names may be one syllable near;
    without, readings must be equal: 行河通信 ≈ 星河通信 either way, 心何通信 only fuzzy.
    """
    key = phrase_key(name)
    if not fuzzy:
        n = len(key)
        want = [readings(ch, fuzzy=False) for ch in key]
        have = [readings(ch, fuzzy=False) for ch in mt.chars]
        for start in range(len(have) - n + 1):
            if all(have[start + k] & want[k] for k in range(n)):
                return start
        return -1
    spans = sound_spans(mt.chars, key, max_errors=max_errors)
    return spans[0].start if spans else -1
