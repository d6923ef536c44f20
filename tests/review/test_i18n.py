"""The message catalogue: UI strings, verdict reasons (structured ids, known sentences,
unknown ones shown as stored), item titles from the scorecard, 得分/满分."""

from __future__ import annotations

import json

import pytest

from callqa.review.i18n import (
    REASONS,
    gettext,
    item_title,
    normalize_lang,
    note_text,
    parse_reason,
    points_text,
    reason_text,
    status_label,
)


def test_ui_strings_and_languages() -> None:
    assert gettext("Review queue") == "复核队列"
    assert gettext("Review queue", "en") == "Review queue"
    assert gettext("Call %(id)s", "zh_CN", id="3f2a") == "通话 3f2a"
    assert gettext("no such text") == "no such text"
    assert [normalize_lang(v) for v in ("zh", "zh-CN", "zh_Hans_CN", "en-US", None, "fr")] == [
        "zh_CN",
        "zh_CN",
        "zh_CN",
        "en",
        "zh_CN",
        "zh_CN",
    ]
    assert status_label("review") == "待复核" and status_label("review", "en") == "review"


def test_points_read_as_earned_of_max() -> None:
    assert points_text(0, 20) == "20/20"
    assert points_text(-20, 20) == "0/20 扣20"
    assert points_text(-5, 15) == "10/15 扣5"
    assert points_text(-20, 20, "en") == "0/20 deducted 20"


def test_structured_reasons_render_in_the_readers_language() -> None:
    stored = json.dumps({"id": "forbidden.hits", "params": {"n": 1, "said": "不归我管"}})
    assert reason_text(stored) == "1处服务禁语：不归我管"
    assert reason_text(stored, "en") == "1 forbidden phrase(s): 不归我管"
    assert parse_reason(stored).id == "forbidden.hits"


def test_known_english_sentences_are_translated() -> None:
    said = "missing in the first 15 s: greeting (您好/你好), self-identification (工号)"
    assert reason_text(said) == "前15秒内缺少：问候语（您好/你好）；自我介绍（工号）"
    assert reason_text(said, "en") == said
    uncertain = (
        "missing in the last 30 s: offer of further help (还有什么)"
        " - but the transcript there is uncertain"
    )
    assert (
        reason_text(uncertain) == "最后30秒内缺少：进一步帮助的询问（还有什么）——但该处转写不确定"
    )
    assert reason_text("no agent speech") == "没有坐席的讲话"
    assert (
        reason_text("2 interruption(s) over 1 s (at most 1)") == "2次超过1秒的抢话（最多允许1次）"
    )


def test_unknown_messages_are_shown_as_stored() -> None:
    new_kind = json.dumps({"id": "kind.not_yet_translated", "params": {"x": 1}})
    assert reason_text(new_kind) == new_kind
    with_text = json.dumps({"id": "kind.other", "params": {}, "text": "said this"})
    assert reason_text(with_text) == "said this"
    assert reason_text("a sentence nobody knows") == "a sentence nobody knows"
    missing_param = json.dumps({"id": "forbidden.hits", "params": {"n": 1}})
    assert reason_text(missing_param) == missing_param  # a bad param never breaks the page
    assert reason_text("") == "" and reason_text(None) == ""
    assert all({"en", "zh_CN"} <= set(texts) for texts in REASONS.values())


def test_item_titles_come_from_the_scorecard() -> None:
    assert item_title("etiquette", "self_intro") == "开场问候、自报公司名称和工号"
    assert item_title("etiquette", "self_intro", "en") == "self_intro"
    assert item_title("etiquette", "no_such_item") == "no_such_item"
    assert item_title("../etc/passwd", "self_intro") == "self_intro"


def test_new_reasons_read_in_chinese_and_wrappers_render_what_they_wrap() -> None:
    unclear = (
        "agent speech unclear (mean word confidence 0.55 < 0.62): fail not certain; "
        "missing in the first 15 s: company name (瑞丰燃气)"
    )
    assert reason_text(unclear) == (
        "坐席语音不清晰（平均词置信度0.55 < 0.62），不合格结论不确定："
        "前15秒内缺少：公司名称（瑞丰燃气）"
    )
    assert reason_text(unclear, "en") == unclear
    maybe = "missing in the first 15 s: company name (景曜证券) - the audio may say it (-11.5)"
    assert (
        reason_text(maybe) == "前15秒内缺少：公司名称（景曜证券）——录音中可能说了（声学差值-11.5）"
    )
    unsure = maybe + "; the words there are unclear (0.55)"
    assert reason_text(unsure).endswith("该处转写不清晰（置信度0.55）")
    assert reason_text(unsure).startswith("前15秒内缺少：公司名称（景曜证券）")
    signal = (
        "overall 430 syllables/min by the signal (range 120–360; the transcript is unclear,"
        " word confidence 0.50)"
    )
    assert reason_text(signal).startswith("按声学音节计整体语速430字/分钟")
    assert reason_text("recap by a checking question") == "以确认式提问复述了客户诉求"
    held = (
        "1 of 1 gap(s) over 8 s not announced or not thanked for - but the transcript around"
        " them is uncertain"
    )
    assert reason_text(held).endswith("——但其前后的转写不确定")
    assert reason_text(held, "en") == held


def test_evidence_notes_are_translated_part_by_part() -> None:
    assert note_text("recap; read again", "zh_CN") == "复述确认；重听录音核实"
    assert note_text("recap", "zh_CN") == "复述确认"
    # what is not a known note (heard words, margins) is kept as written
    assert note_text("为说话呀 ≈ 喂说话呀; audio confirms (+0.3)", "zh_CN") == (
        "为说话呀 ≈ 喂说话呀；audio confirms (+0.3)"
    )
    assert note_text("recap; read again", "en") == "recap; read again"
    assert note_text("", "zh_CN") == ""


@pytest.mark.parametrize(
    ("note", "zh"),
    [
        ("checking question restating 20 characters", "确认式提问，复述了 20 个字"),
        (
            "checking question echoing the customer (5 shared pairs)",
            "确认式提问，重复了客户的话（5 处相同）",
        ),
        ("similarity 0.02 (needs 0.1)", "相似度 0.02（需要 0.1）"),
        ("recap; similarity 0.3 (needs 0.1)", "复述确认；相似度 0.3（需要 0.1）"),
    ],
)
def test_notes_with_numbers_are_translated(note: str, zh: str) -> None:
    assert note_text(note, "zh_CN") == zh
    assert note_text(note, "en") == note
