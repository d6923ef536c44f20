"""The QA desk pages: the review queue (复核队列) and a reviewer's sampled calls (抽检).

/queue                      uncertain items and open appeals, oldest first, each with
                            its evidence, the audio at that moment and a form
/calls/<id>/settle          set an item's status (pass|fail) with a reason
/queue/appeal/<id>          decide an appeal from the queue
/samples                    the calls assigned to the logged-in reviewer, with progress
/samples/<plan>/<id>/done   mark a sampled call reviewed
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from callqa.errors import CallQAError
from callqa.review.i18n import gettext, item_title, status_label
from callqa.review.queue import review_queue
from callqa.review.reviews import ReviewError, review_item
from callqa.review.sampling import assignments, complete
from callqa.store.desk import QueueFilters, open_samples_of_call
from callqa.web.auth import require, store, user
from callqa.web.calls import RULE_ID, rule_from_form, visible_call
from callqa.web.i18n import current_lang
from callqa.web.supervise import settle_appeal_from_form

bp = Blueprint("desk", __name__)


def _t(msgid: str, **params: Any) -> str:
    return gettext(msgid, current_lang(), **params)


def _queue_filters() -> QueueFilters:
    keys = ("rule", "agent", "team")
    values = {k: (request.args.get(k) or "").strip()[:64] or None for k in keys}
    if values["rule"] and not RULE_ID.fullmatch(values["rule"]):
        abort(400, "unknown item")
    return QueueFilters(**values)


def _back(default: str) -> Any:
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = default
    return redirect(target)


@bp.app_context_processor
def _samples_for() -> dict[str, Any]:
    def samples_for(call_id: str) -> list[dict[str, Any]]:
        u = g.get("user")
        if u is None or u.role != "supervisor":
            return []
        return open_samples_of_call(store().db, call_id, u.name)

    return {"samples_for": samples_for}


@bp.route("/queue")
@require("supervisor")
def queue() -> Any:
    filters = _queue_filters()
    items = review_queue(store(), filters)
    # The rule menu lists every rule in the queue; without filters that is `items` itself
    # (the queue is read once, not twice, on the common unfiltered page).
    unfiltered = items if filters == QueueFilters() else review_queue(store())
    rules = sorted({i.rule_id for i in unfiltered})
    return render_template(
        "queue.html", items=items, filters=filters, rules=rules, args=request.args
    )


@bp.route("/calls/<call_id>/settle", methods=["POST"])
@require("supervisor")
def settle(call_id: str) -> Any:
    cr = visible_call(call_id)
    rule_id = rule_from_form()
    status = request.form.get("status", "")
    try:
        if status not in ("pass", "fail"):
            raise ReviewError("choose pass or fail")
        _, after = review_item(
            store(),
            cr.call_id,
            rule_id,
            who=user().name,
            reason=request.form.get("reason", ""),
            status=status,
        )
        flash(
            _t(
                "Settled: %(rule)s is %(status)s; score now %(score)s.",
                rule=item_title(cr.score.scorecard_id, rule_id, current_lang()),
                status=status_label(status, current_lang()),
                score=f"{after.score:.1f}",
            )
        )
    except ReviewError as exc:
        flash(str(exc), "error")
    return _back(url_for("calls.call_page", call_id=cr.call_id))


@bp.route("/queue/appeal/<int:appeal_id>", methods=["POST"])
@require("supervisor")
def decide(appeal_id: int) -> Any:
    settle_appeal_from_form(appeal_id)
    return _back(url_for("desk.queue"))


@bp.route("/samples")
@require("supervisor")
def my_samples() -> Any:
    mine = assignments(store(), reviewer=user().name)
    return render_template(
        "samples.html", items=mine, done=sum(a.done for a in mine), total=len(mine)
    )


@bp.route("/samples/<int:plan_id>/<call_id>/done", methods=["POST"])
@require("supervisor")
def sample_done(plan_id: int, call_id: str) -> Any:
    cr = visible_call(call_id)
    try:
        complete(
            store(),
            plan_id=plan_id,
            call_id=cr.call_id,
            who=user().name,
            note=request.form.get("note", "").strip(),
        )
        flash(_t("Sample of %(plan)s marked done.", plan=f"#{plan_id}"))
    except CallQAError as exc:
        flash(str(exc), "error")
    return _back(url_for("desk.my_samples"))
