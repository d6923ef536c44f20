"""Murky openings and closes read again (speech.reread, scoring.rereading)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt
import pytest

from callqa.records import CallScore, RuleResult, Span, Transcript, Utterance
from callqa.review.i18n import reason_text
from callqa.scoring.engine import score_call
from callqa.scoring.rereading import (
    RECAP_STRETCHES,
    REREAD_CONFIRM,
    Propose,
    ProposeAt,
    amended,
    pending,
    recap_spans,
    reread_items,
    windows,
)
from callqa.speech.reread import (
    COHORT,
    PROMPT,
    RECAP_PROMPT,
    Reading,
    Retranscribe,
    copies_prompt,
    local_edit,
    plain,
    read_lead_ins,
    reread,
    stretches,
)
from tests.helpers_transcripts import default_card, measures, on_channels, transcript

SIGNAL = np.zeros(16000 * 30, dtype=np.float32)


# -- the local edit ----------------------------------------------------------------------


def test_the_edit_replaces_only_what_brings_the_phrase_in() -> None:
    heard, proposed = "您好会泰银行中号1023", "您好会太银行工号1023"
    h1, h2, p1, p2 = local_edit(heard, proposed, "工号") or (0, 0, 0, 0)
    assert (heard[h1:h2], proposed[p1:p2]) == ("中号", "工号")
    assert heard[:h1] + proposed[p1:p2] + heard[h2:] == "您好会泰银行工号1023"  # 会泰 kept


def test_a_garbled_stretch_is_replaced_whole() -> None:
    heard, proposed = "你好恒成祖车功耗巴巴算很高兴为您服务", "您好彭承祖车工号88算很高兴为您服务"
    h1, h2, p1, p2 = local_edit(heard, proposed, "工号") or (0, 0, 0, 0)
    assert (heard[h1:h2], proposed[p1:p2]) == ("功耗巴巴", "工号88")


@pytest.mark.parametrize(
    ("heard", "proposed", "phrase"),
    [
        ("您好工号1023", "您好工号1023", "工号"),  # heard already
        ("您好中号1023", "您好中号1023", "工号"),  # not proposed
        ("请问还有什么可以帮您", "请问还有什么可以帮您感谢您的来电", "来电"),  # only added
        ("对吗", "请问还有什么可以帮您", "请问"),  # grows far more than it replaces
    ],
)
def test_no_edit(heard: str, proposed: str, phrase: str) -> None:
    assert local_edit(heard, proposed, phrase) is None


def test_plain_keeps_only_spoken_characters() -> None:
    assert plain("您好，工号 1023！OK?") == "您好工号1023OK"


# -- reading again -----------------------------------------------------------------------


class FakeVerifier:
    """Scores the candidate holding `favoured` highest, by `lead`; records what it was asked."""

    def __init__(self, favoured: str, lead: float) -> None:
        self.favoured, self.lead = favoured, lead
        self.asked: list[tuple[str, ...]] = []

    def __call__(
        self,
        signal: npt.NDArray[np.float32],
        *,
        start: float,
        end: float,
        candidates: Sequence[str],
        total: bool = False,
    ) -> tuple[float, ...]:
        assert total
        self.asked.append(tuple(candidates))
        return tuple(-20.0 + (self.lead if self.favoured in c else 0.0) for c in candidates)


def _reader(reading: str) -> tuple[Retranscribe, list[str]]:
    prompts: list[str] = []

    def retranscribe(clip: npt.NDArray[np.float32], prompt: str, limit: int) -> str:
        assert limit > 0
        prompts.append(prompt)
        return reading

    return retranscribe, prompts


def test_a_proposed_phrase_is_weighed_against_ordinary_words() -> None:
    retranscribe, prompts = _reader("您好，会太银行工号1023。")
    verifier = FakeVerifier("工号", 8.0)
    (found,) = reread(
        retranscribe, verifier, SIGNAL, start=1.0, end=4.0, text="您好，会泰银行中号1023。"
    )
    assert prompts == [PROMPT]
    assert (found.phrase, found.heard, found.proposed) == ("工号", "中号", "工号")
    assert found.text == "您好会泰银行工号1023"
    assert found.over_cohort == 8.0
    (asked,) = verifier.asked
    assert asked[0] == found.text
    assert asked[1:] == tuple(f"您好会泰银行{w}1023" for w in COHORT[2])


def test_a_reading_that_loops_on_the_prompt_is_ignored() -> None:
    retranscribe, _ = _reader("请问还有什么可以帮您" * 20)
    verifier = FakeVerifier("请问", 30.0)
    assert reread(retranscribe, verifier, SIGNAL, start=1.0, end=2.0, text="请文") == ()
    assert verifier.asked == []


def test_a_short_or_empty_utterance_is_not_read_again() -> None:
    retranscribe, prompts = _reader("您好")
    verifier = FakeVerifier("您好", 9.0)
    assert reread(retranscribe, verifier, SIGNAL, start=1.0, end=1.1, text="你") == ()
    assert reread(retranscribe, verifier, SIGNAL, start=1.0, end=3.0, text="，。") == ()
    assert prompts == []


# -- amending and re-judging ---------------------------------------------------------------


def _reading(heard: str, proposed: str, at: int, over: float, phrase: str = "工号") -> Reading:
    return Reading(phrase, heard, proposed, "", at, over)


def test_amended_makes_each_edit_once_and_drops_word_times() -> None:
    utt = Utterance(0.0, 3.0, "left", "agent", "感谢您的来点，再见。", confidence=0.5)
    fixed = amended(utt, [_reading("点", "电", 5, 9.0, "来电"), _reading("来点", "来电", 4, 7.0)])
    assert fixed.text == "感谢您的来电再见"
    assert fixed.words == ()
    assert (fixed.start, fixed.end, fixed.confidence) == (0.0, 3.0, 0.5)


MURKY = [  # the agent's words at probability 0.5: murky, not barely intelligible
    ("agent", 0.5, 5.0, "你好，会泰银行，中号，请问有什么可以帮您？"),
    ("customer", 5.5, 9.0, "你好，我的银行卡被吞了。"),
    ("agent", 9.5, 14.0, "好的，请您带上身份证去网点领取。"),
    ("customer", 14.5, 16.0, "好的，没有了，谢谢。"),
    ("agent", 16.5, 20.0, "请问还有什么可以帮您？感谢您的来电，再见。"),
]


def _murky() -> tuple[Transcript, CallScore]:
    t = transcript(MURKY, prob=0.5)
    t = replace(
        t,
        utterances=tuple(
            replace(u, confidence=0.95, words=tuple(replace(w, probability=0.95) for w in u.words))
            if u.role == "customer"
            else u
            for u in t.utterances
        ),
    )
    return t, score_call(default_card(), t, measures(t), company="会泰银行")


def _rescore(t: Transcript) -> CallScore:
    return score_call(default_card(), t, measures(t), company="会泰银行")


def _intro(score: CallScore) -> RuleResult:
    return next(r for r in score.rules if r.id == "self_intro")


def test_a_murky_opening_without_the_agent_id_is_pending() -> None:
    t, score = _murky()
    intro = _intro(score)
    assert intro.status == "review" and "fail not certain" in intro.message
    # the reply to the request has no recap either: murky, so that is pending too
    assert pending(score, default_card()) == {"self_intro": "self_intro", "recap": "recap"}
    opening = windows(t, default_card(), ["self_intro"])
    assert [u.start for u in opening] == [0.5, 9.5]  # within 15 s of the first words


def _propose(over: float) -> tuple[Propose, list[Utterance]]:
    asked: list[Utterance] = []

    def propose(utt: Utterance) -> tuple[Reading, ...]:
        asked.append(utt)
        if "中号" not in utt.text:
            return ()
        at = plain(utt.text).index("中号")
        return (_reading("中号", "工号", at, over),)

    return propose, asked


def test_a_confirmed_reading_passes_the_item() -> None:
    t, score = _murky()
    propose, asked = _propose(8.4)
    after = reread_items(score, t, default_card(), propose, _rescore)
    intro = _intro(after)
    assert intro.status == "pass"
    assert intro.message == (
        "greeting, company name and self-identification"
        " (read again, the audio confirms over ordinary words: 中号 ≈ 工号 (+8.4))"
    )
    assert (
        reason_text(intro.message)
        == "有问候、公司名称和自我介绍（重听录音核实，较普通词语更吻合：中号 ≈ 工号 (+8.4)）"
    )
    assert all("read again" in ev.note for ev in intro.evidence)
    assert [u.start for u in asked] == [0.5, 9.5]
    others = {r.id: r for r in score.rules if r.id != "self_intro"}
    assert {r.id: r for r in after.rules if r.id != "self_intro"} == others
    assert after.score >= score.score


def test_a_thin_reading_changes_nothing() -> None:
    t, score = _murky()
    propose, _ = _propose(REREAD_CONFIRM - 0.1)
    assert reread_items(score, t, default_card(), propose, _rescore) is score


def test_rereading_never_fails_an_item() -> None:
    t, score = _murky()
    propose, _ = _propose(REREAD_CONFIRM + 1)

    def failing(amended_t: Transcript) -> CallScore:
        again = _rescore(amended_t)
        return replace(
            again,
            rules=tuple(
                replace(r, status="fail") if r.id == "self_intro" else r for r in again.rules
            ),
        )

    assert reread_items(score, t, default_card(), propose, failing) is score


def test_barely_intelligible_speech_is_not_read_again() -> None:
    t = transcript(MURKY, prob=0.2)
    score = score_call(default_card(), t, measures(t), company="会泰银行")
    propose, asked = _propose(50.0)
    assert reread_items(score, t, default_card(), propose, _rescore) is score
    assert asked == []


# -- a recap in a reply the transcript lost ------------------------------------------------


def test_a_lead_in_is_weighed_against_ordinary_words_in_its_reading() -> None:
    retranscribe, prompts = _reader("您是说要把宽大草移开厂称，是吗？")
    verifier = FakeVerifier("您是说", 14.8)
    (found,) = read_lead_ins(retranscribe, verifier, SIGNAL, start=10.9, end=15.5)
    assert prompts == [RECAP_PROMPT]
    assert (found.phrase, found.heard, found.proposed) == ("您是说", "", "您是说")
    assert found.text == "您是说要把宽大草移开厂称是吗"
    assert found.over_cohort == 14.8
    (asked,) = verifier.asked
    assert asked[1:] == tuple(f"{w}要把宽大草移开厂称是吗" for w in COHORT[3])


@pytest.mark.parametrize(
    "reading",
    [
        "您确认一下您说您想办理这个业务对吗对吗",  # copies the prompt beyond the lead-in
        "您是说" + "对吗" * 40,  # far more than the stretch can hold: a loop
        "好的，五百兆每月一百二十元。",  # no lead-in
    ],
)
def test_no_lead_in(reading: str) -> None:
    retranscribe, _ = _reader(reading)
    verifier = FakeVerifier("确认一下", 30.0)
    assert read_lead_ins(retranscribe, verifier, SIGNAL, start=10.0, end=14.0) == ()
    assert verifier.asked == []


def test_a_lead_in_said_in_its_own_words_is_not_a_copy() -> None:
    reading = "跟您确认一下您要预订下个月七座车对吗"
    i = reading.index("确认一下")
    assert not copies_prompt(reading, i, i + 4, RECAP_PROMPT)
    reading = "您确认一下您说您想办理这个业务对吗"
    i = reading.index("确认一下")
    assert copies_prompt(reading, i, i + 4, RECAP_PROMPT)


def test_stretches_join_short_pauses() -> None:
    assert stretches([(5.0, 6.0), (0.0, 2.0), (2.2, 4.0), (7.0, 7.2)]) == [(0.0, 4.0), (5.0, 6.0)]


MURKY_LOST_REPLY = [  # the recap reply (9.5-14.0) is missing from the transcript
    ("agent", 0.5, 5.0, "你好，会泰银行，工号1023，请问有什么可以帮您？"),
    ("customer", 5.5, 9.0, "你好，我的银行卡昨天被取款机吞了。"),
    ("customer", 14.5, 16.0, "对，没有了，谢谢。"),
    ("agent", 16.5, 20.0, "请问还有什么可以帮您？感谢您的来电，再见。"),
]
AGENT_SPEECH = (Span(0.5, 5.0), Span(9.5, 14.0), Span(16.5, 20.0))


def _lost_reply() -> tuple[Transcript, CallScore]:
    t = transcript(MURKY_LOST_REPLY, prob=0.5)
    t = on_channels(t, AGENT_SPEECH, (Span(5.5, 9.0), Span(14.5, 16.0)), 20.5)
    return t, _rescore(t)


def _recap(score: CallScore) -> RuleResult:
    return next(r for r in score.rules if r.id == "recap")


def _lead_ins(over: float) -> tuple[list[Span], ProposeAt]:
    asked: list[Span] = []

    def lead_ins(span: Span) -> tuple[Reading, ...]:
        asked.append(span)
        if span != Span(9.5, 14.0):
            return ()
        return (Reading("您是说", "", "您是说", "您是说您的银行卡被吞了对吗", 0, over),)

    return asked, lead_ins


def test_a_recap_the_transcript_lost_is_looked_for_after_the_request() -> None:
    t, score = _lost_reply()
    assert _recap(score).status == "review"
    assert recap_spans(score, t, "recap") == [Span(9.5, 14.0), Span(16.5, 20.0)]
    asked, lead_ins = _lead_ins(14.8)
    propose, _ = _propose(9.0)
    out = reread_items(score, t, default_card(), propose, _rescore, lead_ins)
    recap = _recap(out)
    assert asked == [Span(9.5, 14.0)]  # found in the first stretch: no more asked
    assert recap.status == "pass"
    assert recap.message.endswith(
        "(read again, the audio confirms over ordinary words: 您是说 (+14.8))"
    )
    (ev,) = recap.evidence
    assert (ev.start, ev.text) == (9.5, "您是说") and ev.end < 14.0  # located in the reading
    assert "read again" in ev.note
    assert "重听录音核实" in reason_text(recap.message, "zh_CN")
    # nothing else was judged on the new reading
    others = [(r.id, r.status) for r in out.rules if r.id != "recap"]
    assert others == [(r.id, r.status) for r in score.rules if r.id != "recap"]


def test_a_thin_lead_in_leaves_the_recap_in_review() -> None:
    t, score = _lost_reply()
    asked, lead_ins = _lead_ins(REREAD_CONFIRM - 0.1)
    propose, _ = _propose(9.0)
    out = reread_items(score, t, default_card(), propose, _rescore, lead_ins)
    assert _recap(out) == _recap(score)
    assert len(asked) == 2 <= RECAP_STRETCHES  # every stretch after the request was read


def test_other_items_are_not_judged_on_a_lead_in_reading() -> None:
    curt = [  # no courtesy term anywhere: politeness is left to review in murky speech
        ("agent", 0.5, 5.0, "会泰银行，工号1023，有什么事？"),
        *MURKY_LOST_REPLY[1:3],
        ("agent", 16.5, 20.0, "还有别的事吗？没有就这样。"),
    ]
    t, _ = _lost_reply()
    t = replace(t, utterances=transcript(curt, prob=0.5).utterances)
    score = _rescore(t)
    polite = next(r for r in score.rules if r.id == "politeness")
    assert polite.status == "review" and "politeness" in pending(score, default_card())

    def lead_ins(span: Span) -> tuple[Reading, ...]:
        text = "您好请您放心您是说您的银行卡被吞了对吗谢谢您"  # courtesy words, unconfirmed
        return (Reading("您是说", "", "您是说", text, 6, 14.8),) if span.start == 9.5 else ()

    propose, _ = _propose(9.0)
    out = reread_items(score, t, default_card(), propose, _rescore, lead_ins)
    assert _recap(out).status == "pass"
    assert next(r for r in out.rules if r.id == "politeness") == polite
