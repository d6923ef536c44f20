"""callqa.speech.roles: who is the agent, from what each speaker says."""

from __future__ import annotations

import pytest

from callqa.records import RoleAssignment, Utterance
from callqa.speech.roles import apply_roles, assign_roles, company_variants, find_company

COMPANY = ["星河通信"]


def utt(start: float, speaker: str, text: str) -> Utterance:
    return Utterance(start, start + 2.0, speaker, "unknown", text)


AGENT_LINES = [
    "您好，星河通信，工号1023，很高兴为您服务，请问有什么可以帮您？",
    "请您稍等，我帮您查一下。",
    "感谢您的来电，再见！",
]
CUSTOMER_LINES = ["你好，我想查一下话费。", "好的，谢谢。"]


def call(agent: str, customer: str, *, customer_first: bool = False) -> list[Utterance]:
    a = [utt(10.0 * i + (5 if customer_first else 0), agent, t) for i, t in enumerate(AGENT_LINES)]
    c = [
        utt(10.0 * i + (0 if customer_first else 5), customer, t)
        for i, t in enumerate(CUSTOMER_LINES)
    ]
    return sorted(a + c, key=lambda u: u.start)


def test_mono_agent_by_language() -> None:
    result = assign_roles(call("spk1", "spk2"), company_names=COMPANY)
    assert result.agent_speaker == "spk1"
    assert result.confidence > 0.9 and not result.uncertain
    assert not result.swapped
    assert "工号" in result.reason


def test_mono_customer_first() -> None:
    utterances = [
        utt(0.0, "spk1", "喂，你好，是星河通信吗？"),
        *call("spk2", "spk1", customer_first=True),
    ]
    result = assign_roles(utterances, company_names=COMPANY)
    assert result.agent_speaker == "spk2"
    assert not result.uncertain
    assert "asks for the company" in result.reason


def test_mono_first_speaker_alone_is_uncertain() -> None:
    utterances = [utt(0.0, "spk1", "喂"), utt(3.0, "spk2", "嗯"), utt(6.0, "spk1", "好的")]
    result = assign_roles(utterances, company_names=COMPANY)
    assert result.agent_speaker == "spk1"
    assert result.uncertain and result.confidence < 0.6


def test_mono_recognition_errors_still_match() -> None:
    # what Whisper base actually wrote for 星河通信 / 工号 / 客服代表 on the samples
    utterances = [
        utt(0.0, "spk1", "喂，你好，是心和东心吗？"),
        utt(3.0, "spk2", "您好，这里是心和通信，公号三三一零，我是克服代表小王。"),
        utt(9.0, "spk1", "我想把朋友的号过户给我。"),
    ]
    result = assign_roles(utterances, company_names=COMPANY)
    assert result.agent_speaker == "spk2"
    assert "工号" in result.reason and "greeting with company" in result.reason
    assert result.confidence > 0.9


def test_no_speech_means_no_agent() -> None:
    result = assign_roles([], company_names=COMPANY)
    assert result.agent_speaker is None and result.uncertain


def test_stereo_configuration_confirmed() -> None:
    result = assign_roles(call("left", "right"), company_names=COMPANY, agent_hint="left")
    assert (result.agent_speaker, result.swapped) == ("left", False)
    assert result.confidence > 0.9


def test_stereo_swap_when_content_contradicts_configuration() -> None:
    utterances = call("right", "left")  # the agent talks on the right channel
    result = assign_roles(utterances, company_names=COMPANY, agent_hint="left")
    assert result.agent_speaker == "right"
    assert result.swapped
    assert not result.uncertain
    assert "configured agent channel left" in result.reason
    roles = {u.speaker: u.role for u in apply_roles(utterances, result)}
    assert roles == {"right": "agent", "left": "customer"}


def test_stereo_unclear_content_keeps_configuration_but_uncertain() -> None:
    utterances = [
        utt(0.0, "left", "喂，你好。"),
        utt(3.0, "right", "您好，请问您是哪位？"),
        utt(6.0, "left", "我想问一下。"),
    ]
    result = assign_roles(utterances, company_names=COMPANY, agent_hint="left")
    assert result.agent_speaker == "left"
    assert not result.swapped
    assert result.uncertain


def test_stereo_without_evidence_trusts_the_configuration() -> None:
    utterances = [utt(0.0, "left", "嗯。"), utt(3.0, "right", "嗯。")]
    result = assign_roles(utterances, company_names=COMPANY, agent_hint="right")
    assert result.agent_speaker == "right" and not result.uncertain


def test_stereo_the_first_speaker_tips_a_garbled_agent_channel() -> None:
    """An agent Whisper barely reads (the greeting garbled, 客服 heard as 可否) has only weak
    agent cues; answering the call is one more (the agent speaks first)."""
    agent = [
        utt(0.0, "right", "林豪，边因移动可否，我是可否传人阿贴。"),
        utt(20.0, "right", "不用客气，给您添麻烦了，您还需要什么吗？"),
    ]
    customer = [utt(8.0, "left", "你好，我的手机昨天突然停机了。"), utt(26.0, "left", "没有了。")]
    result = assign_roles(sorted(agent + customer, key=lambda u: u.start), agent_hint="left")
    assert (result.agent_speaker, result.swapped) == ("right", True)
    assert "speaks first" in result.reason
    late = [utt(u.start + 30.0, u.speaker, u.text) for u in agent]  # customer first
    result = assign_roles(sorted(late + customer, key=lambda u: u.start), agent_hint="left")
    assert result.agent_speaker == "left" and result.uncertain


def test_a_rude_agent_is_still_the_agent() -> None:
    """No greeting, 你 for 您, 喂: the agent still reads the system and acts on the case."""
    utterances = [
        utt(0.0, "spk1", "喂，什么事？"),
        utt(3.0, "spk2", "你好，我的快递三天了还没到，能帮忙看一下吗？"),
        utt(8.0, "spk1", "单号报一下。系统显示你的快递昨天就到站了，我给你登记一下。"),
        utt(14.0, "spk2", "好的，谢谢。"),
    ]
    result = assign_roles(utterances)
    assert result.agent_speaker == "spk1" and not result.uncertain, result.reason


def test_a_curt_agent_asking_for_numbers_and_sending_a_technician_is_the_agent() -> None:
    """Nothing courteous on either side: the agent asks for the customer's number and
    sends someone out; a caller asking when the technician comes is not the agent."""
    utterances = [
        utt(0.0, "spk1", "喂，哪位？"),
        utt(2.0, "spk2", "你好，我家燃气表不走字了。"),
        utt(6.0, "spk1", "户号多少？"),
        utt(8.0, "spk2", "四四零一二七。你们师傅明天会上门吗？"),
        utt(12.0, "spk1", "那就只能上门看了，师傅会打给你，就这样。"),
    ]
    result = assign_roles(utterances)
    assert result.agent_speaker == "spk1" and not result.uncertain, result.reason
    assert "户号多少" in result.reason and "师傅会打给你" in result.reason
    assert "师傅明天会上门" not in result.reason


@pytest.mark.parametrize(
    "line", ["我的卡号是多少我也忘了。", "你们工作人员明天会上门吗？", "你们师傅什么时候过去啊？"]
)
def test_a_callers_numbers_and_questions_are_not_agent_language(line: str) -> None:
    utterances = [utt(0.0, "spk1", "您好。"), utt(2.0, "spk2", line)]
    callers = assign_roles(utterances).reason.split("spk2: ")[1]
    assert callers.startswith("-") and "+" not in callers, callers


def test_apply_roles() -> None:
    utterances = call("spk1", "spk2")
    out = apply_roles(utterances, RoleAssignment("spk2", 0.9))
    assert {u.speaker: u.role for u in out} == {"spk1": "customer", "spk2": "agent"}
    out = apply_roles(utterances, RoleAssignment(None, 0.0))
    assert {u.role for u in out} == {"unknown"}
    assert [u.text for u in out] == [u.text for u in utterances]


@pytest.mark.parametrize(
    ("text", "found"),
    [("您好星河通信工号", True), ("您好心何通信", True), ("心和东心吗", True), ("银河证券", False)],
)
def test_company_matching(text: str, found: bool) -> None:
    assert (find_company(text, company_variants(COMPANY)) is not None) is found


def test_a_caller_naming_the_company_is_not_the_agent() -> None:
    from callqa.speech.roles import speaker_evidence

    utts = [
        Utterance(0.1, 1.4, "S1", "unknown", "喂，哪位？"),
        Utterance(2.0, 9.0, "S2", "unknown", "你好，是悦享外卖吧，我点的外卖送错了。"),
    ]
    cues = speaker_evidence(utts, ["悦享外卖"])
    assert cues["S2"].score < 0 and any("asks for the company" in h for h in cues["S2"].hits)
    agent = speaker_evidence(
        [Utterance(0, 3, "S1", "unknown", "您好，这里是悦享外卖。")], ["悦享外卖"]
    )
    assert agent["S1"].score > 0


def test_a_caller_alone_on_the_configured_channel_means_a_silent_agent() -> None:
    said = "你好，是青禾电力吗？我家停电了，你们怎么回事。"
    utts = [Utterance(0.5, 4.0, "left", "unknown", said)]
    found = assign_roles(utts, company_names=["青禾电力"], agent_hint="left")
    assert found.agent_speaker == "right" and found.swapped and "silent" in found.reason
    agent_alone = [Utterance(0.5, 4.0, "left", "unknown", "您好，青禾电力，工号1234。")]
    assert assign_roles(agent_alone, company_names=[], agent_hint="left").agent_speaker == "left"


def test_a_clear_caller_on_the_configured_channel_is_swapped() -> None:
    utts = [
        Utterance(
            0.1, 2.4, "left", "unknown", "你好，是鹏程租车吗？我想下个月租车，帮我查一下价格。"
        ),
        Utterance(2.7, 4.0, "right", "unknown", "您好，就一句文字。"),  # the agent, barely read
    ]
    found = assign_roles(utts, company_names=["鹏程租车"], agent_hint="left")
    assert found.agent_speaker == "right" and found.swapped


def test_a_garbled_agent_is_found_by_the_callers_requests_and_the_closing_offer() -> None:
    """Configured left, the agent on the right and garbled (no greeting or 工号 heard): the
    caller's own requests (我想申请, 我之前, 能不能通融) and the agent's closing offer (还有别的
    问题吗) still show who is who."""
    utterances = [
        utt(0.0, "right", "林豪，新和小北金融克服，中浩七七零一。"),
        utt(6.0, "left", "你好，我想申请延期还款，这个月手头有点紧。"),
        utt(11.0, "right", "延期不可能被礼贩浩七九个海。"),
        utt(16.0, "left", "可是我之前每个月都是按时还款，能不能通融一下？"),
        utt(38.0, "right", "还有别的问题吗？没有的话，太见。"),
    ]
    result = assign_roles(utterances, agent_hint="left")
    assert (result.agent_speaker, result.swapped) == ("right", True)
    assert "还有别的问题" in result.reason and "我想申请" in result.reason


def test_an_agent_checking_with_the_caller_is_not_a_caller() -> None:
    """我想跟您确认 and 我刚才 are agent speech; only a caller's own request counts against."""
    utterances = [
        utt(0.0, "left", "您好，星河通信，工号1234，请问有什么可以帮您？"),
        utt(5.0, "right", "我想查一下话费。"),
        utt(9.0, "left", "好的，我想跟您确认一下，我刚才查到您的话费是八十元。"),
    ]
    result = assign_roles(utterances, company_names=COMPANY, agent_hint="left")
    assert result.agent_speaker == "left" and not result.uncertain
    assert "-" not in result.reason.split("right:")[0].split("left:")[1]
