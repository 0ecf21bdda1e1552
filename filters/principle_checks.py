"""Machine checks a principle can carry (`Check:` line), for rules a small judge cannot see.

A 135M judge cannot count sentences or spot a missing "Step 2:" (measured: its P(Yes) does not
separate clean rows from broken ones), so a principle may say how to test it instead. Four forms:

- `at most N sentences` / `at least N sentences` (sentences of prose: split at . ! ? and line
  breaks, maths and code blanked first, blank pieces not counted; `s2s1.filters.text.sentences`);
- `contains /REGEX/` / `does not contain /REGEX/` (Python regex, multi-line mode).

A check reads the answer after the last `</think>` (a style rule is about what the reader sees),
and a principle with a check is decided by it, not by the judge model. Checks do not understand
meaning: "explain every step" can only be approximated (e.g. `contains /^Step 2:/`), and the
constitution should say so in its own words.

Example:
    >>> violates("at most 1 sentences", "23 + 19 = $42$. Done.")
    True
    >>> violates("contains /^Step 2:/", "Step 1: add.\\nStep 2: carry.")
    False
"""

from __future__ import annotations

import re

from s2s1.filters.text import after_think, prose_mask, sentences

__all__ = ["count_sentences", "parse_check", "violates"]

_COUNT = re.compile(r"^at (most|least) (\d+) sentences?$", re.IGNORECASE)
_REGEX = re.compile(r"^(contains|does not contain) /(.+)/$", re.IGNORECASE)


def parse_check(spec: str) -> str | None:
    """None when `spec` is a valid check, else what is wrong with it (for the parser's error)."""
    if _COUNT.match(spec):
        return None
    if m := _REGEX.match(spec):
        try:
            re.compile(m.group(2))
        except re.error as e:
            return f"bad regex /{m.group(2)}/ ({e})"
        return None
    return "use 'at most N sentences', 'at least N sentences', 'contains /RE/' or 'does not contain /RE/'"


def count_sentences(text: str) -> int:
    """Sentences of prose in `text` (maths and code blanked; see the module docstring).

    Example:
        >>> count_sentences("We add: $23 + 19 = 42$.\\nThe answer is $\\\\boxed{42}$.")
        2
    """
    masked = prose_mask(text, math=True)
    return sum(1 for a, b in sentences(masked) if any(c.isalnum() for c in text[a:b]))


def violates(spec: str, text: str) -> bool:
    """Whether the answer part of `text` breaks the check `spec` (which `parse_check` accepted)."""
    answer = text[after_think(text) :].strip()
    if m := _COUNT.match(spec):
        n, limit = count_sentences(answer), int(m.group(2))
        return n > limit if m.group(1).lower() == "most" else n < limit
    m = _REGEX.match(spec)
    if m is None:
        raise ValueError(f"not a check: {spec!r}")
    found = re.search(m.group(2), answer, re.MULTILINE) is not None
    return not found if m.group(1).lower() == "contains" else found
