from __future__ import annotations

import pytest

from callqa.speech import textnorm
from callqa.speech.textnorm import normalize, phrase_key, prepare, sounds_like, standalone, tokens


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("請問有什麼可以幫您？", "请问有什么可以帮您?"),
        ("很抱歉，恐怕我不能幫助您", "很抱歉,恐怕我不能帮助您"),
        ("ＡＢＣ１２３，！", "abc123,!"),
        ("我瞭解您的問題", "我了解您的问题"),  # a phrase-only conversion (瞭解 → 了解)
        ("您好，星河通信", "您好,星河通信"),  # already simplified: unchanged but width
        ("么", "么"),  # appears in t2s phrase tables, must not trip conversion
        ("喂，甚麼事", "喂,什么事"),  # 甚么 is the older spelling of 什么 (t2s keeps it)
        ("为甚么是", "为什么是"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_phrase_key_drops_punctuation_and_spaces() -> None:
    assert phrase_key("喂，说话呀！") == "喂说话呀"
    assert phrase_key(" 工号 1023 ") == "工号一零二三" == phrase_key("工号幺零二三")
    assert phrase_key("，。！") == ""


def test_prepare_maps_back_to_the_original() -> None:
    mt = prepare("您好，星河通信。請問有什麼可以幫您？")
    assert mt.chars == "你好星河通信请问有什么可以帮你"  # 您 folded to 你 for matching
    start = mt.chars.index("好星")
    assert mt.quote(start, start + 2) == "好，星"  # inner punctuation kept, original chars
    assert mt.quote(6, 8) == "請問"
    assert mt.sentence[0] == 0 and mt.sentence[6] == 1


def test_sentences_end_at_full_stops_not_commas() -> None:
    mt = prepare("很抱歉，恐怕我不能帮助您。我不能。价格3.5元")
    first = mt.chars.index("我不能")
    second = mt.chars.index("我不能", first + 1)
    assert mt.sentence_start(first) == 0  # the comma does not end the sentence
    assert mt.sentence_start(second) == second
    price = mt.chars.index("五")  # digits folded to 中文数字 for matching
    assert mt.sentence[price] == mt.sentence[price - 1]  # a decimal point is no full stop


def test_find_all_and_ends_sentence() -> None:
    mt = prepare("喂，喂，听得到吗？")
    assert list(mt.find_all("喂")) == [0, 1]
    assert list(mt.find_all("")) == []
    assert mt.ends_sentence()
    assert not prepare("非常抱歉，").ends_sentence()


@pytest.mark.parametrize(
    ("text", "standalone_wei"),
    [
        ("喂，说话呀！", True),
        ("喂说话呀", True),
        ("喂你好", True),
        ("喂喂，听得到吗", True),
        ("喂？您好", True),
        ("我们喂养的猫", False),
        ("喂养宠物", False),
    ],
)
def test_standalone_wei(text: str, standalone_wei: bool) -> None:
    mt = prepare(text)
    pos = mt.chars.index("喂")
    assert standalone(mt, pos, "喂") is standalone_wei


def test_tokens_are_cached_and_jieba_loads_once() -> None:
    assert tokens("喂养宠物") == ("喂养", "宠物")
    assert textnorm._jieba() is textnorm._jieba()


@pytest.mark.parametrize(
    ("heard", "fuzzy", "found"),
    [
        ("您好，星河通信", False, True),
        ("您好，行河通信", False, True),  # 行 has the reading xing
        ("您好，星和通信", False, True),
        ("您好，心何通信", False, False),  # xin ≠ xing ...
        ("您好，心何通信", True, True),  # ... unless front/back nasals are folded
        ("您好，我们公司", True, False),
    ],
)
def test_sounds_like_company(heard: str, fuzzy: bool, found: bool) -> None:
    assert (sounds_like(prepare(heard), "星河通信", fuzzy=fuzzy) >= 0) is found


def test_readings_are_toneless() -> None:
    every = textnorm.readings("行", fuzzy=False, every=True)
    assert "xing" in every and "hang" in every
    assert textnorm.readings("行") == {"xin"}  # common reading, nasal folded
    assert textnorm.readings("绿", fuzzy=False) >= {"lv"}
    assert textnorm.readings("A") == frozenset({"A"})


def test_word_class_takes_sound_classes_in_a_regex_by_sound() -> None:
    """\\w in a pattern spans any syllable when matched by sound, as it does in text."""
    import re

    from callqa.speech.textnorm import by_sound, regex_by_sound

    heard = by_sound("你照物业的人去问")  # 照 for 找
    assert re.search(regex_by_sound(r"你找\w{0,4}去"), heard)
    assert not re.search(regex_by_sound(r"你找\w{0,2}去"), heard)
    assert re.search(regex_by_sound(r"[\w]业"), heard)  # inside a class too
    assert regex_by_sound(r"\\w") == r"\\w"  # an escaped backslash stays literal
