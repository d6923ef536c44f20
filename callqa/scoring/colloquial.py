"""Spoken northern forms of the words a forbidden-phrase shape is written with.

A shape is written in standard Mandarin (你怎么不早说, 早干什么去了, 别找我, 那边), and an
agent on a bad day says it as they talk: 你咋不早说, 早干啥去了, 甭找我, 那边儿.  Rather
than writing every shape twice, each shape's literal words also take their colloquial
forms when it is compiled (`colloquial`):

- 什么 → 啥, 怎么 → 咋, 不用 → 甭, 别 → 甭, 这里/那里/哪里 → 这儿/那儿/哪儿, 我们 → 咱们;
- the 儿 of 儿化 after the words that take it in speech (一点儿, 那边儿, 事儿, 一会儿,
  一块儿, 这样儿, 玩意儿, 没门儿).

The forms are those of the standard's own colloquial register (《现代汉语词典》 marks 啥,
咋, 甭 〈方〉/〈口〉 for 什么, 怎么, 不用); nothing is changed inside a character class's
negation, a look-behind (which must keep a fixed width) or before a quantifier (怎么? is
怎 with an optional 么).  Round 12, docs/accuracy.md.
"""

from __future__ import annotations

import functools

WORDS: tuple[tuple[str, str], ...] = (
    ("什么", "啥"),
    ("怎么", "咋"),
    ("不用", "甭"),
    ("这里", "这儿"),
    ("那里", "那儿"),
    ("哪里", "哪儿"),
    ("我们", "咱们"),
)
"""Standard word → its colloquial form, tried longest first at each position."""
CHARS: dict[str, str] = {"别": "甭"}
"""One character for another (a character class keeps a look-behind's width)."""
RHOTIC = frozenset("点边事会块样意门")
"""Characters after which speech adds 儿 (一点儿, 那边儿, 事儿)."""
QUANTIFIERS = frozenset("?*+{")


@functools.lru_cache(maxsize=2048)
def colloquial(regex: str) -> str:
    """`regex` with its literal words also matching their colloquial forms."""
    out: list[str] = []
    groups: list[bool] = []  # per open group: is it a look-behind?
    in_class = negated = False
    i = 0
    n = len(regex)
    while i < n:
        ch = regex[i]
        if ch == "\\" and i + 1 < n:
            out.append(regex[i : i + 2])
            i += 2
            continue
        if in_class:
            out.append(ch)
            if ch == "]":
                in_class = False
            elif ch in CHARS and not negated:
                out.append(CHARS[ch])
            i += 1
            continue
        if ch == "[":
            in_class, negated = True, regex.startswith("[^", i)
            out.append(ch)
            i += 1
            continue
        if ch == "(":
            groups.append(regex.startswith(("(?<!", "(?<="), i))
            out.append(ch)
            i += 1
            continue
        if ch == ")":
            if groups:
                groups.pop()
            out.append(ch)
            i += 1
            continue
        behind = any(groups)
        word = _word_at(regex, i)
        if word is not None and not behind:
            standard, spoken = word
            out.append(f"(?:{standard}|{spoken})")
            i += len(standard)
            continue
        if ch in CHARS:
            out.append(f"[{ch}{CHARS[ch]}]")
        else:
            out.append(ch)
        i += 1
        nxt = regex[i : i + 1]
        if ch in RHOTIC and not behind and nxt != "儿" and nxt not in QUANTIFIERS:
            out.append("儿?")
    return "".join(out)


def _word_at(regex: str, i: int) -> tuple[str, str] | None:
    """The standard word that starts at regex[i], when no quantifier follows it."""
    for standard, spoken in WORDS:
        if regex.startswith(standard, i):
            after = regex[i + len(standard) : i + len(standard) + 1]
            if after and after in QUANTIFIERS:
                return None
            return standard, spoken
    return None


@functools.lru_cache(maxsize=1024)
def spoken_forms(text: str) -> tuple[str, ...]:
    """The colloquial forms of a literal phrase, itself left out: 你怎么回事 → 你咋回事,
    你怎么回事儿, 你咋回事儿."""
    forms = [""]
    i = 0
    while i < len(text):
        options = [text[i]]
        step = 1
        for standard, spoken in WORDS:
            if text.startswith(standard, i):
                options, step = [standard, spoken], len(standard)
                break
        else:
            if text[i] in CHARS:
                options = [text[i], CHARS[text[i]]]
        nxt = text[i + step : i + step + 1]
        if text[i + step - 1] in RHOTIC and nxt != "儿":
            options += [o + "儿" for o in options]
        forms = [f + o for f in forms for o in options]
        i += step
    return tuple(f for f in dict.fromkeys(forms) if f != text)
