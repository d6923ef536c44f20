"""Hostile or broken scorecard YAML: each is one line naming the limit, quickly, in
bounded memory (limits on file size, nesting depth, aliases and alias expansion)."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from callqa.cli import main
from callqa.errors import ScorecardError
from callqa.scoring.scorecard import (
    MAX_ALIASES,
    MAX_BYTES,
    check_scorecard,
    load_scorecard,
)


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines) + "\n"


def fifty_mb_list(path: Path) -> None:
    with path.open("w") as f:
        chunk = "- 1234567\n" * 100_000
        for _ in range(52):
            f.write(chunk)


HOSTILE: dict[str, tuple[Callable[[Path], None], str]] = {
    "billion laughs": (lambda p: p.write_text(billion_laughs()), "MAX_NODES"),
    "2k-deep flow": (lambda p: p.write_text("x: " + "[" * 2000 + "]" * 2000 + "\n"), "MAX_DEPTH"),
    "2k-deep block": (lambda p: p.write_text("- " * 2000 + "1\n"), "MAX_DEPTH"),
    "deep block mapping": (
        lambda p: p.write_text("".join(" " * i + "k:\n" for i in range(500)) + " " * 500 + "v\n"),
        "MAX_DEPTH",
    ),
    "recursive alias": (lambda p: p.write_text("a: &a [1, *a]\n"), "recursive alias"),
    "recursive mapping": (lambda p: p.write_text("&x {id: *x}\n"), "recursive alias"),
    "too many aliases": (
        lambda p: p.write_text("a: &a 1\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"),
        "MAX_ALIASES",
    ),
    "50 MB list": (fifty_mb_list, "MAX_BYTES"),
    "long list under the size limit": (
        lambda p: p.write_text("- 1\n" * (MAX_BYTES // 4)),
        "MAX_NODES",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_yaml_is_one_line_fast_and_small(tmp_path: Path, case: str) -> None:
    write, limit = HOSTILE[case]
    path = tmp_path / "hostile.yaml"
    write(path)
    start = time.perf_counter()
    with pytest.raises(ScorecardError) as info:
        check_scorecard(path)
    elapsed = time.perf_counter() - start
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path)) and limit in message
    if case.startswith("long list"):
        # the most work a file within the size limit can ask for: MAX_NODES values read
        # by PyYAML's pure-Python composer (about 0.5 s on an idle core; slack for busy CI);
        # its memory is bounded by MAX_BYTES, and tracing 10k values would take too long
        assert elapsed < 5.0, f"{case}: {elapsed:.2f} s"
        return
    assert elapsed < 2.0, f"{case}: {elapsed:.2f} s"
    tracemalloc.start()  # memory measured on a second run (tracing slows it down)
    try:
        with pytest.raises(ScorecardError):
            check_scorecard(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20, f"{case}: {peak / 2**20:.0f} MiB"
    with pytest.raises(ScorecardError, match=limit):
        load_scorecard(path)


def test_cli_says_one_line(tmp_path: Path) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text(billion_laughs())
    out = CliRunner().invoke(main, ["scorecard", "check", str(path)])
    assert out.exit_code == 2
    assert out.stdout == "" and out.stderr.count("\n") == 1 and "MAX_NODES" in out.stderr


def test_aliases_within_limits_still_work(tmp_path: Path) -> None:
    from callqa.scoring.scorecard import PACKAGED_SCORECARDS

    text = (PACKAGED_SCORECARDS / "etiquette.yaml").read_text(encoding="utf-8")
    assert not check_scorecard(PACKAGED_SCORECARDS / "etiquette.yaml")
    path = tmp_path / "aliased.yaml"
    path.write_text("x-shared: &shared [星河通信]\n" + text.replace("hotwords:", "hotwords2:"))
    problems = check_scorecard(path)  # validation problems, not a limit: the file was read
    assert all("MAX_" not in str(p) for p in problems)


def test_scorecard_without_sections_lists_problems(tmp_path: Path) -> None:
    path = tmp_path / "bare.yaml"
    path.write_text("id: bare\n")
    problems = check_scorecard(path)
    assert any(p.key == "version" for p in problems)
