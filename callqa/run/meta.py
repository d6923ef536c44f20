"""Who took a call and when: from a manifest CSV or the file name.  Unknown stays None.

Manifest CSV: a header row with `file` and any of `agent_id`, `team`, `call_time`,
`company` (the brand the agent answers for, when a centre serves many); `file`
matches a recording by its name or its path as given on the command line.

File-name pattern (the default, documented in the README), for example
`A1023_care_20261124-093015.wav` → agent A1023, team care, 2026-11-24T09:30:15:

    <agent>_<team>_<YYYYMMDD>-<HHMMSS>[_anything].<ext>

Pass another regular expression with named groups `agent`, `team`, `date`, `time` and
optionally `company`.

Call times are stored as local wall-clock time in one zone (the `timezone` setting,
Asia/Shanghai by default), ISO 8601 without an offset (`2026-11-24T09:30:15`), the way
file names carry them, so that `--since`/`--until` compare like with like.  A manifest's
`call_time` must be ISO 8601: with an offset (`+08:00`, `Z`) it is converted to that zone;
without one it is taken as already in it; a date alone stays a date.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from callqa.errors import ManifestError
from callqa.records import CallMeta

DEFAULT_NAME_PATTERN = (
    r"^(?P<agent>[A-Za-z]+\d+)_(?P<team>[A-Za-z0-9]+)_(?P<date>\d{8})-(?P<time>\d{6})(?:_.*)?$"
)
DEFAULT_ZONE = "Asia/Shanghai"


def zone_info(zone: str) -> ZoneInfo:
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ManifestError(
            f"unknown time zone {zone!r} - give an IANA name such as Asia/Shanghai"
        ) from None


def parse_call_time(text: str, zone: str = DEFAULT_ZONE) -> str:
    """An ISO 8601 time as stored: local time in `zone`, no offset (see the module doc).

    Raises ValueError when `text` is not ISO 8601.
    """
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text).isoformat()
    when = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    if when.tzinfo is not None:
        when = when.astimezone(zone_info(zone)).replace(tzinfo=None)
    return when.isoformat(timespec="seconds")


def read_manifest(path: str | Path, *, zone: str = DEFAULT_ZONE) -> dict[str, CallMeta]:
    """Map each manifest row's `file` (and its base name) to its CallMeta.

    A `call_time` that is not ISO 8601 is a `ManifestError` naming its line.
    """
    zone_info(zone)
    rows: dict[str, CallMeta] = {}
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames is None or "file" not in reader.fieldnames:
                raise ManifestError(
                    f"{path}: no 'file' column in the header - the manifest "
                    "needs columns file,agent_id,team,call_time"
                )
            for row in reader:
                name = (row.get("file") or "").strip()
                if not name:
                    continue
                when = (row.get("call_time") or "").strip() or None
                if when is not None:
                    try:
                        when = parse_call_time(when, zone)
                    except ValueError:
                        raise ManifestError(
                            f"{path} line {reader.line_num}: call_time {when!r} is not an "
                            "ISO 8601 time - write it like 2026-11-24T09:30:15 or "
                            "2026-11-24T09:30:15+08:00"
                        ) from None
                meta = CallMeta(
                    agent_id=(row.get("agent_id") or "").strip() or None,
                    team=(row.get("team") or "").strip() or None,
                    call_time=when,
                    company=(row.get("company") or "").strip() or None,
                )
                rows[name] = meta
                rows.setdefault(Path(name).name, meta)
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read the manifest ({exc.strerror})") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: not a UTF-8 CSV file ({exc})") from None
    return rows


def from_name(path: str | Path, pattern: str = DEFAULT_NAME_PATTERN) -> CallMeta:
    match = re.match(pattern, Path(path).stem)
    if match is None:
        return CallMeta()
    groups = match.groupdict()
    date, time = groups.get("date"), groups.get("time")
    call_time = None
    if date and len(date) == 8:
        call_time = f"{date[:4]}-{date[4:6]}-{date[6:]}"
        if time and len(time) == 6:
            call_time += f"T{time[:2]}:{time[2:4]}:{time[4:]}"
    return CallMeta(
        agent_id=groups.get("agent"),
        team=groups.get("team"),
        call_time=call_time,
        company=groups.get("company"),
    )


def source(
    path: str | Path, manifest: Mapping[str, CallMeta] | None, pattern: str = DEFAULT_NAME_PATTERN
) -> str:
    """Where `lookup` finds this file's metadata: "manifest", "name" or "none"."""
    if manifest and any(key in manifest for key in (str(path), Path(path).name)):
        return "manifest"
    return "name" if from_name(path, pattern) != CallMeta() else "none"


def lookup(
    path: str | Path, manifest: Mapping[str, CallMeta] | None, pattern: str = DEFAULT_NAME_PATTERN
) -> CallMeta:
    """Manifest first (by path as given, then by file name), else the file-name pattern."""
    if manifest:
        for key in (str(path), Path(path).name):
            if key in manifest:
                return manifest[key]
    return from_name(path, pattern)
