"""The agent's character error rate, and the figures it splits (review rate, agreement)."""

from __future__ import annotations

import pytest

from callqa.records import CallScore, RuleResult, Utterance, Word
from callqa.run.intelligibility import agent_cer
from callqa.scoring.agreement import Judged, compare, table
from callqa.speech.textnorm import edit_distance

TURNS = [
    {"start": 0.0, "end": 4.0, "speaker": "agent", "text": "您好，工号1023，请问有什么可以帮您？"},
    {"start": 4.5, "end": 6.0, "speaker": "customer", "text": "我的宽带断了。"},
]


def test_edit_distance() -> None:
    assert edit_distance("", "") == 0
    assert edit_distance("您好", "") == 2
    assert edit_distance("请问", "前问") == 1
    assert edit_distance("abc", "acb") == 2


def test_a_perfect_hearing_is_zero_whoever_the_words_were_given_to() -> None:
    """Digits either way, 你 for 您, punctuation, and a wrong role do not count."""
    heard = [Utterance(0.1, 3.9, "spk2", "customer", "你好,工号一零二三,请问有什么可以帮您")]
    assert agent_cer(TURNS, heard) == 0.0


def test_words_outside_the_agents_turns_are_not_counted() -> None:
    words = (
        Word(0.1, 1.9, "林豪", 0.4),  # 您好, misheard: 2 substitutions
        Word(2.0, 3.9, "工号1023请问有什么可以帮您", 0.9),
        Word(4.6, 5.9, "我的宽带断了", 0.9),  # the customer's turn
    )
    heard = [Utterance(0.1, 5.9, "mix", "agent", "".join(w.text for w in words), words)]
    assert agent_cer(TURNS, heard) == pytest.approx(2 / 17)


def test_no_agent_turn_no_figure() -> None:
    assert agent_cer(TURNS[1:], []) is None
    assert agent_cer([{"speaker": "agent", "text": "您好"}], []) is None  # untimed turn
    assert agent_cer(TURNS, []) == 1.0


def _judged(name: str, status: str, *, intelligible: bool) -> Judged:
    rule = RuleResult(id="recap", status=status, points=0.0, evidence=())  # type: ignore[arg-type]
    score = CallScore(100.0, 100.0, "pass", (rule,), "x", "1")
    return Judged(name, score, {"recap": "pass"}, "pass", intelligible=intelligible)


def test_review_rate_and_agreement_on_intelligible_calls_only() -> None:
    figures = compare(
        [
            _judged("a", "pass", intelligible=True),
            _judged("b", "pass", intelligible=True),
            _judged("c", "review", intelligible=False),
        ]
    )
    assert figures.intelligible_calls == 2
    assert figures.review_rate_intelligible == 0.0
    assert figures.agreement_intelligible == 1.0
    assert "intelligible calls 2 of 3" in "\n".join(table(figures))
