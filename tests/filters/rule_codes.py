"""The rules' drop codes and soft scores for one answer to one prompt: the helper the filter
kind tests share (`from rule_codes import codes`)."""

from __future__ import annotations

from s2s1.filters.rules import Sample, apply_rules


def codes(question: str, text: str) -> tuple[list[str], dict[str, float]]:
    """(drop reason codes in rule order, soft scores) of `text` answering `question`."""
    reasons, scores = apply_rules(Sample(text, question=question))
    return [r.code for r in reasons], scores
