"""The `callqa` command line: a click group whose commands are thin wrappers.

Each command module below registers itself on `main`; the work happens in the library.
Library errors (`callqa.errors.CallQAError`) become one line on stderr and exit status 2.
"""

from __future__ import annotations

import logging
import sys

import click

from callqa.errors import CallQAError
from callqa.run.names import printable


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except CallQAError as exc:
            click.echo(f"Error: {printable(str(exc))}", err=True)
            sys.exit(2)


@click.group(cls=_Group)
@click.version_option(package_name="callqa")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-v info, -vv debug).")
def main(verbose: int) -> None:
    """callqa: score recorded customer-service calls against an etiquette scorecard."""
    level = logging.WARNING - 10 * min(verbose, 2)
    handler = logging.StreamHandler()
    handler.setFormatter(_OneLineFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])


class _OneLineFormatter(logging.Formatter):
    """Log messages with control characters escaped: a file name cannot break the line."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return printable(super().formatMessage(record))


# Command modules register themselves on `main` when imported.
from callqa.cli import (  # noqa: E402, F401
    clips_cmd,
    eval_cmd,
    models_cmd,
    relabel_cmd,
    report_cmd,
    review_cmd,
    score_cmd,
    scorecard_cmd,
    show_cmd,
    web_cmd,
)
