"""The callqa web app: agents see their own calls, supervisors review, trainers pull clips.

Flask with server-rendered Jinja templates and no front-end build.  `create_app(db)`
builds the app; `callqa serve` runs it.  Users and roles live in the database
(`callqa.web.users`); sessions are signed cookies; every POST carries a per-session CSRF
token.  Blueprints:

    auth       login, logout, session user, CSRF, security headers
    calls      an agent's own calls and trend; a call page with audio, transcript, hits
    supervise  every call, reports with charts, reviews, appeals
    train      clip search and clip-pack download (zip)
    i18n       language (zh_CN default, en) and the call centre's time zone
    search     transcript search (关键词检索); agents search only their own calls
    desk       the review queue and reviewers' sampled calls (抽检)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import Flask

from callqa.review.mask import mask_text
from callqa.settings import TIMEZONE
from callqa.store.db import Store
from callqa.web.users import secret_key as stored_secret_key


def create_app(
    db: str, *, secret_key: str | None = None, config: Mapping[str, Any] | None = None
) -> Flask:
    """The web app over the database at `db` (migrated on first use)."""
    from callqa.web import auth, calls, desk, i18n, search, supervise, train

    store = Store.open(db)
    try:
        key = secret_key or stored_secret_key(store)
    finally:
        store.close()
    app = Flask(__name__)
    app.config.update(
        CALLQA_DB=db,
        SECRET_KEY=key,
        SESSION_COOKIE_NAME="callqa_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        MAX_CONTENT_LENGTH=64 * 1024,
        CALLQA_TIMEZONE=os.environ.get(TIMEZONE.envvar) or TIMEZONE.default,
    )
    app.config.update(config or {})
    app.jinja_env.filters["mask"] = mask_text
    auth.init_app(app)
    i18n.init_app(app)
    for module in (auth, calls, supervise, train, search, desk):
        app.register_blueprint(module.bp)
    return app
