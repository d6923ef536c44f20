from __future__ import annotations

import numpy as np
import pytest

from callqa.records import Span
from callqa.review.mask import (
    TONE_AMPLITUDE,
    SpokenText,
    TimedWord,
    digit_runs,
    mask_text,
    merge,
    sensitive_spans,
    tone_over,
    word_spans,
)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("我的手机号是13800138000", "我的手机号是***********"),
        ("卡号 6222 0212 3456 7890 对吧", "卡号 **** **** **** **** 对吧"),
        ("身份证110101-19900307-1234", "身份证******-********-****"),
        ("号码是幺三八零零幺三八零零零", "号码是***********"),
        ("一三九 一二三四 五六七八", "*** **** ****"),
        ("ｔｅｌ１３８００１３８０００", "ｔｅｌ***********"),
        ("工号1023，分机 123456", "工号1023，分机 123456"),  # fewer than 7 digits stay
        ("一下一个一样", "一下一个一样"),  # everyday Chinese is left alone
        ("共七个数字1234567", "共七个数字*******"),
    ],
)
def test_mask_text(text: str, masked: str) -> None:
    assert mask_text(text) == masked


def test_digit_runs_counts_digits_not_separators() -> None:
    assert digit_runs("12-34-56") == []  # six digits with dashes
    assert digit_runs("a 12 34 567 b") == [(2, 11)]


def test_word_spans_join_words() -> None:
    words = [
        TimedWord(1.0, 1.4, "我的卡号是"),
        TimedWord(1.5, 2.0, " 6222"),
        TimedWord(2.0, 2.6, " 0212"),
        TimedWord(2.6, 3.0, "，谢谢"),
    ]
    assert word_spans(words) == [Span(1.5, 2.6)]


def test_sensitive_spans_per_speaker_across_utterances() -> None:
    utts = [
        SpokenText(
            0.0,
            2.0,
            "cust",
            "我的号码是138",
            (TimedWord(0, 1.5, "我的号码是"), TimedWord(1.5, 2.0, "138")),
        ),
        SpokenText(2.0, 3.0, "agent", "嗯", (TimedWord(2.0, 3.0, "嗯"),)),
        SpokenText(
            3.0,
            4.0,
            "cust",
            "0013 8000",
            (TimedWord(3.0, 3.5, "0013"), TimedWord(3.5, 4.0, " 8000")),
        ),
    ]
    assert sensitive_spans(utts, pad=0.0) == [Span(1.5, 4.0)]


def test_sensitive_spans_without_word_times_tone_the_utterance() -> None:
    utts = [SpokenText(5.0, 8.0, "agent", "您的号码是幺三八零零幺三八零零零，对吗")]
    assert sensitive_spans(utts, pad=0.0) == [Span(5.0, 8.0)]
    # words that do not show the number the text has: the whole utterance is toned
    odd = [SpokenText(1.0, 2.0, "c", "13800138000", (TimedWord(1.0, 2.0, "嗯"),))]
    assert sensitive_spans(odd, pad=0.0) == [Span(1.0, 2.0)]
    assert sensitive_spans([SpokenText(0, 1, "c", "工号1023")]) == []


def test_merge_pads_and_joins() -> None:
    assert merge([Span(3, 4), Span(0.02, 1), Span(1.05, 2)], pad=0.05) == [
        Span(0.0, 2.05),
        Span(2.95, 4.05),
    ]


def test_tone_over_replaces_exactly_the_span() -> None:
    rate = 16000
    x = np.full(rate * 2, 0.5, dtype=np.float32)
    (out,) = tone_over([x], [Span(1.5, 2.0)], sample_rate=rate, offset=1.0)
    assert np.all(out[:8000] == 0.5) and np.all(out[16000:] == 0.5)
    seg = out[8000:16000]
    assert np.max(np.abs(seg)) == pytest.approx(TONE_AMPLITUDE, rel=1e-3)
    spectrum = np.abs(np.fft.rfft(seg))
    assert np.argmax(spectrum) * rate / len(seg) == pytest.approx(1000, abs=2)
    assert np.all(x == 0.5)  # input untouched


FORMATS = [
    # (text, masked): the formats of issue 12, each through the validators or the shape rule
    ("电话138,0013,8000谢谢", "电话***,****,****谢谢"),
    ("电话138.0013.8000", "电话***.****.****"),
    ("电话138 0013 8000", "电话*** **** ****"),
    ("一三八零零一三八零零零", "***********"),
    ("幺三八零零幺三八零零零", "***********"),
    ("一三八，零零一三，八零零零", "***，****，****"),
    ("幺三八、零零幺三、八零零零", "***、****、****"),
    ("１３８，００１３，８０００", "***，****，****"),
    ("身份证11010519491231002X。", "身份证******************。"),
    ("身份证号11010519491231002x", "身份证号******************"),
    ("110105 19491231 002X", "****** ******** ****"),
    ("110105.19491231.002X", "******.********.****"),  # a valid ID (python-stdnum cn.ric)
    ("卡4111.1111.1111.1111", "卡****.****.****.****"),  # Luhn
    ("卡号6222,0212,3456,7890", "卡号****,****,****,****"),  # shape: misheard digits too
    ("座机010,1234,5678", "座机***,****,****"),
    ("共计1,234,567.89元", "共计1,234,567.89元"),  # an amount stays
    ("话费12,345,678元", "话费12,345,678元"),
    ("2026.11.28到期", "2026.11.28到期"),  # a date stays
    ("第1,2,3条", "第1,2,3条"),
]


@pytest.mark.parametrize(("text", "masked"), FORMATS)
def test_mask_formats(text: str, masked: str) -> None:
    assert mask_text(text) == masked


def test_validators() -> None:
    from callqa.review.mask import sensitive_number

    assert sensitive_number("13800138000") == "phone"
    assert sensitive_number("01012345678") == "phone"
    assert sensitive_number("11010519491231002X") == "id"
    assert sensitive_number("4111111111111111") == "card"
    assert sensitive_number("1234567") is None
    assert sensitive_number("11010519491231002Y") is None


@pytest.mark.parametrize(("text", "masked"), FORMATS)
def test_audio_is_masked_where_the_text_is(text: str, masked: str) -> None:
    """One word per character, 0.1 s each: the toned span is exactly the masked one."""
    words = [TimedWord(i / 10, (i + 1) / 10, ch) for i, ch in enumerate(text)]
    starred = [i for i, ch in enumerate(masked) if ch == "*"]
    expected = [Span(starred[0] / 10, (starred[-1] + 1) / 10)] if starred else []
    spans = sensitive_spans([SpokenText(0.0, len(text) / 10, "c", text, tuple(words))], pad=0)
    assert [Span(round(s.start, 6), round(s.end, 6)) for s in spans] == [
        Span(round(s.start, 6), round(s.end, 6)) for s in expected
    ]
