"""`callqa models`: which models are available, and where they were found."""

from __future__ import annotations

import click

from callqa.cli import main
from callqa.speech import weights as models


@main.command("models")
def models_command() -> None:
    """List the transcription and diarization models and where each was found.

    Example: callqa models
    """
    for row in models.status():
        mark = "ok " if row.available else "-- "
        click.echo(f"{mark} {row.name:<24} {row.source}\n    {row.where}")
    click.echo(f"cache: {models.cache_dir()}  (set CALLQA_MODEL_DIR to move it)")
