"""Clip packs for trainers: one audio clip per evidence span of a rule, with a manifest.

    pack/
      forbidden_phrases/0001_3f2a9c01b2c4_012.3s.wav   (16 kHz wav, stereo kept)
      manifest.csv, manifest.json                      (call, agent, rule, times, text, reason)

Hits come from each call's latest scoring after human reviews (`--status fail` for
bad examples, `pass` for good ones).  Each clip is the evidence span padded on both
sides (both speakers audible).  Sensitive digit sequences are masked in the text and
toned over in the audio (`callqa.review.mask`) unless `mask=False`.

Nothing is written outside the output folder: every name is sanitised and every path
resolved and checked against it.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from callqa.errors import CallQAError, ClipError
from callqa.records import DecodedAudio, Span
from callqa.review.mask import SpokenText, TimedWord, mask_text, sensitive_spans, tone_over
from callqa.speech.audio import decode
from callqa.store import calls as stored_calls
from callqa.store.db import Store
from callqa.store.desk import known_rule_ids
from callqa.store.filters import Filters

log = logging.getLogger(__name__)

DEFAULT_PAD_S = 2.0
MANIFEST_COLUMNS = (
    "clip",
    "call_id",
    "agent_id",
    "team",
    "call_time",
    "rule_id",
    "status",
    "machine_status",
    "start",
    "end",
    "clip_start",
    "clip_end",
    "masked",
    "evidence",
    "snippet",
    "reason",
    "file",
)
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Hit:
    """One evidence span of a rule on a call: what a clip is cut around."""

    call_id: str
    file: str
    scoring_id: int
    agent_id: str | None
    team: str | None
    call_time: str | None
    rule_id: str
    status: str
    machine_status: str
    start: float
    end: float
    text: str
    reason: str


@dataclass(frozen=True)
class Clip:
    clip: str
    call_id: str
    agent_id: str | None
    team: str | None
    call_time: str | None
    rule_id: str
    status: str
    machine_status: str
    start: float
    end: float
    clip_start: float
    clip_end: float
    masked: int
    evidence: str
    snippet: str
    reason: str
    file: str = ""
    """The source recording the clip was cut from."""


@dataclass(frozen=True)
class ClipPack:
    out_dir: Path
    clips: tuple[Clip, ...]
    skipped: tuple[tuple[str, str], ...]
    """(call id, why) for calls whose audio could not be read."""


def find_hits(
    store: Store,
    rule_id: str,
    *,
    status: str = "fail",
    filters: Filters | None = None,
    limit: int | None = None,
) -> list[Hit]:
    """Evidence spans of `rule_id` on calls where its effective status is `status`."""
    hits = []
    for row in stored_calls.hits(store, rule_id, status=status, filters=filters or Filters()):
        item = row.outcome
        for e in sorted(item.evidence, key=lambda e: (e.start, e.end)):
            hits.append(
                Hit(
                    row.call_id,
                    row.file,
                    row.scoring_id,
                    row.agent_id,
                    row.team,
                    row.call_time,
                    rule_id,
                    item.status,
                    item.machine_status,
                    e.start,
                    e.end,
                    e.text,
                    e.note or item.message,
                )
            )
            if limit is not None and len(hits) >= limit:
                return hits
    return hits


def check_rule(store: Store, rule_id: str) -> None:
    """ClipError naming the known item ids when no stored call has `rule_id`."""
    known = known_rule_ids(store.db)
    if rule_id not in known:
        raise ClipError(
            f"no item {rule_id!r} in any scored call - items: {', '.join(known) or '(none)'}"
        )


def merge_hits(hits: Sequence[Hit], *, pad: float = DEFAULT_PAD_S) -> list[Hit]:
    """Hits of one call and rule whose padded clips would overlap, merged into one."""
    out: list[Hit] = []
    for hit in hits:
        last = out[-1] if out else None
        if (
            last is not None
            and (last.call_id, last.rule_id, last.scoring_id)
            == (hit.call_id, hit.rule_id, hit.scoring_id)
            and hit.start - pad <= last.end + pad
        ):
            text = last.text if hit.text in last.text else f"{last.text} … {hit.text}"
            reason = last.reason if hit.reason in last.reason else f"{last.reason}; {hit.reason}"
            out[-1] = replace(
                last,
                start=min(last.start, hit.start),
                end=max(last.end, hit.end),
                text=text,
                reason=reason,
            )
        else:
            out.append(hit)
    return out


def safe_name(text: str, *, max_len: int = 64) -> str:
    """A file-name component made only of [A-Za-z0-9_.-], never '.', '..' or empty."""
    name = _UNSAFE.sub("_", text).strip("._")[:max_len]
    return name or "_"


def inside(root: Path, relative: str) -> Path:
    """`root/relative`, resolved; ClipError if it would land outside `root`."""
    base = root.resolve()
    path = (base / relative).resolve()
    if not path.is_relative_to(base):
        raise ClipError(f"refusing to write {relative!r}: it resolves outside {root}")
    return path


@dataclass(frozen=True)
class CallText:
    """A scoring's utterances for masking and snippets, and each speaker's role."""

    spoken: tuple[SpokenText, ...]
    roles: dict[str, str]


def _call_text(store: Store, scoring_id: int) -> CallText:
    rows = store.utterances(scoring_id)
    spoken = tuple(
        SpokenText(
            u.start,
            u.end,
            u.speaker,
            u.text,
            tuple(TimedWord(w.start, w.end, w.text) for w in u.words),
        )
        for u in rows
    )
    return CallText(spoken, {u.speaker: u.role for u in rows})


def _snippet(spoken: Sequence[SpokenText], window: Span, roles: dict[str, str]) -> str:
    parts = [
        f"{roles.get(u.speaker, u.speaker)}: {u.text}"
        for u in spoken
        if Span(u.start, u.end).overlap(window) > 0
    ]
    return " | ".join(parts)


def export_clips(
    store: Store,
    hits: Sequence[Hit],
    out_dir: str | Path,
    *,
    pad: float = DEFAULT_PAD_S,
    mask: bool = True,
    decoder: Callable[[str], DecodedAudio] = decode,
) -> ClipPack:
    """Write one wav per hit under `out_dir/<rule>/` and manifest.csv/.json in `out_dir`."""
    if pad < 0:
        raise ClipError(f"padding {pad} s - give 0 or more seconds")
    root = Path(out_dir)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ClipError(f"{root}: cannot create the output folder ({exc.strerror})") from None
    clips: list[Clip] = []
    skipped: list[tuple[str, str]] = []
    counters: dict[str, int] = {}
    current: tuple[str, DecodedAudio | None, CallText | None] = ("", None, None)
    for hit in merge_hits(hits, pad=pad):
        if hit.call_id != current[0]:  # hits come grouped by call: decode each call once
            decoded = _decode(decoder, hit, skipped)
            current = (hit.call_id, decoded, _call_text(store, hit.scoring_id) if decoded else None)
        _, decoded, text = current
        if decoded is None or text is None:
            continue
        rule_dir = safe_name(hit.rule_id)
        counters[rule_dir] = counters.get(rule_dir, 0) + 1
        name = f"{counters[rule_dir]:04d}_{safe_name(hit.call_id[:12])}_{hit.start:05.1f}s.wav"
        relative = f"{rule_dir}/{name}"
        clips.append(_write_clip(hit, decoded, text, inside(root, relative), relative, pad, mask))
    _write_manifests(root, clips)
    log.info("wrote %d clips to %s (%d calls skipped)", len(clips), root, len(skipped))
    return ClipPack(root, tuple(clips), tuple(skipped))


def _decode(
    decoder: Callable[[str], DecodedAudio], hit: Hit, skipped: list[tuple[str, str]]
) -> DecodedAudio | None:
    try:
        return decoder(hit.file)
    except CallQAError as exc:
        log.warning("call %s: %s - its clips are skipped", hit.call_id[:12], exc)
        skipped.append((hit.call_id, str(exc)))
        return None


def _write_clip(
    hit: Hit,
    decoded: DecodedAudio,
    text: CallText,
    path: Path,
    relative: str,
    pad: float,
    mask: bool,
) -> Clip:
    rate = decoded.sample_rate
    total = len(decoded.channels[0])
    first = max(0, round((hit.start - pad) * rate))
    last = min(total, max(first, round((hit.end + pad) * rate)))
    window = Span(first / rate, last / rate)
    channels = tuple(c[first:last] for c in decoded.channels)
    spans = [s for s in sensitive_spans(text.spoken) if s.overlap(window) > 0] if mask else []
    if spans:
        channels = tone_over(channels, spans, sample_rate=rate, offset=window.start)
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.stack(channels, axis=1), rate, subtype="PCM_16")

    def shown(s: str) -> str:
        return mask_text(s) if mask else s

    return Clip(
        relative,
        hit.call_id,
        hit.agent_id,
        hit.team,
        hit.call_time,
        hit.rule_id,
        hit.status,
        hit.machine_status,
        round(hit.start, 3),
        round(hit.end, 3),
        round(window.start, 4),
        round(window.end, 4),
        len(spans),
        shown(hit.text),
        shown(_snippet(text.spoken, window, text.roles)),
        shown(hit.reason),
        hit.file,
    )


def _write_manifests(root: Path, clips: Sequence[Clip]) -> None:
    rows = [asdict(c) for c in clips]
    with inside(root, "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, MANIFEST_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    inside(root, "manifest.json").write_text(
        json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8"
    )


def export_zip(store: Store, hits: Sequence[Hit], **options: Any) -> bytes:
    """The clip pack of `hits` as the bytes of a zip file (for a download)."""
    with tempfile.TemporaryDirectory(prefix="callqa-clips-") as tmp:
        pack = export_clips(store, hits, tmp, **options)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in ["manifest.csv", "manifest.json", *(c.clip for c in pack.clips)]:
                zf.write(inside(pack.out_dir, name), arcname=name)
        return buf.getvalue()
