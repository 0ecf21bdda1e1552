"""What the rules see (`Sample`), the span type they return, and the one search helper they share.

This module holds no rule; `s2s1.filters.checks` and the `checks_*` modules hold the checks.

Example:
    >>> find(re.compile("b"), "abc")
    (1, 2)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sample", "Span", "find"]

Span = tuple[int, int]


@dataclass(frozen=True)
class Sample:
    """What the rules see: the model's full text and what is known around it."""

    text: str
    finish_reason: str = "stop"
    question: str = ""
    require_think: bool = False
    """True when the teacher is expected to think aloud in a `<think>` block."""


def find(pattern: re.Pattern[str], view: str) -> Span | None:
    m = pattern.search(view)
    return m.span() if m else None
