"""Agents' pages and the call page: own calls and trend, audio, transcript, hits, appeals.

An agent sees only calls whose `agent_id` is theirs: any other call id answers 404,
whether it exists or not.  Audio is served only
through `/calls/<id>/audio`, after the same check, streamed from disk with HTTP range
support (so the player can seek): the recording itself when browsers play its format,
else a WAV transcoded in chunks into a small on-disk cache (`AUDIO_CACHE` in the app
config; by default a private folder under the system temp folder).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import av
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from callqa.errors import StoreError
from callqa.review.charts import pass_mark_for
from callqa.review.report import Filters, render_chart, summarize, trend
from callqa.review.reviews import CallReview, ReviewError, file_appeal, load_call_review
from callqa.review.timeline_view import bar_segments, metrics_lines
from callqa.speech.playback import playable_type, transcode_to_wav
from callqa.store.calls import CallPage, list_calls
from callqa.web.auth import require, store, user
from callqa.web.i18n import current_lang, t, title

bp = Blueprint("calls", __name__)
CALL_ID = re.compile(r"[0-9a-f]{64}")
RULE_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def visible_call(call_id: str) -> CallReview:
    """The call if the user may see it, else 404 (agents: only their own calls)."""
    if not CALL_ID.fullmatch(call_id):
        abort(404)
    row = store().find_row(call_id)
    u = user()
    if row is None or (u.role == "agent" and (not u.agent_id or row.agent_id != u.agent_id)):
        abort(404)
    if u.role not in ("agent", "supervisor"):
        abort(403)
    try:
        return load_call_review(store(), call_id)
    except ReviewError:
        abort(404)


def rule_from_form() -> str:
    rule_id = request.form.get("rule_id", "")
    if not RULE_ID.fullmatch(rule_id):
        abort(400, "unknown item")
    return rule_id


def page_of(filters: Filters) -> CallPage:
    """The page of calls the query string's `after` cursor asks for; 400 on a bad one."""
    try:
        return list_calls(store(), filters, cursor=request.args.get("after") or None)
    except StoreError as exc:
        abort(400, str(exc))


@bp.route("/me")
@require("agent")
def mine() -> Any:
    filters = Filters(agent=user().agent_id)
    summary = summarize(store(), filters, "agent")
    return render_template(
        "mine.html",
        page=page_of(filters),
        summary=summary[0] if summary else None,
        args=request.args,
    )


@bp.route("/me/trend.png")
@require("agent")
def my_trend() -> Any:
    buf = io.BytesIO()
    render_chart(
        trend(store(), Filters(agent=user().agent_id), lines="agent", period="day", top=1),
        buf,
        title=t("My average score by day (%(agent)s)", agent=user().agent_id),
        pass_mark=pass_mark_for(store()),
        lang=current_lang(),
    )
    return Response(buf.getvalue(), mimetype="image/png")


@bp.route("/calls/<call_id>")
@require("agent", "supervisor")
def call_page(call_id: str) -> Any:
    cr = visible_call(call_id)
    transcript = store().load_transcript(cr.scoring_id)
    metrics = store().load_metrics(cr.scoring_id)
    failed = [r for r in cr.effective.rules if r.status == "fail"]
    hits = [e for r in failed for e in r.evidence]
    lines = [
        (u, any(min(u.end, e.end) > max(u.start, e.start) for e in hits))
        for u in transcript.utterances
    ]
    appeals = {r.rule_id: cr.appeal_state(r.rule_id) for r in cr.effective.rules}
    return render_template(
        "call.html",
        cr=cr,
        call=cr.call,
        eff=cr.effective,
        lines=lines,
        appeals=appeals,
        open_appeals={r.rule_id: cr.open_appeal(r.rule_id) for r in cr.effective.rules},
        file_name=os.path.basename(cr.call.file),
        reason=store().reason_of(cr.scoring_id),
        timeline_rows=bar_segments(transcript.timeline) if transcript.timeline else {},
        metrics=metrics,
        metrics_text=" · ".join(metrics_lines(metrics)) if metrics else "",
        partial=store().partial(cr.call_id),
    )


@bp.route("/calls/<call_id>/appeal", methods=["POST"])
@require("agent")
def appeal(call_id: str) -> Any:
    cr = visible_call(call_id)
    rule_id = rule_from_form()
    try:
        file_appeal(
            store(), cr.call_id, rule_id, who=user().name, reason=request.form.get("reason", "")
        )
        flash(
            t(
                "Appeal on %(rule)s sent to the supervisors.",
                rule=title(cr.score.scorecard_id, rule_id),
            )
        )
    except ReviewError as exc:
        flash(str(exc), "error")
    return redirect(url_for("calls.call_page", call_id=cr.call_id))


@bp.route("/calls/<call_id>/audio")
@require("agent", "supervisor")
def audio(call_id: str) -> Any:
    cr = visible_call(call_id)
    path = cr.call.file
    try:
        mimetype = playable_type(path)
        if mimetype is None:
            path, mimetype = str(_transcoded(path)), "audio/wav"
    except (OSError, av.error.FFmpegError, IndexError):
        abort(404, "the audio file of this call is not available")
    # Streamed from disk with Range support (send_file): nothing is decoded into memory.
    response = send_file(path, mimetype=mimetype, conditional=True, etag=True, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


AUDIO_CACHE_FILES = 16
"""Transcoded recordings kept on disk (the least recently made are removed first)."""


def _transcoded(path: str) -> Path:
    """A WAV of `path` in the audio cache, made in chunks the first time it is asked for."""
    stat = os.stat(path)
    key = hashlib.sha256(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}".encode()).hexdigest()
    folder = Path(
        current_app.config.get("AUDIO_CACHE")
        or Path(tempfile.gettempdir()) / f"callqa-audio-{os.getuid()}"
    )
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = folder / f"{key[:32]}.wav"
    if not target.exists():
        transcode_to_wav(path, target)
        old = sorted(folder.glob("*.wav"), key=lambda f: f.stat().st_mtime)
        for stale in old[:-AUDIO_CACHE_FILES]:
            stale.unlink(missing_ok=True)
    return target
