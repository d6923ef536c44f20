"""One call from audio file to `CallResult`, and a batch of calls into the store.

`Pipeline` holds what is loaded once (transcriber, diarizer, scorecard) and scores one
file at a time: a pure function of the file, so batches can run it in worker processes
and hand results back to the single writer (`run_batch`).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from callqa.errors import AudioError, CallQAError
from callqa.records import (
    CallMeta,
    CallResult,
    ChannelName,
    DecodedAudio,
    Segment,
    StageTimings,
    Transcript,
)
from callqa.run.meta import DEFAULT_NAME_PATTERN, lookup
from callqa.scoring import engine as rules
from callqa.scoring.scorecard import Scorecard
from callqa.speech import align, measure, roles
from callqa.speech.audio import MAX_DURATION_S, decode, file_sha256, is_audio_file
from callqa.speech.diarize.clustering import Diarizer, default_diarizer
from callqa.speech.transcribe.whisper import TranscribeOptions, Transcriber, with_hotwords
from callqa.store.db import Store

log = logging.getLogger(__name__)

ProgressHook = Callable[..., None]
"""Called as hook(step, completed=, total=, audio_seconds=, outcome=) after each file."""


@dataclass(frozen=True)
class PipelineOptions:
    agent_channel: ChannelName = "left"
    max_duration: float = MAX_DURATION_S
    speakers: int | Literal["auto"] = 2
    hotwords: bool = False
    transcribe: TranscribeOptions = field(default_factory=TranscribeOptions)


@dataclass(frozen=True)
class PipelineSpec:
    """Everything needed to build a Pipeline again, e.g. inside a worker process."""

    model: str
    scorecard: str
    diarizer: str = "default"
    options: PipelineOptions = field(default_factory=PipelineOptions)
    cpu_threads: int = 2


class Pipeline:
    """Scores one call at a time with models loaded once."""

    spec: PipelineSpec | None = None

    @classmethod
    def from_spec(cls, spec: PipelineSpec) -> Pipeline:
        """The real pipeline: scorecard checked now, Whisper loaded on first use."""
        from callqa.scoring.scorecard import load_scorecard
        from callqa.speech.diarize.clustering import make_diarizer
        from callqa.speech.transcribe.whisper import WhisperTranscriber

        scorecard = load_scorecard(spec.scorecard)
        pipeline = cls(
            transcriber=WhisperTranscriber(spec.model, cpu_threads=spec.cpu_threads),
            scorecard=scorecard,
            diarizer=make_diarizer(spec.diarizer) if spec.diarizer != "default" else None,
            options=spec.options,
        )
        pipeline.spec = spec
        return pipeline

    def __init__(
        self,
        *,
        transcriber: Transcriber,
        scorecard: Scorecard,
        diarizer: Diarizer | None = None,
        options: PipelineOptions | None = None,
    ) -> None:
        self.transcriber = transcriber
        self.scorecard = scorecard
        self._diarizer = diarizer
        self.options = options or PipelineOptions()
        self._transcribe_options = (
            with_hotwords(self.options.transcribe, scorecard.hotwords)
            if self.options.hotwords
            else self.options.transcribe
        )

    @property
    def model_name(self) -> str:
        return self.transcriber.name

    @property
    def diarizer(self) -> Diarizer:
        if self._diarizer is None:
            self._diarizer = default_diarizer()
        return self._diarizer

    def score_file(
        self, path: str | Path, *, call_id: str | None = None, meta: CallMeta | None = None
    ) -> tuple[CallResult, DecodedAudio]:
        """Decode, transcribe, attribute, measure and score one file."""
        name = str(path)
        call_id = call_id or file_sha256(path)
        t0 = time.perf_counter()
        audio = decode(path, max_duration=self.options.max_duration)
        t1 = time.perf_counter()
        transcript, t_diarize, t_transcribe = self._transcript(audio)
        t2 = time.perf_counter()
        if not any(u.text.strip() for u in transcript.utterances):
            raise AudioError(
                name, "no speech found (only silence, noise or music) - nothing to score"
            )
        transcript = measure.with_loudness(transcript, audio)
        measures = measure.measure(transcript)
        score = rules.score_call(self.scorecard, transcript, measures)
        t3 = time.perf_counter()
        timings = StageTimings(
            decode=t1 - t0, diarize=t_diarize, transcribe=t_transcribe, score=t3 - t2
        )
        result = CallResult(
            call_id=call_id,
            file=name,
            duration=audio.duration,
            meta=meta or CallMeta(),
            transcript=transcript,
            measures=measures,
            score=score,
            model=self.model_name,
            timings=timings,
            channels=len(audio.channels),
            source_sample_rate=audio.source_sample_rate,
        )
        return result, audio

    def _transcript(self, audio: DecodedAudio) -> tuple[Transcript, float, float]:
        opts = self._transcribe_options
        companies = self.scorecard.company_names
        if audio.is_stereo:
            t = time.perf_counter()
            by_channel: dict[str, tuple[Segment, ...]] = {
                side: self.transcriber(signal, options=opts, channel=i)
                for i, (side, signal) in enumerate(
                    zip(("left", "right"), audio.channels, strict=True)
                )
            }
            t_transcribe = time.perf_counter() - t
            utterances = align.utterances_from_channels(by_channel)
            assignment = roles.assign_roles(
                utterances, company_names=companies, agent_hint=self.options.agent_channel
            )
            agent_channel: ChannelName | None = _channel(assignment.agent_speaker)
            return (
                Transcript(
                    utterances=roles.apply_roles(utterances, assignment),
                    duration=audio.duration,
                    roles=assignment,
                    agent_channel=agent_channel,
                ),
                0.0,
                t_transcribe,
            )
        signal = audio.mono()
        t = time.perf_counter()
        segments = self.transcriber(signal, options=opts)
        t_transcribe = time.perf_counter() - t
        t = time.perf_counter()
        diarization = self.diarizer(signal, speakers=self.options.speakers)
        t_diarize = time.perf_counter() - t
        utterances = align.utterances_from_diarization(segments, diarization)
        assignment = roles.assign_roles(utterances, company_names=companies, agent_hint=None)
        return (
            Transcript(
                utterances=roles.apply_roles(utterances, assignment),
                duration=audio.duration,
                roles=assignment,
                agent_channel=None,
                overlaps=diarization.overlaps,
            ),
            t_diarize,
            t_transcribe,
        )


def _channel(speaker: str | None) -> ChannelName | None:
    if speaker == "left":
        return "left"
    if speaker == "right":
        return "right"
    return None


# -- batches -------------------------------------------------------------------------------


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and audio files under folders (sorted); missing paths kept to fail."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.is_file() and is_audio_file(f)))
        else:
            found.append(p)
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class FileOutcome:
    file: str
    status: Literal["scored", "skipped", "failed"]
    call_id: str | None = None
    result: CallResult | None = None
    error: str | None = None
    audio_seconds: float = 0.0


@dataclass
class BatchSummary:
    scored: int = 0
    skipped: int = 0
    failed: int = 0
    audio_seconds: float = 0.0
    wall_seconds: float = 0.0
    outcomes: list[FileOutcome] = field(default_factory=list)

    @property
    def line(self) -> str:
        speed = self.audio_seconds / self.wall_seconds if self.wall_seconds > 0 else 0.0
        return (
            f"{self.scored} scored, {self.skipped} skipped (already scored), "
            f"{self.failed} failed; {self.audio_seconds / 60:.1f} min of audio in "
            f"{self.wall_seconds:.1f} s ({speed:.1f}x real time)"
        )


def run_batch(
    files: list[Path],
    store: Store,
    pipeline: Pipeline,
    *,
    manifest: Mapping[str, CallMeta] | None = None,
    name_pattern: str = DEFAULT_NAME_PATTERN,
    force: bool = False,
    workers: int = 1,
    hook: ProgressHook | None = None,
) -> BatchSummary:
    """Score `files` into `store`; a bad file is recorded as failed and the batch goes on.

    Results are written here, one transaction per call, whatever `workers` is; with
    several workers each process builds its own pipeline from `pipeline.spec`.
    """
    summary = BatchSummary()
    start = time.perf_counter()
    total = len(files)
    version = pipeline.scorecard.version_key
    todo: list[tuple[Path, str, CallMeta]] = []
    for path in files:
        meta = lookup(path, manifest, name_pattern)
        try:
            call_id = file_sha256(path)
        except AudioError as exc:
            _record(summary, _fail(store, path, None, exc.reason), hook, total, start)
            continue
        if not force and store.has_scoring(
            call_id, scorecard_version=version, model=pipeline.model_name
        ):
            _record(summary, FileOutcome(str(path), "skipped", call_id), hook, total, start)
            continue
        todo.append((path, call_id, meta))

    for outcome in _execute(todo, pipeline, workers):
        if outcome.result is not None:
            t = time.perf_counter()
            store.save_result(outcome.result)
            timings = replace(outcome.result.timings, store=time.perf_counter() - t)
            outcome = replace(outcome, result=replace(outcome.result, timings=timings))
        elif outcome.status == "failed":
            outcome = _fail(store, Path(outcome.file), outcome.call_id, outcome.error or "")
        _record(summary, outcome, hook, total, start)
    return summary


def _fail(store: Store, path: Path, call_id: str | None, reason: str) -> FileOutcome:
    key = call_id or "path:" + _path_key(path)
    store.save_failure(call_id=key, file=str(path), reason=reason)
    log.info("%s: %s", path, reason)  # the caller reports failures to the user
    return FileOutcome(str(path), "failed", key, error=reason)


def _path_key(path: Path) -> str:
    import hashlib

    return hashlib.sha256(os.fsencode(os.path.abspath(path))).hexdigest()


def _record(
    summary: BatchSummary, outcome: FileOutcome, hook: ProgressHook | None, total: int, start: float
) -> None:
    summary.outcomes.append(outcome)
    if outcome.status == "scored":
        summary.scored += 1
    elif outcome.status == "skipped":
        summary.skipped += 1
    else:
        summary.failed += 1
    if outcome.result is not None:
        summary.audio_seconds += outcome.result.duration
    summary.wall_seconds = time.perf_counter() - start
    if hook is not None:
        hook(
            "score",
            completed=len(summary.outcomes),
            total=total,
            outcome=outcome,
            audio_seconds=summary.audio_seconds,
        )


def _score_one(pipeline: Pipeline, path: Path, call_id: str, meta: CallMeta) -> FileOutcome:
    try:
        result, _audio = pipeline.score_file(path, call_id=call_id, meta=meta)
    except AudioError as exc:
        return FileOutcome(str(path), "failed", call_id, error=exc.reason)
    except CallQAError as exc:
        return FileOutcome(str(path), "failed", call_id, error=str(exc))
    except (MemoryError, RuntimeError, ValueError) as exc:
        log.exception("%s: failed while scoring", path)
        return FileOutcome(
            str(path),
            "failed",
            call_id,
            error=f"internal error ({type(exc).__name__}: {exc}) - please report",
        )
    return FileOutcome(str(path), "scored", call_id, result=result, audio_seconds=result.duration)


def _execute(
    todo: list[tuple[Path, str, CallMeta]], pipeline: Pipeline, workers: int
) -> Iterator[FileOutcome]:
    if workers <= 1 or len(todo) <= 1 or pipeline.spec is None:
        for path, call_id, meta in todo:
            yield _score_one(pipeline, path, call_id, meta)
        return
    from callqa.run.workers import parallel_outcomes

    yield from parallel_outcomes(todo, pipeline.spec, workers)
