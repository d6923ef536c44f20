"""Supervisors' pages: every call, reports with trend charts, reviews and appeals."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from callqa.review.charts import draw_rule_fail_rates, pass_mark_for
from callqa.review.i18n import status_label
from callqa.review.report import (
    DEFAULT_GROUPING,
    GROUPINGS,
    Filters,
    ReportError,
    records,
    render_chart,
    report_rows,
    report_trend,
)
from callqa.review.reviews import ReviewError, decide_appeal, open_appeals, review_item
from callqa.web.auth import require, store, user
from callqa.web.calls import CALL_ID, page_of, rule_from_form, visible_call
from callqa.web.i18n import current_lang, t, title

bp = Blueprint("supervise", __name__)
FILTER_ARGS = ("since", "until", "agent", "team")


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
    return render_template("calls.html", page=page_of(filters_from_args()), args=request.args)


def grouping_from_args() -> str:
    by = request.args.get("by") or DEFAULT_GROUPING
    if by not in GROUPINGS:
        abort(400, f"cannot group by {by[:20]!r}")
    return by


@bp.route("/reports")
@require("supervisor")
def reports() -> Any:
    by = grouping_from_args()
    rows = records(report_rows(store(), filters_from_args(), by))
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
    buf = io.BytesIO()
    by = grouping_from_args()
    filters = filters_from_args()
    if by == "rule":
        draw_rule_fail_rates(report_rows(store(), filters, by), buf, lang=current_lang())  # type: ignore[arg-type]
        return Response(buf.getvalue(), mimetype="image/png")
    render_chart(
        report_trend(store(), filters, by),
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
                rule=title(cr.score.scorecard_id, rule_id),
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


def settle_appeal_from_form(appeal_id: int) -> None:
    """Decide an appeal from the posted form (accept/reject + reason); flash the outcome."""
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


@bp.route("/appeals/<int:appeal_id>/decide", methods=["POST"])
@require("supervisor")
def decide(appeal_id: int) -> Any:
    settle_appeal_from_form(appeal_id)
    back = request.form.get("call_id", "")
    if CALL_ID.fullmatch(back):
        return redirect(url_for("calls.call_page", call_id=back))
    return redirect(url_for("supervise.appeals"))
