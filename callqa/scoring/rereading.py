"""Items left to review because murky speech may hide a phrase: the audio asked again.

In murky agent speech an opening, close or courtesy term the transcript lacks is not a
fail but `review` (`callqa.scoring.engine`): Whisper base writes 工号 as 公号, 来电 as 来点,
客服 as 克服.  For those items only (`REREAD_KINDS`), the agent's utterances where the
item looks (the opening, the close) are read again (`callqa.speech.reread`): a phrase
that a prompted reading brings in, and that fits the audio better than ordinary words of
its length by `REREAD_CONFIRM`, replaces the words it was heard as.  The call is judged
again on those amended utterances, and an item it now passes, passes, with the readings
in its evidence.  Nothing else changes: no item is failed here, and no other item
(a forbidden phrase above all) is judged on the amended words.

A `recap` in review is looked for in the agent's speech that follows the customer's
request (`RECAP_STRETCHES` stretches of it, from the timeline): Whisper base often drops
a murky agent's whole reply, so there may be no words to edit.  Each stretch is read with
the recap lead-ins as the prompt (`callqa.speech.reread.read_lead_ins`); a lead-in (您是说,
跟您确认一下 …) that beats ordinary words in its place in that reading by `REREAD_CONFIRM`
puts the reading into the call as the agent's words there, and the item is judged again.

A `self_intro` in review or failed for a company name its opening lacks (a rare brand
Whisper base writes as other words, clear agent or not) is looked for in the first
`NAME_STRETCHES` stretches of the agent's speech: each is read with the name as the prompt
(`callqa.speech.reread.read_name`), and a name that beats other names of its shape in its
place in that reading by `NAME_CONFIRM` is said there: the item is judged again with the
name, alone, as the agent's words in that stretch (the reading's other words are not).

A `silence` in review (a long silence whose announcement or thanks murky speech may hide)
is looked for around each silence over the item's `max_gap_s` (`hold_spans`): the last
`HOLD_STRETCHES` stretches of the agent's speech before it are read with a hold's
announcement proposed, the first after it with the thanks (`callqa.speech.reread.read_hold`,
the item's own phrase lists); a phrase that beats ordinary words in its place in that
reading by `REREAD_CONFIRM` puts the reading into the call as the agent's words there, and
the silence item alone is judged again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import cast

from callqa.records import CallScore, RuleResult, Span, Transcript, Utterance
from callqa.scoring.engine import agent_clarity, verdict_of
from callqa.scoring.kinds.silence import SLACK_S
from callqa.scoring.kinds.silence import Params as SilenceParams
from callqa.scoring.scorecard import Scorecard
from callqa.scoring.verification import only_company
from callqa.speech.reread import HOLD_PROMPT, THANKS_PROMPT, Reading, plain, stretches
from callqa.speech.timeline import silences

log = logging.getLogger(__name__)

REREAD_CONFIRM = 6.0
"""Summed log-probability by which the utterance with the phrase must beat it with the best
ordinary word in its place.  Set on the tuning splits (dev, holdout, final, fresh;
benchmarks/bench_reread.py; docs/accuracy.md, round 9): of the phrases a reading brought
in, 56 of 70 that the script says reach it (median +9.4: 工号 from 公号/功耗/中号, 客服 from
克服, 来电 from 来点 …), none of 22 that it does not (at most +4.2)."""
NAME_CONFIRM = 3.0
"""Summed log-probability by which a reading's company name must beat the same reading
with another brand of its shape in its place (`read_name`).  A statistic of its own, so
set on its own calibration (benchmarks/bench_name_reread.py on the tuning splits; round 12,
docs/accuracy.md): of 620 readings proposing a brand the agent never said, 4 brought it in
with speech around it, at most -0.04; of 56 readings with a said name, 48 reach +3 (46
reach +6).  The threshold sits 3 above the highest never-said name, as `REREAD_CONFIRM`
sits 2 above its highest not-said phrase."""
REREAD_KINDS = ("self_intro", "closing", "politeness", "recap", "silence")
OPENING_S = 15.0
CLOSING_S = 20.0
"""Windows read again when the item gives none (`within_s` of self_intro and closing)."""
NOT_WORDS = ("roles uncertain", "roles unknown", "barely intelligible")
"""Reviews that another reading cannot settle."""

NAME_STRETCHES = 2
"""Stretches of the opening read for the company name: the greeting's, and the next (a
name said after 您好，这里是 … in a breath of its own)."""
RECAP_STRETCHES = 3
"""Stretches of the agent's speech after the request read for a recap: the rule's two
replies, and one more for an acknowledgement (好的) said on its own."""

HOLD_STRETCHES = 2
"""Stretches of the agent's speech before a long silence read for its announcement: the
last, and the one before it (请您稍等 said before the customer's 好的)."""

Propose = Callable[[Utterance], Sequence[Reading]]
ProposeAt = Callable[[Span], Sequence[Reading]]
NameAt = Callable[[Span], "Reading | None"]
HoldAt = Callable[[Span, str, tuple[str, ...]], Sequence[Reading]]
"""(stretch, prompt, phrases) → the phrases a reading of the stretch with the prompt has
(`callqa.speech.reread.read_hold`)."""
Rescore = Callable[[Transcript], CallScore]


def pending(score: CallScore, scorecard: Scorecard) -> dict[str, str]:
    """{item id: kind} of the items in review that a second reading may settle."""
    kinds = {item.id: item.type for item in scorecard.items}
    return {
        r.id: kinds[r.id]
        for r in score.rules
        if r.status == "review"
        and kinds.get(r.id) in REREAD_KINDS
        and not any(m in r.message for m in NOT_WORDS)
        and not only_company(r.message)  # a name is the cohort's to confirm, not a reading's
    }


def naming(score: CallScore, scorecard: Scorecard) -> str | None:
    """The id of a self_intro item in review or failed that lacks the company name (its
    message's head names it), when another reading may settle it.  A fail too: a clear
    agent's rare brand can come out as words nothing like it (a `fail` by the text), and
    the issue asks for a deciding miss to be asked of the audio."""
    kinds = {item.id: item.type for item in scorecard.items}
    for r in score.rules:
        head = r.message.split(" - ")[0]
        if (
            r.status in ("review", "fail")
            and kinds.get(r.id) == "self_intro"
            and "company name (" in head
            and not any(m in r.message for m in NOT_WORDS)
        ):
            return r.id
    return None


def opening_spans(transcript: Transcript, scorecard: Scorecard) -> list[Span]:
    """The first `NAME_STRETCHES` stretches of the agent's speech (the timeline's, else the
    transcript's) that start within the self_intro item's window."""
    within = {item.type: getattr(item.params, "within_s", None) for item in scorecard.items}
    opening_s = within.get("self_intro") or OPENING_S
    joined = stretches(_agent_speech(transcript))
    if not joined:
        return []
    first = joined[0][0]
    return [Span(a, b) for a, b in joined if a < first + opening_s][:NAME_STRETCHES]


def _agent_speech(transcript: Transcript) -> list[tuple[float, float]]:
    line = transcript.timeline
    speech = [(s.start, s.end) for s in line.speech("agent")] if line is not None else []
    return speech or [(u.start, u.end) for u in transcript.utterances if u.role == "agent"]


def _agent_speaker(transcript: Transcript) -> str:
    """The agent's speaker label: the timeline's agent lane, else the first agent utterance's."""
    line = transcript.timeline
    lane = line.lane("agent") if line is not None else None
    if lane is not None:
        return lane.speaker
    return next((u.speaker for u in transcript.utterances if u.role == "agent"), "agent")


def with_name(transcript: Transcript, span: Span, name: str, confidence: float) -> Transcript:
    """`transcript` with `name` said in `span` by the agent, as an utterance of its own
    beside the words transcribed there (without word timings, of `confidence`)."""
    said = Utterance(
        span.start, span.end, _agent_speaker(transcript), "agent", name, confidence=confidence
    )
    utts = sorted((*transcript.utterances, said), key=lambda u: u.start)
    return replace(transcript, utterances=tuple(utts))


def windows(transcript: Transcript, scorecard: Scorecard, kinds: Sequence[str]) -> list[Utterance]:
    """The agent's utterances of the opening and/or the close, as `kinds` look at them."""
    spoken = sorted(
        (u for u in transcript.utterances if u.role == "agent" and plain(u.text)),
        key=lambda u: u.start,
    )
    if not spoken:
        return []
    within = {item.type: getattr(item.params, "within_s", None) for item in scorecard.items}
    opening_s = within.get("self_intro") or OPENING_S
    closing_s = within.get("closing") or CLOSING_S
    last = max(u.end for u in spoken)
    picked: list[Utterance] = []
    if {"self_intro", "politeness"} & set(kinds):
        picked += [u for u in spoken if u.start <= spoken[0].start + opening_s]
    if {"closing", "politeness"} & set(kinds):
        picked += [u for u in spoken if u.end >= last - closing_s and u not in picked]
    return picked


def amended(utt: Utterance, readings: Sequence[Reading]) -> Utterance:
    """`utt` with the confirmed readings' edits made (right to left, none overlapping);
    its word timings are dropped, since the words are no longer the transcriber's."""
    text = plain(utt.text)
    taken: list[tuple[int, int]] = []
    for r in sorted(readings, key=lambda r: r.start_char, reverse=True):
        a, b = r.start_char, r.start_char + len(r.heard)
        if any(a < y and x < b for x, y in taken) or text[a:b] != r.heard:
            continue
        text = text[:a] + r.proposed + text[b:]
        taken.append((a, b))
    return replace(utt, text=text, words=())


def recap_spans(score: CallScore, transcript: Transcript, item_id: str) -> list[Span]:
    """The first `RECAP_STRETCHES` stretches of the agent's speech (the timeline's, else the
    transcript's) that start after the request the recap item quotes (its evidence noted
    "request"; the call's start when it quotes none)."""
    r = next((x for x in score.rules if x.id == item_id), None)
    request = next((e for e in (r.evidence if r else ()) if e.note == "request"), None)
    after = request.start + 1.0 if request is not None else 0.0
    speech = _agent_speech(transcript)
    return [Span(a, b) for a, b in stretches(speech) if a >= after][:RECAP_STRETCHES]


def silence_params(scorecard: Scorecard) -> SilenceParams | None:
    """The parameters of the scorecard's first silence item (None: it has none)."""
    item = next((i for i in scorecard.items if i.type == "silence"), None)
    return None if item is None else cast(SilenceParams, item.params)


def hold_spans(
    transcript: Transcript, params: SilenceParams
) -> list[tuple[list[Span], list[Span]]]:
    """For each silence over `max_gap_s` (the timeline's), the agent's stretches where its
    announcement would be (the last `HOLD_STRETCHES` that end within `announce_within_s`
    before it, and after the silence before it) and, for a hold over `thank_after_s`,
    where the thanks would be (the first stretch after it)."""
    if transcript.timeline is None:
        return []
    long_s = params.max_gap_s
    gaps = [g for g in silences(transcript.timeline, min_s=long_s) if g.duration > long_s]
    joined = [Span(a, b) for a, b in stretches(_agent_speech(transcript))]
    out: list[tuple[list[Span], list[Span]]] = []
    for k, gap in enumerate(gaps):
        since = max(gap.start - params.announce_within_s, gaps[k - 1].end - SLACK_S if k else 0.0)
        before = [s for s in joined if since <= s.end <= gap.start + SLACK_S]
        after = [s for s in joined if s.start >= gap.end - SLACK_S][:1]
        thanked = gap.duration > params.thank_after_s
        out.append((before[-HOLD_STRETCHES:], after if thanked else []))
    return out


def with_reading(transcript: Transcript, span: Span, reading: str, confidence: float) -> Transcript:
    """`transcript` with the agent's words in `span` (utterances centred there) replaced by
    one utterance of `reading`, without word timings, of `confidence`."""
    agent = [u for u in transcript.utterances if u.role == "agent"]
    inside = [u for u in agent if span.start <= (u.start + u.end) / 2 <= span.end]
    speaker = inside[0].speaker if inside else _agent_speaker(transcript)
    said = Utterance(span.start, span.end, speaker, "agent", reading, confidence=confidence)
    kept = [u for u in transcript.utterances if not any(u is x for x in inside)]
    return replace(transcript, utterances=tuple(sorted((*kept, said), key=lambda u: u.start)))


def reread_items(
    score: CallScore,
    transcript: Transcript,
    scorecard: Scorecard,
    propose: Propose,
    rescore: Rescore,
    lead_ins: ProposeAt | None = None,
    name_at: NameAt | None = None,
    hold_at: HoldAt | None = None,
) -> CallScore:
    """`score` with the items of `pending` (and of `naming`, given `name_at`) that the
    amended utterances pass, passed."""
    clarity = agent_clarity(transcript)
    if clarity is None or clarity < scorecard.min_agent_clarity:
        return score  # barely intelligible: a pass would be review anyway
    todo = pending(score, scorecard)
    name_id = naming(score, scorecard) if name_at is not None else None
    if not todo and name_id is None:
        return score
    confirmed: dict[int, list[Reading]] = {}
    for utt in windows(transcript, scorecard, tuple(todo.values())):
        found = [r for r in propose(utt) if r.over_cohort >= REREAD_CONFIRM]
        if found:
            confirmed[id(utt)] = found
    heard: list[tuple[Span, list[Reading]]] = []
    recaps = [i for i, kind in todo.items() if kind == "recap"]
    if lead_ins is not None and recaps and transcript.utterances:
        for span in recap_spans(score, transcript, recaps[0]):
            found = [r for r in lead_ins(span) if r.over_cohort >= REREAD_CONFIRM]
            if found:
                heard.append((span, found))
                break  # one lead-in the audio confirms is a recap
    named: tuple[Span, Reading] | None = None
    if name_at is not None and name_id is not None:
        for span in opening_spans(transcript, scorecard):
            said = name_at(span)
            if said is not None and said.over_cohort >= NAME_CONFIRM:
                named = (span, said)
                break  # the name said once is enough
    holds = _holds(todo, transcript, scorecard, hold_at)
    if not confirmed and not heard and named is None and not holds:
        return score
    edited = replace(
        transcript,
        utterances=tuple(
            amended(u, confirmed[id(u)]) if id(u) in confirmed else u for u in transcript.utterances
        ),
    )
    # The items other than the recap are judged on the confirmed edits only: a reading of
    # a stretch is confirmed for its lead-in, not for any other word in it.
    by_edits = {r.id: r for r in rescore(edited).rules} if confirmed else {}
    with_lead = edited
    for span, found in heard:
        with_lead = with_reading(with_lead, span, found[0].text, round(clarity, 3))
    by_lead = {r.id: r for r in rescore(with_lead).rules} if heard else {}
    with_hold = edited
    for span, found in holds:
        with_hold = with_reading(with_hold, span, found[0].text, round(clarity, 3))
    by_hold = {r.id: r for r in rescore(with_hold).rules} if holds else {}
    # The opening is judged with the name alone said where the audio confirms it.
    by_name: dict[str, RuleResult] = {}
    if named is not None:
        span, said = named
        spoken = with_name(edited, span, said.proposed, round(clarity, 3))
        by_name = {r.id: r for r in rescore(spoken).rules}
    edits = [r for found in confirmed.values() for r in found]
    leads = [r for _, found in heard for r in found]
    held = [r for _, found in holds for r in found]
    results = []
    for r in score.rules:
        again = by_name.get(r.id) if r.id == name_id else None
        if named is not None and again is not None and again.status == "pass":
            results.append(_passed(r, again, [*edits, named[1]], NAMES))
            continue
        if todo.get(r.id) == "silence":
            again = by_hold.get(r.id)
            passed = again is not None and again.status == "pass"
            results.append(_passed(r, again, held) if again is not None and passed else r)
            continue
        lead = todo.get(r.id) == "recap" and r.id in by_lead
        again = by_lead.get(r.id) if lead else by_edits.get(r.id)
        if r.id in todo and again is not None and again.status == "pass":
            results.append(_passed(r, again, leads if lead else edits))
        else:
            results.append(r)
    readings = edits + leads + held + ([named[1]] if named is not None else [])
    if results == list(score.rules):
        return score
    log.info("read again: %s", ", ".join(_said(x) for x in readings))
    total, verdict = verdict_of(
        tuple(results), max_score=score.max_score, pass_mark=score.pass_mark or 0.0
    )
    return replace(score, rules=tuple(results), score=total, verdict=verdict)


def hold_prompts(
    params: SilenceParams,
) -> tuple[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...]]]:
    """(prompt, phrases) to read the stretches before a long silence with (its announcement)
    and after it (the thanks), from the silence item's own lists."""
    return (
        (HOLD_PROMPT, tuple(p.text for p in params.announcements)),
        (THANKS_PROMPT, tuple(p.text for p in params.thanks)),
    )


def _holds(
    todo: dict[str, str], transcript: Transcript, scorecard: Scorecard, hold_at: HoldAt | None
) -> list[tuple[Span, list[Reading]]]:
    """The stretches around the long silences of a silence item in `todo` where a reading
    has a hold phrase the audio confirms (the latest stretch of each side that has one)."""
    item = next((i for i in scorecard.items if todo.get(i.id) == "silence"), None)
    if item is None or hold_at is None:
        return []
    params = cast(SilenceParams, item.params)
    announce, thank = hold_prompts(params)
    found: list[tuple[Span, list[Reading]]] = []
    for before, after in hold_spans(transcript, params):
        for spans, (prompt, phrases) in ((before[::-1], announce), (after, thank)):
            for span in spans:
                read = hold_at(span, prompt, phrases)
                ok = [r for r in read if r.over_cohort >= REREAD_CONFIRM]
                if ok:
                    found.append((span, ok))
                    break
    return found


def _said(x: Reading) -> str:
    """公号 ≈ 工号 (+8.8) for an edit; 您是说 (+14.8) for a lead-in heard in a new reading."""
    return (
        f"{x.heard} ≈ {x.proposed} ({x.over_cohort:+.1f})"
        if x.heard
        else (f"{x.proposed} ({x.over_cohort:+.1f})")
    )


WORDS = "the audio confirms over ordinary words"
NAMES = "the audio confirms over other names and words"
"""How a pass read again says what the audio was weighed against (the web translates
both: `callqa.review.i18n`)."""


def _passed(
    before: RuleResult, after: RuleResult, readings: Sequence[Reading], weighed: str = WORDS
) -> RuleResult:
    said = "; ".join(_said(x) for x in readings)
    notes = tuple(
        replace(ev, note="; ".join(n for n in (ev.note, "read again") if n))
        for ev in after.evidence
    )
    return replace(
        before,
        status="pass",
        points=0.0,
        evidence=notes,
        message=f"{after.message} (read again, {weighed}: {said})",
    )
