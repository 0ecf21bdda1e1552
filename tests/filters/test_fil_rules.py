"""The rules filter: every rule's own examples, spans, code-aware prose checks, and its docstring."""

from __future__ import annotations

import doctest

import pytest

import s2s1.filters.checks
import s2s1.filters.checks_code
import s2s1.filters.checks_cut
import s2s1.filters.checks_format
import s2s1.filters.checks_sample
import s2s1.filters.checks_text
import s2s1.filters.code_phrases
import s2s1.filters.phrases
import s2s1.filters.rules
import s2s1.filters.rules_answered
import s2s1.filters.rules_asks
import s2s1.filters.rules_code
import s2s1.filters.rules_elided
import s2s1.filters.rules_elided_words
import s2s1.filters.rules_format
import s2s1.filters.rules_identity
import s2s1.filters.rules_leaks
import s2s1.filters.rules_lexicon
import s2s1.filters.rules_phrases
import s2s1.filters.rules_refusal
import s2s1.filters.rules_tail
import s2s1.filters.rules_types
import s2s1.filters.rules_verdict
import s2s1.filters.text
from s2s1.filters.rules import RULES, SOFT_RULES, RulesFilter, Sample, check_rules, prose_mask
from s2s1.generators.prompts import split_think
from s2s1.records import Problem, Record, Trace

ALL_RULES = [*RULES, *SOFT_RULES]
EXAMPLES = [(rule, text, True) for rule in ALL_RULES for text in rule.triggers] + [
    (rule, text, False) for rule in ALL_RULES for text in rule.passes
]


@pytest.mark.parametrize(("rule", "text", "fires"), EXAMPLES, ids=lambda v: getattr(v, "id", None))
def test_rule_examples(rule, text, fires):
    assert (rule.check(Sample(text)) is not None) is fires, text


def test_every_rule_has_examples_both_ways_and_a_unique_id():
    assert len({r.id for r in ALL_RULES}) == len(ALL_RULES)
    for rule in ALL_RULES:
        assert rule.triggers and rule.passes, rule.id
        assert rule.scope in ("prose", "raw", "answer")
    assert {r.severity for r in RULES} == {"drop"} and {r.severity for r in SOFT_RULES} == {"score"}


def test_truncated_reads_finish_reason():
    assert [r.code for r in check_rules(Sample("So \\boxed{5}.", "length"))] == ["truncated"]
    assert [r.code for r in check_rules(Sample("So \\boxed{5}.", "error"))] == ["truncated"]
    assert check_rules(Sample("So \\boxed{5}.")) == []


def test_missing_think_only_when_required():
    assert check_rules(Sample("So \\boxed{5}.")) == []
    assert [r.code for r in check_rules(Sample("So \\boxed{5}.", require_think=True))] == ["broken_think"]


def test_language_is_judged_against_the_prompt():
    chinese = "首先计算和：二加三等于五，所以答案是 \\boxed{5}。"
    assert check_rules(Sample(chinese, question="计算二加三的和。")) == []
    english = "First we add the two numbers and then the sum is 5, so \\boxed{5}."
    assert [r.code for r in check_rules(Sample(english, question="计算二加三的和。"))] == ["language_mixing"]


def test_boilerplate_span_points_at_the_phrase():
    text = "Fine. As an AI language model, I add: \\boxed{2}"
    (reason,) = check_rules(Sample(text))
    start, end = reason.span
    assert reason.code == "boilerplate"
    assert text[start:end].strip().lower().startswith("as an ai language model")


def test_prose_mask_keeps_offsets_and_blanks_code_and_quotes():
    text = 'a `x` b\n```py\nAs an AI\n```\nc "quoted" d'
    masked = prose_mask(text)
    assert len(masked) == len(text)
    assert "As an AI" not in masked and "x" not in masked and "quoted" not in masked
    assert masked[0] == "a" and masked.rstrip().endswith("d")


def test_unclosed_code_fence_is_still_code():
    assert prose_mask("```\nAs an AI language model").strip() == ""


def test_rules_filter_decision_lists_every_broken_rule():
    reasoning, response = split_think("As an AI language model, it is 2.<|im_end|>")
    record = Record(
        problem=Problem(id="p", source="t", question="q"),
        trace=Trace(problem_id="p", index=0, teacher="m", prompt=[], reasoning=reasoning, response=response),
    )
    decision = RulesFilter()(record)
    assert decision.filter == "rules" and not decision.keep
    assert [r.code for r in decision.reasons] == ["boilerplate", "template_tokens"]


@pytest.mark.parametrize(
    "module",
    [
        s2s1.filters.rules,
        s2s1.filters.rules_answered,
        s2s1.filters.rules_asks,
        s2s1.filters.rules_code,
        s2s1.filters.rules_elided,
        s2s1.filters.rules_elided_words,
        s2s1.filters.rules_format,
        s2s1.filters.rules_identity,
        s2s1.filters.rules_leaks,
        s2s1.filters.rules_lexicon,
        s2s1.filters.rules_phrases,
        s2s1.filters.rules_refusal,
        s2s1.filters.rules_tail,
        s2s1.filters.rules_types,
        s2s1.filters.rules_verdict,
        s2s1.filters.checks,
        s2s1.filters.checks_code,
        s2s1.filters.checks_cut,
        s2s1.filters.checks_format,
        s2s1.filters.checks_sample,
        s2s1.filters.checks_text,
        s2s1.filters.code_phrases,
        s2s1.filters.phrases,
        s2s1.filters.text,
    ],
)
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
