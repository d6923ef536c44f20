"""Shapes written in standard Mandarin also match their spoken northern forms
(`callqa.scoring.colloquial`), as characters only."""

from __future__ import annotations

import re

import pytest

from callqa.scoring.colloquial import colloquial, spoken_forms
from callqa.scoring.scorecard import load_scorecard
from tests.test_rules_patterns import said


@pytest.mark.parametrize(
    ("regex", "text"),
    [
        ("早干什么去了", "早干啥去了"),
        ("你怎么(不|没)", "你咋不"),
        ("你先别说话", "你先甭说话"),
        ("(这|那)边的事", "那边儿的事"),
        ("不用找我", "甭找我"),
        ("我们这里不管", "咱们这儿不管"),
    ],
)
def test_a_shape_takes_the_spoken_form(regex: str, text: str) -> None:
    assert re.search(colloquial(regex), text), colloquial(regex)
    assert re.search(colloquial(regex), re.sub(r"[()|]", "", regex.replace("|没", "")))


@pytest.mark.parametrize(
    ("regex", "unchanged"),
    [
        ("(?<!什么)你", "(?<!什么)你"),  # a look-behind keeps its width
        ("[^别]找", "[^别]找"),  # a negated class is not widened
        ("怎么?样", "怎么?样儿?"),  # 怎 with an optional 么: the word is not there
        ("没门儿", "没门儿"),  # already spoken
    ],
)
def test_what_is_left_alone(regex: str, unchanged: str) -> None:
    assert colloquial(regex) == unchanged


def test_every_shipped_shape_still_compiles() -> None:
    item = next(i for i in load_scorecard("etiquette").items if i.id == "forbidden_phrases")
    patterns = item.params.patterns  # type: ignore[attr-defined]
    assert len(patterns) > 300
    for p in patterns:
        re.compile(colloquial(p.regex))


def test_spoken_forms_of_a_phrase() -> None:
    assert set(spoken_forms("你怎么回事")) == {"你咋回事", "你怎么回事儿", "你咋回事儿"}
    assert spoken_forms("急什么") == ("急啥",)
    assert spoken_forms("不归我管") == ()


@pytest.mark.parametrize("agent", ["你为啥不早点打电话？", "你咋回事儿啊？"])
def test_spoken_forms_fail_the_item(agent: str) -> None:
    assert said(agent).status == "fail", said(agent)


def test_by_sound_a_spoken_form_is_not_matched() -> None:
    """啥 is one syllable: by sound it would match 洒 (sa ≈ sha)."""
    assert said("很抱歉餐品洒漏了，我这边直接为您申请退款。").status == "pass"
