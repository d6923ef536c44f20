"""Compare the speech timeline and call metrics with the known turns of labelled calls.

    python benchmarks/eval_timeline.py [DIR ...] [--json OUT]

DIR holds calls with ``<stem>.expected.json`` next to the audio (default: samples/).  The
corpus of the verdicts issue (``corpus/dev``, ``corpus/test``) carries ``truth`` metrics
computed by its generator from the exact timeline and the clean speaker tracks; for the
samples, which only list their turns, the same definitions are applied to the turns here
(levels: the P.56-manner active level over the reference turns of the decoded signal).

What runs is the timeline stage alone, as the pipeline runs it (decode; identical
channels → mono; stereo: silero VAD per channel with energy-refined edges; mono: the
default diarizer), with the roles taken from the reference (the agent channel, or the
diarized speaker that overlaps each reference speaker most) so that the figures measure
the timeline, not role assignment.  Words are not used (no transcription), so a talk-over
under 1 s counts as a backchannel, as in the reference.

Bars (issue 11): talk time per role within 10 % (stereo) / 15 % (mono); longest silence
within 0.5 s; interruption counts exact; levels within 2 dB; clipping found where added.
Prints one line per call and the share of calls within each bar.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from callqa.records import Role, Span  # noqa: E402
from callqa.speech import timeline as tl  # noqa: E402
from callqa.speech.audio import decode  # noqa: E402
from callqa.speech.level import active_level_dbfs, clipping_fraction  # noqa: E402

CLIP_FOUND = 0.001
"""Clipping counts as found above this fraction of speech samples (the volume rule's limit)."""


def reference_truth(data: dict[str, Any], audio: Any) -> dict[str, Any]:
    """The corpus's `truth`, or the same figures computed from a sample's turns."""
    if "truth" in data:
        return dict(data["truth"])
    turns = data["turns"]
    spans = {
        who: tl.bridge((Span(t["start"], t["end"]) for t in turns if t["speaker"] == who), 0.0)
        for who in ("agent", "customer")
    }
    union = tl.bridge((s for ss in spans.values() for s in ss), 0.0)
    gaps = [b.start - a.end for a, b in pairwise(union)]
    cuts = {"agent": 0, "customer": 0}
    for t in turns:
        for o in turns:
            inside = o["speaker"] != t["speaker"] and o["start"] < t["start"] < o["end"]
            long_enough = t["end"] - t["start"] >= 1.0
            if inside and long_enough and min(t["end"], o["end"]) - t["start"] >= 0.5:
                cuts[t["speaker"]] += 1
    levels: dict[str, float | None] = {}
    clipping = 0.0
    for who, ss in spans.items():
        if data["channels"] == "stereo":
            side = data["agent_channel"] if who == "agent" else _other(data["agent_channel"])
            signal = audio.channels[0 if side == "left" else 1]
        else:
            signal = audio.mono()
        samples = _cut(signal, ss, audio.sample_rate)
        levels[who] = active_level_dbfs(samples, audio.sample_rate)
        if who == "agent":
            clipping = clipping_fraction(samples) or 0.0
    return {
        "agent_talk_s": sum(s.duration for s in spans["agent"]),
        "customer_talk_s": sum(s.duration for s in spans["customer"]),
        "longest_silence_s": max(gaps, default=0.0),
        "interruptions": cuts,
        "agent_level_dbfs": levels["agent"],
        "customer_level_dbfs": levels["customer"],
        "agent_clipping": clipping,
    }


def _other(side: str) -> str:
    return "right" if side == "left" else "left"


def _cut(signal: Any, spans: Any, rate: int) -> Any:
    import numpy as np

    parts = [signal[int(s.start * rate) : int(s.end * rate)] for s in spans]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


def diarized_roles(
    speech: dict[str, tuple[Span, ...]], turns: list[dict[str, Any]]
) -> dict[str, Role]:
    """Each diarized speaker's role: the reference speaker it overlaps most (one-to-one)."""
    ref = {
        who: [Span(t["start"], t["end"]) for t in turns if t["speaker"] == who]
        for who in ("agent", "customer")
    }
    scores = sorted(
        (
            (-sum(a.overlap(b) for a in spans for b in ref[who]), speaker, who)
            for speaker, spans in speech.items()
            for who in ref
        ),
    )
    roles: dict[str, Role] = {}
    for _, speaker, who in scores:
        if speaker not in roles and who not in roles.values():
            roles[speaker] = who  # type: ignore[assignment]
    return roles


def evaluate(path: Path, diarizer: Any) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    audio_path = path.parent / data["file"]
    decoded = decode(audio_path)
    truth = reference_truth(data, decoded)
    t0 = time.perf_counter()
    dual = tl.is_dual_mono(decoded)
    audio = decoded
    if dual:
        from dataclasses import replace

        audio = replace(decoded, channels=(decoded.mono(),))
    if audio.is_stereo:
        speech = tl.channel_speech(audio)
        agent = data["agent_channel"] or "left"
        roles: dict[str, Role] = {agent: "agent", _other(agent): "customer"}
    else:
        mono = audio.mono()
        speech = tl.diarized_speech(diarizer(mono, speakers=2), mono)
        roles = diarized_roles(speech, data["turns"])
    line = tl.build(speech, roles, audio=audio, duration=audio.duration, stereo=audio.is_stereo)
    m = tl.call_metrics(line)
    seconds = time.perf_counter() - t0
    kind = "stereo" if audio.is_stereo else "mono"
    return {
        "call": data["file"],
        "kind": kind,
        "dual_mono": {"expected": bool(data.get("dual_mono")), "found": dual},
        "problem": line.problem,
        "silent_agent_expected": "no agent speech" in (data.get("verdict_reason") or ""),
        "truth": truth,
        "measured": m.__dict__,
        "seconds": round(seconds, 3),
        "audio_s": round(decoded.duration, 2),
    }


def _pct(measured: float | None, truth: float | None) -> float | None:
    if truth is None or measured is None or truth <= 0:
        return None
    return 100.0 * (measured - truth) / truth


def judge(r: dict[str, Any]) -> dict[str, Any]:
    t, m = r["truth"], r["measured"]
    bar = 10.0 if r["kind"] == "stereo" else 15.0
    out: dict[str, Any] = {}
    silent = r["silent_agent_expected"]
    for who in ("agent", "customer"):
        err = _pct(m[f"{who}_talk_s"], t[f"{who}_talk_s"])
        out[f"{who}_talk_err_pct"] = err
        out[f"{who}_talk_ok"] = (
            (m[f"{who}_talk_s"] is None)
            if silent and who == "agent"
            else (err is not None and abs(err) <= bar)
        )
        lt, lm = t.get(f"{who}_level_dbfs"), m[f"{who}_level_dbfs"]
        out[f"{who}_level_err_db"] = None if lt is None or lm is None else lm - lt
        out[f"{who}_level_ok"] = (lt is None and lm is None) or (
            lt is not None and lm is not None and abs(lm - lt) <= 2.0
        )
    out["silence_err_s"] = m["longest_silence_s"] - t["longest_silence_s"]
    out["silence_ok"] = abs(out["silence_err_s"]) <= 0.5
    cuts = t["interruptions"]
    found = (m["agent_interruptions"] or 0, m["customer_interruptions"] or 0)
    out["interruptions"] = f"{found[0]}/{found[1]} vs {cuts['agent']}/{cuts['customer']}"
    out["interruptions_ok"] = found == (cuts["agent"], cuts["customer"])
    clipped = (t.get("agent_clipping") or 0.0) > CLIP_FOUND
    out["clipping"] = clipped
    out["clipping_ok"] = clipped == ((m["agent_clipping"] or 0.0) > CLIP_FOUND)
    out["dual_ok"] = r["dual_mono"]["expected"] == r["dual_mono"]["found"]
    out["silent_ok"] = (not silent) or "no agent speech" in r["problem"]
    return out


def _f(value: float | None, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dirs", nargs="*", type=Path, default=[ROOT / "samples"])
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args(argv)
    from callqa.speech.diarize.registry import default_diarizer

    diarizer = default_diarizer()
    rows = []
    for folder in args.dirs:
        for path in sorted(folder.glob("*.expected.json")):
            r = evaluate(path, diarizer)
            r["judged"] = judge(r)
            rows.append(r)
            j = r["judged"]
            print(
                f"{r['call'][:44]:<44} {r['kind']:<6}"
                f" talk a {_f(j['agent_talk_err_pct'], '+5.1f')}%"
                f" c {_f(j['customer_talk_err_pct'], '+5.1f')}%  silence"
                f" {_f(j['silence_err_s'], '+.2f')} s  cuts {j['interruptions']:<10}"
                f" level a {_f(j['agent_level_err_db'], '+.1f')} c"
                f" {_f(j['customer_level_err_db'], '+.1f')} dB"
                f"{'  CLIP' if j['clipping'] else ''}{'  DUAL' if r['dual_mono']['found'] else ''}"
                f"{'  ' + r['problem'] if r['problem'] else ''}",
                flush=True,
            )
    print()
    checks = [
        ("agent talk within bar", "agent_talk_ok"),
        ("customer talk within bar", "customer_talk_ok"),
        ("longest silence within 0.5 s", "silence_ok"),
        ("interruption counts exact", "interruptions_ok"),
        ("agent level within 2 dB", "agent_level_ok"),
        ("customer level within 2 dB", "customer_level_ok"),
        ("clipping found where added (and only there)", "clipping_ok"),
        ("identical channels found as mono", "dual_ok"),
        ("silent agent channel named", "silent_ok"),
    ]
    for kind in ("stereo", "mono"):
        group = [r for r in rows if r["kind"] == kind]
        if not group:
            continue
        print(f"{kind}: {len(group)} calls")
        for label, key in checks:
            ok = sum(bool(r["judged"][key]) for r in group)
            print(f"  {label:<46} {ok}/{len(group)}")
    audio_s = sum(r["audio_s"] for r in rows)
    spent = sum(r["seconds"] for r in rows)
    print(f"timeline stage: {spent:.1f} s for {audio_s / 60:.1f} min of audio", end="")
    print(f" ({spent / max(audio_s, 1e-9):.4f} s per audio second, diarization included on mono)")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
