"""The speech timeline: built from the signal, read for silence, overlap, rate and level."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from callqa.records import SAMPLE_RATE, DecodedAudio, Lane, Span, Timeline
from callqa.speech import timeline as tl
from callqa.speech.audio import decode
from callqa.speech.level import active_level_dbfs, clipping_fraction
from tests.conftest import SAMPLES
from tests.helpers_transcripts import transcript

# -- pure functions on hand-made timelines --------------------------------------------------


def line(agent: list[tuple[float, float]], customer: list[tuple[float, float]]) -> Timeline:
    return Timeline(
        (
            Lane("left", "agent", tl.bridge(Span(*s) for s in agent), -20.0, 0.0),
            Lane("right", "customer", tl.bridge(Span(*s) for s in customer), -21.0, 0.0),
        ),
        duration=60.0,
        source="channels",
    )


def test_bridge_joins_pauses_under_half_a_second() -> None:
    spans = [Span(0.0, 1.0), Span(1.4, 2.0), Span(2.6, 3.0), Span(2.8, 3.5)]
    assert tl.bridge(spans) == (Span(0.0, 2.0), Span(2.6, 3.5))


def test_silence_overlap_and_interruptions_from_the_timeline() -> None:
    t = line(agent=[(1.0, 8.0), (15.0, 20.0), (30.0, 30.6)], customer=[(9.0, 18.0), (26.0, 32.0)])
    assert tl.silences(t) == (Span(8.0, 9.0), Span(20.0, 26.0))
    assert tl.overlaps(t) == (Span(15.0, 18.0), Span(30.0, 30.6))
    cuts = tl.interruptions(t)
    # the agent's 0.6 s stretch inside the customer's turn has no words: a backchannel
    assert [(c.starter, c.start, c.end) for c in cuts] == [("agent", 15.0, 18.0)]
    m = tl.call_metrics(t)
    assert (m.agent_talk_s, m.customer_talk_s) == (12.6, 15.0)
    assert (m.silence_s, m.longest_silence_s, m.overlap_s) == (7.0, 6.0, 3.6)
    assert (m.agent_interruptions, m.customer_interruptions) == (1, 0)
    assert m.agent_cpm is None  # no words given


def test_backchannels_and_short_talk_over_are_not_interruptions() -> None:
    t = line(agent=[(0.0, 10.0), (12.0, 14.0)], customer=[(5.0, 5.8), (7.0, 8.2), (9.5, 13.0)])
    words = transcript(
        [
            ("agent", 0.0, 10.0, "您好这里是星河通信请问有什么可以帮您"),
            ("customer", 5.0, 5.8, "嗯"),
            ("customer", 7.0, 8.2, "对对对"),
            ("customer", 9.5, 13.0, "我想问一下话费"),
        ]
    )
    cuts = tl.interruptions(t, words)
    # 嗯 (0.8 s) and 对对对 (1.2 s) are backchannels; the 0.5 s talk-over at 9.5 is one,
    # and so is the agent's 1 s over the customer at 12.0: speech without words counts
    assert [(c.starter, c.start) for c in cuts] == [("customer", 9.5), ("agent", 12.0)]
    assert tl.call_metrics(t, words).customer_interruptions == 1


def test_agent_cpm_counts_words_on_long_stretches_only() -> None:
    t = line(agent=[(0.0, 6.0), (10.0, 11.0)], customer=[(7.0, 9.0)])
    words = transcript(
        [("agent", 0.0, 6.0, "一二三四五六七八九十" * 3), ("agent", 10.0, 11.0, "好的好的")]
    )
    assert tl.call_metrics(t, words).agent_cpm == 300.0  # 30 characters in 6 s


def test_a_role_without_speech_has_null_metrics() -> None:
    t = line(agent=[], customer=[(1.0, 5.0)])
    m = tl.call_metrics(t)
    assert m.agent_talk_s is None and m.agent_interruptions is None
    assert m.agent_level_dbfs is None and m.agent_clipping is None
    assert m.customer_talk_s == 4.0


# -- levels ------------------------------------------------------------------------------------


def test_active_level_ignores_pauses_and_clipping_is_counted() -> None:
    rng = np.random.default_rng(1)
    rms = 10 ** (-22 / 20)
    burst = rng.normal(0, rms, SAMPLE_RATE * 2)
    pause = rng.normal(0, 1e-4, SAMPLE_RATE * 3)  # line noise at -80 dBFS
    signal = np.concatenate([burst, pause, burst, pause]).astype(np.float32)
    plain_rms = 20 * np.log10(np.sqrt(np.mean(np.square(signal))))
    level = active_level_dbfs(signal, SAMPLE_RATE)
    assert level is not None and abs(level - -22.0) < 1.0 and plain_rms < -25.0
    assert clipping_fraction(signal) == 0.0
    loud = np.clip(signal * 30, -1.0, 1.0)
    assert (clipping_fraction(loud) or 0.0) > 0.01


# -- from the signal (silero VAD on real speech from the samples) ----------------------------


def _clips() -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    audio = decode(SAMPLES / "call01_good_stereo.wav")
    data = json.loads((SAMPLES / "call01_good_stereo.expected.json").read_text(encoding="utf-8"))
    turns = data["turns"]

    def cut(k: int) -> np.ndarray:
        side = 0 if turns[k]["speaker"] == "agent" else 1
        a, b = (round(turns[k][x] * SAMPLE_RATE) for x in ("start", "end"))
        return audio.channels[side][a:b]

    return {"agent1": cut(0), "customer1": cut(1), "agent2": cut(2), "customer2": cut(3)}, data


def _place(n: int, pieces: list[tuple[float, np.ndarray]], seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = rng.normal(0, 10 ** (-60 / 20), n).astype(np.float32)  # line noise at -60 dBFS
    for at, clip in pieces:
        a = round(at * SAMPLE_RATE)
        out[a : a + len(clip)] += clip
    return out


@pytest.fixture(scope="module")
def stereo_call() -> tuple[DecodedAudio, dict[str, float]]:
    clips, _ = _clips()
    dur = {k: len(v) / SAMPLE_RATE for k, v in clips.items()}
    a1, c1, a2 = 1.0, 9.0, 15.0
    c2 = a2 + dur["agent2"] + 5.8
    n = round((c2 + dur["customer2"] + 1.0) * SAMPLE_RATE)
    left = _place(n, [(a1, clips["agent1"]), (a2, clips["agent2"])], 1)
    right = _place(n, [(c1, clips["customer1"]), (c2, clips["customer2"])], 2)
    audio = DecodedAudio("synthetic.wav", (left, right), SAMPLE_RATE, SAMPLE_RATE, n / SAMPLE_RATE)
    truth = {
        "silence_start": a2 + dur["agent2"],
        "silence_end": c2,
        "overlap_start": a2,
        "overlap_end": c1 + dur["customer1"],
        "agent_talk": dur["agent1"] + dur["agent2"],
    }
    return audio, truth


def test_stereo_timeline_boundaries_within_50_ms(
    stereo_call: tuple[DecodedAudio, dict[str, float]],
) -> None:
    audio, truth = stereo_call
    speech = tl.channel_speech(audio)
    t = tl.build(
        speech,
        {"left": "agent", "right": "customer"},
        audio=audio,
        duration=audio.duration,
        stereo=True,
    )
    assert t.problem == ""
    longest = max(tl.silences(t), key=lambda s: s.duration)
    assert longest.start == pytest.approx(truth["silence_start"], abs=0.05)
    assert longest.end == pytest.approx(truth["silence_end"], abs=0.05)
    (overlap,) = [o for o in tl.overlaps(t) if o.duration > 1.0]
    assert overlap.start == pytest.approx(truth["overlap_start"], abs=0.05)
    assert overlap.end == pytest.approx(truth["overlap_end"], abs=0.05)
    m = tl.call_metrics(t)
    assert m.agent_interruptions == 1 and m.customer_interruptions == 0
    assert m.agent_talk_s == pytest.approx(truth["agent_talk"], rel=0.05)
    assert m.agent_level_dbfs is not None and -30 < m.agent_level_dbfs < -12
    assert m.agent_clipping == 0.0


def test_identical_channels_are_mono(stereo_call: tuple[DecodedAudio, dict[str, float]]) -> None:
    audio, _ = stereo_call
    left = audio.channels[0]
    assert tl.is_dual_mono(
        DecodedAudio("x.wav", (left, left.copy()), SAMPLE_RATE, SAMPLE_RATE, 1.0)
    )
    quieter = (left * 0.9 + 1e-4).astype(np.float32)  # nearly identical: a gain and an offset
    assert tl.is_dual_mono(DecodedAudio("x.wav", (left, quieter), SAMPLE_RATE, SAMPLE_RATE, 1.0))
    assert not tl.is_dual_mono(audio)


# -- through the pipeline ---------------------------------------------------------------------


def test_dual_mono_file_is_diarized(tmp_path: Path, fake_pipeline: Any) -> None:
    clips, _ = _clips()
    mono = _place(20 * SAMPLE_RATE, [(1.0, clips["agent1"]), (9.5, clips["customer1"])], 3)
    path = tmp_path / "dual.wav"
    sf.write(path, np.stack([mono, mono], axis=1), SAMPLE_RATE)
    result, _ = fake_pipeline.score_file(path)
    assert result.channels == 2 and result.transcript.agent_channel is None
    assert result.transcript.timeline.source == "diarization"
    assert {u.speaker for u in result.transcript.utterances} <= {"S1", "S2"}


def test_silent_agent_channel_fails_with_its_reason(tmp_path: Path, fake_pipeline: Any) -> None:
    from callqa.records import Turn
    from callqa.run.pipeline import Pipeline
    from tests.fakes import GOOD_CUSTOMER, FakeDiarizer, FakeTranscriber

    clips, _ = _clips()
    n = 30 * SAMPLE_RATE
    left = _place(n, [], 4)  # line noise only
    right = _place(n, [(5.0, clips["customer1"]), (20.0, clips["customer2"])], 5)
    path = tmp_path / "one_sided.wav"
    sf.write(path, np.stack([left, right], axis=1), SAMPLE_RATE)
    pipeline = Pipeline(
        # the transcriber hears words on the right only (the left is noise at -60 dBFS)
        transcriber=FakeTranscriber({1: GOOD_CUSTOMER}),
        scorecard=fake_pipeline.scorecard,
        diarizer=FakeDiarizer([Turn(0, 1, "S1")]),
    )
    result, _ = pipeline.score_file(path)
    assert result.score.reason.startswith("no agent speech on channel left")
    assert result.score.verdict == "fail" and result.score.score == 0.0
    m = result.measures.metrics
    assert m is not None and m.agent_talk_s is None and m.customer_talk_s is not None


def test_one_voice_on_a_mono_call_gets_its_reason(tmp_path: Path, fake_pipeline: Any) -> None:
    from callqa.records import Turn
    from callqa.run.pipeline import Pipeline
    from tests.fakes import GOOD_AGENT, FakeDiarizer, FakeTranscriber

    clips, _ = _clips()
    mono = _place(30 * SAMPLE_RATE, [(0.5, clips["agent1"]), (9.0, clips["agent2"])], 6)
    path = tmp_path / "one_voice.wav"
    sf.write(path, mono, SAMPLE_RATE)
    turns = [Turn(s.start, s.end, "spk1") for s in GOOD_AGENT]
    pipeline = Pipeline(
        transcriber=FakeTranscriber({None: GOOD_AGENT}),
        scorecard=fake_pipeline.scorecard,
        diarizer=FakeDiarizer(turns),
    )
    result, _ = pipeline.score_file(path)
    assert {u.speaker for u in result.transcript.utterances} == {"spk1"}
    assert result.score.reason.startswith("one voice only")
    assert result.score.verdict in ("review", "fail")
    assert len(result.transcript.timeline.lanes) == 1


def test_words_attach_to_the_nearest_stretch_of_speech() -> None:
    turns = (Span(0.0, 4.0), Span(6.0, 10.0))
    # the transcriber's times run late: the first line ends 0.6 s after the speech did
    words = transcript([("agent", 0.6, 4.6, "一二三四"), ("agent", 6.2, 9.8, "五六七八")])
    assert tl.attach_words(turns, words, "agent") == ["一二三四", "五六七八"]
    far = transcript([("agent", 20.0, 21.0, "九")])
    assert tl.attach_words(turns, far, "agent") == ["", ""]
