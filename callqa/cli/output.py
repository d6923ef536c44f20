"""One output convention for every listing command: `--format table|csv|json`.

    table  columns laid out by *display width* (wcwidth: a Chinese character takes two
           terminal cells), narrow by default: long cells are cut with "…"
    csv    every column, raw values, a header row
    json   one JSON object per line (raw values, UTF-8)

A command describes its columns once (`Column`) and hands rows (mappings) to `emit`.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from wcwidth import wcswidth, wcwidth

from callqa.settings import TIMEZONE

FORMATS: tuple[str, ...] = ("table", "csv", "json")
GAP = "  "

F = Callable[..., Any]


def format_option(f: F) -> F:
    """`--format table|csv|json` (env CALLQA_<COMMAND>_FORMAT)."""
    return click.option(
        "--format",
        "format",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="table (aligned by display width), csv, or json (one object per line).",
    )(f)


def cli_lang() -> str:
    """The --lang of the `callqa` group (zh_CN unless asked otherwise)."""
    ctx = click.get_current_context(silent=True)
    lang = ctx.find_root().params.get("lang") if ctx is not None else None
    return str(lang or "zh_CN")


def local_time(value: Any) -> str:
    """An ISO time for a table: offsets converted to the call centre's zone (CALLQA_TIMEZONE,
    default Asia/Shanghai); times without an offset are local already and kept."""
    if not value:
        return "-"
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if when.tzinfo is not None:
        zone = os.environ.get(TIMEZONE.envvar) or TIMEZONE.default
        try:
            when = when.astimezone(ZoneInfo(zone))
        except (ZoneInfoNotFoundError, ValueError):
            raise click.UsageError(f"{TIMEZONE.envvar}={zone!r} is not a time zone") from None
    return when.strftime("%Y-%m-%d %H:%M")


def width(text: str) -> int:
    """Terminal cells `text` takes (a CJK character: 2; a control character: 0)."""
    w = wcswidth(text)
    if w >= 0:
        return int(w)
    return sum(max(int(wcwidth(ch)), 0) for ch in text)


def truncate(text: str, limit: int, *, keep: Literal["start", "end"] = "start") -> str:
    """`text` cut to at most `limit` cells with an ellipsis ("…" takes one cell)."""
    if width(text) <= limit:
        return text
    if limit <= 1:
        return "…"[:limit]
    chars = list(text if keep == "start" else reversed(text))
    out: list[str] = []
    used = 0
    for ch in chars:
        cw = max(int(wcwidth(ch)), 0)
        if used + cw > limit - 1:
            break
        out.append(ch)
        used += cw
    kept = "".join(out if keep == "start" else reversed(out))
    return kept + "…" if keep == "start" else "…" + kept


def pad(text: str, cells: int, align: Literal["left", "right"] = "left") -> str:
    fill = " " * max(cells - width(text), 0)
    return text + fill if align == "left" else fill + text


@dataclass(frozen=True)
class Column:
    """One column: the row key, its header, alignment, display limit and cell format."""

    key: str
    header: str | None = None
    align: Literal["left", "right"] = "left"
    max_width: int | None = None
    keep: Literal["start", "end"] = "start"
    show: Callable[[Any], str] | None = None

    @property
    def title(self) -> str:
        return self.header if self.header is not None else self.key

    def cell(self, value: Any) -> str:
        if self.show is not None:
            text = self.show(value)
        elif value is None:
            text = "-"
        elif isinstance(value, float):
            text = f"{value:.1f}"
        else:
            text = str(value)
        text = " ".join(text.split())  # one line per row
        if self.max_width is not None:
            text = truncate(text, self.max_width, keep=self.keep)
        return text


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column]) -> str:
    """Rows as an aligned text table (header first); display width, not len()."""
    cells = [[c.cell(row.get(c.key)) for c in columns] for row in rows]
    widths = [
        max([width(c.title), *(width(line[i]) for line in cells)]) for i, c in enumerate(columns)
    ]
    lines = []
    for line in [[c.title for c in columns], *cells]:
        parts = [pad(text, w, c.align) for text, w, c in zip(line, widths, columns, strict=True)]
        lines.append(GAP.join(parts).rstrip())
    return "\n".join(lines)


def to_csv(rows: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, list(keys), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _flat(row.get(k)) for k in keys})
    return buf.getvalue().rstrip("\n")


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def json_lines(rows: Iterable[Mapping[str, Any]]) -> str:
    return "\n".join(json.dumps(dict(row), ensure_ascii=False) for row in rows)


def render(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    fmt: str,
    *,
    keys: Sequence[str] | None = None,
) -> str:
    """The rows in `fmt`; csv/json carry `keys` (default: every key of the first row)."""
    all_keys = list(keys) if keys is not None else (list(rows[0]) if rows else [])
    if fmt == "json":
        return json_lines({k: row.get(k) for k in all_keys} for row in rows)
    if fmt == "csv":
        return to_csv(rows, all_keys or [c.key for c in columns])
    if fmt != "table":
        raise click.UsageError(f"format {fmt!r} - choose one of {', '.join(FORMATS)}")
    return table(rows, columns)


def emit(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    fmt: str,
    *,
    keys: Sequence[str] | None = None,
    empty: str | None = None,
) -> None:
    """Print the rows; with no rows a table prints `empty` on stderr instead of a header."""
    if not rows and fmt == "table" and empty:
        click.echo(empty, err=True)
        return
    text = render(rows, columns, fmt, keys=keys)
    if text:
        click.echo(text)
