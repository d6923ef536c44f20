"""The QA desk in a real headless Chromium, in Chinese (zh-CN, the default).

Covers the acceptance of issue 13: an agent's call page in Chinese with the scorecard's
item titles; a supervisor settling a `review` item from the queue (the score changes on
every surface); a reviewer completing an assigned sample; a search that opens the call
at the moment found; one column at 390 px.  With CALLQA_SCREENSHOTS=DIR the pages are
saved as the README's screenshots.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.review.desk_fixture import build_desk
from tests.web.fixture_db import call_id
from tests.web.test_browser import ARGS, CHROMIUM, log_in, pytestmark, score_on, shoot

__all__ = ["pytestmark"]
C3, C5, C6, C7 = call_id("c3"), call_id("c5"), call_id("c6"), call_id("c7")


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    from werkzeug.serving import make_server

    from callqa.review.sampling import draw_plan
    from callqa.web import create_app

    store = build_desk(tmp_path / "c.db", tmp_path / "audio", users=True)
    draw_plan(store, per_agent=1, reviewers=["sup"], drawn_by="sup", since="2026-11-23", seed=3)
    store.close()
    app = create_app(str(tmp_path / "c.db"), secret_key="browser-test")
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", tmp_path / "c.db"
    httpd.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def new_page(browser: Any, width: int = 1280, height: int = 860) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def player_at(page: Any, seconds: float) -> float:
    page.wait_for_function(
        f"() => document.getElementById('player').currentTime >= {seconds - 0.01}"
    )
    return float(page.evaluate("document.getElementById('player').currentTime"))


def test_agent_call_page_in_chinese_with_scorecard_titles(
    desk: tuple[str, Path], browser: Any
) -> None:
    base, _ = desk
    page = new_page(browser)
    log_in(page, base, "agent1")
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert "我的通话" in page.inner_text("header.top") and "平均分" in page.inner_text("main")
    page.goto(f"{base}/calls/{C3}")
    titles = page.eval_on_selector_all(".item .title", "els => els.map(e => e.textContent.trim())")
    assert titles == [
        "开场问候、自报公司名称和工号",
        "不说服务禁语",
        "结束前询问是否还有其他需要，并致谢道别",
    ]
    forbidden = page.inner_text("#item-forbidden_phrases")
    assert "0/20 扣20" in forbidden and "不合格" in forbidden and "一票否决" in forbidden
    assert "10/10" in page.inner_text("#item-self_intro")
    assert "坐席" in page.inner_text(".transcript") and "客户" in page.inner_text(".transcript")
    assert "2026-11-30 09:00" in page.inner_text("p.meta")
    shoot(page, "agent-call.png")
    # English on request, kept for the session
    page.goto(f"{base}/calls/{C3}?lang=en")
    assert page.get_attribute("html", "lang") == "en"
    assert "0/20 deducted 20" in page.inner_text("#item-forbidden_phrases")
    page.context.close()


def test_call_page_has_one_column_on_a_phone(desk: tuple[str, Path], browser: Any) -> None:
    base, _ = desk
    page = new_page(browser, width=390, height=844)
    log_in(page, base, "agent1")
    page.goto(f"{base}/calls/{C3}")
    items = page.locator("section.items").bounding_box()
    transcript = page.locator("section.transcript").bounding_box()
    assert items is not None and transcript is not None
    assert abs(items["x"] - transcript["x"]) < 1  # stacked, not side by side
    assert transcript["y"] >= items["y"] + items["height"]
    assert items["width"] > 300 and transcript["width"] > 300
    text = page.locator(".utt .text").first.bounding_box()
    assert text is not None and text["width"] > 150  # not one character per line
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "call-phone.png")
    page.context.close()


def test_supervisor_settles_a_review_item_from_the_queue(
    desk: tuple[str, Path], browser: Any
) -> None:
    from callqa.cli import main

    base, db = desk
    page = new_page(browser)
    log_in(page, base, "sup")
    page.goto(f"{base}/reports?by=agent")
    assert "90.0" in page.inner_text("#report tr:has-text('A2')")
    page.goto(f"{base}/queue")
    rows = page.eval_on_selector_all(
        "#queue li.queue-item", "els => els.map(e => [e.dataset.call, e.dataset.rule])"
    )
    assert rows == [[C7, "self_intro"], [C5, "closing"]]  # oldest first
    item = page.locator(f"#q-{C5[:12]}-closing")
    assert "最后30秒内缺少：进一步帮助的询问（还有什么）——但该处转写不确定" in item.inner_text()
    assert "kind.new_reason" in page.inner_text(f"#q-{C7[:12]}-self_intro")  # shown as stored
    assert item.locator("audio").get_attribute("src").endswith("#t=9.00")
    shoot(page, "review-queue.png")

    # the moment opens in the call page, the player there
    page.click(f"#q-{C7[:12]}-self_intro a.open")
    player_at(page, 0.5)
    assert score_on(page) == "100.0"
    page.go_back()

    page.fill(f"#q-{C5[:12]}-closing input[name=reason]", "没有询问是否还有其他需要")
    page.click(f"#q-{C5[:12]}-closing button[value=fail]")
    page.wait_for_selector("text=已处理")
    assert "现得分 90.0" in page.inner_text(".flash")
    assert page.locator(f"#q-{C5[:12]}-closing").count() == 0
    assert page.locator("#queue li.queue-item").count() == 1

    # every surface shows the new score
    page.goto(f"{base}/calls/{C5}")
    assert score_on(page) == "90.0"
    assert "机器判定为待复核" in page.inner_text("#item-closing")
    assert "0/10 扣10" in page.inner_text("#item-closing")
    page.goto(f"{base}/calls")
    assert "90" in page.inner_text(f"tr:has(a[href='/calls/{C5}'])")
    page.goto(f"{base}/reports?by=agent")
    assert "85.0" in page.inner_text("#report tr:has-text('A2')")
    page.click("form.logout button")
    log_in(page, base, "agent2")
    assert "90" in page.inner_text(f"tr:has(a[href='/calls/{C5}'])")
    page.context.close()
    show = CliRunner().invoke(main, ["show", C5[:10], "--db", str(db)])
    assert "After reviews: score 90.0" in show.stdout
    report = CliRunner().invoke(
        main, ["report", "--agent", "A2", "--format", "json", "--db", str(db)]
    )
    assert json.loads(report.stdout)["avg_score"] == 85.0


def test_reviewer_completes_an_assigned_sample(desk: tuple[str, Path], browser: Any) -> None:
    base, _ = desk
    page = new_page(browser)
    log_in(page, base, "sup")
    page.click("text=我的抽检")
    assert page.inner_text("#progress-text") == "已复核 0 / 4"
    assert page.locator("#samples tr.todo").count() == 4
    first = page.locator("#samples tr.todo a").first
    href = first.get_attribute("href")
    first.click()
    page.fill("form.sample-done input[name=note]", "通话规范，无问题")
    page.click("form.sample-done button")
    page.wait_for_selector("#progress-text")
    assert page.url.endswith("/samples")
    assert page.inner_text("#progress-text") == "已复核 1 / 4"
    done = page.locator("#samples tr.done")
    assert done.count() == 1 and done.locator("a").get_attribute("href") == href
    assert "通话规范，无问题" in done.inner_text()
    shoot(page, "samples.png")
    page.goto(f"{base}{href}")
    assert page.locator("form.sample-done").count() == 0  # done once
    page.context.close()


def test_search_finds_the_call_and_the_player_seeks(desk: tuple[str, Path], browser: Any) -> None:
    base, _ = desk
    page = new_page(browser)
    log_in(page, base, "sup")
    page.fill("form.search-box input[name=q]", "不归我管")
    page.press("form.search-box input[name=q]", "Enter")
    page.wait_for_selector("#results")
    links = page.eval_on_selector_all(
        "#results a.result", "els => els.map(e => e.getAttribute('href'))"
    )
    assert links == [f"/calls/{C6}?t=6.00", f"/calls/{C3}?t=6.00"]
    assert page.inner_text("#results mark") == "不归我管"
    shoot(page, "search.png")
    page.click(f"#results a[href='/calls/{C6}?t=6.00']")
    now = player_at(page, 6.0)
    assert 5.99 <= now < 6.5, now
    assert "这不归我管" in page.inner_text(".utt.here")
    page.click("form.logout button")

    # an agent finds only their own calls
    log_in(page, base, "agent1")
    page.goto(f"{base}/search?q=不归我管&agent=B1")
    links = page.eval_on_selector_all(
        "#results a.result", "els => els.map(e => e.getAttribute('href'))"
    )
    assert links == [f"/calls/{C3}?t=6.00"]
    page.context.close()
