"""The web app through Flask's test client: access rules, CSRF, sessions, injections."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from callqa.web import create_app
from tests.web.fixture_db import PASSWORD, build, call_id

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
C3, C4, C6 = call_id("c3"), call_id("c4"), call_id("c6")  # A1's, A2's, B1's


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once (hashing passwords is slow on purpose); each test gets a copy."""
    folder = tmp_path_factory.mktemp("fixture")
    build(folder / "c.db", folder / "audio", users=True).close()
    return folder / "c.db"


@pytest.fixture
def app(tmp_path: Path, template_db: Path) -> Flask:
    shutil.copy(template_db, tmp_path / "c.db")
    shutil.copy(template_db.with_name("c.auth.db"), tmp_path / "c.auth.db")
    return create_app(str(tmp_path / "c.db"), secret_key="test-secret")


def token(client: FlaskClient, path: str = "/login") -> str:
    match = TOKEN.search(client.get(path).get_data(as_text=True))
    assert match, path
    return match.group(1)


def login(app: Flask, name: str) -> tuple[FlaskClient, str]:
    client = app.test_client()
    response = client.post(
        "/login", data={"name": name, "password": PASSWORD, "csrf_token": token(client)}
    )
    assert response.status_code == 302, name
    return client, token(client, response.location)


def test_login_redirects_by_role(app: Flask) -> None:
    for name, home in [("agent1", "/me"), ("sup", "/calls"), ("trainer", "/clips")]:
        client = app.test_client()
        r = client.post(
            "/login", data={"name": name, "password": PASSWORD, "csrf_token": token(client)}
        )
        assert r.location == home
    client = app.test_client()
    r = client.post(
        "/login", data={"name": "sup", "password": "wrong", "csrf_token": token(client)}
    )
    assert r.status_code == 401 and "用户名或密码错误" in r.get_data(as_text=True)


def test_pages_need_login(app: Flask) -> None:
    client = app.test_client()
    for path in ["/me", "/calls", f"/calls/{C3}", f"/calls/{C3}/audio", "/reports", "/clips"]:
        r = client.get(path)
        assert r.status_code == 302 and r.location.startswith("/login"), path


def test_agent_sees_own_calls_only(app: Flask) -> None:
    client, _ = login(app, "agent1")
    page = client.get("/me").get_data(as_text=True)
    assert C3 in page and C4 not in page and C6 not in page
    call_page = client.get(f"/calls/{C3}").get_data(as_text=True)
    assert "我的卡号是 **** **** **** ****" in call_page and "6222" not in call_page
    assert client.get(f"/calls/{C3}/audio").status_code == 200
    for other in (C4, C6, "f" * 64):
        assert client.get(f"/calls/{other}").status_code == 404
        assert client.get(f"/calls/{other}/audio").status_code == 404
    for path in ["/calls", "/reports", "/reports/chart.png", "/appeals", "/clips", "/clips.zip"]:
        assert client.get(path).status_code == 403, path


@pytest.mark.parametrize(
    "bad_id",
    [
        "..%2F..%2Fetc%2Fpasswd",
        "../../etc/passwd",
        "%2e%2e",
        C4[:12],
        C4.upper(),
        f"{C4}' OR '1'='1",
        "' OR 1=1 --",
    ],
)
def test_odd_call_ids_are_404(app: Flask, bad_id: str) -> None:
    client, _ = login(app, "agent1")
    assert client.get(f"/calls/{bad_id}").status_code == 404
    assert client.get(f"/calls/{bad_id}/audio").status_code == 404


def test_trainer_cannot_open_calls(app: Flask) -> None:
    client, _ = login(app, "trainer")
    assert client.get(f"/calls/{C3}").status_code == 403
    assert client.get(f"/calls/{C3}/audio").status_code == 403
    assert client.get("/reports").status_code == 403


def test_audio_supports_ranges(app: Flask) -> None:
    client, _ = login(app, "sup")
    full = client.get(f"/calls/{C6}/audio")
    assert full.mimetype == "audio/wav" and full.headers["Accept-Ranges"] == "bytes"
    part = client.get(f"/calls/{C6}/audio", headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206 and part.data == full.data[1000:2000]


def test_csrf_is_required_on_every_post(app: Flask) -> None:
    client = app.test_client()
    client.get("/login")
    assert client.post("/login", data={"name": "sup", "password": PASSWORD}).status_code == 403
    client, good = login(app, "agent1")
    appeal = {"rule_id": "forbidden_phrases", "reason": "no"}
    assert client.post(f"/calls/{C3}/appeal", data=appeal).status_code == 403
    forged = {**appeal, "csrf_token": good[:-4] + "AAAA"}
    assert client.post(f"/calls/{C3}/appeal", data=forged).status_code == 403
    _, other_token = login(app, "agent2")  # a token from another session does not do
    assert (
        client.post(f"/calls/{C3}/appeal", data={**appeal, "csrf_token": other_token}).status_code
        == 403
    )
    assert client.post("/logout").status_code == 403
    sup, _ = login(app, "sup")
    assert (
        sup.post(
            f"/calls/{C3}/review", data={"rule_id": "closing", "action": "reject", "reason": "x"}
        ).status_code
        == 403
    )
    assert sup.post("/appeals/1/decide", data={"decision": "accept"}).status_code == 403
    assert (
        client.post(f"/calls/{C3}/appeal", data={**appeal, "csrf_token": good}).status_code == 302
    )


def test_forged_session_cookie_is_ignored(app: Flask) -> None:
    from flask.sessions import SecureCookieSessionInterface

    evil = Flask("evil")
    evil.secret_key = "not-the-secret"
    serializer = SecureCookieSessionInterface().get_signing_serializer(evil)
    assert serializer is not None
    cookie = serializer.dumps({"user": "sup", "stamp": "x", "csrf": "y"})
    client = app.test_client()
    client.set_cookie("callqa_session", cookie)
    r = client.get("/calls")
    assert r.status_code == 302 and r.location.startswith("/login")
    # a session signed with the real key but not stored server-side is no session
    real = SecureCookieSessionInterface().get_signing_serializer(app)
    assert real is not None
    client.set_cookie("callqa_session", real.dumps({"user": "sup", "sid": "stale"}))
    assert client.get("/calls").status_code == 302


def test_appeal_review_and_decision_change_the_score(app: Flask) -> None:
    agent, tok = login(app, "agent1")
    r = agent.post(
        f"/calls/{C3}/appeal",
        data={"rule_id": "forbidden_phrases", "reason": "客户说的", "csrf_token": tok},
    )
    assert r.status_code == 302
    assert "申诉处理中" in agent.get(f"/calls/{C3}").get_data(as_text=True)
    sup, tok = login(app, "sup")
    assert "客户说的" in sup.get("/appeals").get_data(as_text=True)
    r = sup.post(
        "/appeals/1/decide",
        data={"decision": "accept", "reason": "ok", "call_id": C3, "csrf_token": tok},
    )
    assert r.location == f"/calls/{C3}"
    page = sup.get(f"/calls/{C3}").get_data(as_text=True)
    assert 'id="score-value">100.0<' in page
    r = sup.post(
        f"/calls/{C6}/review",
        data={
            "rule_id": "forbidden_phrases",
            "action": "reject",
            "reason": "not said",
            "csrf_token": tok,
        },
    )
    assert 'id="score-value">80.0<' in sup.get(f"/calls/{C6}").get_data(as_text=True)
    assert "申诉已通过" in agent.get(f"/calls/{C3}").get_data(as_text=True)


def test_agent_cannot_appeal_or_review_others(app: Flask) -> None:
    agent, tok = login(app, "agent1")
    r = agent.post(
        f"/calls/{C4}/appeal", data={"rule_id": "closing", "reason": "x", "csrf_token": tok}
    )
    assert r.status_code == 404
    r = agent.post(
        f"/calls/{C3}/review",
        data={"rule_id": "forbidden_phrases", "action": "reject", "reason": "x", "csrf_token": tok},
    )
    assert r.status_code == 403
    r = agent.post(
        "/appeals/1/decide", data={"decision": "accept", "reason": "x", "csrf_token": tok}
    )
    assert r.status_code == 403


@pytest.mark.parametrize("evil", ["' OR '1'='1", "x'; DROP TABLE calls; --", '" OR ""="'])
def test_sql_injection_in_query_params(app: Flask, evil: str) -> None:
    sup, _ = login(app, "sup")
    for arg in ("agent", "team"):
        page = sup.get("/calls", query_string={arg: evil}).get_data(as_text=True)
        assert "没有符合条件的通话。" in page
        assert sup.get("/reports", query_string={arg: evil, "by": "agent"}).status_code == 200
        assert sup.get("/reports/chart.png", query_string={arg: evil}).status_code == 200
        r = sup.get("/clips", query_string={"rule": "closing", arg: evil})
        assert r.status_code == 200 and "共 0 个片段" in r.get_data(as_text=True)
    for arg in ("since", "until"):
        assert sup.get("/calls", query_string={arg: evil}).status_code == 400
        assert sup.get("/reports", query_string={arg: evil}).status_code == 400
    assert sup.get("/reports", query_string={"by": evil}).status_code == 400
    assert sup.get("/clips", query_string={"rule": evil}).status_code == 400
    assert sup.get("/clips", query_string={"rule": "closing", "limit": evil}).status_code == 400
    assert C6 in sup.get("/calls").get_data(as_text=True)  # the table is still there


def test_reports_page(app: Flask) -> None:
    sup, _ = login(app, "sup")
    page = sup.get("/reports?by=team").get_data(as_text=True)
    assert "<td>care</td>" in page and "/reports/chart.png?by=team" in page
    png = sup.get("/reports/chart.png?by=week&team=care")
    assert png.mimetype == "image/png" and png.data[:4] == b"\x89PNG"
    assert "一致率" in sup.get("/reports?by=rule").get_data(as_text=True)


def test_clip_pack_download(app: Flask) -> None:
    trainer, _ = login(app, "trainer")
    page = trainer.get("/clips?rule=forbidden_phrases&status=fail").get_data(as_text=True)
    assert "共 2 个片段" in page and "这不归我管" in page
    r = trainer.get("/clips.zip?rule=forbidden_phrases&status=fail")
    assert r.mimetype == "application/zip"
    assert 'filename="clips_forbidden_phrases_fail.zip"' in r.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(r.data)) as zf:
        assert len([n for n in zf.namelist() if n.endswith(".wav")]) == 2
    assert trainer.get("/clips.zip?rule=nothing_here").status_code == 404


def test_security_headers_and_open_redirect(app: Flask) -> None:
    client = app.test_client()
    r = client.get("/login")
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    for target in ["//evil.example/", "https://evil.example/", "/\\evil.example"]:
        r = client.post(
            f"/login?next={target}",
            data={"name": "sup", "password": PASSWORD, "csrf_token": token(client)},
        )
        assert r.location == "/calls", target
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def _long_wav(path: Path, minutes: float, subtype: str) -> None:
    """A long 8 kHz mono call, written a minute at a time."""
    import numpy as np
    import soundfile as sf

    rate = 8000
    t = np.arange(60 * rate) / rate
    minute = (0.3 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
    with sf.SoundFile(path, "w", rate, 1, subtype, format="WAV") as out:
        for _ in range(int(minutes)):
            out.write(minute)


@pytest.mark.parametrize("subtype", ["PCM_16", "ULAW"])  # sent as it is / transcoded on disk
def test_a_60_minute_call_is_served_in_little_memory(
    tmp_path: Path, template_db: Path, subtype: str
) -> None:
    import json
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    db = tmp_path / "c.db"
    shutil.copy(template_db, db)
    shutil.copy(template_db.with_name("c.auth.db"), tmp_path / "c.auth.db")
    audio = tmp_path / "long.wav"
    _long_wav(audio, 60, subtype)
    from callqa.store.db import Store

    store = Store.open(db)
    with store.transaction() as tx:
        tx.execute("UPDATE calls SET file = ? WHERE call_id = ?", [str(audio), C6])
    store.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "tests.web.serve_long_call", str(db), C6],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=True,
    )
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["status"] == 200 and got["mimetype"] == "audio/wav"
    expected = audio.stat().st_size if subtype == "PCM_16" else 60 * 60 * 16000 * 2
    assert abs(got["served"] - expected) < 64 * 1024
    assert got["range_status"] == 206 and got["range_bytes"] == 1_000_000
    assert got["after_mib"] < 200, got  # measured: 170 MiB, all of it before the request
    assert got["after_mib"] - got["before_mib"] < 50, got


def test_call_page_says_partial(app: Flask) -> None:
    from callqa.store.db import Store

    store = Store.open(app.config["CALLQA_DB"])
    with store.transaction() as tx:
        tx.execute(
            "UPDATE calls SET partial = 1, kept_s = 7.3, declared_s = 73.0,"
            " partial_reason = 'the file holds less audio than its header declares'"
            " WHERE call_id = ?",
            [C6],
        )
    store.close()
    client, _ = login(app, "sup")
    page = client.get(f"/calls/{C6}").get_data(as_text=True)
    assert "Partial recording" in page and "7.3 s kept of 73.0 s" in page
    assert "Partial recording" not in client.get(f"/calls/{C3}").get_data(as_text=True)
