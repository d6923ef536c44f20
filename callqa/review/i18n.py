"""The message catalogue shared by the web app and the CLI (`--lang`): zh_CN and en.

Three kinds of text:

- UI strings: the English text is the message id; `gettext(msgid, lang, **params)` gives
  the Chinese (zh_CN, the default) or the English back, `%(name)s` params filled in.
- Verdict reasons: a rule result's `message` is rendered by `reason_text`.  A structured
  message is stored as JSON, `{"id": "self_intro.missing", "params": {...}}`, and its id
  is looked up in `REASONS`.  Messages stored as plain English sentences (what the rule
  kinds write today) are matched against `PATTERNS`, which turn the known sentences into
  an id and params.  Anything unknown is shown as stored, never dropped.
- Item titles and descriptions come from the scorecard itself (`item_labels`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

LANGS: tuple[str, ...] = ("zh_CN", "en")
DEFAULT_LANG = "zh_CN"

STATUS = {
    "pass": "通过",
    "fail": "不合格",
    "review": "待复核",
    "na": "不适用",
}
ROLE = {"agent": "坐席", "customer": "客户", "unknown": "未知"}
KIND = {
    "review": "复核",
    "appeal": "申诉",
    "appeal_decision": "申诉裁定",
    "relabel": "改标",
}

UI: dict[str, str] = {
    # the speech timeline bar (call page)
    "Speech timeline": "通话时间轴",
    "silence / overlap": "静默 / 抢话",
    "Click a stretch to play from there": "点击色块从该处播放",
    # navigation and common words
    "My calls": "我的通话",
    "Calls": "通话",
    "Reports": "报表",
    "Appeals": "申诉",
    "Clips": "片段",
    "Review queue": "复核队列",
    "My samples": "我的抽检",
    "Sampling plans": "抽检计划",
    "Search": "检索",
    "Log out": "退出",
    "supervisor": "质检主管",
    "trainer": "培训师",
    "agent": "坐席",
    "Log in": "登录",
    "Name": "用户名",
    "Password": "密码",
    "Language": "语言",
    "Filter": "筛选",
    "When": "时间",
    "Agent": "坐席",
    "Team": "班组",
    "Length": "时长",
    "Score": "得分",
    "Verdict": "结论",
    "Failed items": "失分项",
    "Item": "评分项",
    "Items": "评分项",
    "Status": "状态",
    "Who": "操作人",
    "What": "操作",
    "Why": "原因",
    "History": "操作记录",
    "Scorecard": "评分表",
    "Transcript": "转写文本",
    "Evidence": "证据",
    "critical": "一票否决",
    "unknown": "未知",
    "Call": "通话",
    "Rule": "评分项",
    "From": "从",
    "To": "至",
    "Since": "起始日期",
    "Until": "截止日期",
    "Role": "说话方",
    "any": "全部",
    "Snippet": "片段",
    "Progress": "进度",
    "Reviewer": "复核员",
    "Seed": "随机种子",
    "Drawn": "抽取时间",
    "Plan": "计划",
    "done": "已完成",
    "to do": "待完成",
    "Open": "打开",
    "seconds": "秒",
    "calls": "通",
    "Limit": "上限",
    "Examples": "示例",
    # call page
    "Call %(id)s": "通话 %(id)s",
    "time unknown": "时间未知",
    "agent %(id)s": "坐席 %(id)s",
    "team %(name)s": "班组 %(name)s",
    "machine %(score)s, %(verdict)s; changed by review": "机器评分 %(score)s，%(verdict)s；已被复核修改",
    "Play from %(t)s": "从 %(t)s 播放",
    "deducted %(points)s": "扣%(points)s",
    "machine said %(status)s; %(kind)s by %(who)s: %(reason)s": "机器判定为%(status)s；%(who)s %(kind)s：%(reason)s",
    "Appeal %(state)s.": "申诉%(state)s。",
    "open": "处理中",
    "accepted": "已通过",
    "rejected": "已驳回",
    "Why is this verdict wrong?": "为什么这个判定有误？",
    "Appeal": "申诉",
    "Appeal by %(who)s: “%(reason)s”": "%(who)s 的申诉：“%(reason)s”",
    "Decision reason": "裁定理由",
    "Accept appeal": "同意申诉",
    "Reject appeal": "驳回申诉",
    "Review reason": "复核理由",
    "Confirm %(status)s": "确认%(status)s",
    "Reject (→ %(status)s)": "推翻（→ %(status)s）",
    "Set pass": "改为通过",
    "Set fail": "改为不合格",
    "Appeal on %(rule)s sent to the supervisors.": "“%(rule)s”的申诉已提交主管。",
    "%(rule)s: %(status)s (%(action)s); score now %(score)s.": "%(rule)s：%(status)s（%(action)s）；现得分 %(score)s。",
    "confirmed": "已确认",
    "rejected-action": "已推翻",
    "set": "已设定",
    "Appeal %(id)s %(decision)s.": "申诉 %(id)s %(decision)s。",
    "One column": "单栏",
    # lists
    "No calls match.": "没有符合条件的通话。",
    "No calls yet.": "还没有通话。",
    "Showing the newest %(n)s of %(total)s calls — filter to narrow.": "显示最新的 %(n)s 通（共 %(total)s 通），请筛选缩小范围。",
    "average score": "平均分",
    "passed": "合格率",
    "minutes of calls": "通话分钟数",
    "Items I fail most": "我最常失分的项目",
    "None — well done.": "没有——做得好。",
    "My average score by day (%(agent)s)": "我的每日平均分（%(agent)s）",
    # search
    "Search transcripts": "关键词检索",
    "Words to find, e.g. 不归我管": "要找的词，例如 不归我管",
    "%(n)s lines found.": "找到 %(n)s 处。",
    "Nothing found.": "没有找到。",
    # review queue
    "Items the machine was unsure of and open appeals, oldest first.": "机器无法确定的评分项和待处理的申诉，按时间先后排列。",
    "The queue is empty.": "复核队列为空。",
    "uncertain": "机器不确定",
    "appeal by %(who)s": "%(who)s 申诉",
    "Settle": "处理",
    "Pass": "通过",
    "Fail": "不合格",
    "Settled: %(rule)s is %(status)s; score now %(score)s.": "已处理：%(rule)s 为%(status)s；现得分 %(score)s。",
    # sampling
    "Assigned calls": "分配给我的通话",
    "No calls assigned to you.": "没有分配给你的通话。",
    "%(done)s of %(total)s reviewed": "已复核 %(done)s / %(total)s",
    "Mark reviewed": "标记为已复核",
    "Reviewed": "已复核",
    "Sample note": "抽检备注",
    "Sample of %(plan)s marked done.": "抽检 %(plan)s 已标记完成。",
    # evidence notes the rule kinds write
    "greeting": "问候语",
    "company name": "公司名称",
    "self-identification": "自我介绍",
    "opening": "开场",
    "closing": "结束语",
    "closing line": "结束语",
    "forbidden phrase": "服务禁语",
    "offer of further help": "进一步帮助的询问",
    "thanks / farewell": "致谢/道别",
    "request": "客户诉求",
    "recap": "复述确认",
    "hold announced": "已告知等待",
    "announced hold": "已告知的等待",
    "thanks after hold": "等待后致谢",
    "no thanks after the hold": "等待后未致谢",
    "unannounced silence": "未告知的静默",
    "interruption": "抢话",
    "apologies": "致歉",
    "quoting": "复述客户原话",
    "terms": "礼貌用语",
    "quietest": "音量最低处",
    "read again": "重听录音核实",
    # appeals, reports, clips, errors
    "Open appeals": "待处理的申诉",
    "Filed": "提交时间",
    "Decision": "裁定",
    "No open appeals.": "没有待处理的申诉。",
    "By": "分组",
    "Show": "显示",
    "Average score trend": "平均分趋势",
    "fail rate": "失分率",
    "rule": "评分项",
    "day": "日",
    "week": "周",
    "month": "月",
    "team": "班组",
    "audio hours": "录音小时数",
    "avg score": "平均分",
    "pass rate": "合格率",
    "fails": "失分次数",
    "reviewed": "已复核",
    "agreed": "一致",
    "false alarms": "误判",
    "misses": "漏判",
    "agreement": "一致率",
    "Clip packs": "片段包",
    "bad (fail)": "反面示例（不合格）",
    "good (pass)": "正面示例（通过）",
    "%(n)s clips of %(rule)s (%(status)s).": "%(rule)s（%(status)s）共 %(n)s 个片段。",
    "Download clip pack (zip)": "下载片段包（zip）",
    "At": "位置",
    "Wrong name or password.": "用户名或密码错误。",
    "Too many failed logins - try again later.": "登录失败次数过多，请稍后再试。",
    "Not allowed here.": "无权访问。",
    "Not found.": "未找到。",
    # reports
    "Average score by %(period)s, per %(lines)s": "按%(period)s统计的平均分（每%(lines)s）",
}

PERIOD = {"day": "日", "week": "周", "month": "月"}
LINES = {"agent": "坐席", "team": "班组"}

# Verdict reasons: message id -> texts.  Params are filled with str.format-style names.
REASONS: dict[str, dict[str, str]] = {
    "no_role_speech": {"en": "no {role} speech", "zh_CN": "没有{role}的讲话"},
    "uncertain": {
        "en": "{base} - but the transcript there is uncertain",
        "zh_CN": "{base}——但该处转写不确定",
    },
    "uncertain.around": {
        "en": "{base} - but the transcript around them is uncertain",
        "zh_CN": "{base}——但其前后的转写不确定",
    },
    "audio_maybe": {
        "en": "{base} - the audio may say it ({margin})",
        "zh_CN": "{base}——录音中可能说了（声学差值{margin}）",
    },
    "audio_maybe.unclear": {
        "en": "{base} - the audio may say it ({margin}); the words there are unclear ({conf})",
        "zh_CN": "{base}——录音中可能说了（声学差值{margin}），该处转写不清晰（置信度{conf}）",
    },
    "unclear": {
        "en": "agent speech unclear (mean word confidence {clarity} < {limit}): "
        "{status} not certain; {base}",
        "zh_CN": "坐席语音不清晰（平均词置信度{clarity} < {limit}），{status}结论不确定：{base}",
    },
    "unintelligible": {
        "en": "agent speech barely intelligible (mean word confidence {clarity} < {limit}): "
        "{status} not certain; {base}",
        "zh_CN": "坐席语音几乎无法识别（平均词置信度{clarity} < {limit}），{status}结论不确定：{base}",
    },
    "reread.name": {
        "en": "{base} (read again, the audio confirms over other names and words: {said})",
        "zh_CN": "{base}（重听录音核实，较其他名称和词语更吻合：{said}）",
    },
    "reread": {
        "en": "{base} (read again, the audio confirms over ordinary words: {said})",
        "zh_CN": "{base}（重听录音核实，较普通词语更吻合：{said}）",
    },
    "self_intro.audio": {
        "en": "greeting, company name (confirmed by the audio) and self-identification",
        "zh_CN": "有问候、公司名称（经录音核实）和自我介绍",
    },
    "recap.question": {"en": "recap by a checking question", "zh_CN": "以确认式提问复述了客户诉求"},
    "rate.signal": {
        "en": "overall {rate} syllables/min by the signal (range {lo}–{hi}; the transcript "
        "is unclear, word confidence {clarity})",
        "zh_CN": "按声学音节计整体语速{rate}字/分钟（范围{lo}–{hi}；转写不清晰，词置信度{clarity}）",
    },
    "rate.signal.disagree": {
        "en": "overall {rate} syllables/min by the signal (range {lo}–{hi}; the transcript "
        "is unclear, word confidence {clarity}); but the transcript's characters give "
        "{chars} 字/分钟",
        "zh_CN": "按声学音节计整体语速{rate}字/分钟（范围{lo}–{hi}；转写不清晰，词置信度{clarity}），"
        "但按转写字数计为{chars}字/分钟",
    },
    "rate.signal.slow": {
        "en": "overall {rate} syllables/min by the signal (range {lo}–{hi}; the transcript "
        "is unclear, word confidence {clarity}); the transcript's characters give {chars} "
        "字/分钟, and the signal leans slow too",
        "zh_CN": "按声学音节计整体语速{rate}字/分钟（范围{lo}–{hi}；转写不清晰，词置信度{clarity}）；"
        "按转写字数计为{chars}字/分钟，声学语速同样偏慢",
    },
    "rate.signal.fast": {
        "en": "overall {rate} syllables/min by the signal (range {lo}–{hi}; the transcript "
        "is unclear, word confidence {clarity}); the transcript's characters give {chars} "
        "字/分钟, and the signal leans fast too",
        "zh_CN": "按声学音节计整体语速{rate}字/分钟（范围{lo}–{hi}；转写不清晰，词置信度{clarity}）；"
        "按转写字数计为{chars}字/分钟，声学语速同样偏快",
    },
    "self_intro.ok": {
        "en": "greeting, company name and self-identification",
        "zh_CN": "有问候、公司名称和自我介绍",
    },
    "missing_first": {
        "en": "missing in the first {seconds} s: {parts}",
        "zh_CN": "前{seconds}秒内缺少：{parts}",
    },
    "missing_last": {
        "en": "missing in the last {seconds} s: {parts}",
        "zh_CN": "最后{seconds}秒内缺少：{parts}",
    },
    "closing.ok": {
        "en": "offer of further help and farewell",
        "zh_CN": "有进一步帮助的询问和道别",
    },
    "forbidden.hits": {
        "en": "{n} forbidden phrase(s): {said}",
        "zh_CN": "{n}处服务禁语：{said}",
    },
    "forbidden.doubtful": {
        "en": "{n} uncertain forbidden phrase(s): {said}",
        "zh_CN": "{n}处疑似服务禁语（不确定）：{said}",
    },
    "forbidden.none": {"en": "no forbidden phrase", "zh_CN": "无服务禁语"},
    "interruption.count": {
        "en": "{n} interruption(s) over {seconds} s (at most {max})",
        "zh_CN": "{n}次超过{seconds}秒的抢话（最多允许{max}次）",
    },
    "recap.phrase": {"en": "recap by phrase", "zh_CN": "有复述确认用语"},
    "recap.similar": {
        "en": "recap by similarity {score}",
        "zh_CN": "复述了客户诉求（相似度{score}）",
    },
    "recap.missing": {
        "en": "no recap phrase and the closest reply has similarity {score}",
        "zh_CN": "没有复述确认，最接近的回答相似度仅{score}",
    },
    "recap.short": {"en": "call shorter than {seconds} s", "zh_CN": "通话短于{seconds}秒"},
    "silence.none": {
        "en": "no gap longer than {seconds} s",
        "zh_CN": "没有超过{seconds}秒的静默",
    },
    "silence.unannounced": {
        "en": "{failed} of {n} gap(s) over {seconds} s not announced or not thanked for",
        "zh_CN": "{n}次超过{seconds}秒的静默中有{failed}次未提前告知或未致谢",
    },
    "silence.announced": {
        "en": "{n} hold(s) over {seconds} s, announced",
        "zh_CN": "{n}次超过{seconds}秒的等待，均已告知",
    },
}

_PART = {
    "greeting": "问候语",
    "company name": "公司名称",
    "self-identification": "自我介绍",
    "offer of further help": "进一步帮助的询问",
    "thanks/farewell": "致谢/道别",
}

# Plain English sentences the rule kinds store today -> (message id, params).
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), mid)
    for p, mid in (
        (
            r"(?P<base>.+) \(read again, the audio confirms over other names and words: "
            r"(?P<said>.+)\)",
            "reread.name",
        ),
        (
            r"(?P<base>.+) \(read again, the audio confirms over ordinary words: (?P<said>.+)\)",
            "reread",
        ),
        (
            r"agent speech unclear \(mean word confidence (?P<clarity>[\d.]+) < "
            r"(?P<limit>[\d.]+)\): (?P<status>pass|fail) not certain; (?P<base>.+)",
            "unclear",
        ),
        (
            r"agent speech barely intelligible \(mean word confidence (?P<clarity>[\d.]+) < "
            r"(?P<limit>[\d.]+)\): (?P<status>pass|fail) not certain; (?P<base>.+)",
            "unintelligible",
        ),
        (
            r"(?P<base>.+) - the audio may say it \((?P<margin>[-+\d.]+)\); "
            r"the words there are unclear \((?P<conf>[\d.]+)\)",
            "audio_maybe.unclear",
        ),
        (r"(?P<base>.+) - the audio may say it \((?P<margin>[-+\d.]+)\)", "audio_maybe"),
        (r"(?P<base>.+) - but the transcript around them is uncertain", "uncertain.around"),
        (r"(?P<base>.+) - but the transcript(?: there)? is uncertain", "uncertain"),
        (
            r"greeting, company name \(confirmed by the audio\) and self-identification",
            "self_intro.audio",
        ),
        (r"recap by a checking question", "recap.question"),
        (
            r"overall (?P<rate>\d+) syllables/min by the signal \(range (?P<lo>[\d.]+)–"
            r"(?P<hi>[\d.]+); the transcript is unclear, word confidence (?P<clarity>[\d.]+)\)",
            "rate.signal",
        ),
        (
            r"overall (?P<rate>\d+) syllables/min by the signal \(range (?P<lo>[\d.]+)–"
            r"(?P<hi>[\d.]+); the transcript is unclear, word confidence (?P<clarity>[\d.]+)\);"
            r" but the transcript's characters give (?P<chars>\d+) 字/分钟",
            "rate.signal.disagree",
        ),
        *(
            (
                r"overall (?P<rate>\d+) syllables/min by the signal \(range (?P<lo>[\d.]+)–"
                r"(?P<hi>[\d.]+); the transcript is unclear, word confidence "
                r"(?P<clarity>[\d.]+)\); the transcript's characters give (?P<chars>\d+) "
                rf"字/分钟, and the signal leans {side} too",
                f"rate.signal.{side}",
            )
            for side in ("slow", "fast")
        ),
        (r"no (?P<role>agent|customer) speech", "no_role_speech"),
        (r"greeting, company name and self-identification", "self_intro.ok"),
        (r"missing in the first (?P<seconds>[\d.]+) s: (?P<parts>.+)", "missing_first"),
        (r"missing in the last (?P<seconds>[\d.]+) s: (?P<parts>.+)", "missing_last"),
        (r"offer of further help and farewell", "closing.ok"),
        (r"(?P<n>\d+) forbidden phrase\(s\): (?P<said>.+)", "forbidden.hits"),
        (r"(?P<n>\d+) uncertain forbidden phrase\(s\): (?P<said>.+)", "forbidden.doubtful"),
        (r"no forbidden phrase", "forbidden.none"),
        (
            r"(?P<n>\d+) interruption\(s\) over (?P<seconds>[\d.]+) s \(at most (?P<max>\d+)\)",
            "interruption.count",
        ),
        (r"recap by phrase", "recap.phrase"),
        (r"recap by similarity (?P<score>[\d.]+)", "recap.similar"),
        (
            r"no recap phrase and the closest reply has similarity (?P<score>[\d.]+)",
            "recap.missing",
        ),
        (r"call shorter than (?P<seconds>[\d.]+) s", "recap.short"),
        (r"no gap longer than (?P<seconds>[\d.]+) s", "silence.none"),
        (
            r"(?P<failed>\d+) of (?P<n>\d+) gap\(s\) over (?P<seconds>[\d.]+) s not announced"
            r" or not thanked for",
            "silence.unannounced",
        ),
        (r"(?P<n>\d+) hold\(s\) over (?P<seconds>[\d.]+) s, announced", "silence.announced"),
    )
)


def normalize_lang(value: str | None) -> str:
    """'zh', 'zh-CN', 'zh_Hans' -> zh_CN; 'en', 'en-US' -> en; anything else: the default."""
    if not value:
        return DEFAULT_LANG
    v = value.replace("-", "_").lower()
    if v.startswith("en"):
        return "en"
    return DEFAULT_LANG


def gettext(msgid: str, lang: str = DEFAULT_LANG, /, **params: Any) -> str:
    """A UI string in `lang` (English: the id itself), with `%(name)s` params filled."""
    text = UI.get(msgid, msgid) if lang == "zh_CN" else msgid
    if msgid == "rejected-action" and lang != "zh_CN":
        text = "rejected"
    return text % params if params else text


NOTE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), zh)
    for p, zh in (
        (r"checking question echoing the customer \((?P<n>\d+) shared pairs\)",
         "确认式提问，重复了客户的话（{n} 处相同）"),
        (r"checking question restating (?P<n>\d+) characters", "确认式提问，复述了 {n} 个字"),
        (r"similarity (?P<score>[\d.]+) \(needs (?P<need>[\d.]+)\)",
         "相似度 {score}（需要 {need}）"),
    )
)  # fmt: skip
"""Evidence notes with numbers in them, in Chinese."""


def note_text(note: str, lang: str = DEFAULT_LANG) -> str:
    """An evidence note in `lang`: each "; "-separated part that is a known note translated
    ("recap; read again" → 复述确认；重听录音核实), the rest (quoted words, margins) as written."""
    if lang != "zh_CN" or not note:
        return note
    if note in UI:
        return UI[note]
    return "；".join(_note_part(part) for part in note.split("; "))


def _note_part(part: str) -> str:
    if part in UI:
        return UI[part]
    for pattern, zh in NOTE_PATTERNS:
        m = pattern.fullmatch(part)
        if m:
            return zh.format(**m.groupdict())
    return part


def status_label(status: str, lang: str = DEFAULT_LANG) -> str:
    return STATUS.get(status, status) if lang == "zh_CN" else status


def role_label(role: str, lang: str = DEFAULT_LANG) -> str:
    return ROLE.get(role, role) if lang == "zh_CN" else role


def kind_label(kind: str, lang: str = DEFAULT_LANG) -> str:
    return KIND.get(kind, kind) if lang == "zh_CN" else kind.replace("_", " ")


@dataclass(frozen=True)
class Reason:
    """A verdict reason as a message id and params; `id` is None for an unknown message."""

    id: str | None
    params: Mapping[str, Any]
    stored: str


def parse_reason(message: str | None) -> Reason:
    """The structured form of a stored `message` (JSON with an id, or a known sentence)."""
    text = (message or "").strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            raw = data.get("params")
            params: dict[str, Any] = raw if isinstance(raw, dict) else {}
            return Reason(data["id"], params, str(data.get("text") or text))
    for pattern, mid in PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            return Reason(mid, m.groupdict(), text)
    return Reason(None, {}, text)


def _zh_parts(parts: str) -> str:
    """'greeting (您好/你好), company name (星河通信)' in Chinese."""
    out = []
    for part in re.split(r", (?![^()]*\))", parts):
        m = re.fullmatch(r"(?P<name>[^(]+?)(?: \((?P<alts>.*)\))?", part.strip())
        if not m:
            out.append(part)
            continue
        name = _PART.get(m["name"], m["name"])
        out.append(f"{name}（{m['alts']}）" if m["alts"] else name)
    return "；".join(out)


def reason_text(message: str | None, lang: str = DEFAULT_LANG) -> str:
    """A stored verdict reason in `lang`; unknown message ids are shown as stored."""
    reason = parse_reason(message)
    return render_reason(reason, lang)


def render_reason(reason: Reason, lang: str = DEFAULT_LANG) -> str:
    texts = REASONS.get(reason.id or "")
    if texts is None:
        return reason.stored
    params = {k: v for k, v in reason.params.items()}
    if "base" in params:  # a wrapper around another reason: render that one too
        params["base"] = reason_text(str(params["base"]), lang)
        if lang == "zh_CN" and "status" in params:
            params["status"] = STATUS.get(str(params["status"]), params["status"])
    elif lang == "zh_CN":
        if "role" in params:
            params["role"] = ROLE.get(str(params["role"]), params["role"])
        if "parts" in params:
            params["parts"] = _zh_parts(str(params["parts"]))
    template = texts.get(lang) or texts.get("en") or reason.stored
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return reason.stored


@dataclass(frozen=True)
class ItemLabel:
    title: str
    description: str


@lru_cache(maxsize=16)
def item_labels(scorecard_id: str) -> Mapping[str, ItemLabel]:
    """Item id -> title and description, from the scorecard file (empty if it is gone).

    The title is the description up to its first bracket or full stop (the scorecard's
    descriptions begin with a short Chinese name: 开场问候、自报公司名称和工号（seed…）).
    """
    from callqa.errors import CallQAError
    from callqa.scoring.scorecard import load_scorecard

    if not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", scorecard_id or ""):
        return {}
    try:
        card = load_scorecard(scorecard_id)
    except CallQAError:
        return {}
    out = {}
    for item in card.items:
        title = re.split(r"[（(。;；]", item.description, maxsplit=1)[0].strip()
        out[item.id] = ItemLabel(title or item.id, item.description)
    return out


def item_title(scorecard_id: str | None, rule_id: str, lang: str = DEFAULT_LANG) -> str:
    """The item's title from the scorecard (zh_CN); in English, or when unknown, its id."""
    if lang != "zh_CN":
        return rule_id
    label = item_labels(scorecard_id or "").get(rule_id)
    return label.title if label else rule_id


def points_text(points: float, max_points: float, lang: str = DEFAULT_LANG) -> str:
    """得分/满分: '20/20' for a pass, '0/20 扣20' for a fail ('deducted 20' in English)."""
    earned = max(0.0, max_points + points) if points < 0 else max_points
    text = f"{earned:g}/{max_points:g}"
    if points < 0:
        text += " " + gettext("deducted %(points)s", lang, points=f"{-points:g}")
    return text
