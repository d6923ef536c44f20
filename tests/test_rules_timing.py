"""speaking_rate, volume, silence and interruption on hand-made timelines."""

from __future__ import annotations

import pytest

from tests.helpers_transcripts import judge

FILLER = "我们这边已经为您查到了相关的账户信息请您放心"  # 22 characters


def text_of(n: int) -> str:
    return (FILLER * (n // len(FILLER) + 1))[:n]


def rated(cpm: float, seconds: float, start: float) -> tuple[object, ...]:
    """An agent utterance spoken at `cpm` characters per minute."""
    return ("agent", start, start + seconds, text_of(round(cpm * seconds / 60)))


# -- speaking_rate -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rates", "status", "words"),
    [
        ([200, 220, 210], "pass", "overall"),
        ([380, 400, 390], "fail", "overall"),  # far too fast throughout
        ([90, 100, 95], "fail", "overall"),  # too slow
        ([120, 120, 120], "pass", "overall"),  # the edge of the range counts as inside
        ([270, 265, 262], "pass", "overall"),  # a normal agent the old 260 ceiling failed
        ([350, 355, 345], "pass", "overall"),  # newsreader pace still passes
    ],
)
def test_speaking_rate(rates: list[float], status: str, words: str) -> None:
    turns = [rated(cpm, 8.0, 10.0 * i) for i, cpm in enumerate(rates)]
    result = judge("speaking_rate", turns)
    assert result.status == status, result.message
    assert words in result.message


def test_speaking_rate_sustained_fast_stretch_fails_a_fine_average() -> None:
    turns = [rated(170, 8.0, 10.0 * i) for i in range(6)]
    turns += [rated(400, 8.0, 60.0 + 10.0 * i) for i in range(3)]  # 24 s at 400
    result = judge("speaking_rate", turns)
    assert result.status == "fail"
    assert "sustained" in result.message
    assert result.evidence[0].start >= 60.0 and "字/分钟" in result.evidence[0].note


def test_speaking_rate_evidence_shows_fastest_utterances_and_na_when_little_speech() -> None:
    turns = [rated(200, 6.0, 0.0), rated(250, 6.0, 10.0), rated(180, 6.0, 20.0)]
    result = judge("speaking_rate", turns)
    assert result.status == "pass" and len(result.evidence) == 3
    assert judge("speaking_rate", [rated(200, 3.0, 0.0)]).status == "na"


# -- volume --------------------------------------------------------------------------------


def _talk(agent: list[float | None], customer: float | None = -20.0) -> list[tuple[object, ...]]:
    turns: list[tuple[object, ...]] = [
        ("agent", 10.0 * i, 10.0 * i + 3.0, "您好请问有什么可以帮您", {"loudness": level})
        for i, level in enumerate(agent)
    ]
    turns.append(("customer", 200.0, 204.0, "你好我想查话费", {"loudness": customer}))
    return turns


@pytest.mark.parametrize(
    ("agent", "customer", "status", "note"),
    [
        ([-20.0, -21.0, -19.0], -20.0, "pass", ""),
        ([-30.0] * 11 + [-10.0], -22.0, "fail", "shouting"),
        ([-20.0, -21.0, -1.0], -20.0, "fail", "loudest"),  # level far above the range
        ([-50.0, -52.0, -51.0], -48.0, "fail", "quietest"),  # far below it
        ([-36.0, -35.0, -37.0], -20.0, "fail", "quietest"),  # far below the customer
        ([None, None, None], -20.0, "na", ""),
    ],
)
def test_volume(agent: list[float | None], customer: float, status: str, note: str) -> None:
    result = judge("volume", _talk(agent, customer))
    assert result.status == status, result.message
    assert any(note in e.note for e in result.evidence) or not note


# -- silence -----------------------------------------------------------------------------


def _hold(before: str, after: str, gap: float, *, who: str = "agent") -> list[tuple[object, ...]]:
    return [
        ("agent", 0.0, 4.0, "您好，星河通信，工号1023。"),
        ("customer", 4.5, 8.0, "我想查一下话费。"),
        (who, 8.5, 10.5, before),
        ("agent", 10.5 + gap, 14.0 + gap, after),
        ("customer", 14.5 + gap, 16.0 + gap, "好的。"),
    ]


@pytest.mark.parametrize(
    ("before", "after", "gap", "status"),
    [
        ("好的。", "您的话费是八十元。", 3.0, "pass"),  # no long gap at all
        ("好的。", "您的话费是八十元。", 10.0, "fail"),  # unannounced
        ("请您稍等，我帮您查一下。", "让您久等了，您的话费是八十元。", 10.0, "pass"),
        ("请稍等。", "感谢您的耐心等待。", 30.0, "pass"),
        ("请您稍等，我帮您查一下。", "您的话费是八十元。", 10.0, "fail"),  # no thanks after
    ],
)
def test_silence(before: str, after: str, gap: float, status: str) -> None:
    result = judge("silence", _hold(before, after, gap))
    assert result.status == status, result.message
    if status == "fail" and "稍等" not in before:
        (ev,) = result.evidence
        assert ev.speaker == "unknown" and ev.end - ev.start == pytest.approx(gap)


def test_silence_announcement_by_the_customer_does_not_count() -> None:
    turns = _hold("请稍等，我找一下账单。", "让您久等了。", 10.0, who="customer")
    assert judge("silence", turns).status == "fail"


def test_silence_announcement_must_be_just_before() -> None:
    turns = [
        ("agent", 0.0, 3.0, "请您稍等。"),
        ("customer", 3.5, 25.0, "好的，我是想问一下这个月的话费为什么这么高。"),
        ("agent", 35.0, 38.0, "让您久等了。"),
    ]
    assert judge("silence", turns).status == "fail"


# -- interruption ------------------------------------------------------------------------


def _overlaps(*cuts: tuple[float, str]) -> list[tuple[object, ...]]:
    """Customer turns of 10 s; the agent starts `cut` seconds before each one ends."""
    turns: list[tuple[object, ...]] = [("agent", 0.0, 3.0, "您好，星河通信。")]
    t = 4.0
    for cut, text in cuts:
        turns.append(("customer", t, t + 10.0, "我想问一下这个月的话费为什么这么高。"))
        turns.append(("agent", t + 10.0 - cut, t + 13.0, text))
        t += 15.0
    return turns


@pytest.mark.parametrize(
    ("cuts", "status", "counted"),
    [
        ([(-1.0, "好的，我帮您看一下。")], "pass", 0),  # the agent waits its turn
        ([(2.0, "我不会弄这个。")], "fail", 1),  # one real interruption fails
        ([(2.0, "我不会弄这个。"), (2.0, "好的好的，请您重启一下。")], "fail", 2),
        ([(0.3, "好的。"), (0.4, "您说。")], "pass", 0),  # short overlaps
        ([(1.5, "嗯。"), (1.5, "好的。"), (1.5, "对对。")], "pass", 0),  # back-channels
    ],
)
def test_interruption(cuts: list[tuple[float, str]], status: str, counted: int) -> None:
    result = judge("interruption", _overlaps(*cuts))
    assert result.status == status, result.message
    assert len(result.evidence) == counted
    for ev in result.evidence:
        assert ev.speaker == "agent" and ev.end - ev.start == pytest.approx(2.0)


def test_customer_talking_over_the_agent_is_not_an_interruption() -> None:
    turns = [
        ("agent", 0.0, 10.0, "您好，这里是星河通信，请问有什么可以帮您？"),
        ("customer", 8.0, 12.0, "我要查话费。"),
        ("agent", 12.5, 20.0, "好的，请稍等。"),
        ("customer", 18.0, 22.0, "快一点。"),
    ]
    assert judge("interruption", turns).status == "pass"
    assert judge("interruption", [("agent", 0.0, 3.0, "您好。")]).status == "na"


def test_speaking_rate_of_a_curt_agent_rates_short_turns() -> None:
    turns = [rated(250, 2.5, 10.0 * i) for i in range(3)]  # no turn of 3 s, 7.5 s in all
    result = judge("speaking_rate", turns)
    assert result.status == "pass" and "overall 240" in result.message  # 10 chars in 2.5 s
    assert judge("speaking_rate", [rated(250, 2.5, 0.0)]).status == "na"
