"""Loading and checking scorecards: the default one, broken ones, `callqa scorecard check`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from callqa.errors import ScorecardError
from callqa.scoring.scorecard import (
    PACKAGED_SCORECARDS,
    Problem,
    check_scorecard,
    load_scorecard,
    resolve,
)
from tests.helpers_transcripts import RULE_IDS

BROKEN = Path(__file__).parent / "data" / "scorecards"
DEFAULT = PACKAGED_SCORECARDS / "etiquette.yaml"

MINIMAL = """\
id: mini
version: 2
pass_mark: 10
companies:
  - name: 星河通信
    aliases: [星河]
hotwords: [星河通信]
sections:
  - id: flow
    items:
      - id: interruption
        type: interruption
        points: 10
        description: 不打断客户
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "card.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_scorecard() -> None:
    card = load_scorecard("etiquette")
    assert [i.id for i in card.items] == RULE_IDS
    assert all(i.id == i.type and i.role == "agent" and i.description for i in card.items)
    assert card.max_score == 100.0 and card.pass_mark == 85.0
    assert card.company_names == ()  # per call: manifest or file name (samples/manifest.csv)
    assert card.item("forbidden_phrases").critical
    assert "我不能" in [p.text for p in card.item("forbidden_phrases").params.refusals]
    assert re.fullmatch(r"2\.0\+[0-9a-f]{12}", card.version_key)
    assert card.sha256.startswith(card.version_key.split("+")[1])
    assert check_scorecard(DEFAULT) == []


def test_resolve_names_and_paths(tmp_path: Path) -> None:
    assert resolve("etiquette") == DEFAULT
    assert resolve(str(DEFAULT)) == DEFAULT
    with pytest.raises(ScorecardError, match="not found"):
        resolve("no_such_card")
    with pytest.raises(ScorecardError, match="no such scorecard file"):
        resolve(tmp_path / "missing.yaml")


def test_minimal_scorecard_loads_with_defaults(tmp_path: Path) -> None:
    card = load_scorecard(write(tmp_path, MINIMAL))
    assert card.version == "2" and card.min_confidence == 0.5
    (item,) = card.items
    assert item.params.max_count == 1 and item.section == "flow" and not item.critical


def test_version_key_follows_the_content(tmp_path: Path) -> None:
    one = load_scorecard(write(tmp_path, MINIMAL))
    two = load_scorecard(write(tmp_path, MINIMAL.replace("不打断客户", "不要打断客户")))
    assert one.version == two.version and one.version_key != two.version_key


EXPECTED = {
    "broken_unknown_type.yaml": (
        "broken_unknown_type.yaml:10: item 'self_intro', key 'type': unknown rule type "
        "'self_introduction' (known: self_intro, forbidden_phrases, politeness, recap, "
        "closing, speaking_rate, volume, silence, interruption)"
    ),
    "broken_bad_param.yaml": (
        "broken_bad_param.yaml:14: item 'speaking_rate', key 'min_cpm': "
        "must be more than 0 and less than max_cpm"
    ),
    "broken_duplicate_id.yaml": (
        "broken_duplicate_id.yaml:13: item 'interruption', key 'id': "
        "duplicate item id (first on line 9)"
    ),
    "broken_missing_key.yaml": (
        "broken_missing_key.yaml:9: item 'interruption', key 'points': missing required key in item"
    ),
    "broken_wrong_type.yaml": (
        "broken_wrong_type.yaml:14: item 'silence', key 'max_gap_s': expected a number, got 'eight'"
    ),
    "broken_yaml_syntax.yaml": (
        "broken_yaml_syntax.yaml:6: YAML syntax error: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence, started on line 5)"
    ),
}


def test_every_broken_file_is_covered() -> None:
    assert sorted(p.name for p in BROKEN.glob("broken_*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_command_reports_the_precise_problem(name: str) -> None:
    from callqa.cli import main

    result = CliRunner().invoke(main, ["scorecard", "check", str(BROKEN / name)])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0] == f"{BROKEN / name}".removesuffix(name) + EXPECTED[name]
    assert "1 problem(s)" in result.stderr


def test_check_command_ok() -> None:
    from callqa.cli import main

    result = CliRunner().invoke(main, ["scorecard", "check", str(DEFAULT)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: 9 items")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_load_raises_with_all_problems(name: str) -> None:
    with pytest.raises(ScorecardError) as info:
        load_scorecard(BROKEN / name)
    assert EXPECTED[name] in str(info.value)
    assert "callqa scorecard check" in str(info.value)


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = MINIMAL.replace("pass_mark: 10", "pass_mark: 500\nowner: qa").replace(
        "        description: 不打断客户\n",
        "        description: 不打断客户\n        critical: yes please\n"
        "        params:\n          max_count: 1.5\n          min_overlap: 0.8\n"
        "      - id: Closing\n        type: closing\n        points: 0\n"
        "        description: 结束语\n        params:\n          offers: [还有什么可以帮]\n"
        "          farewells: 再见\n",
    )
    problems = check_scorecard(write(tmp_path, text))
    found = {(p.item, p.key): p for p in problems}
    assert set(found) == {
        (None, "owner"),
        ("interruption", "critical"),
        ("interruption", "max_count"),
        ("interruption", "min_overlap"),
        ("Closing", "id"),
        ("Closing", "points"),
        ("Closing", "farewells"),
    }
    assert found["interruption", "max_count"].message == "expected a whole number, got 1.5"
    assert "unknown parameter" in found["interruption", "min_overlap"].message
    assert found["Closing", "farewells"].message == "expected a list of phrases, got '再见'"
    assert all(p.line for p in problems)


@pytest.mark.parametrize(
    ("edit", "key", "message"),
    [
        (("version: 2\n", ""), "version", "missing required key in scorecard"),
        (("pass_mark: 10", "pass_mark: 500"), "pass_mark", "must be between 0 and"),
        (("pass_mark: 10", "pass_mark: 10\nmin_confidence: 2"), "min_confidence", "between 0"),
        (("hotwords: [星河通信]", "hotwords: 星河通信"), "hotwords", "expected a list of texts"),
        (("companies:", "companies: []\nx:"), "x", "unknown key"),
        (("id: mini\n", "id: mini\nid: again\n"), "id", "duplicate key (first on line 1)"),
        (("type: interruption", "type: self_intro"), "greetings", "missing"),
    ],
)
def test_top_level_and_item_problems(
    tmp_path: Path, edit: tuple[str, str], key: str, message: str
) -> None:
    problems = check_scorecard(write(tmp_path, MINIMAL.replace(*edit, 1)))
    assert any(p.key == key and message in p.message for p in problems), problems


def test_self_intro_without_companies_is_valid(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "companies:\n  - name: 星河通信\n    aliases: [星河]\n", "companies: []\n"
    )
    text = text.replace(
        "type: interruption",
        "type: self_intro\n        params: {greetings: [您好], self_ids: [工号]}",
    )
    assert check_scorecard(write(tmp_path, text)) == []  # then an organisation must be named


def test_phrase_problems(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "type: interruption",
        "type: recap\n        params:\n          phrases:\n            - 您是说\n"
        "            - {text: 我不会, unless_in: [不会吧]}\n            - 您是说\n"
        "            - '，。'",
    )
    problems = {(p.key, p.message) for p in check_scorecard(write(tmp_path, text))}
    assert ("phrases.unless_in", "'不会吧' does not contain the phrase '我不会'") in problems
    assert ("phrases", "phrase '您是说' is listed twice") in problems
    assert ("phrases.text", "phrase '，。' has no characters to match") in problems


def test_problem_text() -> None:
    assert str(Problem("a.yaml", 3, "bad", "x", "k")) == "a.yaml:3: item 'x', key 'k': bad"
    assert str(Problem("a.yaml", None, "unreadable")) == "a.yaml: unreadable"
