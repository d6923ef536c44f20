"""self_intro, politeness, recap and closing on hand-made transcripts."""

from __future__ import annotations

import pytest

from tests.helpers_transcripts import check_with, judge

CUSTOMER_ASK = ("customer", 8.0, 14.0, "你好，我家的宽带从昨天开始就特别慢，我不能正常上网了。")


# -- self_intro --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "status", "missing"),
    [
        ("您好，星河通信，工号1023，很高兴为您服务。", "pass", []),
        ("您好，这里是星河通信，我是客服代表小王。", "pass", []),
        ("你好，星河通讯，工号2048。", "pass", []),  # an alias of the company
        ("您好，行河通信，工号1023。", "pass", []),  # homophone slip (same pinyin)
        ("您好，心何通信，工号1023。", "pass", []),  # nasal slip (fuzzy pinyin)
        ("您好，我是客服小王。", "fail", ["company name"]),
        ("星河通信，工号1023。", "fail", ["greeting"]),
        ("您好，星河通信。", "fail", ["self-identification"]),
        ("喂，说话呀！", "fail", ["greeting", "company name", "self-identification"]),
    ],
)
def test_self_intro(opening: str, status: str, missing: list[str]) -> None:
    result = judge("self_intro", [("agent", 0.5, 6.0, opening), CUSTOMER_ASK])
    assert result.status == status, result.message
    for part in missing:
        assert part in result.message
    if status == "pass":
        assert {e.note.split(":")[0] for e in result.evidence} >= {
            "greeting",
            "self-identification",
        }


def test_self_intro_homophone_is_noted() -> None:
    result = judge("self_intro", [("agent", 0.5, 6.0, "您好，行河通信，工号1023。")])
    company = next(e for e in result.evidence if e.note.startswith("company"))
    assert company.text == "行河通信" and "≈ 星河通信" in company.note


def test_self_intro_exact_matching_refuses_a_slip() -> None:
    turns = [("agent", 0.5, 6.0, "您好，行河通信，工号1023。")]
    assert check_with("self_intro", turns, params={"company_match": "exact"}).status == "fail"
    assert check_with("self_intro", turns, params={"company_match": "pinyin"}).status == "pass"


def test_self_intro_window_starts_at_the_agents_first_words() -> None:
    customer_first = [
        ("customer", 0.0, 4.0, "喂，你好，是星河通信吗？"),
        ("agent", 20.0, 27.0, "您好，这里是星河通信，工号3310。"),
    ]
    assert judge("self_intro", customer_first).status == "pass"
    too_late = [
        ("agent", 0.0, 2.0, "您好。"),
        ("customer", 2.5, 5.0, "你好。"),
        ("agent", 20.0, 24.0, "这里是星河通信，工号3310。"),
    ]
    result = judge("self_intro", too_late)
    assert result.status == "fail" and "company name" in result.message


def test_self_intro_review_when_opening_is_uncertain_and_na_without_agent() -> None:
    unsure = [("agent", 0.5, 6.0, "您好，心和通信，公号1023。", {"prob": 0.2})]
    assert check_with("self_intro", unsure, params={"company_match": "exact"}).status == "review"
    assert judge("self_intro", [CUSTOMER_ASK]).status == "na"


# -- politeness ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "status"),
    [
        (["您好，请问有什么可以帮您？", "非常抱歉。", "谢谢您，再见！"], "pass"),
        (["您好，请问有什么可以帮您？", "感谢您的来电，再见！"], "pass"),  # 4 terms
        (["您好，请问有什么可以帮您？"], "pass"),  # 请 and one more term (min_distinct 2)
        (["请问有什么可以帮您？"], "fail"),  # only 请
        (["您好，谢谢，再见。"], "fail"),  # 请 is required
        (["您好，您的申请已提交，谢谢，再见。"], "fail"),  # 申请 is not 请
        (["换什么套餐？你说清楚一点。"], "fail"),  # 清 is not 请
    ],
)
def test_politeness(lines: list[str], status: str) -> None:
    turns = [("agent", 10.0 * i, 10.0 * i + 4.0, text) for i, text in enumerate(lines)]
    result = judge("politeness", turns)
    assert result.status == status, result.message


def test_politeness_evidence_names_each_term() -> None:
    result = judge("politeness", [("agent", 0.0, 5.0, "您好，请稍等，对不起，谢谢，再见。")])
    assert [e.note for e in result.evidence] == ["您好", "请", "对不起", "谢谢", "再见"]


# -- recap ------------------------------------------------------------------------------


def _call(
    reply: str, *, after: str = "好的，请问您的账号是这个号码吗？"
) -> list[tuple[object, ...]]:
    return [
        ("agent", 0.5, 6.0, "您好，星河通信，工号1023。"),
        CUSTOMER_ASK,
        ("agent", 14.5, 18.0, after),
        ("customer", 18.5, 19.5, "是的。"),
        ("agent", 20.0, 26.0, reply),
        ("customer", 26.5, 27.5, "对。"),
        ("agent", 28.0, 40.0, "好的，我帮您处理。感谢您的来电，再见！"),
    ]


@pytest.mark.parametrize(
    ("reply", "status", "how"),
    [
        ("跟您确认一下，您是说家里的宽带网速很慢，对吗？", "pass", "phrase"),
        ("您的意思是上不了网，对吗？", "pass", "phrase"),
        ("你是问宽带为什么这么慢？", "pass", "phrase"),  # 你 = 您; 是问 restates the question
        ("请问我刚才的解释是否清楚？", "pass", "phrase"),
        ("您家里的宽带从昨天开始就特别慢，是吧？", "pass", "checking question"),
        ("您家里的宽带从昨天开始就特别慢。", "pass", "similarity"),
        ("好的，我看一下系统记录。", "fail", "similarity"),
    ],
)
def test_recap(reply: str, status: str, how: str) -> None:
    result = judge("recap", _call(reply))
    assert result.status == status, result.message
    assert how in result.message or (how == "similarity" and "similarity" in result.message)
    if how == "similarity":
        request, answer = result.evidence
        assert request.speaker == "customer" and request.note == "request"
        assert answer.speaker == "agent" and answer.note.startswith("similarity")


def test_recap_similarity_looks_at_the_next_replies_only() -> None:
    far = [
        *_call("好的，我看一下。"),
        ("agent", 41.0, 45.0, "您家里的宽带从昨天开始就特别慢。"),
    ]
    assert judge("recap", far).status == "fail"


def test_recap_na_for_a_short_call_or_no_request() -> None:
    short = [
        ("agent", 0.0, 3.0, "您好。"),
        ("customer", 3.5, 9.0, "你好，我想查一下我的话费余额。"),
    ]
    assert judge("recap", short).status == "na"
    no_request = [("agent", 0.0, 10.0, "您好，星河通信。"), ("customer", 11.0, 30.0, "嗯，好的。")]
    assert judge("recap", no_request).status == "na"


# -- closing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "status", "missing"),
    [
        (["请问还有什么可以帮您？", "感谢您的来电，再见！"], "pass", ""),
        (["请问还有其他问题吗？", "好的，再见。"], "pass", ""),
        (["感谢您的来电，再见！"], "fail", "offer"),
        (["请问还有什么可以帮您？", "好的。"], "fail", "farewell"),
        (["应该今天晚上就好了。"], "fail", "offer"),
    ],
)
def test_closing(end: list[str], status: str, missing: str) -> None:
    turns = [("agent", 0.0, 5.0, "您好，星河通信。"), ("customer", 6.0, 30.0, "我想查话费。")]
    turns += [("agent", 40.0 + 5 * i, 43.0 + 5 * i, text) for i, text in enumerate(end)]
    result = judge("closing", turns)
    assert result.status == status, result.message
    assert missing in result.message


def test_closing_only_counts_the_last_seconds() -> None:
    turns = [
        ("agent", 0.0, 4.0, "请问还有什么可以帮您？"),
        ("customer", 5.0, 50.0, "我想查话费。"),
        ("agent", 51.0, 54.0, "感谢您的来电，再见！"),
    ]
    result = judge("closing", turns)
    assert result.status == "fail" and "offer" in result.message
