"""Could any reading of the audio have found the 禁语 that were missed?  Counts and margins.

    python benchmarks/diagnose_misses_audio.py DB DIR [--show]

For each labelled forbidden phrase of DIR that the scoring stored in DB (`callqa eval
verdicts DIR --db DB`) did not locate (`diagnose_hits.py` gives the cause), this asks the
same Whisper model two questions about the labelled turn's audio:

1. **Would another decoding have written it?**  The turn is transcribed again seven ways:
   greedy and beam 5, sampled at temperature 0.3 and 0.6, beam 5 with the prompt
   "客服电话录音，简体中文。", and the five best hypotheses of a beam of 8.  Each reading is
   judged by the rules as a clean line (`eval_probes.forbidden_status`); the count of
   readings that the rules would fail is printed.
2. **Does the model prefer the words said?**  The labelled turn's text and the words the
   transcript has there are scored by forced decoding (summed log-probability, no prompt).
   A margin well below zero means the model's acoustics favour what it wrote: no search
   over readings, prompts or candidate phrases can bring the phrase back.

Only counts, causes and margins are printed, never a word of the calls, unless `--show`
(for the tuning splits only).  Slow: about 5 s per miss on a 2-core CPU.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from diagnose_hits import QUERY, _turn_of, cause  # noqa: E402
from eval_probes import forbidden_status  # noqa: E402

from callqa.records import SAMPLE_RATE  # noqa: E402
from callqa.scoring.scorecard import load_scorecard  # noqa: E402
from callqa.speech.audio import decode  # noqa: E402
from callqa.speech.reread import plain  # noqa: E402
from callqa.speech.textnorm import to_simplified  # noqa: E402
from callqa.speech.transcribe.whisper import WhisperTranscriber  # noqa: E402
from callqa.speech.verify import PAD_S, WhisperVerifier  # noqa: E402

PROMPT = "客服电话录音，简体中文。"
WAYS = (
    ("greedy", 1, 0.0, None),
    ("beam 5", 5, 0.0, None),
    ("t 0.3", 1, 0.3, None),
    ("t 0.6", 1, 0.6, None),
    ("beam 5 + prompt", 5, 0.0, PROMPT),
)


def readings(model: Any, clip: np.ndarray) -> list[str]:
    """The clip transcribed each way of `WAYS`, then the 5 best of a beam of 8."""
    out = []
    for _, beam, temperature, prompt in WAYS:
        segments, _ = model.transcribe(
            clip,
            language="zh",
            beam_size=beam,
            temperature=temperature,
            vad_filter=False,
            initial_prompt=prompt,
            condition_on_previous_text=False,
        )
        out.append(to_simplified("".join(s.text for s in segments)))
    return out + n_best(model, clip, 5, 8)


def n_best(model: Any, clip: np.ndarray, n: int, beam: int) -> list[str]:
    from faster_whisper.tokenizer import Tokenizer

    tok = Tokenizer(model.hf_tokenizer, True, task="transcribe", language="zh")
    features = model.feature_extractor(clip)
    width = model.feature_extractor.nb_max_frames
    features = np.pad(features, [(0, 0), (0, max(0, width - features.shape[-1]))])[:, :width]
    prompt = [*tok.sot_sequence, tok.no_timestamps]
    (result,) = model.model.generate(
        model.encode(features), [prompt], beam_size=beam, num_hypotheses=n, max_length=200
    )
    return [to_simplified(tok.decode(ids)) for ids in result.sequences_ids]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--show", action="store_true", help="print the words (tuning splits)")
    args = parser.parse_args(argv)
    card = load_scorecard("etiquette")
    transcriber = WhisperTranscriber()
    model = transcriber.load()
    verifier = WhisperVerifier(model)
    db = sqlite3.connect(args.db)
    k = 0
    for file, sid in db.execute(QUERY).fetchall():
        path = Path(file)
        if path.parent.resolve() != args.folder.resolve():
            continue
        exp = json.loads(path.with_name(path.name.split(".")[0] + ".expected.json").read_text())
        audio = None
        for hit in exp["agent_forbidden_hits"]:
            why = cause(card, db, sid, exp, hit)
            if why.startswith("located"):
                continue
            k += 1
            turn = _turn_of(exp, hit)
            if turn is None:
                print(f"#{k:<3} {why}: no timed turn")
                continue
            audio = audio or decode(path)
            side = {"left": 0, "right": 1}.get(exp.get("agent_channel") or "")
            stereo = side is not None and len(audio.channels) == 2
            signal = audio.channels[side] if stereo and side is not None else audio.mono()
            start, end = float(turn["start"]), float(turn["end"])
            rows = db.execute(
                'select text from utterances where scoring_id = ? and "end" >= ? and start <= ? '
                "order by start",
                (sid, start - 0.2, end + 0.2),
            ).fetchall()
            heard = plain("".join(t for (t,) in rows))
            said = plain(turn["text"])
            lp_said, lp_heard = verifier(
                signal, start=start, end=end, candidates=(said, heard or "。"), total=True
            )
            a = max(0, int((start - PAD_S) * SAMPLE_RATE))
            b = min(len(signal), int((end + PAD_S) * SAMPLE_RATE))
            alts = readings(model, np.ascontiguousarray(signal[a:b]))
            found = sum(forbidden_status(card, t) == "fail" for t in alts)
            voice = exp["voices"]["agent"].split()[0]
            print(
                f"#{k:<3} {why} [agent {voice}]: said − heard {lp_said - lp_heard:+.1f} "
                f"(said {lp_said:.1f}, heard {lp_heard:.1f}); "
                f"readings the rules fail: {found} of {len(alts)}"
            )
            if args.show:
                print(f"     said:  {said}\n     heard: {heard}")
                for t in dict.fromkeys(alts):
                    print(f"     read:  {t}")
    print(f"{k} missed in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
