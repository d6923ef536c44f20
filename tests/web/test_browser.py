"""End to end in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Skipped, with the reason, where Chromium or Playwright is missing; CI installs them with
`scripts/install-browser.sh`.  With CALLQA_SCREENSHOTS=DIR set, the test also saves the
screenshots used in the README (docs/screenshots/).
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.fixture_db import PASSWORD, build, call_id

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
C3, C4, C6 = call_id("c3"), call_id("c4"), call_id("c6")  # A1's, A2's, B1's

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"browser test needs {CHROMIUM}: run `sudo bash scripts/install-browser.sh`",
    ),
    pytest.mark.skipif(
        importlib.util.find_spec("playwright") is None,
        reason="browser test needs Playwright for Python: pip install -e '.[test]'",
    ),
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    from werkzeug.serving import make_server

    from callqa.web import create_app

    build(tmp_path / "c.db", tmp_path / "audio", users=True).close()
    app = create_app(str(tmp_path / "c.db"), secret_key="browser-test")
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def log_in(page: Any, base: str, name: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def shoot(page: Any, name: str) -> None:
    folder = os.environ.get("CALLQA_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def score_on(page: Any) -> str:
    return str(page.inner_text("#score-value")).strip()


def test_agent_and_supervisor_journey(server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)

    # the agent sees their own calls only
    log_in(page, server, "agent1")
    assert page.url == f"{server}/me"
    links = page.eval_on_selector_all("#calls a", "els => els.map(e => e.getAttribute('href'))")
    assert sorted(links) == sorted(f"/calls/{call_id(k)}" for k in ("c1", "c2", "c3"))
    page.wait_for_function("() => document.querySelector('img.chart').naturalWidth > 0")
    shoot(page, "agent-calls.png")

    # a call page: clicking a hit moves the player there
    page.click(f"a[href='/calls/{C3}']")
    page.wait_for_function("() => document.getElementById('player').readyState >= 1")
    assert page.evaluate("document.getElementById('player').currentTime") < 1.0
    page.click("#item-forbidden_phrases button.hit")
    page.wait_for_function("() => document.getElementById('player').currentTime >= 5.99")
    now = page.evaluate("document.getElementById('player').currentTime")
    assert 5.99 <= now < 7.5, now
    assert page.locator(".utt.hit-line").count() >= 1  # the line of the hit is highlighted
    shoot(page, "agent-call.png")

    # appeal the failed item
    page.fill(
        "#item-forbidden_phrases form.appeal input[name=reason]", "这是客户说的话，不是我说的"
    )
    page.click("#item-forbidden_phrases form.appeal button")
    page.wait_for_selector("text=“不说服务禁语”的申诉已提交主管")
    assert "申诉处理中" in page.inner_text("#item-forbidden_phrases")

    # another agent's call, its audio, or a made-up id: not found
    for path in (f"/calls/{C4}", f"/calls/{C4}/audio", "/calls/..%2F..%2Fetc%2Fpasswd"):
        response = page.goto(f"{server}{path}")
        assert response is not None and response.status in (403, 404), path
    page.goto(f"{server}/me")
    page.click("form.logout button")

    # the supervisor sees the appeal and rejects a hit on another call: the score changes
    log_in(page, server, "sup")
    page.goto(f"{server}/appeals")
    assert "这是客户说的话" in page.inner_text("#appeals")
    page.goto(f"{server}/calls/{C6}")
    assert score_on(page) == "60.0"
    page.fill("#item-forbidden_phrases form.review input[name=reason]", "客户原话，不算坐席")
    page.click("#item-forbidden_phrases form.review button[value=reject]")
    page.wait_for_selector("text=不说服务禁语：通过（已推翻）")
    assert score_on(page) == "80.0"
    assert "机器判定为不合格" in page.inner_text("#item-forbidden_phrases")

    # and accepts the appeal from the call page
    page.goto(f"{server}/calls/{C3}")
    assert score_on(page) == "80.0"
    page.fill("#item-forbidden_phrases form.decide input[name=reason]", "同意")
    page.click("#item-forbidden_phrases form.decide button[value=accept]")
    page.wait_for_selector("text=已通过")
    assert score_on(page) == "100.0"

    page.goto(f"{server}/reports?by=day")
    page.wait_for_function("() => document.querySelector('img.chart').naturalWidth > 0")
    shoot(page, "supervisor-trends.png")
    context.close()
