"""Settings declared once: name, type, default, valid values, environment variable and help.

The CLI builds its options from these (`callqa.cli.options.setting_option`), the library
takes its defaults and limits from the same constants, and `CALLQA_<NAME>` sets each from
the environment.  A value outside the valid set is a usage error before any work starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from callqa.run.meta import DEFAULT_NAME_PATTERN, DEFAULT_ZONE
from callqa.speech.audio import MAX_DURATION_S
from callqa.speech.diarize.base import MAX_SPEAKERS
from callqa.speech.diarize.registry import BACKENDS
from callqa.speech.transcribe.base import DEFAULT_BEAM_SIZE, MAX_BEAM_SIZE
from callqa.speech.weights import DEFAULT_MODEL

AGENT_CHANNELS = ("left", "right")
SPEAKER_CHOICES = (*[str(n) for n in range(1, MAX_SPEAKERS + 1)], "auto")
REPORT_GROUPINGS = ("agent", "team", "rule", "day", "week", "month")


@dataclass(frozen=True)
class Setting:
    """One option: the CLI flag is ``--`` + name with dashes, the env var CALLQA_NAME."""

    name: str
    default: Any
    help: str
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def envvar(self) -> str:
        return "CALLQA_" + self.name.upper()

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


DB = Setting("db", "callqa.db", "SQLite database file.")
SCORECARD = Setting("scorecard", "etiquette", "Scorecard name (shipped) or YAML file.")
MODEL = Setting(
    "model", DEFAULT_MODEL, "Whisper model: 'base' (offline default), a size name, or a folder."
)
AGENT_CHANNEL = Setting(
    "agent_channel", "left", "Agent's channel on stereo recordings.", choices=AGENT_CHANNELS
)
NAME_PATTERN = Setting(
    "name_pattern",
    DEFAULT_NAME_PATTERN,
    "Regex with groups agent, team, date, time and optionally company.",
)
DIARIZER = Setting("diarizer", "default", "Diarizer for mono calls.", choices=BACKENDS)
SPEAKERS = Setting(
    "speakers", "2", "Speakers on mono calls: a number or 'auto'.", choices=SPEAKER_CHOICES
)
BEAM_SIZE = Setting(
    "beam_size",
    DEFAULT_BEAM_SIZE,
    "Whisper beam size (1 is twice as fast; 5 may help on poor audio).",
    minimum=1,
    maximum=MAX_BEAM_SIZE,
)
MAX_HOURS = Setting(
    "max_hours",
    MAX_DURATION_S / 3600.0,
    "Refuse recordings longer than this many hours.",
    minimum=0.01,
    maximum=24,
)
WORKERS = Setting(
    "workers", 1, "Worker processes (each loads its own model).", minimum=1, maximum=64
)
FILE_TIME_LIMIT = Setting(
    "file_time_limit",
    3600.0,
    "Seconds one file may take to read, or to decode and score.",
    minimum=1,
)
RAY_ADDRESS = Setting(
    "ray_address",
    None,
    "Score on a Ray cluster: 'auto' (attach to the running one), 'local' (start one here) "
    "or the head's address (see docs/scale.md).",
)
RAY_WORKERS = Setting(
    "ray_workers",
    None,
    "Ray workers, each loading its own model (default: one per GPU, else one per CPU).",
    minimum=1,
    maximum=4096,
)
REPORT_BY = Setting("by", "week", "Group the report by.", choices=REPORT_GROUPINGS)

AUTH_DB = Setting(
    "auth_db",
    "",
    "Auth store (users, password hashes, signing key, sessions); default: beside --db, "
    "as NAME.auth.db.",
)
SESSION_IDLE = Setting(
    "session_idle",
    30,
    "Minutes a web session may stay unused before it ends.",
    minimum=1,
    maximum=24 * 60,
)


def speakers_value(text: str) -> int | str:
    """`--speakers` as the diarizer takes it: an int or ``"auto"``."""
    return text if text == "auto" else int(text)


TIMEZONE = Setting(
    "timezone",
    DEFAULT_ZONE,
    "The call centre's time zone: times are shown in it (stored in UTC); manifest call "
    "times with an offset are converted to it.",
)
LANG = Setting("lang", "zh_CN", "Language of the output: zh_CN or en.")
