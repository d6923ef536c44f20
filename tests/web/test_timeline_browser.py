"""The timeline bar on the call page, in a real headless Chromium: lanes drawn, click seeks."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from callqa.records import SAMPLE_RATE
from tests.test_timeline import _clips, _place
from tests.web.fixture_db import PASSWORD
from tests.web.test_browser import browser, log_in, pytestmark, shoot  # noqa: F401

__all__ = ["pytestmark"]


@pytest.fixture
def timeline_server(tmp_path: Path, fake_pipeline: Any) -> Iterator[tuple[str, str]]:
    from werkzeug.serving import make_server

    from callqa.run.batch import run_batch
    from callqa.store.db import Store
    from callqa.web import create_app
    from callqa.web.users import add_user, open_auth

    clips, _ = _clips()
    n = 32 * SAMPLE_RATE
    left = _place(n, [(0.5, clips["agent1"]), (15.0, clips["agent2"])], 1)
    right = _place(n, [(9.0, clips["customer1"]), (27.0, clips["customer2"])], 2)
    path = tmp_path / "A1023_care_20261124-093015.wav"
    sf.write(path, np.stack([left, right], axis=1), SAMPLE_RATE)
    store = Store.open(tmp_path / "c.db")
    run_batch([path], store, fake_pipeline)
    call = store.calls()[0].call_id
    store.close()
    auth = open_auth(str(tmp_path / "c.db"))
    add_user(auth, "sup", role="supervisor", password=PASSWORD)
    auth.close()
    app = create_app(str(tmp_path / "c.db"), secret_key="browser-test")
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", call
    httpd.shutdown()
    thread.join(timeout=5)


def test_timeline_bar_seeks_the_player(timeline_server: tuple[str, str], browser: Any) -> None:  # noqa: F811
    base, call = timeline_server
    page = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
    page.set_default_timeout(15_000)
    log_in(page, base, "sup")
    page.goto(f"{base}/calls/{call}")
    page.wait_for_function("() => document.getElementById('player').readyState >= 1")
    bar = page.locator("#timeline .lane-agent .seg.agent")
    assert bar.count() == 2
    width = page.evaluate(
        "document.querySelector('#timeline .lane-agent .seg.agent').getBoundingClientRect().width"
    )
    assert width > 20  # drawn, not collapsed
    assert page.locator("#timeline .seg.overlap").count() >= 1
    bar.nth(1).click()  # the agent's second stretch starts at 15.0 s
    page.wait_for_function("() => document.getElementById('player').currentTime >= 14.9")
    now = page.evaluate("document.getElementById('player').currentTime")
    assert 14.9 <= now < 16.0, now
    shoot(page, "call-timeline.png")
