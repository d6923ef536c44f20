from __future__ import annotations

import csv
import json
import os
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner

from callqa.records import CallMeta, CallScore
from callqa.review.clips import ClipError, export_clips, export_zip, find_hits, inside, safe_name
from callqa.review.mask import TONE_AMPLITUDE, TONE_HZ
from callqa.review.report import Filters
from callqa.review.reviews import review_rule
from callqa.store.db import Store
from tests.test_store import make_result
from tests.web.fixture_db import SPECS, build, call_id, ramp_time

RATE = 16_000
TOLERANCE_S = 0.010


@pytest.fixture(scope="module")
def audio_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("audio")


@pytest.fixture
def store(tmp_path: Path, audio_dir: Path) -> Store:
    return build(tmp_path / "c.db", audio_dir)


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_find_hits_uses_effective_status(store: Store) -> None:
    hits = find_hits(store, "forbidden_phrases")
    assert [(h.call_id, h.start, h.end) for h in hits] == [
        (call_id("c6"), 6.0, 8.0),  # 2026-11-24
        (call_id("c3"), 6.0, 8.0),  # 2026-11-30
    ]
    assert hits[0].reason == "forbidden phrase" and hits[0].text == "这不归我管"
    review_rule(store, call_id("c6"), "forbidden_phrases", new_status="pass", who="s", reason="x")
    assert [h.call_id for h in find_hits(store, "forbidden_phrases")] == [call_id("c3")]
    good = find_hits(store, "self_intro", status="pass")
    assert {h.call_id for h in good} == {call_id(k) for k in ("c1", "c3", "c5", "c7", "c8")}
    assert len(find_hits(store, "self_intro", status="pass", limit=2)) == 2
    assert find_hits(store, "closing", filters=Filters.parse(agent="B2"))[0].call_id == call_id(
        "c8"
    )


def test_clip_boundaries_are_sample_accurate(store: Store, tmp_path: Path) -> None:
    hits = find_hits(store, "forbidden_phrases")
    pack = export_clips(store, hits, tmp_path / "out", mask=False)
    c6 = pack.clips[0]
    assert c6.clip == f"forbidden_phrases/0001_{call_id('c6')[:12]}_006.0s.wav"
    assert (c6.clip_start, c6.clip_end, c6.masked) == (4.0, 10.0, 0)
    data, rate = sf.read(tmp_path / "out" / c6.clip, always_2d=True)
    assert rate == RATE and data.shape == (6 * RATE, 2)  # stereo kept: both parties audible
    duration = SPECS["c6"].duration
    first, last = ramp_time(data[0, 0], duration), ramp_time(data[-1, 0], duration)
    assert abs(first - 4.0) < TOLERANCE_S
    assert abs(last - (10.0 - 1 / RATE)) < TOLERANCE_S
    mid = ramp_time(data[3 * RATE, 0], duration)
    assert abs(mid - 7.0) < TOLERANCE_S


def test_clips_are_clamped_to_the_call(store: Store, tmp_path: Path) -> None:
    hits = [h for h in find_hits(store, "closing") if h.call_id == call_id("c8")]
    hits += [h for h in find_hits(store, "self_intro", status="pass") if h.call_id == call_id("c1")]
    pack = export_clips(store, hits, tmp_path / "out", pad=2.0, mask=False)
    end_clip, start_clip = pack.clips
    assert (end_clip.clip_start, end_clip.clip_end) == (7.0, 12.0)  # evidence 9-11 s of 12 s
    assert (start_clip.clip_start, start_clip.clip_end) == (0.0, 5.0)  # evidence 0.5-3 s
    data, _ = sf.read(tmp_path / "out" / start_clip.clip, always_2d=True)
    assert len(data) == 5 * RATE
    assert abs(ramp_time(data[0, 0], SPECS["c1"].duration)) < TOLERANCE_S


def test_digits_are_toned_in_audio_and_starred_in_text(store: Store, tmp_path: Path) -> None:
    hits = find_hits(store, "forbidden_phrases")[:1]  # c6: card number read at 9.0-10.5 s
    masked = export_clips(store, hits, tmp_path / "m").clips[0]
    plain = export_clips(store, hits, tmp_path / "p", mask=False).clips[0]
    a, _ = sf.read(tmp_path / "m" / masked.clip, always_2d=True)
    b, _ = sf.read(tmp_path / "p" / plain.clip, always_2d=True)
    cut = round((9.0 - 0.05 - 4.0) * RATE)  # digits start at 9.0 s, tone padded by 50 ms
    assert np.array_equal(a[:cut], b[:cut])
    t = (np.arange(cut, len(a)) / RATE) + 4.0
    tone = TONE_AMPLITUDE * np.sin(2 * np.pi * TONE_HZ * t)
    for ch in (0, 1):
        assert np.max(np.abs(a[cut:, ch] - tone)) < 1e-3
    assert masked.masked == 1 and plain.masked == 0
    assert "**** **** **** ****" in masked.snippet and "6222 0212" not in masked.snippet
    assert "6222 0212 3456 7890" in plain.snippet


def test_chinese_numerals_without_word_times(store: Store, tmp_path: Path) -> None:
    hits = [h for h in find_hits(store, "closing") if h.call_id == call_id("c4")]
    clip = export_clips(store, hits, tmp_path / "out").clips[0]
    assert (clip.clip_start, clip.clip_end, clip.masked) == (31.0, 36.0, 1)
    assert "您的号码是***********，对吗" in clip.snippet
    data, _ = sf.read(tmp_path / "out" / clip.clip, always_2d=True)
    toned = data[: round(1.0 * RATE), 1]  # 31.0-32.0 s: the read-back utterance (30-32 s)
    t = np.arange(len(toned)) / RATE + 31.0
    assert np.max(np.abs(toned - TONE_AMPLITUDE * np.sin(2 * np.pi * TONE_HZ * t))) < 1e-3


def test_manifest(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "out"
    pack = export_clips(store, find_hits(store, "forbidden_phrases"), out)
    assert files_under(out) == sorted(
        ["manifest.csv", "manifest.json", *(c.clip for c in pack.clips)]
    )
    rows = list(csv.DictReader((out / "manifest.csv").open(encoding="utf-8")))
    assert [r["call_id"] for r in rows] == [call_id("c6"), call_id("c3")]
    first = rows[0]
    assert first["clip"].startswith("forbidden_phrases/0001_")
    assert (first["agent_id"], first["team"], first["rule_id"], first["status"]) == (
        "B1",
        "sales",
        "forbidden_phrases",
        "fail",
    )
    assert (float(first["start"]), float(first["end"])) == (6.0, 8.0)
    assert first["evidence"] == "这不归我管" and first["reason"] == "forbidden phrase"
    assert first["snippet"] == (
        "customer: 你好，我想查一下话费 | agent: 这不归我管 | "
        "customer: 我的卡号是 **** **** **** ****"
    )
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == [
        {
            **r,
            "start": float(r["start"]),
            "end": float(r["end"]),
            "clip_start": float(r["clip_start"]),
            "clip_end": float(r["clip_end"]),
            "masked": int(r["masked"]),
        }
        for r in rows
    ]


def test_names_sort_by_rule_and_time(store: Store, tmp_path: Path) -> None:
    pack = export_clips(store, find_hits(store, "self_intro", status="pass"), tmp_path)
    names = [c.clip for c in pack.clips]
    assert names == sorted(names)
    assert [c.call_time for c in pack.clips] == sorted(c.call_time or "" for c in pack.clips)


def test_missing_audio_is_skipped(store: Store, tmp_path: Path) -> None:
    store.db.execute("UPDATE calls SET file = ? WHERE call_id = ?", ["/nope.wav", call_id("c6")])
    pack = export_clips(store, find_hits(store, "forbidden_phrases"), tmp_path)
    assert [c.call_id for c in pack.clips] == [call_id("c3")]
    assert pack.skipped[0][0] == call_id("c6") and "not found" in pack.skipped[0][1]


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("../../etc/passwd", "etc_passwd"),
        ("..", "_"),
        ("", "_"),
        ("a/b\\c", "a_b_c"),
        (".hidden", "hidden"),
        ("forbidden_phrases", "forbidden_phrases"),
        ("坐席", "_"),
    ],
)
def test_safe_name(text: str, safe: str) -> None:
    assert safe_name(text) == safe


def test_hostile_rule_and_call_ids_stay_inside(store: Store, tmp_path: Path) -> None:
    c1 = store.call(call_id("c1"))
    base = make_result("../../../../tmp/evil", version="9")
    evil_rule = replace(base.score.rules[1], id="../../../escape")
    store.save_result(
        replace(
            base,
            file=c1.file,
            meta=CallMeta("A1", "care", "2026-11-25T09:00:00"),
            score=CallScore(90, 100, "pass", (evil_rule,), "etiquette", "9"),
        )
    )
    out = tmp_path / "out"
    pack = export_clips(store, find_hits(store, "../../../escape"), out)
    assert [c.clip for c in pack.clips] == ["escape/0001___003.5s.wav"]
    assert all(p.resolve().is_relative_to(out.resolve()) for p in tmp_path.rglob("*.wav"))
    assert files_under(out) == ["escape/0001___003.5s.wav", "manifest.csv", "manifest.json"]


def test_symlinked_folder_out_of_the_pack_is_refused(store: Store, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(elsewhere, out / "forbidden_phrases")
    with pytest.raises(ClipError, match="outside"):
        export_clips(store, find_hits(store, "forbidden_phrases"), out)
    assert list(elsewhere.iterdir()) == []
    with pytest.raises(ClipError):
        inside(out, "../x.wav")


def test_zip(store: Store) -> None:
    data = export_zip(store, find_hits(store, "forbidden_phrases"))
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
    assert names[:2] == ["manifest.csv", "manifest.json"] and len(names) == 4
    assert all(not n.startswith(("/", "..")) for n in names)


def test_cli_clips(tmp_path: Path, audio_dir: Path) -> None:
    from callqa.cli import main

    db = tmp_path / "c.db"
    build(db, audio_dir).close()
    out = tmp_path / "pack"
    result = CliRunner().invoke(
        main,
        [
            "clips",
            "--rule",
            "forbidden_phrases",
            "--out",
            str(out),
            "--db",
            str(db),
            "--pad",
            "1.0",
            "--since",
            "2026-11-25",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "1 clips of forbidden_phrases (fail)" in result.stdout
    (clip,) = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (clip["call_id"], clip["clip_start"], clip["clip_end"]) == (call_id("c3"), 5.0, 9.0)
    bad = CliRunner().invoke(
        main,
        [
            "clips",
            "--rule",
            "closing",
            "--out",
            str(out),
            "--db",
            str(db),
            "--agent",
            "' OR 1=1 --",
        ],
    )
    assert bad.exit_code == 0 and "0 clips" in bad.stdout
    unknown = CliRunner().invoke(main, ["clips", "--rule", "x", "--out", str(out), "--db", str(db)])
    assert unknown.exit_code == 2
    assert (
        "no item 'x'" in unknown.stderr
        and "closing, forbidden_phrases, self_intro" in unknown.stderr
    )
    assert clip["file"] == str(audio_dir / "c3.wav")  # the source in the manifest


def test_close_hits_merge_into_one_clip() -> None:
    from callqa.review.clips import Hit, merge_hits

    def hit(start: float, end: float, text: str, call: str = "a") -> Hit:
        return Hit(
            call,
            "f.wav",
            1,
            "A1",
            "care",
            None,
            "forbidden_phrases",
            "fail",
            "fail",
            start,
            end,
            text,
            "forbidden phrase",
        )

    merged = merge_hits(
        [
            hit(6.0, 7.0, "不归我管"),
            hit(9.0, 10.0, "不知道"),
            hit(20.0, 21.0, "没办法"),
            hit(1, 2, "x", "b"),
        ],
        pad=2.0,
    )
    assert [(h.call_id, h.start, h.end) for h in merged] == [
        ("a", 6.0, 10.0),
        ("a", 20.0, 21.0),
        ("b", 1, 2),
    ]
    assert merged[0].text == "不归我管 … 不知道" and merged[0].reason == "forbidden phrase"
    assert len(merge_hits([hit(6.0, 7.0, "x"), hit(12.0, 13.0, "y")], pad=2.0)) == 2
