"""`speaking_rate` on an agent Whisper cannot read: the signal, and the characters it backs.

The syllable count squeezes the extremes toward the middle (corpus: very slow voices at
91-98 字/分钟 read 112-161 by the signal, rushed ones at 414-466 read 335-443), so a
signal "in range" does not clear characters out of range: where the signal leans the same
way past every normal voice (`signal_slow_cpm`, `signal_fast_cpm`), both together fail the
item; where it does not, Whisper may have dropped or looped words, and it is `review`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from callqa.records import Lane, RuleResult, Span, Timeline
from callqa.scoring.engine import score_call
from callqa.scoring.kinds.speaking_rate import Params
from tests.helpers_transcripts import default_card, measures, transcript

MURKY = {"prob": 0.5}
FEW = "您好请问有什么事"  # 8 characters a turn: 32 over 19 s, about 100 字/分钟
MANY = "您好欢迎致电星河通信工号一零二三很高兴为您服务请问有什么可以帮您" * 2  # 64 a turn


def _without_limits() -> Any:
    """The shipped scorecard with the lean limits off (0)."""
    card = default_card()
    sections = tuple(
        replace(
            section,
            items=tuple(
                replace(i, params=replace(i.params, signal_slow_cpm=0.0, signal_fast_cpm=0.0))
                if i.id == "speaking_rate"
                else i
                for i in section.items
            ),
        )
        for section in card.sections
    )
    return replace(card, sections=sections)


def _rate(text: str, signal_spm: float, card: Any = None) -> RuleResult:
    spans = [(0.5, 5.5), (10.0, 15.0), (20.0, 24.5), (29.0, 33.5)]
    turns: list[tuple[Any, ...]] = []
    for i, (a, b) in enumerate(spans):
        turns.append(("agent", a, b, text, MURKY))
        turns.append(("customer", b + 0.5, b + 4.0, "好的。" if i else "我想查一下话费。"))
    t = transcript(turns)
    line = Timeline(
        lanes=(
            Lane("left", "agent", tuple(Span(a, b) for a, b in spans), -20.0, 0.0, signal_spm),
            Lane(
                "right",
                "customer",
                tuple(Span(b + 0.5, b + 4.0) for _, b in spans),
                -20.0,
                0.0,
                220.0,
            ),
        ),
        duration=40.0,
        source="channels",
    )
    t = replace(t, timeline=line)
    scored = score_call(card or default_card(), t, measures(t))
    return next(r for r in scored.rules if r.id == "speaking_rate")


@pytest.mark.parametrize(
    ("text", "signal", "status", "words"),
    [
        (FEW, 150.0, "fail", "leans slow"),  # a very slow voice, both say so
        (FEW, 230.0, "review", "but the transcript's characters"),  # Whisper dropped words?
        (MANY, 330.0, "fail", "leans fast"),  # a rushed voice, both say so
        (MANY, 280.0, "review", "but the transcript's characters"),  # Whisper looped?
        (FEW, 100.0, "fail", "by the signal"),  # the signal alone is out of range
    ],
)
def test_characters_out_of_range_count_only_where_the_signal_leans_their_way(
    text: str, signal: float, status: str, words: str
) -> None:
    result = _rate(text, signal)
    assert result.status == status, result.message
    assert words in result.message
    assert "by the signal" in result.message


def test_characters_in_range_leave_the_signal_to_decide() -> None:
    medium = "您好欢迎致电星河通信工号一零二三请问有什么可以帮您"  # 25 a turn: ~315 字/分钟
    assert _rate(medium, 150.0).status == "pass"


@pytest.mark.parametrize(
    ("slow", "fast", "field"),
    [(-1.0, 310.0, "signal_slow_cpm"), (320.0, 310.0, "signal_slow_cpm")],
)
def test_lean_limits_are_checked(slow: float, fast: float, field: str) -> None:
    problems = Params(signal_slow_cpm=slow, signal_fast_cpm=fast).problems()
    assert [name for name, _ in problems] == [field]


@pytest.mark.parametrize(("text", "signal"), [(FEW, 150.0), (MANY, 330.0)])
def test_without_lean_limits_a_disagreement_is_review(text: str, signal: float) -> None:
    assert Params().signal_slow_cpm == 0.0 and Params().signal_fast_cpm == 0.0  # the default
    assert _rate(text, signal, _without_limits()).status == "review"


@pytest.mark.parametrize(
    ("text", "signal", "chinese"),
    [
        (FEW, 150.0, "声学语速同样偏慢"),
        (MANY, 330.0, "声学语速同样偏快"),
        (FEW, 230.0, "但按转写字数计为"),
    ],
)
def test_the_messages_read_in_chinese(text: str, signal: float, chinese: str) -> None:
    """Agents and supervisors read the reason in Chinese (`callqa.review.i18n`)."""
    from callqa.review.i18n import reason_text

    shown = reason_text(_rate(text, signal).message, "zh_CN")
    assert chinese in shown and "syllables" not in shown, shown
