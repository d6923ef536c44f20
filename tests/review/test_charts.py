"""Charts: Chinese labels with a CJK font, fixed 0-100 axis and pass mark, per-rule fail
rates for --by rule, and an ASCII fallback (with a warning) where no CJK font exists."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from callqa.cli import main
from callqa.review import charts
from callqa.review.report import rule_summary, trend
from tests.web.fixture_db import build


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("charts") / "c.db"
    build(path).close()
    return path


class Spy:
    """Records what the chart code puts on its axes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from matplotlib.axes import Axes

        self.calls: list[tuple[str, Any]] = []
        for name in ("set_ylim", "set_xlim", "axhline", "set_title", "barh", "set_ylabel"):
            original = getattr(Axes, name)

            def wrapped(ax: Any, *args: Any, _n: str = name, _o: Any = original, **kw: Any) -> Any:
                self.calls.append((_n, args))
                return _o(ax, *args, **kw)

            monkeypatch.setattr(Axes, name, wrapped)

    def args(self, name: str) -> list[Any]:
        return [a for n, a in self.calls if n == name]


def test_trend_has_fixed_axis_pass_mark_and_chinese_title(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from callqa.store.db import Store

    store = Store.open(db)
    spy = Spy(monkeypatch)
    buf = io.BytesIO()
    charts.draw_trend(trend(store, period="week"), buf, pass_mark=charts.pass_mark_for(store))
    assert buf.getvalue()[:4] == b"\x89PNG"
    assert spy.args("set_ylim")[-1] == (0, 100)  # matplotlib autoscales first
    assert spy.args("axhline") == [(80.0,)]  # the fixture's pass mark
    if charts.find_cjk_font() is not None:
        assert spy.args("set_title") == [("平均得分趋势（按周，每坐席一条线）",)]


def test_no_cjk_font_falls_back_to_ascii_with_a_warning(
    db: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from callqa.store.db import Store

    monkeypatch.setattr(charts, "find_cjk_font", lambda: None)
    spy = Spy(monkeypatch)
    store = Store.open(db)
    with caplog.at_level(logging.WARNING):
        charts.draw_trend(trend(store, lines="team"), io.BytesIO(), pass_mark=80)
        charts.draw_rule_fail_rates(rule_summary(store), io.BytesIO())
    assert "no CJK font found" in caplog.text and "fonts-noto-cjk" in caplog.text
    titles = [a[0] for a in spy.args("set_title")]
    assert titles and all(t.isascii() for t in titles)
    assert charts.ascii_label("售后服务部") == "ShouHouFuWuBu"
    assert charts.ascii_label("care") == "care"


def test_cli_by_rule_draws_rule_fail_rates(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = Spy(monkeypatch)
    out = tmp_path / "rules.png"
    result = CliRunner().invoke(
        main, ["report", "--by", "rule", "--chart", str(out), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:4] == b"\x89PNG"
    (bars,) = spy.args("barh")
    assert [round(v) for v in bars[1]] == [43, 25, 38]  # closing, forbidden, self_intro (bottom up)
    assert spy.args("set_xlim")[-1] == (0, 100)
