"""Sound-only forbidden-phrase hits checked against the audio (scoring.verification)."""

from __future__ import annotations

from callqa.records import Evidence
from callqa.scoring.verification import CONFIRM, REJECT, sound_match, verify_hits
from tests.helpers_transcripts import default_card, measures, transcript

TURNS = [
    ("agent", 0.0, 2.0, "为，说话呀！"),  # 为说话呀 ≈ 喂说话呀: a hit by sound only
    ("customer", 2.5, 5.0, "你好，我想查一下话费。"),
]


def _score():  # type: ignore[no-untyped-def]
    from callqa.scoring.engine import score_call

    t = transcript(TURNS)
    return score_call(default_card(), t, measures(t))


def _forbidden(score):  # type: ignore[no-untyped-def]
    return next(r for r in score.rules if r.id == "forbidden_phrases")


def test_sound_hit_is_noted() -> None:
    rule = _forbidden(_score())
    assert rule.status == "fail"
    assert sound_match(rule.evidence[0]) == ("为，说话呀", "喂说话呀")


def test_clear_margin_keeps_the_hit() -> None:
    score = verify_hits(_score(), lambda ev, heard, canonical: CONFIRM + 0.5)
    rule = _forbidden(score)
    assert rule.status == "fail" and "audio confirms" in rule.evidence[0].note
    assert score.verdict == "fail"


def test_clear_rejection_drops_the_hit() -> None:
    score = verify_hits(_score(), lambda ev, heard, canonical: REJECT - 1.0)
    rule = _forbidden(score)
    assert rule.status == "pass" and rule.evidence == () and rule.points == 0


def test_thin_margin_is_review() -> None:
    score = verify_hits(_score(), lambda ev, heard, canonical: (CONFIRM + REJECT) / 2)
    rule = _forbidden(score)
    assert rule.status == "review" and "too thin" in rule.evidence[0].note


def test_exact_hits_are_not_rechecked() -> None:
    calls: list[Evidence] = []

    def check(ev: Evidence, heard: str, canonical: str) -> float:
        calls.append(ev)
        return REJECT - 5

    from callqa.scoring.engine import score_call

    t = transcript([("agent", 0.0, 2.0, "这不归我管。")])
    score = score_call(default_card(), t, measures(t))
    assert verify_hits(score, check) == score and calls == []
