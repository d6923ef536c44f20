"""`callqa eval verdicts`: score a labelled set of calls and measure agreement with the labels.

A labelled set is a folder of recordings, each with ``<stem>.expected.json`` beside it
(`expected_rules`, `verdict`, `agent_forbidden_hits`, `turns`; corpus/README.md has the
schema) and optionally a ``manifest.csv`` (agent, team, time, company).  The calls are
scored into a database like any batch (so a second run with the same scorecard, model and
options reads them back instead of scoring again) and compared with
`callqa.scoring.agreement.compare`.

`from_reviews` measures the same figures against the human reviews stored in a database:
each item a reviewer set or decided is a label.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from callqa.errors import CallQAError
from callqa.records import CallMeta, Transcript
from callqa.run.batch import ProgressHook, run_batch
from callqa.run.intelligibility import INTELLIGIBLE_CER, agent_cer
from callqa.run.meta import read_manifest
from callqa.run.pipeline import Pipeline
from callqa.scoring.agreement import Figures, Judged, Span, compare
from callqa.scoring.engine import score_call
from callqa.speech.audio import file_sha256
from callqa.speech.measure import measure
from callqa.store.calls import outcomes
from callqa.store.db import Store

log = logging.getLogger(__name__)

AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a")
INTELLIGIBLE_FIELD = "intelligible"
"""A label may say ``"intelligible": false`` (agent barely understandable): its items
are left out of the review-rate figure for intelligible calls.  Without it, the agent's
character error rate against the labelled turns decides (`callqa.run.intelligibility`)."""


@dataclass(frozen=True)
class Labelled:
    audio: Path
    labels: dict[str, Any]


def find_labelled(folder: str | Path) -> list[Labelled]:
    """Every ``*.expected.json`` under `folder` whose recording sits beside it."""
    root = Path(folder)
    if not root.is_dir():
        raise CallQAError(f"{root}: not a folder - give the folder of a labelled set")
    found: list[Labelled] = []
    for label in sorted(root.rglob("*.expected.json")):
        data = json.loads(label.read_text(encoding="utf-8"))
        stem = label.name[: -len(".expected.json")]
        audio = label.parent / data.get("file", "")
        if not audio.is_file():
            matches = [p for p in label.parent.glob(stem + ".*") if p.suffix in AUDIO_SUFFIXES]
            if not matches:
                log.warning("%s: no recording beside it; skipped", label)
                continue
            audio = matches[0]
        found.append(Labelled(audio, data))
    if not found:
        raise CallQAError(f"{root}: no <stem>.expected.json files - not a labelled set")
    return found


def _manifests(items: list[Labelled]) -> dict[str, CallMeta]:
    meta: dict[str, CallMeta] = {}
    for folder in sorted({i.audio.parent for i in items}):
        manifest = folder / "manifest.csv"
        if manifest.is_file():
            for key, value in read_manifest(manifest).items():
                meta.setdefault(key, value)
                meta.setdefault(str(folder / key), value)
    return meta


def evaluate_dir(
    folder: str | Path,
    pipeline: Pipeline,
    store: Store,
    *,
    workers: int = 1,
    hook: ProgressHook | None = None,
    rescore: bool = False,
) -> Figures:
    """Score the labelled set in `folder` into `store` (skipping what is stored) and compare.

    With `rescore`, calls already stored (by any scorecard) are judged again from their
    stored transcripts with `pipeline.scorecard`, without transcribing again: the quick
    loop for a scorecard change.
    """
    items = find_labelled(folder)
    manifest = _manifests(items)
    todo = items
    if rescore:
        todo = [i for i in items if store.latest_scoring(file_sha256(i.audio)) is None]
    summary = run_batch(
        [i.audio for i in todo], store, pipeline, manifest=manifest, workers=workers, hook=hook
    )
    errors = {o.file: o.error for o in summary.outcomes if o.status == "failed"}
    judged = [
        _judged(
            store,
            item,
            errors.get(str(item.audio)),
            pipeline if rescore else None,
            manifest.get(item.audio.name, CallMeta()).company,
        )
        for item in items
    ]
    return compare(judged)


def _judged(
    store: Store,
    item: Labelled,
    error: str | None,
    rescorer: Pipeline | None,
    company: str | None,
) -> Judged:
    labels = item.labels
    score = None
    cer = None
    if error is None:
        scoring = store.latest_scoring(file_sha256(item.audio))
        if scoring is not None:
            transcript = store.load_transcript(scoring.id)
            cer = agent_cer(labels.get("turns", []), transcript.utterances)
        if scoring is not None and rescorer is not None:
            score = score_call(rescorer.scorecard, transcript, measure(transcript), company=company)
        elif scoring is not None:
            score = store.load_score(scoring.id)
    hits = tuple(
        Span(float(h["start"]), float(h["end"]))
        for h in labels.get("agent_forbidden_hits", [])
        if isinstance(h, dict) and "start" in h
    )
    customer = tuple(
        Span(float(t["start"]), float(t["end"]))
        for t in labels.get("turns", [])
        if t.get("speaker") == "customer"
    )
    return Judged(
        name=item.audio.name,
        score=score,
        expected_rules=dict(labels.get("expected_rules", {})),
        expected_verdict=labels.get("verdict"),
        expected_hits=hits,
        customer_turns=customer,
        error=error,
        intelligible=bool(labels.get(INTELLIGIBLE_FIELD, True))
        and (cer is None or cer < INTELLIGIBLE_CER),
        agent_cer=cer,
    )


def stored_transcripts(folder: str | Path, store: Store) -> Iterator[tuple[Labelled, Transcript]]:
    """Each labelled call of `folder` that `store` holds, with its latest stored transcript
    (for benchmarks that ask the audio again without transcribing the call anew)."""
    for item in find_labelled(folder):
        scoring = store.latest_scoring(file_sha256(item.audio))
        if scoring is not None:
            yield item, store.load_transcript(scoring.id)


def stored(folder: str | Path, store: Store) -> Figures:
    """Agreement of what `store` already holds for the labelled set (nothing is scored):
    e.g. a database scored by another callqa version, for before/after figures."""
    items = find_labelled(folder)
    judged = [
        _judged(
            store,
            item,
            None if store.latest_scoring(file_sha256(item.audio)) else "not in the database",
            None,
            None,
        )
        for item in items
    ]
    return compare(judged)


def from_reviews(store: Store) -> Figures:
    """Agreement of the stored machine verdicts with the stored human reviews."""
    judged: list[Judged] = []
    for row in store.calls():
        if row.status != "scored":
            continue
        scoring = store.latest_scoring(row.call_id)
        if scoring is None:
            continue
        human = {o.rule_id: o.status for o in outcomes(store, scoring.id) if o.review_id}
        if human:
            judged.append(
                Judged(name=row.file, score=store.load_score(scoring.id), expected_rules=human)
            )
    if not judged:
        raise CallQAError(f"{store.path}: no reviewed items - review some calls first")
    return compare(judged)
