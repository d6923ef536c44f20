"""Shared click options, built from `callqa.settings`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from callqa.settings import DB, Setting

F = Callable[..., Any]


def setting_option(flag: str, setting: Setting, **kwargs: Any) -> Callable[[F], F]:
    return click.option(
        flag,
        setting.name,
        default=setting.default,
        envvar=setting.envvar,
        show_default=True,
        show_envvar=True,
        help=setting.help,
        **kwargs,
    )


db_option = setting_option("--db", DB, type=click.Path(dir_okay=False))
