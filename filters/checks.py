"""The checks behind the rules: each takes a `Sample` and returns the offending span, or None.

Phrase checks (this module) look at prose only (code, inline code and quotations blanked,
`s2s1.filters.text`) and combine the first phrasings (`s2s1.filters.phrases`) with the
generalising shapes (`s2s1.filters.rules_lexicon`). A refusal is a refusal phrase anywhere in
prose, or a first-person "cannot/will not" in an answer part that holds no answer at all (no box,
no number, no code). Structure checks live in `s2s1.filters.checks_format`, loops and language in
`s2s1.filters.checks_text`; all are re-exported here. Soft checks (`apology`, `todo_in_code`)
only score. These checks do not judge whether an answer is right (verifiers do) or whether
content breaks the constitution (the judge).

Example:
    >>> span = boilerplate(Sample("Sure. As an AI language model, I say \\\\boxed{2}."))
    >>> span is not None
    True
    >>> refusal(Sample("Leider kann ich diese Aufgabe nicht für dich lösen.")) is not None
    True
"""

from __future__ import annotations

import re

from s2s1.filters import phrases, rules_lexicon
from s2s1.filters.checks_format import broken_think, conflicting_answers, truncated
from s2s1.filters.checks_sample import Sample, Span, find
from s2s1.filters.checks_text import language_mixing, repetition
from s2s1.filters.text import after_think, prose_mask

__all__ = [
    "Sample",
    "Span",
    "apology",
    "boilerplate",
    "broken_think",
    "conflicting_answers",
    "elided_code",
    "knowledge_cutoff",
    "language_mixing",
    "model_identity",
    "refusal",
    "repetition",
    "template_tokens",
    "todo_in_code",
    "truncated",
]


def _first(view: str, *patterns: re.Pattern[str]) -> Span | None:
    spans = [span for p in patterns if (span := find(p, view))]
    return min(spans) if spans else None


def boilerplate(s: Sample) -> Span | None:
    return _first(prose_mask(s.text), phrases.BOILERPLATE, rules_lexicon.SELF_AI, rules_lexicon.CLOSER)


_HAS_ANSWER = re.compile(r"\\boxed|```|####|\d")


def refusal(s: Sample) -> Span | None:
    view = prose_mask(s.text)
    span = _first(view, phrases.REFUSAL, rules_lexicon.REFUSAL)
    start = after_think(s.text)
    if span is None and not _HAS_ANSWER.search(s.text[start:]):  # no answer: "cannot" is a refusal
        m = rules_lexicon.NO_CAN.search(view, start)
        span = m.span() if m else None
    return span


def model_identity(s: Sample) -> Span | None:
    return _first(prose_mask(s.text), phrases.IDENTITY, rules_lexicon.IDENTITY)


def knowledge_cutoff(s: Sample) -> Span | None:
    return _first(prose_mask(s.text), phrases.CUTOFF, rules_lexicon.CUTOFF)


def template_tokens(s: Sample) -> Span | None:
    return find(phrases.TEMPLATE, prose_mask(s.text))


def elided_code(s: Sample) -> Span | None:
    """'Rest of the code remains the same', `# ... existing code`, or a bare `...` line in code."""
    span = _first(s.text.replace("\u2019", "'"), phrases.ELIDED, rules_lexicon.ELIDED)
    if span:
        return span
    prose = prose_mask(s.text)
    code_only = "".join(
        c if p == " " and c != " " else (" " if c != "\n" else "\n")
        for c, p in zip(s.text, prose, strict=True)
    )
    return find(phrases.ELIDED_LINE, code_only)


def apology(s: Sample) -> Span | None:
    """Soft: an apology in prose ("sorry, I misread"), which alone is not a refusal."""
    return find(rules_lexicon.APOLOGY, prose_mask(s.text))


def todo_in_code(s: Sample) -> Span | None:
    """Soft: a TODO or FIXME comment left in the code."""
    return find(rules_lexicon.TODO, s.text)
