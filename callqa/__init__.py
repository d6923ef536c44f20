"""callqa: offline speech-analytics QA for recorded customer-service calls."""

from __future__ import annotations

from callqa.errors import AudioError, CallQAError, ModelNotFound, ScorecardError, StoreError

__version__ = "0.1.0"

__all__ = [
    "AudioError",
    "CallQAError",
    "ModelNotFound",
    "ScorecardError",
    "StoreError",
    "__version__",
]
