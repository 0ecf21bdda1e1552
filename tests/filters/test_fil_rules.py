"""The rules filter: every rule's own examples, spans, code-aware prose checks, and its docstring."""

from __future__ import annotations

import doctest

import pytest

import filters.rules
from filters.rules import RULES, RulesFilter, check_rules, prose_mask
from generators.prompts import split_think
from s2s1.records import Problem, Record, Trace


def _trace(completion: str, finish_reason: str = "stop") -> Trace:
    reasoning, response = split_think(completion)
    return Trace(
        problem_id="p",
        index=0,
        teacher="m",
        prompt=[],
        reasoning=reasoning,
        response=response,
        finish_reason=finish_reason,
    )


EXAMPLES = [(rule, text, True) for rule in RULES for text in rule.triggers] + [
    (rule, text, False) for rule in RULES for text in rule.passes
]


@pytest.mark.parametrize(("rule", "text", "fires"), EXAMPLES, ids=lambda v: getattr(v, "id", None))
def test_rule_examples(rule, text, fires):
    assert (rule.check(_trace(text)) is not None) is fires, text


def test_every_content_rule_has_examples_both_ways():
    for rule in RULES:
        if rule.id != "truncated":  # truncation is read from finish_reason, not from the text
            assert rule.triggers and rule.passes, rule.id


def test_truncated_reads_finish_reason():
    assert [r.code for r in check_rules(_trace("So \\boxed{5}.", "length"))] == ["truncated"]
    assert [r.code for r in check_rules(_trace("So \\boxed{5}.", "error"))] == ["truncated"]
    assert check_rules(_trace("So \\boxed{5}.")) == []


def test_boilerplate_span_points_at_the_phrase():
    text = "Fine. As an AI language model, I add: \\boxed{2}"
    (reason,) = check_rules(_trace(text))
    start, end = reason.span
    assert reason.code == "boilerplate"
    assert text[start:end].strip().lower().startswith("as an ai language model")


def test_prose_mask_keeps_offsets_and_blanks_code():
    text = "a `x` b\n```py\nAs an AI\n```\nc"
    masked = prose_mask(text)
    assert len(masked) == len(text)
    assert "As an AI" not in masked and "x" not in masked
    assert masked[0] == "a" and masked.rstrip().endswith("c")


def test_unclosed_code_fence_is_still_code():
    assert prose_mask("```\nAs an AI language model").strip() == ""


def test_rules_filter_decision_lists_every_broken_rule():
    record = Record(
        problem=Problem(id="p", source="t", question="q"),
        trace=_trace("As an AI language model, it is 2.<|im_end|>"),
    )
    decision = RulesFilter()(record)
    assert decision.filter == "rules" and not decision.keep
    assert [r.code for r in decision.reasons] == ["no_final_answer", "boilerplate", "template_tokens"]


def test_docstring_examples():
    result = doctest.testmod(filters.rules)
    assert result.attempted > 0 and result.failed == 0
