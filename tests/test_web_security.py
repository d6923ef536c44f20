"""The web app's defences: sessions that end, login throttling, local-only redirects,
Secure cookies and trusted proxies, and `callqa serve` on waitress."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

import callqa.web.auth
from callqa.cli import main
from callqa.web import create_app
from callqa.web.sessions import SessionPolicy
from callqa.web.users import open_auth, remove_user, set_password
from tests.web.fixture_db import PASSWORD, build

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fixture")
    build(folder / "c.db", users=True).close()
    return folder / "c.db"


@pytest.fixture
def db(tmp_path: Path, template_db: Path) -> str:
    for name in ("c.db", "c.auth.db"):
        shutil.copy(template_db.with_name(name), tmp_path / name)
    return str(tmp_path / "c.db")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The web app's clock, moved by hand."""
    now = [1_000_000.0]
    monkeypatch.setattr(callqa.web.auth, "time", SimpleNamespace(time=lambda: now[0]))
    return now


@pytest.fixture
def app(db: str) -> Flask:
    return create_app(db, secret_key="test-secret")


def post_login(
    client: FlaskClient, name: str, password: str = PASSWORD, *, query: str = "", **kw: Any
) -> Any:
    page = client.get("/login", **kw).get_data(as_text=True)
    match = TOKEN.search(page)
    assert match
    return client.post(
        "/login" + query,
        data={"name": name, "password": password, "csrf_token": match.group(1)},
        **kw,
    )


def logged_in(app: Flask, name: str) -> FlaskClient:
    client = app.test_client()
    assert post_login(client, name).status_code == 302
    return client


def csrf(client: FlaskClient, path: str) -> str:
    match = TOKEN.search(client.get(path).get_data(as_text=True))
    assert match, path
    return match.group(1)


# -- sessions ------------------------------------------------------------------------------


def test_cookie_used_after_logout_is_refused(app: Flask) -> None:
    client = logged_in(app, "sup")
    assert client.get("/calls").status_code == 200
    cookie = client.get_cookie("callqa_session")
    assert cookie is not None
    token = csrf(client, "/calls")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    thief = app.test_client()  # a copy of the cookie taken before logout
    thief.set_cookie("callqa_session", cookie.value)
    r = thief.get("/calls")
    assert r.status_code == 302 and r.location.startswith("/login")
    assert client.get("/calls").status_code == 302


def test_removing_a_user_or_changing_the_password_ends_sessions(app: Flask, db: str) -> None:
    agent, sup = logged_in(app, "agent1"), logged_in(app, "sup")
    assert agent.get("/me").status_code == 200 and sup.get("/calls").status_code == 200
    auth = open_auth(db)
    remove_user(auth, "agent1")
    set_password(auth, "sup", "a new password")
    for client, path in ((agent, "/me"), (sup, "/calls")):
        r = client.get(path)
        assert r.status_code == 302 and r.location.startswith("/login"), path
    assert post_login(app.test_client(), "sup", "a new password").status_code == 302


def test_idle_session_ends(db: str, clock: list[float]) -> None:
    app = create_app(db, secret_key="k", sessions=SessionPolicy(idle_s=600))
    client = logged_in(app, "sup")
    for _ in range(3):  # used every 9 minutes: stays
        clock[0] += 540
        assert client.get("/calls").status_code == 200
    clock[0] += 601
    r = client.get("/calls")
    assert r.status_code == 302 and r.location.startswith("/login")


# -- login throttling ----------------------------------------------------------------------


def test_sixth_wrong_password_is_429(
    app: Flask, clock: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="callqa.web.auth")
    client = app.test_client()
    for _ in range(5):
        clock[0] += 10
        assert post_login(client, "sup", "wrong guess").status_code == 401
    clock[0] += 10
    r = post_login(client, "sup", "wrong guess")
    assert r.status_code == 429
    assert 1 <= int(r.headers["Retry-After"]) <= 900 - 50
    assert "登录失败次数过多" in r.get_data(as_text=True)  # zh_CN by default
    # the right password does not get in either, from this address or another
    assert post_login(client, "sup").status_code == 429
    other = app.test_client()
    assert post_login(other, "sup", environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code == 429
    assert sum("failed login for 'sup'" in m for m in caplog.messages) == 5
    assert any("login refused for 'sup'" in m for m in caplog.messages)
    clock[0] += 900  # the window has passed
    assert post_login(client, "sup").status_code == 302
    assert any(m.startswith("login sup from") for m in caplog.messages)


def test_failures_from_one_address_are_limited_across_names(app: Flask, clock: list[float]) -> None:
    client = app.test_client()
    for name in ("a", "b", "c", "d", "e"):
        assert post_login(client, name, "x").status_code == 401
    assert post_login(client, "trainer").status_code == 429
    elsewhere = app.test_client()
    kw = {"environ_base": {"REMOTE_ADDR": "10.9.9.9"}}
    assert post_login(elsewhere, "trainer", **kw).status_code == 302


def test_trusted_proxy_gives_the_client_address(db: str, clock: list[float]) -> None:
    def fail_from(app: Flask, forwarded: str) -> int:
        kw = {"headers": {"X-Forwarded-For": forwarded}}
        return int(post_login(app.test_client(), "nobody" + forwarded, "x", **kw).status_code)

    proxied = create_app(db, secret_key="k", trusted_proxy=True)
    assert [fail_from(proxied, "10.0.0.1") for _ in range(6)] == [401] * 5 + [429]
    assert fail_from(proxied, "10.0.0.2") == 401  # another client behind the proxy
    direct = create_app(db, secret_key="k")  # X-Forwarded-For is not believed
    assert [fail_from(direct, f"10.0.1.{i}") for i in range(6)][-1] == 429


# -- redirects after login -----------------------------------------------------------------

HOSTILE = [
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/ /evil.example",
    "//evil.example",
    "///evil.example",
    "\\\\evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "https:evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "evil.example",
    "/\x00/evil.example",
    "/\x7f/evil.example",
    "/\u3000/evil.example",
    "",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_redirect_after_login_stays_local(app: Flask, target: str) -> None:
    client = app.test_client()
    r = post_login(client, "sup", query="?" + _query(target))
    assert r.status_code == 302
    assert r.location == "/calls"


@pytest.mark.parametrize(
    "raw", ["/%09/evil.example", "%2F%2Fevil.example", "/%5Cevil.example", "https%3Aevil.example"]
)
def test_percent_encoded_redirects_stay_local(app: Flask, raw: str) -> None:
    r = post_login(app.test_client(), "sup", query=f"?next={raw}")
    assert r.location == "/calls"
    assert urlsplit(urljoin("http://callqa.local/login", r.location)).netloc == "callqa.local"


def test_local_redirect_is_kept(app: Flask) -> None:
    r = post_login(app.test_client(), "sup", query="?" + _query("/reports?by=team"))
    assert r.location == "/reports?by=team"


def _query(target: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"next": target})


# -- deployment ----------------------------------------------------------------------------


def test_secure_cookies_and_hsts(db: str) -> None:
    app = create_app(db, secret_key="k", secure_cookies=True)
    client = app.test_client()
    r = post_login(client, "sup", base_url="https://localhost")
    assert "Secure" in r.headers["Set-Cookie"] and "HttpOnly" in r.headers["Set-Cookie"]
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")
    plain = create_app(db, secret_key="k")
    r = post_login(plain.test_client(), "sup")
    assert "Secure" not in r.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in r.headers


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    import waitress

    seen: dict[str, Any] = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: seen.update(app=app, **kw))
    return seen


def test_cli_serve_runs_waitress(db: str, served: dict[str, Any]) -> None:
    out = CliRunner().invoke(main, ["serve", "--port", "8123", "--db", db])
    assert out.exit_code == 0, out.output
    assert (served["host"], served["port"]) == ("127.0.0.1", 8123)
    assert isinstance(served["app"], Flask)
    assert "http://127.0.0.1:8123/" in out.stderr and "warning" not in out.stderr
    assert "no users yet" not in out.stderr


def test_cli_serve_warns_off_loopback(db: str, served: dict[str, Any]) -> None:
    out = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--db", db])
    assert out.exit_code == 0 and "warning: serving plain HTTP on 0.0.0.0" in out.stderr
    out = CliRunner().invoke(
        main,
        ["serve", "--host", "0.0.0.0", "--db", db, "--secure-cookies", "--trusted-proxy"],
    )
    assert out.exit_code == 0 and "warning" not in out.stderr
    app = served["app"]
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert type(app.wsgi_app).__name__ == "ProxyFix"


def test_cli_serve_empty_auth_store_and_idle_option(tmp_path: Path, served: dict[str, Any]) -> None:
    db = tmp_path / "c.db"
    build(db).close()
    out = CliRunner().invoke(main, ["serve", "--db", str(db), "--session-idle", "5"])
    assert out.exit_code == 0, out.output
    assert "no users yet" in out.stderr
    assert served["app"].config["CALLQA_SESSION_POLICY"].idle_s == 300
