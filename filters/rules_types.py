"""The `Rule` record: one cheap, deterministic check kept as data, with examples the tests run.

A rule has an id (its reason code), a severity (`drop`: the record goes to `rejected/`; `score`:
too imprecise to drop, recorded in the decision's scores), a scope (the text it reads: `prose` =
outside code blocks, inline code and quotations; `raw` = the whole completion; `answer` = after
the last `</think>`), a description, its check, examples both ways, and the prompt requests under
which a hit is what was asked for (then it is a soft score). This module defines no rule.

Example:
    >>> Rule("x", "drop", "raw", "never", lambda s: None).severity
    'drop'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from s2s1.filters.checks_sample import Sample, Span

__all__ = ["OK", "Rule"]


@dataclass(frozen=True)
class Rule:
    """One rule: `check` returns the offending span of the completion, or None."""

    id: str
    severity: Literal["drop", "score"]
    scope: Literal["prose", "raw", "answer"]
    description: str
    check: Callable[[Sample], Span | None]
    triggers: list[str] = field(default_factory=list)
    """Completions that must trigger the rule."""
    passes: list[str] = field(default_factory=list)
    """Completions that must not."""
    asked: tuple[str, ...] = ()
    """Requests of the prompt (`s2s1.filters.checks_prompt.asks`) that make a hit only a soft
    score: the answer holds what was asked for (a dialogue's role turns, an apology email)."""


OK = "<think>2 + 2 is 4.</think>\nSo the answer is \\boxed{4}."
"""A clean completion every rule passes."""
