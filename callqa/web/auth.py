"""Login, logout, the session's user, CSRF tokens, login throttling and security headers.

The session cookie (signed by Flask with the app's secret key) holds a random session
token and the CSRF token; the token's hash is stored in the auth store
(`callqa.web.sessions`), so logging out, removing a user or changing their password ends
the session at once, and an idle session ends by itself.  Failed logins are counted per
account and per client address (`callqa.web.throttle`): past the limit, 429 with
Retry-After.  Every request that is not GET/HEAD/OPTIONS must send the CSRF token back,
as the form field `csrf_token` or the header `X-CSRF-Token`, or it is refused with 403.
After login the browser goes to `?next=` only when that is a path on this site.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from callqa.store.auth import AuthStore
from callqa.store.db import Store
from callqa.web import sessions
from callqa.web.sessions import SessionPolicy
from callqa.web.throttle import LoginThrottle
from callqa.web.users import User, authenticate, get_user

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)
F = TypeVar("F", bound=Callable[..., Any])
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSP = (
    "default-src 'self'; img-src 'self'; media-src 'self'; style-src 'self'; "
    "script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def store() -> Store:
    """The request's database connection (opened on first use, closed at teardown)."""
    if "store" not in g:
        g.store = Store.open(current_app.config["CALLQA_DB"])
    return cast(Store, g.store)


def auth_store() -> AuthStore:
    """The request's auth store connection (opened on first use, closed at teardown)."""
    if "auth" not in g:
        g.auth = AuthStore.open(current_app.config["CALLQA_AUTH_DB"])
    return cast(AuthStore, g.auth)


def user() -> User:
    """The logged-in user (only inside views guarded by `require`)."""
    return cast(User, g.user)


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def require(*roles: str) -> Callable[[F], F]:
    """Guard a view: log in first; then 403 unless the user has one of `roles`."""

    def wrap(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if g.get("user") is None:
                return redirect(url_for("auth.login", next=request.path))
            if roles and g.user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return cast(F, guarded)

    return wrap


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.before_request(_load_user)
    app.before_request(_check_csrf)
    app.after_request(_headers)
    app.teardown_appcontext(_close)
    app.register_error_handler(403, lambda e: _error(403, "Not allowed here."))
    app.register_error_handler(404, lambda e: _error(404, "Not found."))
    app.register_error_handler(400, lambda e: _error(400, getattr(e, "description", "")))


def _error(code: int, message: str) -> tuple[str, int]:
    return render_template("error.html", code=code, message=message), code


def _load_user() -> None:
    g.user = None
    token = session.get("sid")
    if not isinstance(token, str):
        return
    policy: SessionPolicy = current_app.config["CALLQA_SESSION_POLICY"]
    name = sessions.user_of(auth_store(), token, policy, now=time.time())
    found = get_user(auth_store(), name) if name is not None else None
    if found is None:
        session.clear()
        return
    g.user = found


def _check_csrf() -> None:
    if request.method in SAFE_METHODS:
        return
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = session.get("csrf")
    if not isinstance(expected, str) or not sent or not hmac.compare_digest(sent, expected):
        abort(403, "missing or wrong CSRF token - reload the page and try again")


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


def _close(exc: BaseException | None) -> None:
    for name in ("store", "auth"):
        st = g.pop(name, None)
        if st is not None:
            st.close()


def home_for(u: User) -> str:
    return url_for(
        {"agent": "calls.mine", "supervisor": "supervise.calls", "trainer": "train.clips"}[u.role]
    )


@bp.route("/")
def index() -> Any:
    if g.user is None:
        return redirect(url_for("auth.login"))
    return redirect(home_for(g.user))


_LOCAL_PATH = re.compile(r"/(?![/\\])[!-~]*")
"""A path on this site: '/', then no second '/' or '\\', then printable ASCII only (no
spaces, tabs or control characters, which browsers drop or read as separators)."""


def safe_next(target: str) -> str | None:
    """`target` when it is a path on this site, else None (the caller goes home instead)."""
    if not _LOCAL_PATH.fullmatch(target) or "\\" in target:
        return None
    return target


def _client() -> str:
    return request.remote_addr or "-"


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    error = None
    if request.method == "POST":
        name = request.form.get("name", "")[:64]
        throttle: LoginThrottle = current_app.config["CALLQA_LOGIN_THROTTLE"]
        now = time.time()
        wait = throttle.retry_after(auth_store(), name=name, address=_client(), now=now)
        if wait:
            log.warning("login refused for %r from %s: too many failures", name, _client())
            page = render_template("login.html", error="Too many failed logins - try again later.")
            return page, 429, {"Retry-After": str(wait)}
        found = authenticate(auth_store(), name, request.form.get("password", "")[:1024])
        if found is not None:
            throttle.succeeded(auth_store(), name=found.name)
            log.info("login %s from %s", found.name, _client())
            session.clear()
            session.permanent = True
            session["sid"] = sessions.start(auth_store(), found.name, now=now)
            session["csrf"] = secrets.token_urlsafe(32)
            return redirect(safe_next(request.args.get("next", "")) or home_for(found))
        throttle.failed(auth_store(), name=name, address=_client(), now=now)
        log.warning("failed login for %r from %s", name, _client())
        error = "Wrong name or password."
    return render_template("login.html", error=error), 401 if error else 200


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    token = session.get("sid")
    if isinstance(token, str):
        sessions.end(auth_store(), token)
    session.clear()
    return redirect(url_for("auth.login"))
