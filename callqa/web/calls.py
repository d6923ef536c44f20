"""Agents' pages and the call page: own calls and trend, audio, transcript, hits, appeals.

An agent sees only calls whose `agent_id` is theirs: any other call id answers 404,
whether it exists or not.  Audio is decoded from the stored path and served only
through `/calls/<id>/audio`, after the same check (with HTTP range support, so the
player can seek).
"""

from __future__ import annotations

import io
import os
import re
from functools import lru_cache
from typing import Any

import numpy as np
import soundfile as sf
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from callqa.errors import CallQAError, StoreError
from callqa.review.charts import pass_mark_for
from callqa.review.report import Filters, render_chart, summarize, trend
from callqa.review.reviews import CallReview, ReviewError, file_appeal, load_call_review
from callqa.speech.audio import decode
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
        stat = os.stat(path)
        data = _wav(path, stat.st_mtime_ns, stat.st_size)
    except (OSError, CallQAError):
        abort(404, "the audio file of this call is not available")
    response = Response(data, mimetype="audio/wav")
    response.headers["Cache-Control"] = "private, no-store"
    return response.make_conditional(request, accept_ranges=True, complete_length=len(data))


@lru_cache(maxsize=4)
def _wav(path: str, mtime_ns: int, size: int) -> bytes:
    """The call decoded to 16 kHz 16-bit wav (channels kept), cached by file identity."""
    decoded = decode(path)
    buf = io.BytesIO()
    sf.write(
        buf, np.stack(decoded.channels, axis=1), decoded.sample_rate, format="WAV", subtype="PCM_16"
    )
    return buf.getvalue()
