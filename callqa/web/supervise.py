"""Supervisors' pages: every call, reports with trend charts, reviews and appeals."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from callqa.review.charts import draw_rule_fail_rates, pass_mark_for
from callqa.review.i18n import status_label
from callqa.review.report import (
    GROUPINGS,
    PERIODS,
    Filters,
    ReportError,
    load_facts,
    records,
    render_chart,
    rule_summary,
    summarize,
    trend,
)
from callqa.review.reviews import ReviewError, decide_appeal, open_appeals, review_item
from callqa.web.auth import require, store, user
from callqa.web.calls import CALL_ID, rule_from_form, visible_call
from callqa.web.i18n import current_lang, t, title

bp = Blueprint("supervise", __name__)
FILTER_ARGS = ("since", "until", "agent", "team")
MAX_LISTED = 500


def filters_from_args() -> Filters:
    """The report filters of the query string; 400 on a bad date."""
    values = {k: (request.args.get(k) or "").strip()[:64] or None for k in FILTER_ARGS}
    try:
        return Filters.parse(**values)
    except ReportError as exc:
        abort(400, str(exc))


@bp.route("/calls")
@require("supervisor")
def calls() -> Any:
    facts = list(reversed(load_facts(store(), filters_from_args())))
    return render_template(
        "calls.html", facts=facts[:MAX_LISTED], total=len(facts), args=request.args
    )


@bp.route("/reports")
@require("supervisor")
def reports() -> Any:
    by = request.args.get("by", "week")
    if by not in GROUPINGS:
        abort(400, f"cannot group by {by[:20]!r}")
    facts = load_facts(store(), filters_from_args())
    rows = records(rule_summary(facts) if by == "rule" else summarize(facts, by))
    chart_args: dict[str, Any] = {
        k: v for k, v in request.args.items() if k in (*FILTER_ARGS, "by")
    }
    return render_template(
        "reports.html",
        rows=rows,
        by=by,
        groupings=GROUPINGS,
        args=request.args,
        chart_url=url_for("supervise.chart", **chart_args),
    )


@bp.route("/reports/chart.png")
@require("supervisor")
def chart() -> Any:
    by = request.args.get("by", "week")
    facts = load_facts(store(), filters_from_args())
    period = by if by in PERIODS else "day"
    buf = io.BytesIO()
    if by == "rule":
        draw_rule_fail_rates(rule_summary(facts), buf, lang=current_lang())
        return Response(buf.getvalue(), mimetype="image/png")
    render_chart(
        trend(facts, lines="team" if by == "team" else "agent", period=period),
        buf,
        pass_mark=pass_mark_for(store()),
        lang=current_lang(),
    )
    return Response(buf.getvalue(), mimetype="image/png")


@bp.route("/calls/<call_id>/review", methods=["POST"])
@require("supervisor")
def review(call_id: str) -> Any:
    cr = visible_call(call_id)
    rule_id = rule_from_form()
    action = request.form.get("action", "")
    try:
        if action not in ("confirm", "reject"):
            raise ReviewError("choose confirm or reject")
        _, after = review_item(
            store(),
            cr.call_id,
            rule_id,
            who=user().name,
            reason=request.form.get("reason", ""),
            action="confirm" if action == "confirm" else "reject",
        )
        status = after.rule(rule_id).status  # type: ignore[union-attr]
        flash(
            t(
                "%(rule)s: %(status)s (%(action)s); score now %(score)s.",
                rule=title(cr.scoring.get("scorecard_id"), rule_id),
                status=status_label(status, current_lang()),
                action=t("confirmed" if action == "confirm" else "rejected-action"),
                score=f"{after.score:.1f}",
            )
        )
    except ReviewError as exc:
        flash(str(exc), "error")
    return redirect(url_for("calls.call_page", call_id=cr.call_id))


@bp.route("/appeals")
@require("supervisor")
def appeals() -> Any:
    return render_template("appeals.html", appeals=open_appeals(store()))


@bp.route("/appeals/<int:appeal_id>/decide", methods=["POST"])
@require("supervisor")
def decide(appeal_id: int) -> Any:
    decision = request.form.get("decision", "")
    try:
        if decision not in ("accept", "reject"):
            raise ReviewError("choose accept or reject")
        decide_appeal(
            store(),
            appeal_id,
            accept=decision == "accept",
            who=user().name,
            reason=request.form.get("reason", ""),
        )
        flash(
            t(
                "Appeal %(id)s %(decision)s.",
                id=appeal_id,
                decision=t("accepted" if decision == "accept" else "rejected"),
            )
        )
    except ReviewError as exc:
        flash(str(exc), "error")
    back = request.form.get("call_id", "")
    if CALL_ID.fullmatch(back):
        return redirect(url_for("calls.call_page", call_id=back))
    return redirect(url_for("supervise.appeals"))
