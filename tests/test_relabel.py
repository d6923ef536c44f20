from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from callqa.cli import main
from callqa.records import CallMeta
from callqa.run.batch import run_batch
from callqa.store.db import Store


def test_relabel_round_trip(tmp_path: Path, fake_pipeline: Any, stereo_wav: Path) -> None:
    db = tmp_path / "c.db"
    store = Store.open(db)
    company = {str(stereo_wav): CallMeta(company="星河通信")}
    run_batch([stereo_wav], store, fake_pipeline, manifest=company)
    call_id = store.calls()[0].call_id
    before = store.load_score(store.latest_scoring(call_id).id)  # type: ignore[union-attr]
    assert {r.id: r.status for r in before.rules}["self_intro"] == "pass"

    result = CliRunner().invoke(
        main,
        ["relabel", call_id[:10], "--swap", "--who", "li", "--reason", "test", "--db", str(db)],
    )
    assert result.exit_code == 0, result.output
    assert "roles swapped by li" in result.stdout

    scoring = store.latest_scoring(call_id)
    assert scoring is not None
    transcript = store.load_transcript(scoring.id)
    first = transcript.utterances[0]
    assert first.speaker == "left" and first.role == "customer"
    assert store.call(call_id).agent_channel == "right"
    after = {r.id: r.status for r in store.load_score(scoring.id).rules}
    assert after["self_intro"] == "fail"  # the "agent" now is the one who never greets
    (review,) = store.reviews(call_id)
    assert (review.kind, review.who, review.reason) == ("relabel", "li", "test")
    assert (review.old_status, review.new_status) == ("agent=left", "agent=right")

    # Swapping back restores the machine's verdicts; the audit trail keeps both changes.
    CliRunner().invoke(main, ["relabel", call_id[:10], "--swap", "--who", "li", "--db", str(db)])
    again = store.load_score(store.latest_scoring(call_id).id)  # type: ignore[union-attr]
    assert {r.id: r.status for r in again.rules} == {r.id: r.status for r in before.rules}
    assert len(store.reviews(call_id)) == 2
