"""Trainers' pages: search a rule's hits and download them as a clip pack (zip)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request

from callqa.review.clips import Hit, export_zip, find_hits, safe_name
from callqa.store.calls import rule_ids
from callqa.web.auth import require, store
from callqa.web.calls import RULE_ID
from callqa.web.supervise import filters_from_args

bp = Blueprint("train", __name__)
MAX_CLIPS = 200


def _search() -> tuple[str, str, int, list[Hit]]:
    rule = request.args.get("rule", "")
    status = request.args.get("status", "fail")
    if status not in ("fail", "pass"):
        abort(400, "status is fail or pass")
    limit_arg = request.args.get("limit", "50")
    if not limit_arg.isdigit() or not 1 <= int(limit_arg) <= MAX_CLIPS:
        abort(400, f"limit is a number from 1 to {MAX_CLIPS}")
    limit = int(limit_arg)
    if not rule:
        return rule, status, limit, []
    if not RULE_ID.fullmatch(rule):
        abort(400, "unknown rule")
    return (
        rule,
        status,
        limit,
        find_hits(store(), rule, status=status, filters=filters_from_args(), limit=limit),
    )


@bp.route("/clips")
@require("trainer", "supervisor")
def clips() -> Any:
    rule, status, limit, hits = _search()
    rules = rule_ids(store())
    return render_template(
        "clips.html",
        hits=hits,
        rule=rule,
        status=status,
        limit=limit,
        rules=sorted(rules),
        args=request.args,
    )


@bp.route("/clips.zip")
@require("trainer", "supervisor")
def clips_zip() -> Any:
    rule, status, _, hits = _search()
    if not hits:
        abort(404, "no clips match this search")
    data = export_zip(store(), hits)
    name = f"clips_{safe_name(rule)}_{status}.zip"
    return Response(
        data,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
