"""Which stored calls a report or a list covers, and the SQL that selects them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from callqa.errors import ReportError

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?")


@dataclass(frozen=True)
class Filters:
    """Which calls a report covers; dates are ISO strings, `until` is inclusive."""

    since: str | None = None
    until: str | None = None
    agent: str | None = None
    team: str | None = None
    plan: int | None = None
    """Only the calls drawn by this sampling plan (`callqa sample`)."""

    @classmethod
    def parse(
        cls,
        *,
        since: str | None = None,
        until: str | None = None,
        agent: str | None = None,
        team: str | None = None,
    ) -> Filters:
        return cls(_date("since", since), _date("until", until), agent or None, team or None)

    @property
    def whole_days(self) -> bool:
        """True when the time bounds fall on day boundaries and no sampling plan narrows
        the calls (the daily roll-ups answer)."""
        return self.plan is None and all(
            v is None or _DATE.fullmatch(v) for v in (self.since, self.until)
        )

    def until_bound(self) -> tuple[str, str] | None:
        """('<', next day) for a date, ('<=', the time) for a date-time, None if open."""
        if not self.until:
            return None
        if _DATE.fullmatch(self.until):
            return "<", (date.fromisoformat(self.until) + timedelta(days=1)).isoformat()
        return "<=", self.until

    def where(
        self, *, time: str, agent: str, team: str, days: bool = False, call_id: str = ""
    ) -> tuple[list[str], list[Any]]:
        """SQL conditions (and parameters) on the given column expressions; with `days`,
        `time` is a 'YYYY-MM-DD' day column and the bounds are whole days."""
        where: list[str] = []
        params: list[Any] = []
        if self.plan is not None and call_id:
            where.append(f"{call_id} IN (SELECT call_id FROM sample_items WHERE plan_id = ?)")
            params.append(self.plan)
        if self.agent:
            where.append(f"{agent} = ?")
            params.append(self.agent)
        if self.team:
            where.append(f"{team} = ?")
            params.append(self.team)
        if self.since:
            where.append(f"{time} >= ?")
            params.append(self.since)
        bound = ("<=", self.until) if days and self.until else self.until_bound()
        if bound:
            where.append(f"{time} {bound[0]} ?")
            params.append(bound[1])
        return where, params


def _date(name: str, value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if not (_DATE.fullmatch(value) or _DATETIME.fullmatch(value)):
        raise ReportError(f"--{name} {value!r} is not a date - use YYYY-MM-DD or YYYY-MM-DDTHH:MM")
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ReportError(f"--{name} {value!r} is not a valid date") from None
    return value.replace(" ", "T")


EVERY_CALL = Filters()
"""No filter: every scored call."""
