"""Settings declared once: name, default, environment variable and help.

The CLI builds its options from these, so a default lives in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from callqa.run.meta import DEFAULT_NAME_PATTERN, DEFAULT_ZONE
from callqa.speech.weights import DEFAULT_MODEL


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    @property
    def envvar(self) -> str:
        return "CALLQA_" + self.name.upper()


DB = Setting("db", "callqa.db", "SQLite database file.")
SCORECARD = Setting("scorecard", "etiquette", "Scorecard name (in scorecards/) or YAML file.")
MODEL = Setting(
    "model", DEFAULT_MODEL, "Whisper model: 'base' (offline default), a size name, or a folder."
)
AGENT_CHANNEL = Setting("agent_channel", "left", "Agent's channel on stereo recordings.")
NAME_PATTERN = Setting(
    "name_pattern", DEFAULT_NAME_PATTERN, "Regex with groups agent, team, date, time."
)
TIMEZONE = Setting(
    "timezone",
    DEFAULT_ZONE,
    "Zone of call times: manifest times without an offset are in it; all are stored in it.",
)
FILE_TIME_LIMIT = Setting(
    "file_time_limit", "3600", "Seconds one file may take to read, or to decode and score."
)
DIARIZER = Setting("diarizer", "default", "Diarizer for mono calls: default or pyannote.")
