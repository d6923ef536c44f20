"""Login, logout, the session's user, CSRF tokens and security headers.

The session cookie (signed by Flask with the app's secret key) holds the user name,
a stamp of their password hash (a password change ends old sessions) and the CSRF
token.  Every request that is not GET/HEAD/OPTIONS must send that token back, as the
form field `csrf_token` or the header `X-CSRF-Token`, or it is refused with 403.
"""

from __future__ import annotations

import hmac
import secrets
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

from callqa.store.db import Store
from callqa.web.users import User, authenticate, get_user, password_stamp

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
    name = session.get("user")
    if not isinstance(name, str):
        return
    found = get_user(store(), name)
    stamp = session.get("stamp")
    if (
        found is None
        or not isinstance(stamp, str)
        or not hmac.compare_digest(stamp, password_stamp(store(), name))
    ):
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
    return response


def _close(exc: BaseException | None) -> None:
    st = g.pop("store", None)
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


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    error = None
    if request.method == "POST":
        name = request.form.get("name", "")[:64]
        found = authenticate(store(), name, request.form.get("password", "")[:1024])
        if found is not None:
            session.clear()
            session.permanent = True
            session["user"] = found.name
            session["stamp"] = password_stamp(store(), found.name)
            session["csrf"] = secrets.token_urlsafe(32)
            target = request.args.get("next", "")
            if not (target.startswith("/") and not target.startswith("//")) or "\\" in target:
                target = home_for(found)
            return redirect(target)
        error = "Wrong name or password."
    return render_template("login.html", error=error), 401 if error else 200


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    session.clear()
    return redirect(url_for("auth.login"))
