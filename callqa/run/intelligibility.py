"""How well the transcriber heard the agent of a labelled call: character error rate.

The review-rate target of a labelled set is for calls whose agent the transcriber can
read at all (issue 10: an agent at ASR CER ~0.5 is "barely intelligible").  A label may
say so itself (``"intelligible": false``); otherwise the agent's labelled turns are
compared with the words the transcript has inside them, whatever speaker or role they
were given, so that the figure measures hearing, not diarization or role choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from callqa.records import Utterance, Word
from callqa.speech.textnorm import edit_distance, phrase_key

INTELLIGIBLE_CER = 0.4
"""An agent is intelligible to the transcriber below this character error rate (fewer
than 4 characters in 10 wrong): issue 10 calls CER ~0.5 barely intelligible."""
SLACK_S = 0.3
"""A word belongs to a labelled turn when its middle lies within it, give or take this."""


def agent_cer(turns: Iterable[Mapping[str, Any]], utterances: Sequence[Utterance]) -> float | None:
    """Character error rate of the transcript against the agent's labelled turns (digits
    and 您/你 folded, punctuation dropped); None when no turn is labelled the agent's."""
    spans = [
        (float(t["start"]), float(t["end"]), phrase_key(str(t.get("text", ""))))
        for t in turns
        if t.get("speaker") == "agent" and "start" in t and "end" in t  # untimed: no use
    ]
    reference = "".join(text for _, _, text in spans)
    if not reference:
        return None
    heard = [
        w
        for u in sorted(utterances, key=lambda u: u.start)
        for w in (u.words or (Word(u.start, u.end, u.text, u.confidence),))
    ]
    hypothesis = "".join(
        phrase_key(w.text)
        for w in heard
        if any(a - SLACK_S <= (w.start + w.end) / 2 <= b + SLACK_S for a, b, _ in spans)
    )
    return edit_distance(reference, hypothesis) / len(reference)
