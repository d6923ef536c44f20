"""callqa's exceptions.

    CallQAError
    ├── AudioError            the file cannot be decoded, is empty, silent or too long
    ├── ModelNotFound         a model is not where it was looked for
    ├── ScorecardError        a scorecard YAML is malformed or invalid
    │   └── ScorecardProblems every problem of one file (callqa.scoring.scorecard)
    ├── ManifestError         a manifest CSV cannot be read
    ├── StoreError            the database cannot be opened or written
    ├── ReviewError           a review or appeal cannot be recorded
    ├── ReportError           a report cannot be made (bad date, grouping or format)
    ├── ClipError             a clip pack cannot be written
    ├── ClusterError          Ray is not installed, or its cluster or workers cannot start
    └── UserError             a web user cannot be added, found or changed

The CLI turns each into one line naming the file and what to do; the library never
prints.  Every message is written so it can stand alone on that line.
"""

from __future__ import annotations


class CallQAError(Exception):
    """Base class of every error callqa raises on purpose."""


class AudioError(CallQAError):
    """An audio file that cannot be scored (corrupt, empty, silent, wrong format, too long)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ModelNotFound(CallQAError):
    """A model that is not installed or not at the path given."""


class ScorecardError(CallQAError):
    """A scorecard that does not load or does not validate."""


class StoreError(CallQAError):
    """A database that cannot be opened, migrated or written."""


class ManifestError(CallQAError):
    """A manifest CSV that cannot be read."""


class ReviewError(CallQAError):
    """A review or appeal that cannot be recorded (unknown call or item, no reason, ...)."""


class ReportError(CallQAError):
    """A report that cannot be made (bad date, grouping or format)."""


class ClipError(CallQAError):
    """A clip pack that cannot be written (bad output folder, unsafe path)."""


class ClusterError(CallQAError):
    """A Ray cluster that cannot be used: Ray missing, no cluster at the address, workers
    that do not start."""


class UserError(CallQAError):
    """A user that cannot be added (bad name, role, password) or does not exist."""
