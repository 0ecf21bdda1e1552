"""The rules filter: cheap, deterministic checks kept as data, each with examples the tests run.

`RULES` holds the rules that drop (`s2s1.filters.rules_phrases`, `rules_code`, `rules_format`:
truncated, boilerplate, refusal, identity, cutoff, template tokens, broken `<think>`, conflicting
answers, repetition, elided code, language mixing); `SOFT_RULES` the ones too imprecise to drop,
recorded in `Decision.scores` as `soft:<id>` = 1.0 (an apology, a TODO in code, an unfinished
last line). A rule reads the prompt too: when the prompt asks for what it found (a dialogue's
role turns, an apology email, a chatbot's "I'm happy to help", a config's `# ...`; `Rule.asked`,
`s2s1.filters.checks_prompt`), its hit is a soft score `soft:<id>` instead of a drop, unless a
refusal opens a short answer, or opens any answer naming the request or the model itself ("I
cannot fulfill your request. I'm just an AI"): a refusal up front is the model's own voice,
whatever was asked. A refusal the answer goes on to answer (what was asked for does not exist, or
a turn to help with the request itself: `s2s1.filters.rules_answered`) is `soft:refusal` too.
`check_rules` returns the drop reasons only, so callers that drop on reasons stay as they were.
This module does not judge content against a constitution, deduplicate, or decontaminate.

Example:
    >>> [r.code for r in check_rules(Sample("As an AI language model, I think it is 2."))]
    ['boilerplate']
    >>> rule_scores(Sample("Sorry, I misread: 3 * 4 = 12, so \\\\boxed{12}."))
    {'soft:apology': 1.0}
    >>> check_rules(Sample("Agent: Sorry, I can't share that.", question="Write a support-call dialogue."))
    []
"""

from __future__ import annotations

import re
from typing import ClassVar

from s2s1.filters.checks import Sample
from s2s1.filters.rules_answered import SELF, answered
from s2s1.filters.rules_asks import wanted
from s2s1.filters.rules_code import CODE_RULES
from s2s1.filters.rules_format import FORMAT_RULES
from s2s1.filters.rules_phrases import PHRASE_RULES
from s2s1.filters.rules_refusal import DECLINE
from s2s1.filters.rules_types import Rule
from s2s1.filters.text import after_think, prose_mask
from s2s1.records import Decision, Reason, Record

__all__ = [
    "RULES",
    "SOFT_RULES",
    "Rule",
    "RulesFilter",
    "Sample",
    "apply_rules",
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
    "left_out_code",
    "language_mixing",
    "role_turns",
    "placeholder_code",
]
_BY_ID = {r.id: r for r in [*PHRASE_RULES, *CODE_RULES, *FORMAT_RULES]}
RULES: list[Rule] = [_BY_ID[i] for i in _ORDER]
SOFT_RULES: list[Rule] = [r for r in _BY_ID.values() if r.severity == "score"]


def sample_of(record: Record, *, require_think: bool = False) -> Sample:
    """The rules' view of a record: its completion, finish reason and question."""
    t = record.trace
    return Sample(t.completion, t.finish_reason, record.problem.question, require_think)


_HEAD, _SHORT = 150, 600
"""A hit in the first sentence and first 150 characters of an answer part under 600 characters
opens a short answer."""


_SPEAKER = re.compile(r"^[ \t*_]*[\w .'()-]{1,30}[*_]*:", re.MULTILINE)
"""A line that a speaker label opens ("Agent:", "**Host:**"): a character speaks, not the model."""


_TASK = re.compile(
    r"\b(?:can't|cannot|can not|won't|will not|unable to|not able to)\s+(?:help|assist|comply|fulfil|fulfill"
    r"|engage|support|participate|do (?:that|this|it)|write|create|generate|produce|provide|answer|give"
    r"|share)\b|\b(?:can't|cannot|won't)\s*[.!]",
    re.IGNORECASE,
)
"""In a refusal's first sentence: it declines the task ("I can't help with", "I can't write that"),
not something in the world ("I'm sorry, but I can't make it to dinner")."""


def _opens_short_answer(sample: Sample, span: tuple[int, int]) -> bool:
    """A refusal that opens the answer in the model's own voice: a short answer that declines the
    task, or any answer that names the request or the model in its first sentence."""
    start = after_think(sample.text)
    rest = sample.text[start:].strip()
    line_start = sample.text.rfind("\n", 0, span[0]) + 1
    spoken = _SPEAKER.match(sample.text, line_start) is not None
    before = sample.text[start : span[0]].strip()
    first = not re.search(r"[.!?:\n]", before)  # "A good reply: ..." quotes
    if span[0] - start >= _HEAD or not first or spoken:
        return False
    found = re.match(r"[^.!?\n]*[.!?]?", sample.text[span[0] :])
    sentence = found.group() if found else ""
    own = not before and SELF.search(sentence) is not None
    task = SELF.search(sentence) or _TASK.search(sentence) or DECLINE.search(sentence)
    return own or (len(rest) < _SHORT and task is not None)


def apply_rules(sample: Sample) -> tuple[list[Reason], dict[str, float]]:
    """(drop reasons in the order of RULES, soft scores): one pass over every rule. A drop rule
    whose hit the prompt asked for (`Rule.asked`) adds `soft:<id>` instead of a reason."""
    asked = wanted(sample.question)
    reasons, scores = [], {}
    for rule in RULES:
        span = rule.check(sample)
        if span is None:
            continue
        if set(rule.asked) & asked and not (rule.id == "refusal" and _opens_short_answer(sample, span)):
            scores[f"soft:{rule.id}"] = 1.0
        elif rule.id == "refusal" and answered(sample, span):
            scores["soft:refusal"] = 1.0
        else:
            reasons.append(Reason(code=rule.id, detail=rule.description, span=span))
    for rule in SOFT_RULES:
        if not set(rule.asked) & asked and rule.check(sample) is not None:
            scores[f"soft:{rule.id}"] = 1.0
    return reasons, scores


def check_rules(sample: Sample) -> list[Reason]:
    """One Reason per drop rule the sample breaks, in the order of RULES."""
    return apply_rules(sample)[0]


def rule_scores(sample: Sample) -> dict[str, float]:
    """`soft:<id>` = 1.0 for each soft rule the sample triggers, and for each drop rule whose hit
    the prompt asked for (never a reason to drop)."""
    return apply_rules(sample)[1]


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
        reasons, scores = apply_rules(sample)
        return Decision(filter=self.name, keep=not reasons, reasons=reasons, scores=scores)
