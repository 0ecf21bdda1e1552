"""What the rules see (`Sample`), the span type they return, and the search helpers they share.

This module holds no rule; `s2s1.filters.checks` and the `checks_*` modules hold the checks.

Example:
    >>> find(re.compile("b"), "abc")
    (1, 2)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["HASH_ANSWER", "Sample", "Span", "find", "find_opening", "leftmost"]

Span = tuple[int, int]

HASH_ANSWER = r"####(?![ \t]*[^\W\d_]{2,}[^\n]*\n\s*\S)"
"""GSM8K's `#### 72` answer mark, not a markdown heading ("#### Historical Roots" with a paragraph
under it): a line that opens with a word and has text after it is a heading. Used as a regex part."""


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


_OPENS_AFTER = ".!?:;。！？\n"
"""`phrases._START`: a phrase opens at the text's start or after one of these (then skippable marks)."""


def _run_start(view: str, end: int, junk: re.Pattern[str]) -> int:
    """Where the run of `junk` characters ending at `end` starts (scanned backwards in chunks)."""
    size = 256
    while True:
        lo = max(0, end - size)
        run = junk.match(view[lo:end][::-1]).end()
        if run < end - lo or lo == 0:
            return end - run
        size *= 4


def find_opening(body: re.Pattern[str], view: str, junk: re.Pattern[str]) -> Span | None:
    """What `re.search(_START + body, view)` finds (`s2s1.filters.phrases`), in linear time.

    The regex tries `_START` at every line of a long blank run (a masked code block) and re-scans
    the run from each: quadratic. A start inside a run can only reach the same phrase as the run's
    first start, so this finds `body` where a run of `junk` ends and backs up to the run's first
    start. `body` must begin with a character that `junk` does not match.
    """
    pos = 0
    while (m := body.search(view, pos)) is not None:
        q = m.start()
        r = _run_start(view, q, junk)
        if r == 0 or view[r - 1] in _OPENS_AFTER:
            return (r, m.end())
        nl = view.find("\n", r, q)
        if nl >= 0:
            return (nl + 1, m.end())
        pos = q + 1
    return None


def leftmost(*spans: Span | None) -> Span | None:
    """The span that starts first; on a tie the earlier argument (a regex alternation's order)."""
    found = [s for s in spans if s is not None]
    return min(found, key=lambda s: s[0]) if found else None
