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


# -- company name missed in the text, asked of the audio ---------------------------------

_OPENING = [
    ("agent", 0.1, 8.7, "你好,日风氧气客服热线,我是客服专员林晓,工号3227,请问有什么可以帮到您。"),
    ("customer", 9.0, 15.0, "你好，我家的燃气表不走了。"),
]


def _company_score(company: str = "瑞丰燃气"):  # type: ignore[no-untyped-def]
    from callqa.scoring.engine import score_call

    t = transcript(_OPENING)
    return score_call(default_card(), t, measures(t), company=company)


def _intro(score):  # type: ignore[no-untyped-def]
    return next(r for r in score.rules if r.id == "self_intro")


def test_a_misheard_name_is_offered_to_the_audio() -> None:
    intro = _intro(_company_score())
    assert intro.status == "fail"
    assert intro.evidence[0].note == "company name? 日风氧气 ≈ 瑞丰燃气"


def test_the_audio_decides_a_missing_name() -> None:
    from callqa.scoring.verification import NAME_CONFIRM, NAME_REJECT, verify_company

    asked: list[tuple[str, str]] = []

    def says(margin: float):  # type: ignore[no-untyped-def]
        def check(ev: Evidence, heard: str, canonical: str) -> float:
            asked.append((heard, canonical))
            return margin

        return check

    base = _company_score()
    confirmed = _intro(verify_company(base, says(NAME_CONFIRM + 1)))
    assert confirmed.status == "pass" and "confirmed by the audio" in confirmed.message
    assert asked[0] == ("日风氧气", "瑞丰燃气")
    thin = _intro(verify_company(base, says((NAME_CONFIRM + NAME_REJECT) / 2)))
    assert thin.status == "review"
    rejected = _intro(verify_company(base, says(NAME_REJECT - 5)))
    assert rejected.status == "review" and "audio says otherwise" in rejected.evidence[0].note
    assert "the audio does not confirm it" in rejected.message


def test_a_rejection_on_unclear_words_is_review() -> None:
    """Whisper unsure of the words that sound like the name: the audio's "no" is not
    trusted (a rare brand name scores low even when said)."""
    from callqa.scoring.engine import score_call
    from callqa.scoring.verification import NAME_REJECT, verify_company

    t = transcript(_OPENING, prob=0.5)
    base = score_call(default_card(), t, measures(t), company="瑞丰燃气")
    intro = _intro(verify_company(base, lambda ev, heard, canonical: NAME_REJECT - 0.4))
    assert intro.status == "review", intro.message
    assert "the words there are unclear (0.50)" in intro.message


def test_no_candidate_when_nothing_sounds_like_the_name() -> None:
    intro = _intro(_company_score("永鑫银行"))
    assert intro.status == "fail"
    assert not any(e.note.startswith("company name?") for e in intro.evidence)


def test_a_name_beating_its_cohort_is_confirmed() -> None:
    """A rare brand scores low against the transcript even when said; against the same
    name with other brands it stands out (cohort normalisation)."""
    from callqa.scoring.verification import (
        COHORT_CONFIRM,
        NAME_REJECT,
        NameMargins,
        verify_company,
    )

    base = _company_score()
    said = _intro(
        verify_company(base, lambda ev, h, c: NameMargins(NAME_REJECT - 8, COHORT_CONFIRM + 3))
    )
    assert said.status == "pass", said.message
    assert "over other names" in said.evidence[-1].note
    unsure = _intro(
        verify_company(base, lambda ev, h, c: NameMargins(NAME_REJECT - 8, COHORT_CONFIRM - 6))
    )
    assert unsure.status == "review"


def test_a_cohort_keeps_the_trade_and_swaps_the_brand() -> None:
    from callqa.scoring.cohort import cohort, split_name
    from callqa.speech.textnorm import readings

    assert split_name("瑞丰燃气") == ("瑞丰", "燃气")
    assert split_name("易充新能源") == ("易充", "新能源")  # no known trade: first two
    names = cohort("瑞丰燃气")
    assert len(names) == 8 and all(n.endswith("燃气") and len(n) == 4 for n in names)
    brand = set().union(*(readings(ch) for ch in "瑞丰"))
    assert all(brand.isdisjoint(set().union(*(readings(ch) for ch in n[:2]))) for n in names)
