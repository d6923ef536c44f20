"""Round 15: a forbidden phrase heard by sound must be a mishearing, not other words.

Ordinary speech that sounds like a 禁语 shape (寄什么 ≈ 急什么, 行政大床 ≈ 行政大…,
拷贝过来 ≈ 背锅, 没这个 ≈ 没辙) is not a hit: a match by sound alone spans four syllables
and takes no piece of a longer word; a long phrase whose one wrong syllable is its first or
last is `review`.  The mishearings the corpus has stay hits.  Plus the shapes written for
read probe lines that only a chance sound-alike had found."""

from __future__ import annotations

import pytest

from callqa.scoring.kinds.forbidden_phrases import EDGE_DOUBT
from callqa.speech.textnorm import cuts_word, near_at, prepare
from tests.test_rules_patterns import found_as, said


@pytest.mark.parametrize(
    "agent",
    [
        "请问您要寄什么物品？",  # 寄什么 ≈ 急什么: three syllables
        "您好，我这边没这个订单的记录，麻烦您再核对一下手机号。",  # 没这 ≈ 没辙
        "我帮您把资料拷贝过来。",  # 拷贝|过来 ≈ 背锅
        "您订的是行政大床房，含双早。",
        "房间已经打扫干净的，您放心入住。",  # 干净 ≈ 赶紧
        "这个我没细查，稍等我看一下。",  # 没细 ≈ 没戏
        "您放心，优惠券不会作废，不影响使用。",
        "这款是国内制造的，保修三年。",
        "新的资费政策上个月已经颁布了。",  # 颁布了 ≈ 办不了
        "您的机器还没用上是吗？我帮您安排师傅上门。",  # 机 ≈ 急; 器还 is the wildcard's
    ],
)
def test_ordinary_words_that_sound_like_a_shape_are_not_hits(agent: str) -> None:
    result = said(agent)
    assert result.status == "pass", (agent, result.message)


@pytest.mark.parametrize(
    ("agent", "category"),
    [
        ("为说话呀！", "不耐烦"),  # 为 for 喂, four syllables, a word of its own
        ("你看着办吧，这不规我管。", "推诿"),  # 规 for 归
        ("这个我不之道。", "否定"),  # the wrong syllable inside the phrase
    ],
)
def test_mishearings_stay_hits(agent: str, category: str) -> None:
    found_as(agent, category)


def test_a_long_phrase_wrong_only_at_its_edge_is_review() -> None:
    result = said("您看完不知道怎么操作的话，可以再来电咨询。")
    assert result.status == "review", result.message
    assert all(EDGE_DOUBT in e.note for e in result.evidence)


def test_a_sure_hit_outweighs_a_doubtful_one_on_the_same_words() -> None:
    found_as("明天九点前把车开到店里来，过点儿就不等了，自己看着办。", "搪塞")


def test_cuts_word_sees_a_word_across_either_edge() -> None:
    mt = prepare("我帮您把资料拷贝过来")
    at = mt.chars.index("贝过")
    assert cuts_word(mt, at, at + 2)  # 拷贝 runs across the start
    whole = mt.chars.index("拷贝过来")
    assert not cuts_word(mt, whole, whole + 4)


def test_near_at_names_the_syllables_tolerance_allowed() -> None:
    assert near_at("完不知道", "我不知道", 0) == (0,)
    assert near_at("我不知道", "我不知道", 0) == ()
    assert near_at("为说话呀", "喂说话呀", 0) == ()  # a shared reading is not "near"


@pytest.mark.parametrize(
    ("agent", "category"),
    [
        ("照我说的做就行，别问那么多为什么。", "命令"),
        ("垃圾今天清走，别让我再说第二遍。", "命令"),
        ("您跟我这儿墨迹啥呢。", "不耐烦"),
        ("知道知道，然后呢？", "不耐烦"),
        ("那您自己看着办吧。", "推诿"),
        ("您短信看过没有啊？", "质问"),
        ("这个只能算您头上。", "推卸"),
        ("没抢到是你自己手慢。", "推卸"),
        ("这个我们帮不了你。", "否定"),
    ],
)
def test_round_fifteen_shapes(agent: str, category: str) -> None:
    found_as(agent, category)


@pytest.mark.parametrize(
    "agent",
    [
        "您按照我说的步骤做就可以了。",
        "您不用着急，我们会尽快处理。",
        "如果是您自己操作的，可以在订单页面撤销。",
        "您自己看着办理就好，流程很简单。",
        "您短信看过了吗？我再给您发一遍。",
        "您往下滚一下页面就能看到提交按钮。",
        "您可以看一下说明书，上面都有详细的步骤。",
        "您的手机号码打错了一位，我帮您改一下。",
        "麻烦您一个字一个字地核对一下地址。",
        "骑手马上就送过来，您稍等。",
        # corpus/probes/proper_a's two lines the rules still flagged, in my own words
        "这是您第二次来电问这件事了，我会把工单升级，督促尽快处理。",
        "开票信息可以现在告诉我，也可以把抬头和税号发给我们的邮箱。",
    ],
)
def test_round_fifteen_shapes_leave_proper_speech_alone(agent: str) -> None:
    result = said(agent)
    assert result.status == "pass", (agent, result.message)
