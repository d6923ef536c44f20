"""Settings declared once: name, default, environment variable and help.

The CLI builds its options from these, so a default lives in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from callqa.run.meta import DEFAULT_NAME_PATTERN
from callqa.speech.weights import DEFAULT_MODEL
from callqa.web.sessions import IDLE_MINUTES


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
DIARIZER = Setting("diarizer", "default", "Diarizer for mono calls: default or pyannote.")
AUTH_DB = Setting(
    "auth_db",
    "",
    "Auth store (users, password hashes, signing key, sessions); default: beside --db, "
    "as NAME.auth.db.",
)
SESSION_IDLE = Setting(
    "session_idle", str(IDLE_MINUTES), "Minutes a web session may stay unused before it ends."
)
