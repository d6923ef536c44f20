"""`callqa scorecard check FILE`: validate a scorecard before any batch uses it."""

from __future__ import annotations

import sys

import click

from callqa.cli import main
from callqa.scoring.scorecard import check_scorecard, load_scorecard


@main.group("scorecard")
def scorecard_group() -> None:
    """Work with scorecards (YAML files in scorecards/).

    Example: callqa scorecard check scorecards/etiquette.yaml
    """


@scorecard_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
def check_command(file: str) -> None:
    """Report every problem of a scorecard file (line, item, key); exit 1 if any.

    Example: callqa scorecard check scorecards/etiquette.yaml
    """
    problems = check_scorecard(file)
    if problems:
        for problem in problems:
            click.echo(str(problem))
        click.echo(f"{len(problems)} problem(s) in {file}", err=True)
        sys.exit(1)
    card = load_scorecard(file)
    click.echo(
        f"OK: {len(card.items)} items ({card.id} {card.version_key}, "
        f"max {card.max_score:g}, pass mark {card.pass_mark:g})"
    )
