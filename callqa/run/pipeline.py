"""One call from audio file to `CallResult`.

`Pipeline` holds what is loaded once (transcriber, diarizer, scorecard) and scores one
file at a time: a pure function of the file, so batches can run it in worker processes
and hand results back to the single writer (`callqa.run.batch.run_batch`).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from callqa.errors import AudioError, CallQAError
from callqa.records import (
    CallMeta,
    CallResult,
    CallScore,
    ChannelName,
    DecodedAudio,
    Evidence,
    Partial,
    Role,
    Segment,
    Span,
    StageTimings,
    Transcript,
    Utterance,
)
from callqa.scoring import engine as rules
from callqa.scoring.cohort import cohort
from callqa.scoring.partial import for_partial
from callqa.scoring.rereading import reread_items
from callqa.scoring.scorecard import Scorecard, load_scorecard
from callqa.scoring.verification import NameCheck, NameMargins, verify_company, verify_hits
from callqa.speech import align, measure, roles, timeline
from callqa.speech.audio import MAX_DURATION_S, decode, file_sha256
from callqa.speech.diarize.base import Diarizer
from callqa.speech.diarize.registry import default_diarizer, make_diarizer
from callqa.speech.reread import (
    Reading,
    prompted,
    read_hold,
    read_lead_ins,
    read_name,
    reread,
)
from callqa.speech.transcribe import gaps
from callqa.speech.transcribe.base import (
    SupportsVerify,
    TranscribeOptions,
    Transcriber,
    with_hotwords,
)
from callqa.speech.transcribe.loops import collapse_repeated_segments
from callqa.speech.transcribe.registry import DEFAULT_TRANSCRIBER, make_transcriber
from callqa.speech.vad import share_vad_runs, speech_regions
from callqa.speech.verify import cohort_margins, margin

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
    verify: bool = True
    """Ask the audio about deciding hits and misses (`callqa.speech.verify`): sound-only
    forbidden phrases, garbled company names, and openings, closes and recaps in murky
    speech (`callqa.speech.reread`)."""


@dataclass(frozen=True)
class PipelineSpec:
    """Everything needed to build a Pipeline again, e.g. inside a worker process."""

    model: str
    scorecard: str
    diarizer: str = "default"
    options: PipelineOptions = field(default_factory=PipelineOptions)
    cpu_threads: int = 2
    transcriber: str = DEFAULT_TRANSCRIBER
    """A name in `callqa.speech.transcribe.registry` or a ``module:factory`` path."""


class Pipeline:
    """Scores one call at a time with models loaded once."""

    @classmethod
    def from_spec(cls, spec: PipelineSpec) -> Pipeline:
        """The real pipeline: scorecard checked now, Whisper loaded on first use."""
        scorecard = load_scorecard(spec.scorecard)
        pipeline = cls(
            transcriber=make_transcriber(
                spec.transcriber, spec.model, cpu_threads=spec.cpu_threads
            ),
            scorecard=scorecard,
            diarizer=make_diarizer(spec.diarizer) if spec.diarizer != "default" else None,
            options=spec.options,
            spec=spec,
        )
        return pipeline

    def __init__(
        self,
        *,
        transcriber: Transcriber,
        scorecard: Scorecard,
        diarizer: Diarizer | None = None,
        options: PipelineOptions | None = None,
        spec: PipelineSpec | None = None,
    ) -> None:
        # How to build this pipeline again in another process; None for a hand-built one
        # (then batches run in this process only).
        self.spec = spec
        share_vad_runs()  # the transcriber's VAD pass serves the timeline too
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
    def options_key(self) -> str:
        """Canonical JSON of every option that changes results (stored with each scoring;
        a re-run with any of them changed scores again instead of skipping)."""
        o = self.options
        t = self._transcribe_options
        return json.dumps(
            {
                "agent_channel": o.agent_channel,
                "speakers": o.speakers,
                "diarizer": self.spec.diarizer if self.spec else "default",
                "transcriber": self.spec.transcriber if self.spec else self.transcriber.name,
                "beam_size": t.beam_size,
                "temperature": t.temperature,
                "vad_filter": t.vad_filter,
                "vad_min_silence_ms": t.vad_min_silence_ms,
                "initial_prompt": t.initial_prompt,
                "hotwords": list(t.hotwords),
                "condition_on_previous_text": t.condition_on_previous_text,
                "fill_gaps": t.fill_gaps,
                "no_speech_threshold": t.no_speech_threshold,
                "log_prob_threshold": t.log_prob_threshold,
                "verify": o.verify,
            },
            sort_keys=True,
            ensure_ascii=False,
        )

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
        decoded = decode(path, max_duration=self.options.max_duration)
        audio = decoded
        if timeline.is_dual_mono(decoded):
            log.info("%s: both channels carry the same signal - handled as mono", name)
            audio = replace(decoded, channels=(decoded.mono(),))
        t1 = time.perf_counter()
        company = (meta or CallMeta()).company
        transcript, speech, t_diarize, t_transcribe = self._transcript(audio, company)
        t2 = time.perf_counter()
        if not any(u.text.strip() for u in transcript.utterances):
            raise AudioError(
                name, "no speech found (only silence, noise or music) - nothing to score"
            )
        transcript = measure.with_loudness(transcript, audio)
        t = time.perf_counter()
        if audio.is_stereo:
            speech = timeline.channel_speech(audio)
        line = timeline.build(
            speech,
            _lane_roles(transcript, speech, self.options.agent_channel),
            audio=audio,
            duration=audio.duration,
            stereo=audio.is_stereo,
        )
        if not any(lane.speech for lane in line.lanes):
            # the VAD heard no speech anywhere, yet there are words: keep their times
            log.warning("%s: no speech found by the VAD - timeline from the words", name)
            line = timeline.from_transcript(transcript)
        transcript = replace(transcript, timeline=line)
        measures = measure.measure(transcript)
        t_timeline = time.perf_counter() - t
        score = rules.score_call(
            self.scorecard, transcript, measures, company=(meta or CallMeta()).company
        )
        score = self._verified(score, audio, transcript, (meta or CallMeta()).company)
        cut = audio.partial or ends_mid_speech(transcript, audio)
        if cut is not None:
            log.info("%s: %s", name, cut.line)  # the batch reports it to the user
            score = for_partial(score, self.scorecard, cut)
        score = rules.recording_problem(score, transcript)
        t3 = time.perf_counter()
        timings = StageTimings(
            decode=t1 - t0,
            diarize=t_diarize,
            transcribe=t_transcribe,
            score=t3 - t2 - t_timeline,
            timeline=t_timeline,
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
            channels=len(decoded.channels),
            source_sample_rate=decoded.source_sample_rate,
            options=self.options_key,
            partial=cut,
        )
        return result, decoded

    def _verified(
        self,
        score: CallScore,
        audio: DecodedAudio,
        transcript: Transcript,
        company: str | None = None,
    ) -> CallScore:
        """`score` with its deciding hits and misses asked of the audio: sound-only
        forbidden phrases, garbled company names, and (`reread_items`) openings and
        closes that murky speech may hide."""
        if not self.options.verify or not isinstance(self.transcriber, SupportsVerify):
            return score
        verifier = self.transcriber.verifier()
        channel = {"left": 0, "right": 1}.get(transcript.agent_channel or "")
        signal = audio.channels[channel] if channel is not None else audio.mono()

        def check(ev: Evidence, heard: str, canonical: str) -> float:
            return margin(
                verifier, signal, start=ev.start, end=ev.end, canonical=canonical, heard=heard
            )

        def in_context(t: Transcript) -> NameCheck:
            def asked(ev: Evidence, heard: str, canonical: str) -> NameMargins | None:
                utt = next(
                    (
                        u
                        for u in t.utterances
                        if u.role == ev.speaker
                        and u.start <= ev.start + 0.01
                        and ev.end <= u.end + 0.01
                        and heard in u.text
                    ),
                    None,
                )
                if utt is None:
                    return None
                over_heard, over_cohort = cohort_margins(
                    verifier,
                    signal,
                    start=utt.start,
                    end=utt.end,
                    canonical=utt.text.replace(heard, canonical, 1),
                    heard=utt.text,
                    cohort=[utt.text.replace(heard, c, 1) for c in cohort(canonical)],
                )
                return NameMargins(over_heard, over_cohort)

            return asked

        retranscribe = prompted(self.transcriber, self._transcribe_options)

        def propose(utt: Utterance) -> tuple[Reading, ...]:
            return reread(
                retranscribe, verifier, signal, start=utt.start, end=utt.end, text=utt.text
            )

        def lead_ins(span: Span) -> tuple[Reading, ...]:
            return read_lead_ins(retranscribe, verifier, signal, start=span.start, end=span.end)

        names = (company,) if company else tuple(c.name for c in self.scorecard.companies[:1])

        def name_at(span: Span) -> Reading | None:
            return read_name(
                retranscribe,
                verifier,
                signal,
                start=span.start,
                end=span.end,
                name=names[0],
                others=cohort(names[0]),
            )

        def hold_at(span: Span, prompt: str, phrases: tuple[str, ...]) -> tuple[Reading, ...]:
            return read_hold(
                retranscribe,
                verifier,
                signal,
                start=span.start,
                end=span.end,
                prompt=prompt,
                phrases=phrases,
            )

        def rescore(t: Transcript) -> CallScore:
            again = rules.score_call(self.scorecard, t, measure.measure(t), company=company)
            return verify_company(again, in_context(t))

        score = verify_company(verify_hits(score, check), in_context(transcript))
        return reread_items(
            score,
            transcript,
            self.scorecard,
            propose,
            rescore,
            lead_ins,
            name_at if names else None,
            hold_at,
        )

    def _transcribe(
        self, signal: npt.NDArray[np.float32], channel: int | None = None
    ) -> tuple[Segment, ...]:
        """One signal's segments, with the speech the first pass skipped filled in, and
        without the segments of a repetition loop after the first (`loops`)."""
        opts = self._transcribe_options
        segments = self.transcriber(signal, options=opts, channel=channel)
        if opts.fill_gaps and segments:
            segments = gaps.fill_gaps(
                lambda clip: self.transcriber(clip, options=opts, channel=channel),
                signal,
                segments,
                speech_regions(signal),
                channel=channel,
            )
        return collapse_repeated_segments(segments)

    def _transcript(
        self, audio: DecodedAudio, company: str | None = None
    ) -> tuple[Transcript, dict[str, tuple[Span, ...]], float, float]:
        """The transcript, the diarized speech per speaker (mono; {} on stereo), timings.
        `company`: the call's own company (manifest), which the agent names too."""
        companies = self.scorecard.company_names + ((company,) if company else ())
        if audio.is_stereo:
            t = time.perf_counter()
            by_channel: dict[str, tuple[Segment, ...]] = {
                side: self._transcribe(signal, channel=i)
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
                {},
                0.0,
                t_transcribe,
            )
        signal = audio.mono()
        t = time.perf_counter()
        segments = self._transcribe(signal)
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
            timeline.diarized_speech(diarization, signal),
            t_diarize,
            t_transcribe,
        )


def _lane_roles(
    transcript: Transcript, speech: dict[str, tuple[Span, ...]], agent_hint: ChannelName
) -> dict[str, Role]:
    """Each timeline speaker's role: from the transcript, a stereo channel without words
    taking the role its channel leaves over."""
    found: dict[str, Role] = {u.speaker: u.role for u in transcript.utterances}
    if set(speech) != {"left", "right"}:
        return found
    agent = transcript.agent_channel
    if agent is None:
        agent = _channel(next((sp for sp, r in found.items() if r == "agent"), None))
    if agent is None:
        customer = _channel(next((sp for sp, r in found.items() if r == "customer"), None))
        agent = agent_hint if customer is None else ("right" if customer == "left" else "left")
    return {agent: "agent", ("right" if agent == "left" else "left"): "customer"}


MID_SPEECH_S = 0.3
"""A call whose last word ends this close to the end of the audio, and whose last quarter
second is as loud as its speech, was cut in mid-speech."""


def ends_mid_speech(transcript: Transcript, audio: DecodedAudio) -> Partial | None:
    """A `Partial` when the recording stops in the middle of someone speaking."""
    last_word = max(
        (w.end for u in transcript.utterances for w in u.words),
        default=max((u.end for u in transcript.utterances), default=0.0),
    )
    if abs(audio.duration - last_word) > MID_SPEECH_S:
        return None  # a pause before the end (or timings that do not fit this audio)
    win = max(1, int(0.25 * audio.sample_rate))
    for signal in audio.channels:
        n = len(signal) // win
        if n < 4:
            continue
        rms = np.sqrt(np.mean(np.square(signal[: n * win].reshape(n, win)), axis=1))
        speech = float(np.percentile(rms, 90))
        if speech > 0 and float(np.sqrt(np.mean(np.square(signal[-win:])))) >= 0.3 * speech:
            return Partial(
                kept_s=round(audio.duration, 2),
                declared_s=None,
                reason="the recording ends in mid-speech",
            )
    return None


def _channel(speaker: str | None) -> ChannelName | None:
    if speaker == "left":
        return "left"
    if speaker == "right":
        return "right"
    return None


@dataclass(frozen=True)
class FileOutcome:
    file: str
    status: Literal["scored", "skipped", "failed", "duplicate"]
    call_id: str | None = None
    result: CallResult | None = None
    error: str | None = None
    audio_seconds: float = 0.0


def score_one(pipeline: Pipeline, path: Path, call_id: str, meta: CallMeta) -> FileOutcome:
    """One file through `pipeline`; every failure becomes a failed `FileOutcome`."""
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
