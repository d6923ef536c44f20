"""Charts for supervisors (matplotlib, Agg canvas; no pyplot state, so thread-safe).

- `draw_trend`: average effective score per period, one line per agent or team, on a fixed
  0-100 axis (as a percentage of the maximum score) with the pass mark drawn.
- `draw_rule_fail_rates`: one bar per scorecard item, its fail rate (0-100 %).

Titles and labels are Chinese (or English with lang="en").  A CJK font is looked for
among the installed ones (fonts-noto-cjk: `scripts/install-browser.sh` installs it);
without one the chart is drawn in English with every name turned into ASCII (pinyin for
Chinese), and a warning is logged, so no label becomes a row of empty boxes.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from callqa.review.i18n import LINES, PERIOD, item_title
from callqa.store.db import Store
from callqa.store.desk import latest_scoring_row

if TYPE_CHECKING:
    from callqa.review.report import RuleRow, Trend

log = logging.getLogger(__name__)

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)
CJK_FILE_HINTS = ("cjk", "wqy", "sourcehan", "simhei", "msyh", "pingfang", "notosanssc")
OTHERS = "others"
PASS_COLOR = "#b42318"


@lru_cache(maxsize=1)
def find_cjk_font() -> str | None:
    """The first installed font that can draw Chinese, or None."""
    from matplotlib.font_manager import findSystemFonts, fontManager

    def pick() -> str | None:
        installed = {f.name for f in fontManager.ttflist}
        return next((f for f in CJK_FONTS if f in installed), None)

    found = pick()
    if found is None:
        # matplotlib's font cache predates a font installed later (fonts-noto-cjk): add the
        # CJK files found on the system to this process's font list
        for path in findSystemFonts():
            name = path.rsplit("/", 1)[-1].lower()
            if any(k in name for k in CJK_FILE_HINTS):
                try:
                    fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    log.debug("cannot load font %s", path)
        found = pick()
    return found


def ascii_label(text: str) -> str:
    """A label with Chinese turned into pinyin and anything else non-ASCII dropped."""
    if text.isascii():
        return text
    from pypinyin import lazy_pinyin

    out = "".join(p.capitalize() for p in lazy_pinyin(text))
    return out.encode("ascii", "ignore").decode() or "?"


def pass_mark_for(store: Store) -> float | None:
    """The pass mark of the latest scoring (stored with it, else from its scorecard)."""
    row = latest_scoring_row(store.db)
    if row is None:
        return None
    if row.get("pass_mark") is not None:
        return float(row["pass_mark"])
    return _scorecard_pass_mark(str(row["scorecard_id"]), str(row["scorecard_version"]))


@lru_cache(maxsize=32)
def _scorecard_pass_mark(scorecard_id: str, version: str) -> float | None:
    """The pass mark of that exact scorecard version, if its file is still at hand."""
    from callqa.errors import CallQAError
    from callqa.scoring.scorecard import load_scorecard

    if not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", scorecard_id):
        return None
    try:
        card = load_scorecard(scorecard_id)
    except CallQAError:
        return None
    return card.pass_mark if card.version_key == version else None


class _Labels:
    """The chart's texts in zh_CN, or English/ASCII when asked or when no CJK font is found."""

    def __init__(self, lang: str) -> None:
        self.font = find_cjk_font()
        self.zh = lang == "zh_CN" and self.font is not None
        if lang == "zh_CN" and self.font is None:
            log.warning(
                "no CJK font found for the chart - labels fall back to English and pinyin;"
                " install one: sudo apt-get install fonts-noto-cjk (scripts/install-browser.sh)"
            )

    def name(self, text: str) -> str:
        return text if self.zh else ascii_label(text)

    def rc(self) -> Any:
        fonts = ([self.font] if self.font else []) + ["DejaVu Sans"]
        return {"font.family": "sans-serif", "font.sans-serif": fonts, "axes.unicode_minus": False}


def _figure(width: float = 8, height: float = 4) -> tuple[Any, Any]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def draw_trend(
    t: Trend,
    out: str | io.BytesIO,
    *,
    title: str | None = None,
    pass_mark: float | None = None,
    lang: str = "zh_CN",
) -> None:
    """The trend as a PNG: a fixed 0-100 axis and the pass mark as a dashed red line."""
    import matplotlib

    labels = _Labels(lang)
    with matplotlib.rc_context(labels.rc()):
        fig, ax = _figure()
        x = list(range(len(t.periods)))
        for name, values in t.series.items():
            pts = [(i, v) for i, v in zip(x, values, strict=True) if v is not None]
            style: dict[str, Any] = {"linestyle": "--", "color": "grey"} if name == OTHERS else {}
            shown = ("其他" if labels.zh else "others") if name == OTHERS else labels.name(name)
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=shown, **style)
        ax.set_xticks(
            x,
            list(t.periods),
            rotation=30 if len(x) > 6 else 0,
            ha="right" if len(x) > 6 else "center",
        )
        ax.set_ylim(0, 100)
        ax.set_yticks(range(0, 101, 20))
        if pass_mark is not None:
            ax.axhline(pass_mark, color=PASS_COLOR, linestyle="--", linewidth=1.2)
            ax.text(
                0.01,
                pass_mark + 1,
                (f"合格线 {pass_mark:g}" if labels.zh else f"pass mark {pass_mark:g}"),
                color=PASS_COLOR,
                va="bottom",
                ha="left",
                fontsize="small",
                transform=ax.get_yaxis_transform(),
            )
        if labels.zh:
            period, lines = PERIOD.get(t.period, t.period), LINES.get(t.lines, t.lines)
            ax.set_ylabel("平均得分（满分100）")
            ax.set_title(
                title
                if title and not title.isascii()
                else f"平均得分趋势（按{period}，每{lines}一条线）"
            )
        else:
            ax.set_ylabel("average score (of 100)")
            ax.set_title(
                ascii_label(title) if title else f"Average score by {t.period}, per {t.lines}"
            )
        ax.grid(True, alpha=0.3)
        if t.series:
            ax.legend(loc="lower left", fontsize="small")
        else:
            ax.text(
                0.5,
                0.5,
                "没有通话" if labels.zh else "no calls",
                ha="center",
                va="center",
                transform=ax.transAxes,
            )
        fig.tight_layout()
        fig.savefig(out, format="png")


def draw_rule_fail_rates(
    rows: Sequence[RuleRow],
    out: str | io.BytesIO,
    *,
    scorecard_id: str | None = "etiquette",
    lang: str = "zh_CN",
) -> None:
    """One horizontal bar per scorecard item: its fail rate over the calls where it applied."""
    import matplotlib

    labels = _Labels(lang)
    with matplotlib.rc_context(labels.rc()):
        fig, ax = _figure(8, max(3.0, 0.5 * len(rows) + 1.5))
        names = [
            item_title(scorecard_id, r.rule, "zh_CN") if labels.zh else r.rule
            for r in reversed(rows)
        ]
        rates = [100 * (r.fail_rate or 0.0) for r in reversed(rows)]
        bars = ax.barh(range(len(rows)), rates, color=PASS_COLOR, alpha=0.8)
        for bar, r in zip(bars, reversed(rows), strict=True):
            text = "–" if r.fail_rate is None else f"{100 * r.fail_rate:.0f}% ({r.fails}/{r.calls})"
            ax.text(bar.get_width() + 1, bar.get_y() + bar.get_height() / 2, text, va="center")
        ax.set_yticks(range(len(rows)), names)
        ax.set_xlim(0, 100)
        ax.set_xlabel("不合格率（%）" if labels.zh else "fail rate (%)")
        ax.set_title("各评分项不合格率" if labels.zh else "Fail rate per scorecard item")
        ax.grid(True, axis="x", alpha=0.3)
        if not rows:
            ax.text(
                0.5,
                0.5,
                "没有通话" if labels.zh else "no calls",
                ha="center",
                transform=ax.transAxes,
            )
        fig.tight_layout()
        fig.savefig(out, format="png")
