"""`callqa show CALL_ID`: the transcript by speaker and each rule's verdict with evidence."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import click

from callqa.cli import main
from callqa.cli.options import existing_db_option
from callqa.cli.output import Column, cli_lang, emit, format_option, json_lines, pad, width
from callqa.errors import ReviewError
from callqa.review.i18n import item_title, points_text, reason_text, role_label, status_label
from callqa.review.reviews import CallReview, EffectiveScore, load_call_review
from callqa.review.timeline_view import metrics_lines, text_lanes
from callqa.run.names import printable
from callqa.scoring.engine import clock, evidence_line
from callqa.store.db import Store
from callqa.store.rows import CallRecord

ITEM_COLUMNS = (
    Column("rule_id", "item"),
    Column("status"),
    Column("points", "points", align="right", show=lambda v: f"{v:g}"),
    Column("max_points", "max", align="right", show=lambda v: f"{v:g}"),
    Column("message", max_width=48),
)


@main.command("show")
@click.argument("call_id")
@format_option
@existing_db_option
def show_command(call_id: str, format: str, db: str) -> None:
    """Show a scored call: speech timeline and metrics, transcript, verdicts with evidence.

    CALL_ID may be a unique prefix of at least 6 characters.  --format csv prints one
    row per scorecard item (effective status after reviews); --format json prints one
    object per line: the call, then each utterance, item and review ("kind" says which).

    Example: callqa show 3f2a9c --db calls.db
    """
    store = Store.open(db)
    full = store.find_call(call_id)
    call = store.call(full)
    if format != "table":
        _show_rows(store, full, call, format)
        return
    click.echo(f"call {full}\nfile {printable(call.file)}")
    if call.status == "failed":
        click.echo(f"FAILED: {printable(call.error or '')}")
        return
    try:
        cr = load_call_review(store, full)
    except ReviewError:
        click.echo("not scored yet - run: callqa score " + call.file)
        return
    who = ", ".join(
        f"{k} {v}"
        for k, v in (
            ("agent_id", call.agent_id),
            ("team", call.team),
            ("call_time", call.call_time),
        )
        if v
    )
    click.echo(f"duration {call.duration or 0:.1f} s; {who or 'agent unknown'}")
    partial = store.partial(full)
    if partial is not None:
        click.echo(f"PARTIAL recording, cut short - {partial.summary}")
    swapped = " (channels swapped)" if call.roles_swapped else ""
    reason = f"; {call.role_reason}" if call.role_reason else ""
    click.echo(
        f"roles: agent = {call.agent_channel or 'diarized speaker'}, confidence "
        f"{call.role_confidence or 0:.2f}{swapped}{reason}"
    )
    transcript = store.load_transcript(cr.scoring_id)
    reason = store.reason_of(cr.scoring_id)
    if reason:
        click.echo(f"REASON: {reason}")
    if transcript.timeline is not None:
        click.echo(f"\nTimeline (from the {transcript.timeline.source})")
        for line in text_lanes(transcript.timeline):
            click.echo("  " + line)
    metrics = store.load_metrics(cr.scoring_id)
    if metrics is not None:
        for line in metrics_lines(metrics):
            click.echo("  " + line)
    click.echo("\nTranscript")
    for u in transcript.utterances:
        click.echo(f"  [{clock(u.start)}–{clock(u.end)}] {u.role:<8} {u.text}")
    eff, score = cr.effective, cr.score
    click.echo(
        f"\nScore {eff.score:.1f}/{eff.max_score:.0f}  verdict {eff.verdict.upper()}"
        f"  (scorecard {score.scorecard_id} {score.scorecard_version}, model {score.model})"
    )
    if eff.changed:
        changed = ", ".join(f"{r.rule_id} {r.status}" for r in eff.rules if r.overridden)
        click.echo(
            f"After reviews: score {eff.score:.1f}/{eff.max_score:.0f}  verdict "
            f"{eff.verdict.upper()}  ({changed}) - changed by review; the machine said"
            f" {eff.machine_score:.1f}, {eff.machine_verdict}"
        )
    if score.options:
        opts = json.loads(score.options)
        click.echo("  options: " + ", ".join(f"{k}={v}" for k, v in sorted(opts.items())))
    for line in explain_items(eff, score.scorecard_id, cli_lang()):
        click.echo("  " + line)
    if cr.reviews:
        click.echo("\nReviews")
        for r in cr.reviews:
            click.echo(
                f"  {r.at} {r.who} {r.kind} {r.rule_id or ''} "
                f"{r.old_status or ''}→{r.new_status or ''} {r.reason or ''}"
            )


def _metrics(store: Store, scoring_id: int) -> dict[str, Any] | None:
    metrics = store.load_metrics(scoring_id)
    return None if metrics is None else asdict(metrics)


def _show_rows(store: Store, full: str, call: CallRecord, fmt: str) -> None:
    """The call as csv (one row per item) or json lines (call, utterances, items, reviews)."""
    items: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    try:
        cr: CallReview | None = load_call_review(store, full)
    except ReviewError:
        cr = None
    if cr is not None:
        eff = cr.effective
        rows.append(
            {
                "kind": "call",
                **{k: getattr(call, k) for k in ("call_id", "file", "status", "duration")},
                **{k: getattr(call, k) for k in ("agent_id", "team", "call_time")},
                "score": eff.score,
                "max_score": eff.max_score,
                "verdict": eff.verdict,
                "machine_score": eff.machine_score,
                "machine_verdict": eff.machine_verdict,
                "reason": store.reason_of(cr.scoring_id),
                "metrics": _metrics(store, cr.scoring_id),
            }
        )
        for u in store.load_transcript(cr.scoring_id).utterances:
            rows.append(
                {"kind": "utterance", "start": u.start, "end": u.end, "speaker": u.speaker}
                | {"role": u.role, "text": u.text}
            )
        for r in eff.rules:
            items.append(
                {
                    "kind": "item",
                    "rule_id": r.rule_id,
                    "status": r.status,
                    "machine_status": r.machine_status,
                    "points": r.points,
                    "max_points": r.max_points,
                    "critical": r.critical,
                    "message": r.message,
                    "evidence": [vars(e) for e in r.evidence],
                }
            )
        rows.extend(items)
        rows.extend({"kind": "review", **vars(r)} for r in cr.reviews)
    else:
        rows.append(
            {"kind": "call", **{k: getattr(call, k) for k in ("call_id", "file", "status")}}
        )
    if fmt == "json":
        click.echo(json_lines(rows))
    else:
        emit(items, ITEM_COLUMNS, fmt)


def explain_items(eff: EffectiveScore, scorecard_id: str, lang: str) -> list[str]:
    """Per item (after reviews): id, title, status, 得分/满分, reason; then its evidence."""
    rows = []
    for r in eff.rules:
        title = item_title(scorecard_id, r.rule_id, lang)
        points = "-" if r.status == "na" else points_text(r.points, r.max_points, lang)
        flag = " CRITICAL" if r.critical and r.status == "fail" else ""
        rows.append(
            (
                r,
                [
                    r.rule_id,
                    title if title != r.rule_id else "",
                    status_label(r.status, lang),
                    points + flag,
                ],
            )
        )
    widths = [max((width(c[i]) for _, c in rows), default=0) for i in range(4)]
    lines: list[str] = []
    for r, cells in rows:
        line = "  ".join(pad(c, w) for c, w in zip(cells, widths, strict=True))
        reason = reason_text(r.message, lang)
        lines.append(f"{line}  {reason}".rstrip())
        for ev in r.evidence:
            lines.append(
                "    "
                + evidence_line(ev).replace(
                    f"] {ev.speaker} ", f"] {role_label(ev.speaker, lang)} ", 1
                )
            )
    return lines
