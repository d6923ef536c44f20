"""The one sound-aware phrase matcher (callqa.speech.textnorm + scoring.base.Phrase)."""

from __future__ import annotations

import pytest

from callqa.scoring.base import Phrase
from callqa.speech.textnorm import find_phrase, phrase_key, prepare, sound_spans, tolerance
from tests.helpers_transcripts import judge


@pytest.mark.parametrize(
    ("said", "phrase"),
    [
        ("很高兴位您服务", "为您服务"),  # 位 ≈ 为
        ("我的宫号是一零二三", "工号"),  # 宫 ≈ 工
        ("公号一零二三为您服务", "工号"),
        ("为，说话呀", "喂说话呀"),  # seed 004's 不可以说 line with a homophone for 喂
        ("我给您复数一下", "复述一下"),  # 数 shu ≈ 述 shu
        ("我复诉一下您的问题", "复述一下"),  # su ≈ shu (flat/retroflex fold)
        ("心何通信客服", "星河通信"),  # nasal fold
    ],
)
def test_homophones_match_by_sound(said: str, phrase: str) -> None:
    mt = prepare(said)
    found = Phrase(phrase).matches(mt)
    assert found, (said, phrase)
    start, end, note = found[0]
    assert note.endswith(f"≈ {phrase}") and mt.quote(start, end) in note


def test_tolerance_grows_with_length() -> None:
    assert [tolerance(n) for n in (1, 2, 3, 4, 6)] == [0, 0, 0, 1, 1]
    # one syllable one letter off is allowed from four syllables on ...
    assert sound_spans(phrase_key("工号是一零二"), phrase_key("功后是一零二"))
    # ... never for two
    assert not sound_spans(phrase_key("功后"), phrase_key("工号"))


def test_negators_are_never_substituted() -> None:
    assert not Phrase("我不清楚").matches(prepare("这个我很清楚"))
    assert Phrase("我不清楚").matches(prepare("这个我不清楚"))


def test_single_syllables_match_only_themselves() -> None:
    for homophone in "为位未围":
        assert not sound_spans(phrase_key(f"{homophone}什么"), phrase_key("喂"))


@pytest.mark.parametrize(
    ("agent", "status"),
    [
        ("喂，您好，这里是星河通信。", "fail"),
        ("我们的猫粮适合喂养幼猫。", "pass"),  # 喂 inside a word
        ("为什么会这样呢？我帮您查一下。", "pass"),  # 为 never as 喂, not even in 喂什么
        ("您好，位您服务。", "pass"),
        ("不归我管，你去营业厅问。", "fail"),
        ("很抱歉，恐怕我不能帮助您。", "pass"),  # the proper refusal (seed 004)
        ("您听懂了吗？", "fail"),  # 你/您 are one
    ],
)
def test_forbidden_phrases_in_context(agent: str, status: str) -> None:
    turns = [("agent", 0.0, 3.0, agent), ("customer", 3.5, 6.0, "好的，谢谢。")]
    assert judge("forbidden_phrases", turns).status == status


def test_customer_traps_never_count() -> None:
    turns = [
        ("agent", 0.0, 3.0, "您好，星河通信，工号一零二三，很高兴为您服务。"),
        ("customer", 3.5, 8.0, "喂？我不能上网，客服说不归我管，你听懂了吗？"),
        ("agent", 8.5, 11.0, "您是说不能上网，我帮您查一下。"),
    ]
    assert judge("forbidden_phrases", turns).status == "pass"


def test_digits_written_either_way_and_ni_nin() -> None:
    assert phrase_key("工号1023") == phrase_key("工号一零二三") == phrase_key("工号幺零二三")
    assert find_phrase(phrase_key("你是说明天吗"), "您是说") == 0
    from dataclasses import replace

    from tests.helpers_transcripts import default_card

    turns = [("agent", 0.0, 4.0, "欢迎致电云帆航空，工号幺五二八为您服务。")]
    result = judge("self_intro", turns, card=replace(default_card(), companies=()))
    assert result.status == "pass", result.message


def test_opening_names_an_organisation_without_a_configured_company() -> None:
    from dataclasses import replace

    from tests.helpers_transcripts import default_card

    card = replace(default_card(), companies=())
    ok = [("agent", 0.0, 4.0, "您好，欢迎致电汇泰银行，我是客服代表小王。")]
    assert judge("self_intro", ok, card=card).status == "pass"
    evidence = judge("self_intro", ok, card=card).evidence
    assert any("汇泰银行" in e.text for e in evidence)
    bare = [("agent", 0.0, 4.0, "您好，我是客服代表小王。")]
    assert judge("self_intro", bare, card=card).status == "fail"


def test_a_phrase_is_read_as_a_phrase() -> None:
    # 行 is hang in 银行 (pypinyin's phrase dictionary), so 航 sounds like it
    assert find_phrase(prepare("何润银航").chars, "和润银行") == 0
    # 您 (folded to 你 in phrases) still sounds like nin: 林豪 ≈ 您好 by the n/l fold
    assert find_phrase(prepare("林豪，天音移动").chars, "您好") == 0


def test_brand_names_may_be_half_near_in_the_opening() -> None:
    from dataclasses import replace

    from callqa.scoring.scorecard import Company
    from tests.helpers_transcripts import default_card

    card = replace(default_card(), companies=(Company("宏远证券", ()),))
    opening = [("agent", 0.2, 5.3, "欢迎播打红语正确服这间,我是克服专员周米,郭晃四五零六")]
    assert judge("self_intro", opening, card=card).status == "pass"
    other = [("agent", 0.2, 5.3, "欢迎拨打红日电器，我是客服专员周米，工号四五零六")]
    assert judge("self_intro", other, card=card).status == "fail"


def test_loose_matching_only_for_what_an_agent_should_say() -> None:
    mt = prepare("特服代表赵婷卫银服务")
    assert Phrase("客服代表").first(mt) is None  # strict: 特 te is not near 客 ke
    assert Phrase("客服代表").matches(mt, loose=True)  # one syllable of four may be off
    assert not Phrase("客服").matches(mt, loose=True)  # but never in a short phrase
    assert not Phrase("我不知道").matches(prepare("我很知道"), loose=True)  # nor a negator
