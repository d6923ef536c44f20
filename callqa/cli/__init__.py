"""The `callqa` command line: a click group whose commands are thin wrappers.

Each command module below registers itself on `main`; the work happens in the library.
Library errors (`callqa.errors.CallQAError`) become one line on stderr and exit status 2.
Every option can also be set by an environment variable, shown in `--help`: the shared ones
by name (`CALLQA_DB`), the others as CALLQA_<COMMAND>_<OPTION> (`CALLQA_REPORT_FORMAT`,
`CALLQA_USERS_LIST_FORMAT`), click's `auto_envvar_prefix`.
"""

from __future__ import annotations

import logging
import sys

import click

from callqa.errors import CallQAError
from callqa.run.names import printable
from callqa.settings import LANG


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except CallQAError as exc:
            click.echo(f"Error: {printable(str(exc))}", err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"auto_envvar_prefix": "CALLQA"})
@click.version_option(package_name="callqa")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-v info, -vv debug).")
@click.option(
    "--lang",
    type=click.Choice(["zh_CN", "en"]),
    default=LANG.default,
    envvar=LANG.envvar,
    show_default=True,
    help="Language of verdict reasons, item titles and statuses (the web's catalogue).",
)
def main(verbose: int, lang: str) -> None:
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
    sample_cmd,
    score_cmd,
    scorecard_cmd,
    search_cmd,
    show_cmd,
    web_cmd,
)


def _show_envvars(command: click.Command) -> None:
    """Every option shows its environment variable in --help."""
    for param in command.params:
        if isinstance(param, click.Option):
            param.show_envvar = True
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _show_envvars(sub)


_show_envvars(main)
