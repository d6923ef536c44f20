"""score_call as a whole: the sample calls, points and verdicts, uncertain roles, explain."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from callqa.records import CallScore, RoleAssignment, RuleResult, Status
from callqa.scoring.engine import explain, score_call, verdict_of
from callqa.scoring.similarity import tfidf_cosine
from tests.helpers_transcripts import RULE_IDS, default_card, measures, sample_turns, transcript

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "samples").glob("*.expected.json"))
IDS = RULE_IDS


def _score(turns: list[tuple[Any, ...]], **options: Any) -> CallScore:
    t = transcript(turns, **options)
    return score_call(default_card(), t, measures(t))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name.split(".")[0])
def test_sample_call_scripts(path: Path) -> None:
    """The scripted turns of each sample call get the rules and verdict its JSON states."""
    turns, data = sample_turns(path)
    score = _score(
        turns, stereo=data["channels"] == "stereo", duration=data["duration"], loudness=-20.0
    )
    assert [r.id for r in score.rules] == IDS
    got = {r.id: r.status for r in score.rules}
    for rule, status in data["expected_rules"].items():
        assert got[rule] == status, (rule, next(r.message for r in score.rules if r.id == rule))
    assert score.verdict == data["verdict"]
    forbidden = next(r for r in score.rules if r.id == "forbidden_phrases")
    hits = [e.text for e in forbidden.evidence]
    for phrase in data["agent_forbidden_hits"]:
        assert any(h in phrase or phrase in h for h in hits), (phrase, hits)


def test_points_score_and_version() -> None:
    card = default_card()
    turns, data = sample_turns(SAMPLES[1])  # call02: rude agent
    score = _score(turns, stereo=False, duration=data["duration"])
    assert score.max_score == 100.0 == sum(r.max_points for r in score.rules)
    assert score.score == 100.0 + sum(r.points for r in score.rules)
    for r in score.rules:
        assert r.points == (-r.max_points if r.status == "fail" else 0.0)
    assert score.scorecard_id == "etiquette"
    assert score.scorecard_version == card.version_key
    assert re.fullmatch(r"2\.0\+[0-9a-f]{12}", card.version_key)
    forbidden = next(r for r in score.rules if r.id == "forbidden_phrases")
    assert forbidden.critical and forbidden.status == "fail"


def _r(status: Status, points: float, *, critical: bool = False) -> RuleResult:
    deduction = -points if status == "fail" else 0.0
    return RuleResult("x", status, deduction, critical=critical, max_points=points)


@pytest.mark.parametrize(
    ("results", "score", "verdict"),
    [
        ([_r("pass", 50), _r("pass", 50)], 100.0, "pass"),
        ([_r("pass", 90), _r("fail", 10)], 90.0, "pass"),
        ([_r("pass", 80), _r("fail", 20)], 80.0, "fail"),  # below the pass mark
        ([_r("pass", 90), _r("fail", 10, critical=True)], 90.0, "fail"),  # critical
        ([_r("pass", 90), _r("review", 10)], 100.0, "pass"),  # failing it would still pass
        ([_r("pass", 80), _r("review", 20)], 100.0, "review"),  # it decides
        ([_r("pass", 90), _r("review", 5), _r("review", 5)], 100.0, "pass"),
        ([_r("pass", 80), _r("review", 10), _r("review", 10)], 100.0, "review"),  # together
        ([_r("pass", 95), _r("review", 5, critical=True)], 100.0, "review"),
        ([_r("fail", 20), _r("review", 80)], 80.0, "fail"),  # already failed
        ([_r("na", 50), _r("pass", 50)], 100.0, "pass"),  # na costs nothing
    ],
)
def test_verdicts(results: list[RuleResult], score: float, verdict: str) -> None:
    assert verdict_of(tuple(results), max_score=100.0, pass_mark=85.0) == (score, verdict)


def test_uncertain_roles_make_attribution_dependent_items_review() -> None:
    turns, data = sample_turns(SAMPLES[0])  # call01: the customer says 我不能
    score = _score(turns, duration=data["duration"], role_confidence=0.4)
    got = {r.id: r for r in score.rules}
    assert got["forbidden_phrases"].status == "review"  # 我不能 is a hit if roles are swapped
    assert "roles uncertain" in got["forbidden_phrases"].message
    assert got["silence"].status == "pass"  # the same either way
    assert score.verdict == "review"
    sure = _score(turns, duration=data["duration"], role_confidence=0.9)
    assert {r.id: r.status for r in sure.rules}["forbidden_phrases"] == "pass"


def test_unknown_roles_make_every_item_review() -> None:
    t = transcript([("unknown", 0.0, 3.0, "您好，星河通信。"), ("unknown", 4.0, 6.0, "你好。")])
    t = replace(t, roles=RoleAssignment(None, 0.0, reason="no agent found"))
    score = score_call(default_card(), t, measures(t))
    assert {r.status for r in score.rules} == {"review"}
    assert score.verdict == "review" and score.score == 100.0


def test_explain_lines() -> None:
    turns, data = sample_turns(SAMPLES[1])
    lines = explain(_score(turns, stereo=False, duration=data["duration"]))
    assert lines[0].startswith("self_intro")
    forbidden = next(i for i, line in enumerate(lines) if line.startswith("forbidden_phrases"))
    assert re.match(r"forbidden_phrases\s+FAIL\s+0/20 CRITICAL\s+4 forbidden", lines[forbidden])
    assert re.fullmatch(
        r"    \[00:00\.\d–00:01\.\d\] agent 喂，说话呀 \(0\.95\)  – interjection",
        lines[forbidden + 1],
    )
    assert any(re.search(r"\(silence|similarity 0\.\d\d", line) for line in lines)


PAIRS = [
    (
        "你好，我家的宽带从昨天开始就特别慢。",
        "跟您确认一下，您是说家里的宽带从昨天开始网速很慢，对吗？",
    ),
    ("你好，我想换一个套餐。", "换什么套餐？你说清楚一点。"),
    ("我想查话费", "我不能帮你办这个"),
    ("啊", "啊啊啊"),
]


@pytest.mark.parametrize(("a", "b"), PAIRS)
@pytest.mark.parametrize("ngrams", [(1, 1), (1, 2), (2, 2), (2, 3)])
def test_similarity_equals_scikit_learn(a: str, b: str, ngrams: tuple[int, int]) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    from callqa.speech.textnorm import phrase_key

    docs = [phrase_key(a), phrase_key(b)]
    try:
        matrix = TfidfVectorizer(analyzer="char", ngram_range=ngrams).fit_transform(docs)
        expected = float(cosine_similarity(matrix[0], matrix[1])[0, 0])
    except ValueError:  # empty vocabulary: no n-gram that long
        expected = 0.0
    assert tfidf_cosine(a, b, ngram_range=ngrams) == pytest.approx(expected, abs=1e-12)
