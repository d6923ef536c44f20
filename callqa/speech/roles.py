"""Which speaker is the agent: read from what each speaker says.

Each speaker gets an "agent score" from the language of a service agent — a greeting that
names the company, self-identification (工号, 客服代表), service phrases (为您服务, 请问有什么
可以帮您, 请您稍等, 感谢您的来电, …) and the honorific 您 — minus the language of a caller
(我想…, 你们…, 帮我…, "是<company>吗?").  Phrases and company names match on the characters
or by sound (`callqa.speech.textnorm.sound_spans`, the matcher the rules use: Whisper
writes 星河通信 as 心何通信 and 工号 as 宫号; both still match).

- Mono: the agent is the speaker with the highest score; speaking first is a weak prior.
- Stereo (`agent_hint` = configured agent channel): the configuration is a prior that the
  content can overturn.  When the other channel clearly sounds like the agent, the roles
  are swapped (``swapped=True`` and a reason); when the content disagrees but not clearly,
  the configured channel is kept with a confidence under 0.6, i.e. uncertain.

Confidence is a logistic function of the score margin between the chosen speaker and the
next one, so "first speaker and nothing else" stays under 0.6 (uncertain → review).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from callqa.records import RoleAssignment, Utterance
from callqa.speech import textnorm

CONFIDENT = 0.6
"""Below this a role assignment is uncertain (`RoleAssignment.uncertain`)."""

# phrase -> weight.  Each phrase counts once per speaker.
AGENT_PHRASES: dict[str, float] = {
    "工号": 3.0,
    "为您服务": 3.0,
    "客服代表": 2.0,
    "号客服": 2.0,
    "竭诚为您": 2.0,
    "有什么可以帮您": 2.0,
    "有什么可以帮到您": 2.0,
    "有什么能帮您": 2.0,
    "有什么需要帮助": 1.5,
    "请您稍等": 2.0,
    "请稍等": 1.5,
    "稍等一下": 1.0,
    "让您久等": 2.0,
    "感谢您的来电": 2.0,
    "感谢来电": 2.0,
    "感谢您的耐心": 1.5,
    "谢谢您的配合": 1.5,
    "感谢您的配合": 1.5,
    "给您带来不便": 1.5,
    "给您添麻烦": 1.5,
    "跟您确认": 1.5,
    "和您确认": 1.5,
    "帮您查": 1.5,
    "为您查询": 1.5,
    "帮您办理": 1.5,
    "为您办理": 1.5,
    "请问您": 1.0,
    "请问还有": 1.0,
    "祝您生活愉快": 2.0,
    "对本次服务": 2.0,
}
CUSTOMER_PHRASES: dict[str, float] = {
    "我想问": 1.0,
    "我想咨询": 1.0,
    "我要投诉": 1.5,
    "你们": 1.0,
    "帮我": 1.0,
    "我家": 0.5,
    "我的手机": 0.5,
    "我的宽带": 0.5,
    "怎么回事": 1.0,
    "为什么不行": 1.0,
}
AGENT_SHAPES: dict[str, float] = {
    # the agent acts on the customer's case, politely or not (帮您查 / 给你登记)
    r"(帮|给|为)(你|您)(查|看|登记|处理|办|转|申请|记录|核实|反馈)": 1.5,
    # the agent speaks for the company and reads its system
    r"我们(这边|公司|这里)": 1.0,
    r"系统(显示|里|上|查)": 1.0,
    # the customer's things, seen from the other side
    r"(你|您)的(订单|账户|账号|手机号|号码|快递|包裹|账单|卡号|工单)": 1.0,
    # the offer of more help that closes a call (还有别的问题吗?), not 我还有…
    r"(?<!我)还有(别的|其他|其它|什么)(问题|需要|事|业务|可以|要)": 1.5,
    # the agent asks for the customer's numbers (订单号是多少?), not 我的卡号是多少
    r"(?<!我的)(户号|手机号|电话号码|订单号|单号|卡号|账号|身份证号|工单号|运单号|保单号|会员号|"
    r"房间号|车牌号)(码)?(是)?(多少|报一下|说一下|告诉我)": 1.0,
    # the agent sends someone (师傅明天上门, 同事稍后联系您), not 你们师傅明天会上门吗
    r"(?<!你们)(?<!你们的)(师傅|工作人员|技术人员|维修人员|同事|快递员)(会|将|稍后|明天|今天|"
    r"马上|尽快|随后)\w{0,4}(上门|过去|联系(你|您)|(打|回)(电话)?给(你|您)|给(你|您)(打|回))"
    r"(?!吗|么|啊)": 1.0,
}
"""Agent language that does not depend on courtesy: a rude agent (喂, 你 for 您, no
greeting) still handles the case, speaks for the company and reads the system."""
CUSTOMER_SHAPES: dict[str, float] = {
    # 我想…, but not an agent's 我想跟您确认一下 / 我想再核对一下
    r"我想(?!跟|和|给|为|再|先|请|确认|核)": 0.5,
    r"我的(订单|账户|账号|快递|包裹|账单|卡|号码|车|房子|孩子|手机|宽带|电脑|外卖|预约|保单|"
    r"医保|社保|燃气|暖气|水费|电费|话费|航班|机票|车票|酒店|房间|会员|密码|信用卡|银行卡)": 0.5,
    # a caller's own request (我想申请…, 我要退…); an agent's 我想跟您确认 is not one
    r"我(想|要|需要)(申请|办|改|取消|退|换|投诉|预约|反映|查|开通|买|订|报|找|"
    r"了解|延期)": 1.0,
    # what the caller did before calling (我之前…, 我昨天在网上订了…)
    r"我(之前|昨天|前天|上周|上个月|上次|前几天)": 0.5,
    r"我(在|从)(网上|手机上|你们)": 0.5,
    # asking for something for oneself, or for leniency
    r"(能不能|可不可以|能否|可以)(帮我|给我|让我|通融)": 1.0,
    r"怎么(还|又|老是|总是|一直)(没|不)": 0.5,
}
GREETINGS = ("您好", "你好", "欢迎")
SELF_INTRO = re.compile(r"(这里是|我是).{0,8}(客服|克服|代表|专员|坐席|工号)")
FIRST_SPEAKER_PRIOR = 0.5
CONFIGURED_PRIOR = 1.5
SWAP_MARGIN = 3.0
"""The other channel must beat the configured one by this much, and either show agent
language or the configured one clearly speak as a caller (我想…, 帮我…, 是<company>吗?)."""
SCALE = 1.5
"""Score margin → confidence: 1 / (1 + exp(-margin / SCALE))."""
COMPANY_SUFFIXES = (
    "有限公司",
    "股份",
    "集团",
    "公司",
    "通信",
    "电信",
    "银行",
    "客服",
    "中心",
    "保险",
    "人寿",
    "证券",
    "航空",
    "快运",
    "快递",
    "物流",
    "宽带",
    "移动",
    "家电",
    "商城",
    "租车",
    "水务",
    "电力",
    "燃气",
    "旅行网",
)
"""Generic endings of company names: the part before one is the name's distinctive core."""


@dataclass
class RoleCues:
    """What one speaker said that counts for (or against) being the agent."""

    score: float = 0.0
    hits: list[str] = field(default_factory=list)

    def add(self, weight: float, label: str) -> None:
        self.score += weight
        self.hits.append(f"{label}{'+' if weight >= 0 else ''}{weight:g}")


def _clean(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text)


def find_phrase(text: str, phrase: str, *, loose: bool = False) -> int:
    """Where `phrase` is said in `text`, by characters or by sound (`textnorm.find_phrase`:
    the one sound matcher the rules use too; `loose` for agent language, as the rules look
    for what an agent should say); -1 when absent."""
    return textnorm.find_phrase(textnorm.phrase_key(text), phrase, loose=loose)


def company_variants(names: Sequence[str]) -> tuple[str, ...]:
    """Each name and its core without a generic suffix ("星河通信" → "星河通信", "星河")."""
    out: list[str] = []
    for name in names:
        cleaned = _clean(name)
        if not cleaned:
            continue
        out.append(cleaned)
        core = cleaned
        changed = True
        while changed:
            changed = False
            for suffix in COMPANY_SUFFIXES:
                if core.endswith(suffix) and len(core) - len(suffix) >= 2:
                    core = core[: -len(suffix)]
                    changed = True
        if core != cleaned:
            out.append(core)
    return tuple(dict.fromkeys(out))


def company_suffix(name: str) -> str | None:
    """The generic ending of a company name (安和保险 → 保险), if it has one."""
    cleaned = _clean(name)
    for suffix in COMPANY_SUFFIXES:
        if cleaned.endswith(suffix) and len(cleaned) - len(suffix) >= 2:
            return suffix
    return None


def find_company(text: str, variants: Sequence[str]) -> tuple[int, int] | None:
    """(start, end) of a company name in the cleaned `text`, by characters or fuzzy pinyin."""
    cleaned = textnorm.phrase_key(text)
    for name in variants:
        at = find_phrase(cleaned, name)
        if at >= 0:
            return at, at + len(textnorm.phrase_key(name))
    return None


def speaker_evidence(
    utterances: Sequence[Utterance], company_names: Sequence[str]
) -> dict[str, RoleCues]:
    """Agent-language evidence per speaker, in order of first appearance."""
    variants = company_variants(company_names)
    texts: dict[str, list[str]] = {}
    for u in sorted(utterances, key=lambda u: (u.start, u.end)):
        if _clean(u.text):
            texts.setdefault(u.speaker, []).append(_clean(u.text))
    evidence: dict[str, RoleCues] = {}
    for speaker, lines in texts.items():
        ev = RoleCues()
        joined = "".join(lines)
        for phrase, weight in AGENT_PHRASES.items():
            if find_phrase(joined, phrase, loose=True) >= 0:
                ev.add(weight, phrase)
        for phrase, weight in CUSTOMER_PHRASES.items():
            if find_phrase(joined, phrase) >= 0:
                ev.add(-weight, phrase)
        for shape, weight in AGENT_SHAPES.items():
            if (m := re.search(shape, joined)) is not None:
                ev.add(weight, m.group())
        for shape, weight in CUSTOMER_SHAPES.items():
            if (m := re.search(shape, joined)) is not None:
                ev.add(-weight, m.group())
        if SELF_INTRO.search(joined):
            ev.add(2.0, "self-introduction")
        _company_evidence(ev, lines, variants)
        rate = joined.count("您") / max(1, len(joined))
        if rate >= 0.02:
            ev.add(1.0, "您")
        evidence[speaker] = ev
    return evidence


def _company_evidence(ev: RoleCues, lines: list[str], variants: Sequence[str]) -> None:
    """The company named in a greeting (strong), as a question (the caller), or elsewhere."""
    if not variants:
        return
    for index, line in enumerate(lines):
        where = find_company(line, variants)
        if where is None:
            continue
        before, after = line[: where[0]], line[where[1] : where[1] + 6]
        if (
            re.match(r"^.{0,4}(吗|么|嘛|吧)", after)
            or "是不是" in before[-6:]
            or re.search(r"(?<!这里|我们|那里)(?<!我)是$", before)  # 你好，是X吧 / 是X吗
        ):
            ev.add(-2.0, "asks for the company")
            return
        greeting = any(g in before for g in GREETINGS) or re.search(
            r"(这里是|欢迎致电|欢迎来电)$", before
        )
        if index < 2 and len(before) <= 8 and greeting:
            ev.add(3.0, "greeting with company")
        else:
            ev.add(1.0, "company")
        return


def _confidence(margin: float) -> float:
    return round(1.0 / (1.0 + math.exp(-margin / SCALE)), 3)


def _describe(evidence: dict[str, RoleCues]) -> str:
    parts = []
    for speaker, ev in evidence.items():
        hits = ", ".join(ev.hits) if ev.hits else "nothing"
        parts.append(f"{speaker}: {ev.score:+.1f} ({hits})")
    return "; ".join(parts)


def assign_roles(
    utterances: Sequence[Utterance],
    *,
    company_names: Sequence[str] = (),
    agent_hint: str | None = None,
) -> RoleAssignment:
    """Decide which speaker is the agent.  `agent_hint` is the configured agent channel on
    stereo ("left"/"right"); None on mono."""
    evidence = speaker_evidence(utterances, company_names)
    if agent_hint is not None:
        first = _first_speaker(utterances)
        if first in evidence:  # the agent answers the call (seed 000: 接电话时…)
            evidence[first].add(FIRST_SPEAKER_PRIOR, "speaks first")
        return _stereo(evidence, agent_hint)
    return _mono(utterances, evidence)


def _first_speaker(utterances: Sequence[Utterance]) -> str | None:
    spoken = [u for u in utterances if _clean(u.text)]
    return min(spoken, key=lambda u: (u.start, u.end)).speaker if spoken else None


def _mono(utterances: Sequence[Utterance], evidence: dict[str, RoleCues]) -> RoleAssignment:
    if not evidence:
        return RoleAssignment(None, 0.0, reason="no speech to tell the agent by")
    first = _first_speaker(utterances)
    scores = {
        s: ev.score + (FIRST_SPEAKER_PRIOR if s == first else 0.0) for s, ev in evidence.items()
    }
    ranked = sorted(scores, key=lambda s: (-scores[s], s != first, s))
    best = ranked[0]
    if len(ranked) == 1:
        margin = scores[best]
        confidence = min(_confidence(margin), 0.9)
    else:
        margin = scores[best] - scores[ranked[1]]
        confidence = _confidence(margin)
    reason = f"agent = {best} (first speaker: {first}); {_describe(evidence)}"
    return RoleAssignment(best, confidence, swapped=False, reason=reason)


def _stereo(evidence: dict[str, RoleCues], configured: str) -> RoleAssignment:
    others = [s for s in evidence if s != configured]
    other = others[0] if others else ("right" if configured == "left" else "left")
    own = evidence.get(configured, RoleCues()).score
    theirs = evidence.get(other, RoleCues()).score
    described = _describe(evidence)
    if other not in evidence and own < 0:
        return RoleAssignment(
            other,
            _confidence(-own + CONFIGURED_PRIOR),
            swapped=True,
            reason=f"configured agent channel {configured} speaks as a caller and {other} is "
            f"silent: the agent's channel carries no speech; {described}",
        )
    if theirs - own >= SWAP_MARGIN and (theirs >= SWAP_MARGIN or own <= -SWAP_MARGIN):
        return RoleAssignment(
            other,
            _confidence(theirs - own - CONFIGURED_PRIOR),
            swapped=True,
            reason=f"configured agent channel {configured}, but {other} speaks as the agent; "
            f"{described}",
        )
    margin = own + CONFIGURED_PRIOR - theirs
    confidence = _confidence(margin)
    if confidence < CONFIDENT:
        reason = (
            f"configured agent channel {configured} kept, but the content points to "
            f"{other}; {described}"
        )
    else:
        reason = f"configured agent channel {configured}; {described}"
    return RoleAssignment(configured, confidence, swapped=False, reason=reason)


def apply_roles(
    utterances: Sequence[Utterance], assignment: RoleAssignment
) -> tuple[Utterance, ...]:
    """Utterances with role agent/customer set from `assignment` (all "unknown" without one)."""
    if assignment.agent_speaker is None:
        return tuple(replace(u, role="unknown") for u in utterances)
    return tuple(
        replace(u, role="agent" if u.speaker == assignment.agent_speaker else "customer")
        for u in utterances
    )
