"""Fix a call's speaker roles by hand and score it again, with an audit row.

`relabel(store, call_id, who=..., reason=...)` swaps agent and customer on the call's
latest scoring, re-scores the stored transcript with the scorecard, writes the new
scoring in one transaction and appends a `relabel` row to the reviews table.
"""

from __future__ import annotations

from dataclasses import replace

from callqa.errors import StoreError
from callqa.records import CallMeta, CallResult, ChannelName, RoleAssignment, Transcript, other_role
from callqa.scoring.engine import score_call
from callqa.scoring.scorecard import Scorecard
from callqa.speech.measure import measure
from callqa.speech.timeline import swapped
from callqa.store.db import AuditEntry, Store


def swap_roles(transcript: Transcript, *, who: str) -> Transcript:
    """Agent ↔ customer on every utterance; the roles become certain (a person said so)."""
    utterances = tuple(replace(u, role=other_role(u.role)) for u in transcript.utterances)
    agents = {u.speaker for u in utterances if u.role == "agent"}
    channel: ChannelName | None = None
    if transcript.agent_channel is not None:
        channel = "right" if transcript.agent_channel == "left" else "left"
    roles = RoleAssignment(
        agent_speaker=next(iter(agents)) if len(agents) == 1 else None,
        confidence=1.0,
        swapped=not transcript.roles.swapped,
        reason=f"relabelled by hand by {who}",
    )
    timeline = None if transcript.timeline is None else swapped(transcript.timeline)
    return replace(
        transcript, utterances=utterances, roles=roles, agent_channel=channel, timeline=timeline
    )


def relabel(
    store: Store, call_id: str, *, scorecard: Scorecard, who: str, reason: str | None = None
) -> CallResult:
    """Swap the roles of a stored call, score it again and record who did it and why."""
    scoring = store.latest_scoring(call_id)
    if scoring is None:
        raise StoreError(f"call {call_id[:12]} has no scoring to relabel - score it first")
    old = store.load_transcript(scoring.id)
    transcript = swap_roles(old, who=who)
    measures = measure(transcript)
    call = store.call(call_id)
    score = score_call(scorecard, transcript, measures, company=call.company)
    result = CallResult(
        call_id=call_id,
        file=call.file,
        duration=call.duration or transcript.duration,
        meta=CallMeta(call.agent_id, call.team, call.call_time, call.company),
        transcript=transcript,
        measures=measures,
        score=score,
        model=scoring.model,
        channels=call.channels or 1,
        source_sample_rate=call.sample_rate or 0,
        options=scoring.options,
    )
    store.save_result(
        result,
        review=AuditEntry(
            kind="relabel",
            who=who,
            reason=reason or "agent and customer swapped",
            old_status=f"agent={old.agent_channel or old.roles.agent_speaker}",
            new_status=f"agent={transcript.agent_channel or transcript.roles.agent_speaker}",
        ),
    )
    return result
