"""Transcript search (关键词检索) on the web: supervisors and trainers search every call,
agents only their own.  Each result links to the call page at that moment (`?t=`)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request

from callqa.errors import CallQAError
from callqa.review.mask import mask_text
from callqa.store.search import ROLES, SearchQuery, search_utterances, snippet_parts
from callqa.web.auth import require, store, user
from callqa.web.supervise import filters_from_args

bp = Blueprint("search", __name__)
MAX_RESULTS = 200


@bp.route("/search")
@require("agent", "supervisor", "trainer")
def search() -> Any:
    text = (request.args.get("q") or "").strip()[:100]
    role = request.args.get("role") or None
    if role is not None and role not in ROLES:
        abort(400, "role is agent or customer")
    filters = filters_from_args()
    agent = filters.agent
    if user().role == "agent":
        agent = user().agent_id or "\0"  # an agent searches only their own calls
    rows: list[dict[str, Any]] = []
    error = None
    if text:
        query = SearchQuery(
            text,
            role=role,
            agent=agent,
            team=filters.team,
            since=filters.since,
            until=filters.until,
            limit=MAX_RESULTS,
        )
        try:
            hits = search_utterances(store().db, query)
        except CallQAError as exc:
            hits, error = [], str(exc)
        rows = [
            {"hit": h, "parts": snippet_parts(mask_text(h.text), query.terms(), context=20)}
            for h in hits
        ]
    return render_template(
        "search.html", q=text, role=role, rows=rows, error=error, args=request.args
    )
