"""The rules filter: cheap, deterministic checks kept as data, each with examples the tests run.

`RULES` holds the rules that drop (`s2s1.filters.rules_phrases`, `s2s1.filters.rules_format`:
truncated, boilerplate, refusal, identity, cutoff, template tokens, broken `<think>`, conflicting
answers, repetition, elided code, language mixing); `SOFT_RULES` the ones too imprecise to drop,
recorded in `Decision.scores` as `soft:<id>` = 1.0 (an apology, a TODO in code, an unfinished
last line). `check_rules` returns the drop reasons only, so callers that drop on reasons stay as
they were. This module does not judge content against a constitution, deduplicate, or
decontaminate.

Example:
    >>> [r.code for r in check_rules(Sample("As an AI language model, I think it is 2."))]
    ['boilerplate']
    >>> rule_scores(Sample("Sorry, I misread: 3 * 4 = 12, so \\\\boxed{12}."))
    {'soft:apology': 1.0}
"""

from __future__ import annotations

from typing import ClassVar

from s2s1.filters.checks import Sample
from s2s1.filters.rules_format import FORMAT_RULES
from s2s1.filters.rules_phrases import PHRASE_RULES
from s2s1.filters.rules_types import Rule
from s2s1.filters.text import prose_mask
from s2s1.records import Decision, Reason, Record

__all__ = [
    "RULES",
    "SOFT_RULES",
    "Rule",
    "RulesFilter",
    "Sample",
    "check_rules",
    "prose_mask",
    "rule_scores",
    "sample_of",
]

_ORDER = [
    "truncated",
    "boilerplate",
    "refusal",
    "model_identity",
    "knowledge_cutoff",
    "template_tokens",
    "broken_think",
    "conflicting_answers",
    "repetition",
    "elided_code",
    "language_mixing",
]
_BY_ID = {r.id: r for r in [*PHRASE_RULES, *FORMAT_RULES]}
RULES: list[Rule] = [_BY_ID[i] for i in _ORDER]
SOFT_RULES: list[Rule] = [r for r in _BY_ID.values() if r.severity == "score"]


def sample_of(record: Record, *, require_think: bool = False) -> Sample:
    """The rules' view of a record: its completion, finish reason and question."""
    t = record.trace
    return Sample(t.completion, t.finish_reason, record.problem.question, require_think)


def check_rules(sample: Sample) -> list[Reason]:
    """One Reason per drop rule the sample breaks, in the order of RULES."""
    reasons = []
    for rule in RULES:
        span = rule.check(sample)
        if span is not None:
            reasons.append(Reason(code=rule.id, detail=rule.description, span=span))
    return reasons


def rule_scores(sample: Sample) -> dict[str, float]:
    """`soft:<id>` = 1.0 for each soft rule the sample triggers (never a reason to drop)."""
    return {f"soft:{r.id}": 1.0 for r in SOFT_RULES if r.check(sample) is not None}


class RulesFilter:
    """Drops a record when any drop rule triggers; keeps it otherwise; soft rules go in `scores`.

    Example:
        >>> RulesFilter().name
        'rules'
    """

    name: ClassVar[str] = "rules"

    def __init__(self, *, require_think: bool | None = False) -> None:
        self.require_think = require_think
        """Whether a trace must think aloud; None lets `filter_records` decide per batch."""

    def __call__(self, record: Record) -> Decision:
        sample = sample_of(record, require_think=bool(self.require_think))
        reasons = check_rules(sample)
        return Decision(filter=self.name, keep=not reasons, reasons=reasons, scores=rule_scores(sample))
