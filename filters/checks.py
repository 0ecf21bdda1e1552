"""The checks behind the rules: each takes a `Sample` and returns the offending span, or None.

Phrase checks (this module) look at prose only (code, inline code and quotations blanked,
`s2s1.filters.text`) and combine the first phrasings (`s2s1.filters.phrases`) with the generalising
shapes (`s2s1.filters.rules_lexicon`). A refusal is a refusal phrase anywhere in prose, the question
dismissed as nonsense, an answer part that opens by declining on moral grounds ("It is not ethical
to ...") or by judging the request instead of doing it (`s2s1.filters.checks_verdict`), a JSON
answer whose text refuses, or a first-person "cannot/will not" in an answer part that holds no
answer at all (no box, no number, no code). Structure checks live in
`s2s1.filters.checks_format`, loops and language in `s2s1.filters.checks_text`, code left out in
`s2s1.filters.checks_code`; all are re-exported here. Soft checks (`apology`, `todo_in_code`,
`user_placeholder`) only score. These checks do not judge whether an answer is right (verifiers
do) or whether content breaks the constitution (the judge).

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
from s2s1.filters.checks_code import elided_code, placeholder_code, todo_in_code, user_placeholder
from s2s1.filters.checks_format import broken_think, conflicting_answers, truncated
from s2s1.filters.checks_sample import Sample, Span, find, find_opening, leftmost
from s2s1.filters.checks_text import language_mixing, repetition
from s2s1.filters.checks_verdict import verdict_opening
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
    "placeholder_code",
    "repetition",
    "role_turns",
    "template_tokens",
    "todo_in_code",
    "truncated",
    "user_placeholder",
]


def _first(view: str, *patterns: re.Pattern[str]) -> Span | None:
    spans = [span for p in patterns if (span := find(p, view))]
    return min(spans) if spans else None


def _least(*spans: Span | None) -> Span | None:
    """The smallest span, as `_first` picks among its patterns."""
    return min((s for s in spans if s is not None), default=None)


def _opening(body: re.Pattern[str], view: str) -> Span | None:
    return find_opening(body, view, phrases.JUNK_RUN)


def boilerplate(s: Sample) -> Span | None:
    view = prose_mask(s.text)  # phrases.BOILERPLATE, searched in linear time:
    span = leftmost(find(phrases.CLOSER_ANYWHERE, view), _opening(phrases.BOILERPLATE_OPENS, view))
    return _least(span, _first(view, rules_lexicon.SELF_AI, rules_lexicon.CLOSER))


_HAS_ANSWER = re.compile(r"\\boxed|```|####|\d")
_JSON_REFUSAL = re.compile(
    r'"(?:answer|response|output|result|reply|text|content|message)"\s*:\s*"([^"\n]{8,300})"', re.I
)
"""A JSON answer field: the model's answer when the answer is a JSON object."""


def _refuses(value: str) -> bool:
    """A JSON answer field that refuses: a refusal phrase, the question dismissed, or a first-person
    "cannot" in a field that holds no answer ("I cannot provide instructions for that.")."""
    lexicon = rules_lexicon.REFUSAL, rules_lexicon.PREMISE
    if phrases.REFUSAL.search(value) or any(p.search(value) for p in lexicon):
        return True
    return rules_lexicon.NO_CAN.search(value) is not None and not _HAS_ANSWER.search(value)


def refusal(s: Sample) -> Span | None:
    view = prose_mask(s.text)
    span = _first(view, rules_lexicon.REFUSAL, rules_lexicon.PREMISE)
    span = _least(_opening(phrases.REFUSAL_OPENS, view), span)  # phrases.REFUSAL, in linear time
    start = after_think(s.text)
    if span is None and (m := rules_lexicon.OPENING.match(view, start)) and view[start:].strip():
        span = m.span()
    span = span if span is not None else verdict_opening(s)
    json_answer = re.match(r"\s*(?:```json|\{)", s.text[start:]) is not None  # the answer is a JSON object
    for m in _JSON_REFUSAL.finditer(s.text, start) if span is None and json_answer else ():
        if _refuses(m.group(1)):
            return m.span(1)
    if span is None and not _HAS_ANSWER.search(s.text[start:]):  # no answer: "cannot" is a refusal
        m = rules_lexicon.NO_CAN.search(view, start)
        span = m.span() if m else None
    return span


def model_identity(s: Sample) -> Span | None:
    view = prose_mask(s.text)  # phrases.IDENTITY, searched in linear time:
    span = leftmost(_opening(phrases.IDENTITY_OPENS, view), find(phrases.IDENTITY_ANYWHERE, view))
    return _least(span, find(rules_lexicon.IDENTITY, view))


def knowledge_cutoff(s: Sample) -> Span | None:
    return _first(prose_mask(s.text), phrases.CUTOFF, rules_lexicon.CUTOFF)


def template_tokens(s: Sample) -> Span | None:
    """A chat-template special token in prose, or one the text ends with (an unstopped generation
    leaves it there, even after code or a quotation); a token inside code is code."""
    if span := find(phrases.TEMPLATE, prose_mask(s.text)):
        return span
    end = len(s.text.rstrip())
    return next((m.span() for m in phrases.TEMPLATE.finditer(s.text) if m.end() == end), None)


def role_turns(s: Sample) -> Span | None:
    """A chat role turn ("User:", "Assistant:", "### Response:") in prose: the model wrote the
    next turn itself (a dialogue the prompt asked for is exempt, `Rule.asked`)."""
    return find(phrases.ROLE_TURN, prose_mask(s.text))


def apology(s: Sample) -> Span | None:
    """Soft: an apology in prose ("sorry, I misread"), which alone is not a refusal."""
    return find(rules_lexicon.APOLOGY, prose_mask(s.text))
