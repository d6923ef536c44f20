"""Reading again with the real Whisper base, on a synthesized call of the corpus (dev d01)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from callqa.scoring.rereading import REREAD_CONFIRM
from callqa.speech.audio import decode
from callqa.speech.reread import Retranscribe, reread
from callqa.speech.transcribe.base import TranscribeOptions
from callqa.speech.transcribe.registry import make_transcriber
from callqa.speech.verify import PhraseVerifier

AUDIO = Path(__file__).resolve().parent.parent / "corpus" / "dev" / "d01_bank_compliant_stereo.flac"


@pytest.fixture(scope="module")
def whisper() -> tuple[Retranscribe, PhraseVerifier, npt.NDArray[np.float32]]:
    transcriber = make_transcriber("whisper", "base")
    options = TranscribeOptions(vad_filter=False, fill_gaps=False)

    def retranscribe(clip: npt.NDArray[np.float32], prompt: str, limit: int) -> str:
        return "".join(
            s.text
            for s in transcriber(
                clip, options=replace(options, initial_prompt=prompt, max_new_tokens=limit)
            )
        )

    verifier = transcriber.verifier()  # type: ignore[attr-defined]
    return retranscribe, verifier, decode(AUDIO).channels[0]  # the agent is on the left


def test_a_garbled_agent_number_is_read_as_said(
    whisper: tuple[Retranscribe, PhraseVerifier, npt.NDArray[np.float32]],
) -> None:
    retranscribe, verifier, agent = whisper
    # the script says 您好，汇泰银行，工号1023…; Whisper base wrote 公号
    heard = "您好，会泰银行，公号1023，很高兴为您服务，请问有什么可以帮您？"
    found = {
        r.phrase: r for r in reread(retranscribe, verifier, agent, start=0.5, end=7.65, text=heard)
    }
    assert "工号" in found
    assert found["工号"].over_cohort >= REREAD_CONFIRM
    assert "工号1023" in found["工号"].text


def test_a_phrase_not_said_is_not_confirmed(
    whisper: tuple[Retranscribe, PhraseVerifier, npt.NDArray[np.float32]],
) -> None:
    retranscribe, verifier, agent = whisper
    heard = "好的，被吞的卡会保存在网点，请您带上身份证，三个工作日内到人民路支行柜台领取。"
    readings = reread(retranscribe, verifier, agent, start=34.65, end=43.13, text=heard)
    assert all(r.over_cohort < REREAD_CONFIRM for r in readings), readings
