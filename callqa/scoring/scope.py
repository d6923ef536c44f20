"""What part of an agent's turn a 禁语 shape sees: whose 您, and which clauses.

**Whose 您 a courtesy guard sees: the clause's own, not another clause's.**

A 禁语 shape with a courtesy guard (``^(?!.*(请|麻烦|您)).*报过来``: a bare order, not a
request) sees its whole sentence, so any 您 in it excused the order.  Whisper often writes
a comma where the speaker ended a sentence, and then the 您 of an unrelated clause excused
it: 好的，您的订单我这边查到了，卡号报过来 (read probes joined so to a polite clause: 44 of
1,939 rude lines lost; docs/accuracy.md, round 13).

So a guard is also tried, for each clause of a sentence, on the sentence with every 您
outside that clause's own scope read as 你 (`views`).  A clause's scope is the clause, the
clauses just before it that lead into it (如果您方便的话，稍后再打过来; 麻烦您，把卡号报一下)
and a short courtesy tail after it (卡号报一下，谢谢您).  Only the pronoun is moved out of
reach: a 请, a 麻烦 or an offer of help (我帮您查) anywhere in the sentence still counts, as
a request or an offer governs the sentence (and so does a 您 after 帮/为/给: 我帮您查); a
您 is just a pronoun.  The whole sentence is
still tried too, so this only adds hits.

**A closing offer is not an answer** (`without_offers`).  A refusal (这个退不了) or a shape
that must end its sentence (…再打过来吧) is excused by what follows it in the sentence, as
the answer often comes there (换新不行，只能维修).  A closing offer that Whisper joins to it
with a comma is no answer: 这个退不了，您还有其他问题吗 is still a bare refusal (read probes
so joined: 69 of 1,939 rude lines lost).  So those shapes are also tried on each sentence
without the closing offers at its end.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

LEAD_INS = ("如果", "要是", "假如", "的话", "麻烦", "请", "劳驾", "方便", "辛苦", "拜托")
"""Words that make a clause lead into the next: a condition, a request, an imposition."""

TAIL_WORDS = ("谢谢", "感谢", "好吗", "可以吗", "麻烦", "辛苦", "拜托", "劳驾", "请")
"""Words of a courtesy tail after an order (卡号报一下，谢谢)."""

MAX_TAIL = 6
"""A tail is this many characters at most (麻烦您了, 谢谢您, 可以吗); a longer clause is a
sentence of its own (您还有其他问题吗)."""

OFFERS = (
    "还有其他问题",
    "还有什么问题",
    "还有别的问题",
    "还有其他需要",
    "还有什么需要",
    "还有别的需要",
    "还有什么可以帮",
    "还有什么要帮",
    "还有其他事",
    "还有别的事",
    "还有什么事",
    "还需要什么",
    "还有需要",
    "还有没有其他",
    "还有没有别的",
    "还有没有什么",
)
"""What makes a clause a closing offer of further help (the `closing` item's sense)."""

POLITE, PLAIN = "您", "你"
FOR_YOU = "帮为给替跟和陪"
"""What before 您 makes it the agent's service (帮您查, 为您办, 给您回电), kept in sight."""


def views(
    plain: str,
    clauses: Sequence[tuple[int, int]],
    sentences: Sequence[tuple[int, int]],
) -> Iterator[tuple[int, str, tuple[int, int]]]:
    """(offset, text, clause) for each clause of a sentence of several whose 您 outside
    the clause's scope would otherwise excuse it: `text` is the sentence with those 您 read
    as 你, starting at `offset` in `plain`; a guard's match counts where it ends in
    `clause` (a guarded shape, ^(?!…).*报过来, always starts at the sentence's start)."""
    for sa, sb in sentences or ((0, len(plain)),):
        mine = [(a, b) for a, b in clauses if sa <= a < sb]
        if len(mine) < 2 or POLITE not in plain[sa:sb]:
            continue
        for k, (a, b) in enumerate(mine):
            start, end = a, b
            j = k - 1
            while j >= 0 and _leads(plain[mine[j][0] : mine[j][1]]):
                start = mine[j][0]
                j -= 1
            j = k + 1
            while j < len(mine) and _tail(plain[mine[j][0] : mine[j][1]]):
                end = mine[j][1]
                j += 1
            outside = plain[sa:start] + plain[end:sb]
            if POLITE not in outside:
                continue
            text = _plainer(plain[sa:start]) + plain[start:end] + _plainer(plain[end:sb])
            yield sa, text, (a, b)


def _plainer(text: str) -> str:
    """`text` with 您 read as 你, but not where the agent does something for the customer
    (帮您, 为您, 给您: an offer of help counts wherever it is said)."""
    return "".join(
        PLAIN if ch == POLITE and not (i and text[i - 1] in FOR_YOU) else ch
        for i, ch in enumerate(text)
    )


def _leads(clause: str) -> bool:
    return any(w in clause for w in LEAD_INS)


def _tail(clause: str) -> bool:
    return len(clause) <= MAX_TAIL and any(w in clause for w in TAIL_WORDS)


def without_offers(
    plain: str,
    clauses: Sequence[tuple[int, int]],
    sentences: Sequence[tuple[int, int]],
) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence that ends in closing offers, without them; a sentence
    that is all offer, or has none, gives nothing."""
    found: list[tuple[int, int]] = []
    for sa, sb in sentences or ((0, len(plain)),):
        mine = [(a, b) for a, b in clauses if sa <= a < sb] or [(sa, sb)]
        end = len(mine)
        while end > 0 and _offer(plain[mine[end - 1][0] : mine[end - 1][1]]):
            end -= 1
        if 0 < end < len(mine):
            found.append((sa, mine[end - 1][1]))
    return tuple(found)


def _offer(clause: str) -> bool:
    return any(w in clause for w in OFFERS)
