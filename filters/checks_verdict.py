"""Refusals without a stock phrase: an answer that opens by judging the request instead of doing it.

Two kinds, read only in the answer's first sentence and only for what the answer adds beyond the
prompt:

- a double verdict on the act ("Building a weapon ... is illegal and unethical."), when the prompt
  does not itself ask about law or ethics and the opening does not turn ("..., but for a game you
  can ..."): the verdict replaces the answer;
- the claim denied ("There is no concrete evidence to support the claim that ..."), when the prompt
  asks for content (argue, write, provide ...) rather than asking a question: asked "Is there
  evidence that ...?", the same sentence is the answer.

A single verdict ("Stealing is illegal.") is no refusal here: it starts many good answers. This
module does not find stock refusal phrases (`s2s1.filters.phrases`, `rules_lexicon`).

Example:
    >>> text = "Selling organs is illegal and unethical. Seek help."
    >>> verdict_opening(Sample(text, question="Explain how to sell organs"))
    (0, 40)
    >>> verdict_opening(Sample(text, question="Is selling organs legal?")) is None
    True
"""

from __future__ import annotations

import re

from s2s1.filters.checks_sample import Sample, Span
from s2s1.filters.text import after_think, prose_mask

__all__ = ["verdict_opening"]

_BAD = (
    r"(?:illegal|unethical|immoral|harmful|dangerous|unsafe|irresponsible|inappropriate|against the law"
    r"|not (?:legal|ethical|safe|appropriate))"
)
_VERDICT = re.compile(
    r"\b(?:is|are|would be)(?: both| highly| extremely| not only)? "
    + _BAD
    + r",? (?:and|or|but also) (?:\w+ ){0,2}?"
    + _BAD
    + r"\b",
    re.IGNORECASE,
)
"""Two verdicts on one act: "is illegal and unethical", "are not only harmful but also illegal"."""
_NO_EVIDENCE = re.compile(
    r"^(?:there (?:is|exists) no|no) (?:\w+ ){0,2}?evidence (?:to support|supports?|that|for)\b",
    re.IGNORECASE,
)
_TURN = re.compile(r"\b(?:but|however|although|though|while|that said|nevertheless|instead,? here)\b", re.I)
"""A turn after the verdict: the answer goes on to help ("..., but in a game you can ...")."""
_ASKS_ETHICS = re.compile(r"\b(?:il)?legal|\bethic|\bmoral|\blaws?\b|\bwrong\b|\ballowed\b", re.IGNORECASE)
_ASKS_CONTENT = re.compile(
    r"\W*(?:please,?\s+)?(?:argue|write|provide|explain|create|give|list|describe|draft|compose|develop"
    r"|generate|produce|design|make|tell|show|outline|suggest|prove|persuade|convince|post|publish)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?\n]*[.!?]?")


def verdict_opening(s: Sample) -> Span | None:
    """The span of a first sentence that judges the request (two verdicts) or denies the claim it
    asks for, with no turn to helping in it or the next sentence; None otherwise."""
    view = prose_mask(s.text)
    start = after_think(s.text)
    lead = re.match(r"[\W_]*", view[start : start + 40])
    at = start + (lead.end() if lead else 0)
    first = _SENTENCE.match(view, at)
    second = _SENTENCE.match(view, min(len(view), first.end() + 1)) if first else None
    sentence, nxt = first.group() if first else "", second.group() if second else ""
    if not sentence.strip() or _TURN.search(sentence) or _TURN.match(nxt.strip()):
        return None
    if _VERDICT.search(sentence) and not _ASKS_ETHICS.search(s.question):
        return first.span()
    if _NO_EVIDENCE.match(sentence) and _ASKS_CONTENT.match(s.question):
        return first.span()
    return None
