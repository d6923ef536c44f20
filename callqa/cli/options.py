"""Shared click options, built from `callqa.settings`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from callqa.settings import AUTH_DB, DB, Setting
from callqa.store.db import require_database

F = Callable[..., Any]


def _type(setting: Setting) -> Any:
    if setting.choices is not None:
        return click.Choice(setting.choices)
    if setting.minimum is not None or setting.maximum is not None:
        if isinstance(setting.default, int):
            return click.IntRange(
                None if setting.minimum is None else int(setting.minimum),
                None if setting.maximum is None else int(setting.maximum),
            )
        return click.FloatRange(setting.minimum, setting.maximum)
    return None


def setting_option(flag: str | None, setting: Setting, **kwargs: Any) -> Callable[[F], F]:
    """The click option for `setting`: its flag, type, valid values, default and env var."""
    kwargs.setdefault("type", _type(setting))
    return click.option(
        flag or setting.flag,
        setting.name,
        default=setting.default,
        envvar=setting.envvar,
        show_default=True,
        show_envvar=True,
        help=setting.help,
        **kwargs,
    )


def _existing(ctx: click.Context, param: click.Parameter, value: str) -> str:
    require_database(value)
    return value


db_option = setting_option("--db", DB, type=click.Path(dir_okay=False))
"""--db for commands that create the database when it is missing (only `score`)."""
existing_db_option = setting_option("--db", DB, type=click.Path(dir_okay=False), callback=_existing)
"""--db for commands that read a database: a missing file is an error (nothing created)."""
auth_db_option = setting_option("--auth-db", AUTH_DB, type=click.Path(dir_okay=False))


def call_filter_options(f: F) -> F:
    """--since/--until/--agent/--team, shared by the commands that select stored calls."""
    for option in reversed(
        [
            click.option("--since", help="First day (YYYY-MM-DD or YYYY-MM-DDTHH:MM)."),
            click.option("--until", help="Last day, included."),
            click.option("--agent", help="Only this agent's calls."),
            click.option("--team", help="Only this team's calls."),
        ]
    ):
        f = option(f)
    return f
