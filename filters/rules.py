"""The rules filter: cheap, deterministic checks kept as data, each with examples the tests run.

Each `Rule` has an id (its reason code), a severity, a description, a check over a `Trace`, and
examples: completions that must trigger it and completions that must not. Prose rules look only
at the text outside fenced code blocks and inline code, so code that prints "As an AI" is not
boilerplate. Phrasings are anchored where they really occur (the start of the answer or of a
sentence), never bare topic words: a maths answer about the "bias" of an estimator passes.

Rules here: truncated, no_final_answer, boilerplate, broken_think, template_tokens. The
alignment-filter issue adds many more; this module does not judge content against a
constitution, deduplicate, or decontaminate.

Example:
    >>> from s2s1.records import Trace
    >>> t = Trace(problem_id="p", index=0, teacher="m", prompt=[], response="As an AI language model, 2.")
    >>> [r.code for r in check_rules(t)]
    ['no_final_answer', 'boilerplate']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from s2s1.records import Decision, Reason, Record, Trace

__all__ = ["RULES", "Rule", "RulesFilter", "check_rules", "prose_mask"]

_CODE = re.compile(r"```.*?(?:```|\Z)|`[^`\n]*`", re.DOTALL)
_FINAL = re.compile(r"\\(?:boxed|fbox)\s*\{|####\s*\S|final answer\s*(?:is|:)", re.IGNORECASE)
_SENTENCE_START = r"(?:^|(?<=[.!?:\n])\s*)"
_BOILERPLATE = re.compile(
    _SENTENCE_START
    + r"(?:as an ai(?: language model| assistant| model)?\b|i(?:'m| am) (?:just |only )?an ai\b"
    r"|as a (?:large )?language model\b|i(?:'m| am) sorry,? but i (?:can(?:no|')t|am unable)"
    r"|i (?:cannot|can't|am unable to) (?:help|assist|answer|provide) )",
    re.IGNORECASE | re.MULTILINE,
)
_TEMPLATE = re.compile(r"<\|(?:im_start|im_end|endoftext|eot_id|start_header_id|end_header_id)\|>")


def prose_mask(text: str) -> str:
    """`text` with code blocks and inline code blanked out (same length, so offsets still hold)."""
    return _CODE.sub(lambda m: " " * len(m.group()), text)


def _truncated(t: Trace) -> tuple[int, int] | None:
    return (0, len(t.completion)) if t.finish_reason in ("length", "error") else None


def _no_final_answer(t: Trace) -> tuple[int, int] | None:
    return None if _FINAL.search(t.response) else (0, len(t.completion))


def _boilerplate(t: Trace) -> tuple[int, int] | None:
    m = _BOILERPLATE.search(prose_mask(t.completion))
    return m.span() if m else None


def _broken_think(t: Trace) -> tuple[int, int] | None:
    if t.reasoning and not t.response.strip():  # unclosed, or nothing after </think>
        return (0, len(t.completion))
    m = re.search(r"</?think>", t.response)  # a second or stray tag after the thinking
    return (len(t.completion) - len(t.response) + m.start(), len(t.completion)) if m else None


def _template_tokens(t: Trace) -> tuple[int, int] | None:
    m = _TEMPLATE.search(t.completion)
    return m.span() if m else None


@dataclass(frozen=True)
class Rule:
    """One rule: `check` returns the offending span of `trace.completion`, or None."""

    id: str
    severity: str
    description: str
    check: Callable[[Trace], tuple[int, int] | None]
    triggers: list[str] = field(default_factory=list)
    """Completions that must trigger the rule."""
    passes: list[str] = field(default_factory=list)
    """Completions that must not."""


RULES: list[Rule] = [
    Rule("truncated", "drop", "generation stopped at the token limit or failed", _truncated),
    Rule(
        "no_final_answer",
        "drop",
        "no \\boxed{}, #### or 'final answer is' after the thinking",
        _no_final_answer,
        triggers=["So it is 5.", "<think>\\boxed{5}</think>\nIt is 5."],
        passes=["So \\boxed{5}.", "#### 5", "The final answer is 5."],
    ),
    Rule(
        "boilerplate",
        "drop",
        "teacher boilerplate or a refusal addressed to the user",
        _boilerplate,
        triggers=[
            "As an AI language model, I think \\boxed{2}.",
            "Sure. I'm just an AI, but \\boxed{2}.",
            "I'm sorry, but I can't help with that.",
            "I cannot answer this. \\boxed{0}",
        ],
        passes=[
            "The bias of the estimator is 0, so \\boxed{0}.",
            "Let AI = 3 be the area; \\boxed{3}.",
            "```python\nprint('As an AI language model')\n```\n\\boxed{1}",
            "Call `as_an_ai()` then \\boxed{1}.",
            "I cannot see why not: x = 2, so \\boxed{2}.",
        ],
    ),
    Rule(
        "broken_think",
        "drop",
        "a <think> block that is unclosed, repeated, or has nothing after it",
        _broken_think,
        triggers=["<think>\nlet me see", "<think>a</think>", "<think>a</think><think>b</think>\\boxed{1}"],
        passes=["<think>a</think>\n\\boxed{1}", "\\boxed{1}"],
    ),
    Rule(
        "template_tokens",
        "drop",
        "chat-template tokens leaked into the text",
        _template_tokens,
        triggers=["\\boxed{1}<|im_end|>", "<|im_start|>assistant\n\\boxed{1}"],
        passes=["\\boxed{1}", "a <| b"],
    ),
]


def check_rules(trace: Trace) -> list[Reason]:
    """One Reason per rule the trace breaks, in the order of RULES."""
    reasons = []
    for rule in RULES:
        span = rule.check(trace)
        if span is not None:
            reasons.append(Reason(code=rule.id, detail=rule.description, span=span))
    return reasons


class RulesFilter:
    """Drops a record when any rule triggers; keeps it otherwise.

    Example:
        >>> RulesFilter.name
        'rules'
    """

    name: ClassVar[str] = "rules"

    def __call__(self, record: Record) -> Decision:
        reasons = check_rules(record.trace)
        return Decision(filter=self.name, keep=not reasons, reasons=reasons)
