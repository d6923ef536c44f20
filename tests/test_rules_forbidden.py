"""forbidden_phrases: table of passing and failing utterances, context exceptions, evidence."""

from __future__ import annotations

import pytest

from tests.helpers_transcripts import judge

GREETING = ("agent", 0.0, 4.0, "您好，星河通信，工号1023，请问有什么可以帮您？")
ASK = ("customer", 4.5, 8.0, "你好，我想办理一个业务。")


def _agent(text: str, **opts: object) -> list[tuple[object, ...]]:
    turn: tuple[object, ...] = ("agent", 8.5, 8.5 + 0.25 * len(text), text)
    return [GREETING, ASK, (*turn, opts) if opts else turn]


@pytest.mark.parametrize(
    ("text", "status", "hits"),
    [
        ("喂，说话呀！", "fail", ["喂，说话呀"]),
        ("喂？", "fail", ["喂"]),
        ("喂喂，听得到吗？", "fail", ["喂喂"]),
        ("我不能帮你办这个。", "fail", ["我不能"]),
        ("我不会弄这个，你去问厂家吧。", "fail", ["我不会", "你去问厂家"]),
        ("这不归我管，你去营业厅办。", "fail", ["不归我管"]),
        ("你听懂了吗？", "fail", ["你听懂了吗"]),
        ("我是新手，不太清楚。", "fail", ["我是新手"]),
        ("这个我做不了。", "fail", ["我做不了"]),
        ("这不关我的事。", "fail", ["不关我的事"]),
        ("我也没有办法，刚才线路忙啊！", "fail", ["我也没有办法"]),
        ("没事了吧，您挂电话吧。", "fail", ["挂电话吧"]),
        ("很抱歉。我不能帮你办。", "fail", ["我不能"]),  # apology in an earlier sentence
        ("我不能幫你辦這個。", "fail", ["我不能"]),  # traditional characters
        # -- no hit ----------------------------------------------------------------
        ("很抱歉，恐怕我不能帮助您。", "pass", []),  # seed 004's trained refusal
        ("对不起，这超出我们的服务范围，恐怕我不能帮助您。", "pass", []),
        ("很抱歉，恐怕我不能幫助您。", "pass", []),
        ("猫粮的喂养量请看包装。", "pass", []),  # 喂养 is another word
        ("很高兴为您服务，请问是哪位？", "pass", []),  # 为/位: homophones of 喂
        ("您的套餐还未开通，我为您办理。", "pass", []),  # 未
        ("您放心，我不会忘记的。", "pass", []),  # 我不会 inside an unless_in phrase
        ("我不会让您白跑一趟。", "pass", []),
        ("请问我刚才的解释是否清楚？", "pass", []),
    ],
)
def test_agent_phrases(text: str, status: str, hits: list[str]) -> None:
    result = judge("forbidden_phrases", _agent(text))
    assert result.status == status, result.message
    assert [e.text for e in result.evidence] == hits
    assert result.points == (-20.0 if status == "fail" else 0.0)


@pytest.mark.parametrize(
    "text", ["喂，你好，是星河通信吗？", "我不能正常上网了。", "这不归我管吗？"]
)
def test_customer_saying_it_is_no_hit(text: str) -> None:
    turns = [("customer", 0.0, 3.0, text), ("agent", 3.5, 7.0, "您好，星河通信，工号1023。")]
    assert judge("forbidden_phrases", turns).status == "pass"


def test_hit_is_located_by_word_timestamps() -> None:
    text = "您好请问有什么可以帮您我不能帮你"
    turns = [("agent", 10.0, 10.0 + 0.5 * len(text), text)]
    result = judge("forbidden_phrases", turns)
    (ev,) = result.evidence
    start = text.index("我不能")
    assert ev.start == pytest.approx(10.0 + 0.5 * start)
    assert ev.end == pytest.approx(10.0 + 0.5 * (start + 3))
    assert ev.speaker == "agent" and ev.confidence == pytest.approx(0.95)


def test_hit_without_words_is_placed_by_position() -> None:
    text = "好的我不能帮你"
    result = judge("forbidden_phrases", [("agent", 0.0, 7.0, text)], words=False)
    (ev,) = result.evidence
    assert (ev.start, ev.end) == pytest.approx((2.0, 5.0))


def test_low_confidence_hit_is_review() -> None:
    result = judge("forbidden_phrases", _agent("我不能帮你办这个。", prob=0.3))
    assert result.status == "review"
    assert result.points == 0.0
    assert "low confidence" in result.evidence[0].note


def test_sure_hit_beats_doubtful_one() -> None:
    turns = [*_agent("我不能帮你办这个。", prob=0.3), ("agent", 20.0, 22.0, "这不归我管。")]
    result = judge("forbidden_phrases", turns)
    assert result.status == "fail"
    assert [e.text for e in result.evidence] == ["我不能", "不归我管"]


def test_hit_in_overlapping_speech_on_mono_is_review() -> None:
    turns = [
        ("customer", 0.0, 4.0, "你好，我想问一下我的话费。"),
        ("agent", 3.0, 5.0, "喂，说话呀！"),
    ]
    assert judge("forbidden_phrases", turns, stereo=False).status == "review"
    # On stereo each channel is one speaker: an overlap does not blur who said it.
    assert judge("forbidden_phrases", turns, stereo=True).status == "fail"


def test_apology_carries_over_an_unfinished_sentence() -> None:
    said = [("agent", 0.0, 1.5, "非常抱歉，"), ("agent", 1.8, 4.0, "恐怕我不能帮助您。")]
    assert judge("forbidden_phrases", said).status == "pass"
    ended = [("agent", 0.0, 1.5, "非常抱歉。"), ("agent", 1.8, 4.0, "我不能帮助您。")]
    assert judge("forbidden_phrases", ended).status == "fail"
    later = [("agent", 0.0, 1.5, "非常抱歉，"), ("agent", 6.0, 8.0, "我不能帮助您。")]
    assert judge("forbidden_phrases", later).status == "fail"


def test_no_agent_speech_is_na() -> None:
    assert judge("forbidden_phrases", [("customer", 0.0, 2.0, "喂？")]).status == "na"
