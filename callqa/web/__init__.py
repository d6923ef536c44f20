"""The callqa web app: agents see their own calls, supervisors review, trainers pull clips.

Flask with server-rendered Jinja templates and no front-end build.  `create_app(db)`
builds the app; `callqa serve` runs it (on waitress).  Users, roles, the signing key and
the sessions live in the auth store, a file of its own beside the analytics database
(`callqa.store.auth`, `callqa.web.users`); sessions are server-side and end on logout,
after an idle time, or when the user is removed or changes password; failed logins are
throttled; every POST carries a per-session CSRF token.  Blueprints:

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
from werkzeug.middleware.proxy_fix import ProxyFix

from callqa.review.mask import mask_text
from callqa.settings import TIMEZONE
from callqa.store.auth import auth_path_for
from callqa.store.db import Store
from callqa.web.sessions import SessionPolicy
from callqa.web.throttle import LoginThrottle
from callqa.web.users import open_auth
from callqa.web.users import secret_key as stored_secret_key


def create_app(
    db: str,
    *,
    auth_db: str | None = None,
    secret_key: str | None = None,
    secure_cookies: bool = False,
    trusted_proxy: bool = False,
    sessions: SessionPolicy | None = None,
    throttle: LoginThrottle | None = None,
    config: Mapping[str, Any] | None = None,
) -> Flask:
    """The web app over the database at `db` (migrated on first use).

    `auth_db` is the auth store (default: beside `db`, see `callqa.store.auth`).
    `secure_cookies` marks the session cookie Secure and sends HSTS (serve over HTTPS);
    `trusted_proxy` trusts one reverse proxy's X-Forwarded-For/-Proto/-Host/-Prefix.
    """
    from callqa.web import auth, calls, desk, i18n, search, supervise, train

    Store.open(db).close()
    auth_path = auth_db or auth_path_for(db)
    auth_store = open_auth(db, auth_path)
    try:
        key = secret_key or stored_secret_key(auth_store)
    finally:
        auth_store.close()
    policy = sessions or SessionPolicy()
    app = Flask(__name__)
    app.config.update(
        CALLQA_DB=db,
        CALLQA_AUTH_DB=auth_path,
        CALLQA_SESSION_POLICY=policy,
        CALLQA_LOGIN_THROTTLE=throttle or LoginThrottle(),
        SECRET_KEY=key,
        SESSION_COOKIE_NAME="callqa_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=policy.max_age_s),
        MAX_CONTENT_LENGTH=64 * 1024,
        CALLQA_TIMEZONE=os.environ.get(TIMEZONE.envvar) or TIMEZONE.default,
    )
    app.config.update(config or {})
    if trusted_proxy:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_prefix=1
        )
    app.jinja_env.filters["mask"] = mask_text
    auth.init_app(app)
    i18n.init_app(app)
    for module in (auth, calls, supervise, train, search, desk):
        app.register_blueprint(module.bp)
    return app
