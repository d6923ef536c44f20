"""The web app's language and time zone (Flask-Babel): zh_CN by default, English on request.

The language is, first found: `?lang=` (kept in the session and saved as the user's
preference), the session, the logged-in user's saved preference, the browser's
Accept-Language, else zh_CN.  Texts come from the shared catalogue
(`callqa.review.i18n`), so the CLI's `--lang` says the same things.

Times: timestamps stored with an offset (UTC: reviews, sample plans) are shown in the call
centre's zone, `CALLQA_TIMEZONE` (default Asia/Shanghai).  Call times read from file names
or manifests carry no offset: they are the centre's wall clock already and shown as they are.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, Flask, current_app, g, redirect, request, session, url_for
from flask_babel import Babel, get_locale, get_timezone

from callqa.review import i18n
from callqa.store.desk import get_user_lang, set_user_lang
from callqa.web.auth import store

bp = Blueprint("i18n", __name__)
DEFAULT_TIMEZONE = "Asia/Shanghai"


def current_lang() -> str:
    return i18n.normalize_lang(str(get_locale() or i18n.DEFAULT_LANG))


def _select_locale() -> str:
    asked = request.args.get("lang")
    if asked:
        lang = i18n.normalize_lang(asked)
        session["lang"] = lang
        return lang
    if isinstance(session.get("lang"), str):
        return i18n.normalize_lang(session["lang"])
    u = g.get("user")
    if u is not None:
        saved = get_user_lang(store(), u.name)
        if saved:
            return i18n.normalize_lang(saved)
    best = request.accept_languages.best_match(["zh_CN", "zh", "zh-CN", "en"])
    return i18n.normalize_lang(best)


def _select_timezone() -> str:
    return str(current_app.config.get("CALLQA_TIMEZONE") or DEFAULT_TIMEZONE)


def local_time(value: Any, *, seconds: bool = False) -> str:
    """An ISO time as the call centre's wall clock: 'YYYY-MM-DD HH:MM' (offsets converted)."""
    if not value:
        return i18n.gettext("unknown", current_lang())
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if when.tzinfo is not None:
        when = when.astimezone(get_timezone())
    return when.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def t(msgid: str, **params: Any) -> str:
    """A UI string in the reader's language (for flash messages built in views)."""
    return i18n.gettext(msgid, current_lang(), **params)


def title(scorecard_id: str | None, rule_id: str) -> str:
    """A scorecard item's title in the reader's language."""
    return i18n.item_title(scorecard_id, rule_id, current_lang())


_gettext = t


def init_app(app: Flask) -> None:
    zone = str(app.config.get("CALLQA_TIMEZONE") or DEFAULT_TIMEZONE)
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"time zone {zone!r} is unknown - set CALLQA_TIMEZONE, e.g. Asia/Shanghai"
        ) from None
    app.config.setdefault("BABEL_DEFAULT_LOCALE", i18n.DEFAULT_LANG)
    Babel(app, locale_selector=_select_locale, timezone_selector=_select_timezone)
    env = app.jinja_env
    env.globals["_"] = _gettext
    env.globals["current_lang"] = current_lang
    env.globals["item_title"] = lambda card, rule: i18n.item_title(card, rule, current_lang())
    env.globals["item_description"] = _description
    env.filters["status"] = lambda s: i18n.status_label(str(s), current_lang())
    env.filters["role"] = lambda r: i18n.role_label(str(r), current_lang())
    env.filters["kind"] = lambda k: i18n.kind_label(str(k), current_lang())
    env.filters["reason"] = lambda m: i18n.reason_text(m, current_lang())
    env.filters["note"] = lambda n: i18n.note_text(str(n), current_lang()) if n else ""
    env.filters["points"] = lambda r: i18n.points_text(r.points, r.max_points, current_lang())
    env.filters["localtime"] = local_time
    app.register_blueprint(bp)


def _description(card: str | None, rule: str) -> str:
    label = i18n.item_labels(card or "").get(rule)
    return label.description if label else ""


@bp.route("/lang/<code>")
def choose(code: str) -> Any:
    """Switch language; a logged-in user's choice is saved for next time."""
    lang = i18n.normalize_lang(code)
    session["lang"] = lang
    u = g.get("user")
    if u is not None:
        set_user_lang(store(), u.name, lang)
    target = request.args.get("next", "")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = url_for("auth.index")
    return redirect(target)
