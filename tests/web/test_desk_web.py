"""The desk pages through Flask's test client: who may do what, language choice, times."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import Flask

from callqa.web import create_app
from tests.review.desk_fixture import build_desk
from tests.test_web import login
from tests.web.fixture_db import call_id

C3, C5, C6 = call_id("c3"), call_id("c5"), call_id("c6")


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("desk")
    build_desk(folder / "c.db", folder / "audio", users=True).close()
    return folder / "c.db"


@pytest.fixture
def app(tmp_path: Path, template_db: Path) -> Flask:
    shutil.copy(template_db, tmp_path / "c.db")
    shutil.copy(template_db.with_name("c.auth.db"), tmp_path / "c.auth.db")
    return create_app(str(tmp_path / "c.db"), secret_key="test-secret")


def test_agents_search_only_their_own_calls(app: Flask) -> None:
    agent, _ = login(app, "agent1")
    page = agent.get("/search?q=不归我管&agent=B1").get_data(as_text=True)
    assert f"/calls/{C3}?t=6.00" in page and C6 not in page
    sup, _ = login(app, "sup")
    page = sup.get("/search?q=不归我管").get_data(as_text=True)
    assert f"/calls/{C3}?t=6.00" in page and f"/calls/{C6}?t=6.00" in page
    assert "<mark>不归我管</mark>" in page
    page = sup.get("/search?q=卡号").get_data(as_text=True)
    assert "6222" not in page and "****" in page  # card digits masked in snippets
    trainer, _ = login(app, "trainer")
    page = trainer.get("/search?q=不归我管").get_data(as_text=True)
    assert "这" in page and 'class="result"' not in page  # trainers cannot open calls
    assert sup.get("/search?q=x&role=boss").status_code == 400


def test_queue_and_samples_are_for_supervisors(app: Flask) -> None:
    agent, tok = login(app, "agent1")
    for path in ("/queue", "/samples"):
        assert agent.get(path).status_code == 403
    r = agent.post(
        f"/calls/{C3}/settle",
        data={"rule_id": "closing", "status": "fail", "reason": "x", "csrf_token": tok},
    )
    assert r.status_code == 403
    sup, tok = login(app, "sup")
    no_csrf = sup.post(f"/calls/{C5}/settle", data={"rule_id": "closing", "status": "fail"})
    assert no_csrf.status_code == 403
    bad = sup.post(
        f"/calls/{C5}/settle",
        data={"rule_id": "closing", "status": "maybe", "reason": "x", "csrf_token": tok},
    )
    assert bad.status_code == 302
    assert C5 in sup.get("/queue").get_data(as_text=True)  # nothing settled
    r = sup.post(
        f"/calls/{C5}/settle",
        data={
            "rule_id": "closing",
            "status": "fail",
            "reason": "没有询问",
            "csrf_token": tok,
            "next": "//evil.example/",
        },
    )
    assert r.status_code == 302 and r.location == f"/calls/{C5}"  # no open redirect
    assert C5 not in sup.get("/queue").get_data(as_text=True)


def test_language_by_browser_by_choice_and_per_user(app: Flask) -> None:
    sup, _ = login(app, "sup")
    assert '<html lang="zh-CN">' in sup.get("/calls").get_data(as_text=True)
    english = app.test_client()
    assert "Log in" in english.get("/login", headers={"Accept-Language": "en-US"}).get_data(
        as_text=True
    )
    r = sup.get("/lang/en?next=/queue")
    assert r.status_code == 302 and r.location == "/queue"
    assert "Review queue" in sup.get("/queue").get_data(as_text=True)
    # saved for the user: a new session (another browser) opens in English
    again, _ = login(app, "sup")
    assert '<html lang="en">' in again.get("/calls").get_data(as_text=True)
    other, _ = login(app, "agent1")
    assert '<html lang="zh-CN">' in other.get("/me").get_data(as_text=True)


def test_times_are_shown_in_the_call_centre_zone(app: Flask, tmp_path: Path) -> None:
    sup, tok = login(app, "sup")
    sup.post(
        f"/calls/{C5}/settle",
        data={"rule_id": "closing", "status": "pass", "reason": "有询问", "csrf_token": tok},
    )
    from callqa.store.db import Store

    stored = Store.open(app.config["CALLQA_DB"]).reviews(C5)[-1].at
    assert stored.endswith("+00:00")  # UTC in storage
    page = sup.get(f"/calls/{C5}").get_data(as_text=True)
    from datetime import datetime
    from zoneinfo import ZoneInfo

    local = datetime.fromisoformat(stored).astimezone(ZoneInfo("Asia/Shanghai"))
    assert local.strftime("%Y-%m-%d %H:%M") in page
    utc_app = create_app(app.config["CALLQA_DB"], secret_key="t", config={"CALLQA_TIMEZONE": "UTC"})
    client, _ = login(utc_app, "sup")
    page = client.get(f"/calls/{C5}").get_data(as_text=True)
    assert datetime.fromisoformat(stored).strftime("%Y-%m-%d %H:%M") in page
