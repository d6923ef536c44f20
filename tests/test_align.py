"""callqa.speech.align: words → speakers → utterances, stereo and mono."""

from __future__ import annotations

import pytest

from callqa.records import Diarization, Segment, Span, Turn, Word
from callqa.speech.align import (
    join_words,
    overlap_spans,
    speaker_of_word,
    utterances_from_channels,
    utterances_from_diarization,
)


def words(start: float, text: str, *, step: float = 0.25, prob: float = 0.9) -> tuple[Word, ...]:
    """One word per character, `step` seconds apart, each 0.2 s long."""
    return tuple(
        Word(round(start + i * step, 3), round(start + i * step + 0.2, 3), ch, prob)
        for i, ch in enumerate(text)
    )


def seg(start: float, text: str, **kw: float) -> Segment:
    ws = words(start, text, **kw)
    return Segment(ws[0].start, ws[-1].end, text, ws)


def dia(*turns: tuple[float, float, str]) -> Diarization:
    ts = tuple(Turn(*t) for t in turns)
    return Diarization(ts, tuple(dict.fromkeys(t.speaker for t in ts)))


def test_segment_across_a_speaker_change_is_split_there() -> None:
    # one transcriber segment: 您好请问有什么可以帮您 (agent) + 我想查话费 (customer)
    text = "您好请问有什么可以帮您我想查话费"
    segment = seg(0.0, text)  # words at 0.00, 0.25, ... 3.75
    change = 11 * 0.25  # the 12th character starts the customer
    diarization = dia((0.0, change - 0.02, "spk1"), (change - 0.02, 5.0, "spk2"))
    out = utterances_from_diarization([segment], diarization)
    assert [(u.speaker, u.text) for u in out] == [
        ("spk1", "您好请问有什么可以帮您"),
        ("spk2", "我想查话费"),
    ]
    assert out[0].end <= out[1].start
    assert all(u.role == "unknown" for u in out)
    assert out[1].words[0].text == "我"


def test_word_goes_by_midpoint() -> None:
    turns = (Turn(0.0, 1.0, "a"), Turn(1.0, 2.0, "b"))
    # word 0.85-1.1: midpoint 0.975 lies in a's turn although most of it... is in a's too
    assert speaker_of_word(Word(0.85, 1.1, "x", 1.0), turns) == "a"
    # word 0.95-1.25: midpoint 1.1 lies in b's turn
    assert speaker_of_word(Word(0.95, 1.25, "x", 1.0), turns) == "b"


def test_word_in_an_overlap_goes_to_the_turn_covering_most_of_it() -> None:
    turns = (Turn(0.0, 2.1, "a"), Turn(1.5, 4.0, "b"))
    # midpoint 1.9 is in both turns; a covers 1.8-2.1 of 1.8-2.0 fully, b too: tie → by
    # label; make it unequal: word 1.9-2.3 → a covers 0.2, b covers 0.4
    assert speaker_of_word(Word(1.9, 2.3, "x", 1.0), turns) == "b"
    # word 1.45-1.75 (midpoint 1.6 in both): a covers 0.3, b covers 0.25
    assert speaker_of_word(Word(1.45, 1.75, "x", 1.0), turns) == "a"


def test_word_outside_every_turn_goes_to_the_nearest() -> None:
    turns = (Turn(0.0, 1.0, "a"), Turn(3.0, 4.0, "b"))
    assert speaker_of_word(Word(2.7, 2.9, "x", 1.0), turns) == "b"
    assert speaker_of_word(Word(1.1, 1.2, "x", 1.0), turns) == "a"


def test_overlapping_turns_keep_both_speakers_utterances() -> None:
    agent = seg(0.0, "请您稍等我帮您查一下")  # words 0.00-2.45
    customer = seg(1.6, "好的谢谢")  # words 1.60-2.55, spoken over the agent's last words
    diarization = dia((0.0, 2.5, "spk1"), (1.55, 2.6, "spk2"))
    out = utterances_from_diarization([agent, customer], diarization)
    # inside the overlap both turns cover each word fully: a word stays with its segment's
    # speaker instead of flipping
    assert sorted((u.speaker, u.text) for u in out) == [
        ("spk1", "请您稍等我帮您查一下"),
        ("spk2", "好的谢谢"),
    ]
    assert out[0].end > out[1].start  # the overlap survives into the utterances


def test_confidence_is_the_mean_word_probability() -> None:
    ws = (Word(0.0, 0.2, "好", 0.5), Word(0.3, 0.5, "的", 1.0))
    out = utterances_from_diarization([Segment(0.0, 0.5, "好的", ws)], dia((0.0, 1.0, "s")))
    assert out[0].confidence == pytest.approx(0.75)


def test_segment_without_words_goes_by_overlap() -> None:
    segment = Segment(1.0, 3.0, "没有词时间", ())
    diarization = dia((0.0, 1.5, "spk1"), (1.5, 4.0, "spk2"))
    (u,) = utterances_from_diarization([segment], diarization)
    assert (u.speaker, u.text, u.start, u.end) == ("spk2", "没有词时间", 1.0, 3.0)


def test_long_pause_splits_an_utterance() -> None:
    ws = (*words(0.0, "你好"), *words(3.0, "在吗"))
    out = utterances_from_diarization([Segment(0.0, 3.5, "你好在吗", ws)], dia((0.0, 4.0, "a")))
    assert [u.text for u in out] == ["你好", "在吗"]


def test_empty_diarization_keeps_the_words() -> None:
    out = utterances_from_diarization([seg(0.0, "喂")], Diarization((), ()))
    assert [(u.speaker, u.text) for u in out] == [("spk1", "喂")]


def test_channels_are_speakers_in_time_order() -> None:
    left = [seg(0.0, "您好星河通信"), seg(5.0, "请您稍等")]
    right = [seg(2.0, "你好我想查话费")]
    out = utterances_from_channels({"left": left, "right": right})
    assert [(u.speaker, u.text) for u in out] == [
        ("left", "您好星河通信"),
        ("right", "你好我想查话费"),
        ("left", "请您稍等"),
    ]
    assert [u.start for u in out] == sorted(u.start for u in out)
    assert all(u.role == "unknown" for u in out)


def test_channel_segment_splits_at_pauses_over_a_second() -> None:
    ws = (*words(0.0, "好的"), *words(2.0, "再见"))
    out = utterances_from_channels({"left": [Segment(0.0, 2.5, "好的再见", ws)]})
    assert [u.text for u in out] == ["好的", "再见"]
    ws = (*words(0.0, "好的"), *words(1.0, "再见"))
    out = utterances_from_channels({"left": [Segment(0.0, 1.5, "好的再见", ws)]})
    assert [u.text for u in out] == ["好的再见"]


def test_channel_overlaps_are_exact() -> None:
    out = utterances_from_channels(
        {"left": [seg(0.0, "一二三四五六七八")], "right": [seg(1.0, "等一下")]}
    )
    assert overlap_spans(out) == (Span(1.0, 1.7),)


def test_join_words_spaces_only_between_latin_words() -> None:
    ws = [Word(0, 1, t, 1.0) for t in ("您好", "VIP", "套餐", "is", "ok", "，")]
    assert join_words(ws) == "您好VIP套餐is ok，"


def test_a_courtesy_word_split_at_a_turn_boundary_is_rejoined() -> None:
    """The diarizer gives 请 of 请您稍等 to the customer: the word goes back whole."""
    segment = seg(0.0, "对等了很久请您稍等我看一下")  # 请 at 1.25 s
    diarization = dia((0.0, 1.4, "spk2"), (1.4, 5.0, "spk1"))
    out = utterances_from_diarization([segment], diarization)
    assert [(u.speaker, u.text) for u in out] == [
        ("spk2", "对等了很久"),
        ("spk1", "请您稍等我看一下"),
    ]


def test_a_short_reply_before_the_other_speaker_stays_put() -> None:
    """好 | 的… is no courtesy word: a backchannel keeps its speaker."""
    segment = seg(0.0, "好的我帮您查一下")
    diarization = dia((0.0, 0.15, "spk2"), (0.15, 5.0, "spk1"))
    out = utterances_from_diarization([segment], diarization)
    assert [(u.speaker, u.text) for u in out] == [("spk2", "好"), ("spk1", "的我帮您查一下")]


def test_a_one_character_fragment_goes_to_the_speaker_it_greets_with() -> None:
    """您 | 好，星河通信… (corpus/final f03, customer first): the greeting is the agent's."""
    customer = seg(0.0, "你好我想问一下")
    fragment = seg(2.0, "您")
    agent = seg(2.25, "好星河通信")
    diarization = dia((0.0, 2.2, "spk2"), (2.2, 5.0, "spk1"))
    out = utterances_from_diarization([customer, fragment, agent], diarization)
    assert [(u.speaker, u.text) for u in out] == [
        ("spk2", "你好我想问一下"),
        ("spk1", "您好星河通信"),
    ]


def at_a_turn_edge(fragment: str, rest: str) -> list[tuple[str, str]]:
    """(speaker, text) of a customer's line, then `fragment` just before `rest`, where the
    diarizer gives `fragment` to the customer and `rest` to the agent."""
    customer = seg(0.0, "我想改一下时间")
    head = seg(2.0, fragment)
    edge = 2.0 + 0.25 * (len(fragment) - 1) + 0.2  # the fragment's end
    agent = seg(edge + 0.05, rest)
    diarization = dia((0.0, edge + 0.02, "spk2"), (edge + 0.02, 9.0, "spk1"))
    out = utterances_from_diarization([customer, head, agent], diarization)
    return [(u.speaker, u.text) for u in out]


@pytest.mark.parametrize(
    ("fragment", "rest", "joined"),
    [
        ("您", "的意思是要改到周三对吗", "您的意思是要改到周三对吗"),  # corpus/final f06
        ("实", "在对不起让您久等了", "实在对不起让您久等了"),  # corpus/final f03
        ("你", "下单的时候不看地址的吗", "你下单的时候不看地址的吗"),  # corpus/holdout h07
        ("你是", "说买了不到半年的手机充不进电对吧", "你是说买了不到半年的手机充不进电对吧"),
    ],
)
def test_a_lone_character_before_the_other_speaker_opens_their_turn(
    fragment: str, rest: str, joined: str
) -> None:
    """The diarizer's label stays with the customer a little too long: the agent's first
    character (or the 你是 of 你是说) comes out as the customer's."""
    assert at_a_turn_edge(fragment, rest) == [("spk2", "我想改一下时间"), ("spk1", joined)]


def test_a_lone_answer_word_keeps_its_speaker() -> None:
    """对 | 您稍等…: 对 is a whole answer, the customer's."""
    assert ("spk2", "对") in at_a_turn_edge("对", "您稍等我查一下")
