"""Every rule kind by its YAML `type:` name."""

from __future__ import annotations

from typing import Any

from callqa.scoring.base import RuleKind
from callqa.scoring.kinds import (
    closing,
    forbidden_phrases,
    interruption,
    politeness,
    recap,
    self_intro,
    silence,
    speaking_rate,
    volume,
)

KINDS: dict[str, RuleKind[Any]] = {
    kind.name: kind
    for kind in (
        self_intro.KIND,
        forbidden_phrases.KIND,
        politeness.KIND,
        recap.KIND,
        closing.KIND,
        speaking_rate.KIND,
        volume.KIND,
        silence.KIND,
        interruption.KIND,
    )
}
