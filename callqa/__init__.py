"""callqa: offline speech-analytics QA for recorded customer-service calls.

The public surface is exactly `__all__`: score a call from Python with

    from callqa import Pipeline, PipelineSpec, Store, collect_files, run_batch
    pipeline = Pipeline.from_spec(PipelineSpec(model="base", scorecard="etiquette"))
    run_batch(collect_files(["calls/"]), Store.open("calls.db"), pipeline)
"""

from __future__ import annotations

from callqa.errors import AudioError, CallQAError, ModelNotFound, ScorecardError, StoreError
from callqa.run.batch import collect_files, run_batch
from callqa.run.pipeline import Pipeline, PipelineOptions, PipelineSpec
from callqa.scoring.engine import score_call
from callqa.scoring.scorecard import load_scorecard
from callqa.speech.audio import decode
from callqa.store.db import Store

__version__ = "0.1.0"

__all__ = [
    "AudioError",
    "CallQAError",
    "ModelNotFound",
    "Pipeline",
    "PipelineOptions",
    "PipelineSpec",
    "ScorecardError",
    "Store",
    "StoreError",
    "__version__",
    "collect_files",
    "decode",
    "load_scorecard",
    "run_batch",
    "score_call",
]
