"""How far the machine's verdicts agree with a human's: per rule and per call.

Pure functions over `Judged` records (one call's machine score beside its labels), so the
same figures come from a labelled corpus (`callqa eval verdicts DIR`) and from the human
reviews stored in a database (`--from-reviews`).

Definitions (docs/accuracy.md):
- confusion: expected status (pass/fail/na) × machine status (pass/fail/na/review);
- accuracy on decided items: machine == expected over items the machine decided (not review);
- agreement: machine == expected over all items (review counts as disagreement);
- review rate: items in review / all items;
- fail precision / recall: of the machine's fails, how many are labelled fail; of the
  labelled fails, how many the machine failed;
- call verdict accuracy, and compliant calls (labelled pass) the machine failed;
- hit localisation: labelled forbidden-phrase spans that a machine hit overlaps (±`slack_s`),
  and machine hits that fall on no labelled span (false hits), and hits on customer speech.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from callqa.records import CallScore

STATUSES = ("pass", "fail", "na", "review")


@dataclass(frozen=True)
class Span:
    start: float
    end: float


@dataclass(frozen=True)
class Judged:
    """One call: what the machine said, what the labels say."""

    name: str
    score: CallScore | None
    """None when the call could not be scored (its reason in `error`)."""
    expected_rules: Mapping[str, str]
    expected_verdict: str | None = None
    expected_hits: tuple[Span, ...] = ()
    customer_turns: tuple[Span, ...] = ()
    error: str | None = None
    intelligible: bool = True
    agent_cer: float | None = None
    """The transcriber's character error rate on the agent's labelled turns, if known."""


@dataclass
class RuleFigures:
    rule: str
    confusion: dict[str, dict[str, int]] = field(
        default_factory=lambda: {e: dict.fromkeys(STATUSES, 0) for e in ("pass", "fail", "na")}
    )

    def add(self, expected: str, got: str) -> None:
        self.confusion.setdefault(expected, dict.fromkeys(STATUSES, 0))
        self.confusion[expected][got] = self.confusion[expected].get(got, 0) + 1

    @property
    def total(self) -> int:
        return sum(sum(row.values()) for row in self.confusion.values())

    @property
    def reviews(self) -> int:
        return sum(row.get("review", 0) for row in self.confusion.values())

    @property
    def correct(self) -> int:
        return sum(self.confusion.get(s, {}).get(s, 0) for s in ("pass", "fail", "na"))

    @property
    def accuracy_decided(self) -> float | None:
        decided = self.total - self.reviews
        return self.correct / decided if decided else None

    @property
    def fail_precision(self) -> float | None:
        predicted = sum(row.get("fail", 0) for row in self.confusion.values())
        return self.confusion.get("fail", {}).get("fail", 0) / predicted if predicted else None

    @property
    def fail_recall(self) -> float | None:
        labelled = sum(self.confusion.get("fail", {}).values())
        return self.confusion["fail"].get("fail", 0) / labelled if labelled else None

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "items": self.total,
            "accuracy_decided": _r(self.accuracy_decided),
            "agreement": _r(self.correct / self.total if self.total else None),
            "review_rate": _r(self.reviews / self.total if self.total else None),
            "fail_precision": _r(self.fail_precision),
            "fail_recall": _r(self.fail_recall),
            "confusion": self.confusion,
        }


@dataclass
class Figures:
    """Everything `callqa eval verdicts` prints."""

    rules: dict[str, RuleFigures]
    calls: int
    unscored: list[str]
    verdict_correct: int
    verdict_review: int
    compliant: int
    compliant_failed: list[str]
    hits_labelled: int
    hits_located: int
    false_hits: int
    customer_hits: int
    review_rate_intelligible: float | None
    mismatches: list[str]
    intelligible_calls: int = 0
    agreement_intelligible: float | None = None

    def total(self) -> RuleFigures:
        t = RuleFigures("all")
        for r in self.rules.values():
            for e, row in r.confusion.items():
                for g, n in row.items():
                    for _ in range(n):
                        t.add(e, g)
        return t

    def as_dict(self) -> dict[str, object]:
        t = self.total()
        return {
            "calls": self.calls,
            "unscored": self.unscored,
            "items": t.as_dict(),
            "review_rate_intelligible": _r(self.review_rate_intelligible),
            "intelligible_calls": self.intelligible_calls,
            "agreement_intelligible": _r(self.agreement_intelligible),
            "verdict_accuracy": _r(self.verdict_correct / self.calls if self.calls else None),
            "verdict_review": self.verdict_review,
            "compliant_calls": self.compliant,
            "compliant_failed": self.compliant_failed,
            "forbidden_recall_located": _r(
                self.hits_located / self.hits_labelled if self.hits_labelled else None
            ),
            "false_hits": self.false_hits,
            "customer_hits": self.customer_hits,
            "rules": [r.as_dict() for r in self.rules.values()],
            "mismatches": self.mismatches,
        }


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def _overlaps(a: Span, b: Span, slack: float) -> bool:
    return a.start < b.end + slack and b.start < a.end + slack


def compare(judged: Sequence[Judged], *, slack_s: float = 1.0) -> Figures:
    """The agreement figures of `judged` (calls that could not be scored are listed apart
    and count as disagreeing with their labels on every item and on the verdict)."""
    rules: dict[str, RuleFigures] = {}
    unscored: list[str] = []
    mismatches: list[str] = []
    verdict_correct = verdict_review = compliant = 0
    compliant_failed: list[str] = []
    labelled = located = false_hits = customer_hits = 0
    intel_items = intel_reviews = intel_agree = intel_calls = 0
    for j in judged:
        got_rules = {r.id: r for r in j.score.rules} if j.score else {}
        verdict = j.score.verdict if j.score else "fail"
        if j.score is None:
            unscored.append(f"{j.name}: {j.error}")
        intel_calls += j.intelligible
        for rule, expected in j.expected_rules.items():
            got = got_rules[rule].status if rule in got_rules else "fail"
            rules.setdefault(rule, RuleFigures(rule)).add(expected, got)
            if got != expected:
                message = got_rules[rule].message if rule in got_rules else (j.error or "")
                mismatches.append(f"{j.name} {rule}: expected {expected}, got {got} ({message})")
            if j.intelligible:
                intel_items += 1
                intel_reviews += got == "review"
                intel_agree += got == expected
        if j.expected_verdict is not None:
            verdict_correct += verdict == j.expected_verdict
            verdict_review += verdict == "review"
            if j.expected_verdict == "pass":
                compliant += 1
                if verdict == "fail":
                    compliant_failed.append(j.name)
        hits = [
            Span(e.start, e.end)
            for r in got_rules.values()
            if r.id == "forbidden_phrases" and r.status in ("fail", "review")
            for e in r.evidence
        ]
        labelled += len(j.expected_hits)
        located += sum(any(_overlaps(h, x, slack_s) for h in hits) for x in j.expected_hits)
        for h in hits:
            if not any(_overlaps(h, x, slack_s) for x in j.expected_hits):
                false_hits += 1
                inside = [c for c in j.customer_turns if c.start <= h.start and h.end <= c.end]
                customer_hits += bool(inside)
    return Figures(
        rules=rules,
        calls=len(judged),
        unscored=unscored,
        verdict_correct=verdict_correct,
        verdict_review=verdict_review,
        compliant=compliant,
        compliant_failed=compliant_failed,
        hits_labelled=labelled,
        hits_located=located,
        false_hits=false_hits,
        customer_hits=customer_hits,
        review_rate_intelligible=intel_reviews / intel_items if intel_items else None,
        mismatches=mismatches,
        intelligible_calls=intel_calls,
        agreement_intelligible=intel_agree / intel_items if intel_items else None,
    )


def table(figures: Figures) -> list[str]:
    """The figures as lines for people."""
    lines = [
        f"{'rule':<18} {'items':>5} {'acc(decided)':>12} {'agree':>6} {'review':>7} "
        f"{'fail P':>7} {'fail R':>7}"
    ]
    for r in [*figures.rules.values(), figures.total()]:
        d = r.as_dict()
        lines.append(
            f"{r.rule:<18} {r.total:>5} {_f(d['accuracy_decided']):>12} {_f(d['agreement']):>6} "
            f"{_f(d['review_rate']):>7} {_f(d['fail_precision']):>7} {_f(d['fail_recall']):>7}"
        )
    d = figures.as_dict()
    lines += [
        "",
        f"calls {figures.calls}; verdict accuracy {_f(d['verdict_accuracy'])} "
        f"({figures.verdict_review} in review); compliant calls failed "
        f"{len(figures.compliant_failed)} of {figures.compliant}",
        f"forbidden phrases located {figures.hits_located}/{figures.hits_labelled} "
        f"(recall {_f(d['forbidden_recall_located'])}); false hits {figures.false_hits}, "
        f"on customer speech {figures.customer_hits}",
        f"intelligible calls {figures.intelligible_calls} of {figures.calls}: review rate "
        f"{_f(d['review_rate_intelligible'])}, item agreement "
        f"{_f(d['agreement_intelligible'])}",
    ]
    if figures.unscored:
        lines += ["", "not scored:"] + [f"  {u}" for u in figures.unscored]
    return lines


def _f(x: object) -> str:
    return "-" if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)
