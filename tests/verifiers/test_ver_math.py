"""The maths verifier's parts: extraction, comparison, the verdict's record, and properties.

The table of (gold, output, outcome) rows is `test_ver_math_table.py`; here are the rules that a
table row does not show well, and property tests over generated answers and the shipped data.
"""

from __future__ import annotations

import json
from fractions import Fraction
from importlib.resources import files

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s2s1.records import Problem, Trace
from s2s1.verifiers.math import MathVerifier, extract_answer, gold_answer
from s2s1.verifiers.math_compare import answers_match
from s2s1.verifiers.math_number import to_number
from s2s1.verifiers.math_parse import Seq, parse_answer, parse_gold

VERIFIER = MathVerifier()


def _check(gold: str | None, response: str = "", reasoning: str = "", verifier=VERIFIER):
    problem = Problem(id="p", source="t", question="?", answer=gold)
    trace = Trace(problem_id="p", index=0, teacher="t", prompt=[], reasoning=reasoning, response=response)
    return verifier.verify(problem, trace)


def test_verdict_records_what_was_read_how_and_why():
    assert _check("4", "no answer here").detail == "no final answer found"
    assert _check("4", "no answer here").extracted is None
    wrong = _check("4", "\\boxed{5}")
    assert (wrong.outcome, wrong.extracted, wrong.detail) == ("incorrect", "5", "numeric mismatch (boxed)")
    assert _check("72", "#### 72").detail == "text match (####)"
    assert _check(None, "\\boxed{4}").detail == "no gold answer"
    assert _check("$\\,$", "\\boxed{4}").detail.startswith("cannot read the gold answer")


def test_answer_is_read_from_the_response_not_the_reasoning():
    assert _check("4", "\\boxed{4}", reasoning="maybe \\boxed{5}").outcome == "correct"
    assert _check("4", "\\boxed{5}", reasoning="maybe \\boxed{4}").outcome == "incorrect"
    assert _check("4", "", reasoning="so \\boxed{4}").outcome == "correct"  # empty response: whole text


def test_last_number_fallback_is_on_for_number_golds_only_unless_forced():
    assert _check("42", "so 42 apples").detail == "text match (last number)"
    assert _check("\\frac{1}{2}", "so 1/2").detail == "numeric match (last number)"  # a number in LaTeX too
    assert _check("\\sqrt{2}", "so 1.41 or sqrt 2").detail == "no final answer found"  # not a number
    forced_off = MathVerifier(last_number=False)
    assert _check("42", "so 42 apples", verifier=forced_off).outcome == "incorrect"
    forced_on = MathVerifier(last_number=True)
    assert _check("\\sqrt{2}", "so it is 1.5", verifier=forced_on).detail == "symbolic mismatch (last number)"


def test_extraction():
    assert extract_answer("\\boxed{\\frac{a}{\\sqrt{b}}} and more") == ("\\frac{a}{\\sqrt{b}}", "boxed")
    assert extract_answer("\\boxed 5 apples") == ("5", "boxed")
    assert extract_answer("draft \\boxed{1}. Then x. Finally \\boxed{2}") == ("2", "boxed")
    assert extract_answer("\\boxed{1331} and \\boxed{1728}") == ("1331, 1728", "boxed")
    assert extract_answer("#### 1,234\n") == ("1,234", "####")
    assert extract_answer("The answer is: **C**") == ("C", "phrase")
    assert extract_answer("最终答案是 $\\frac{1}{2}$") == ("\\frac{1}{2}", "phrase")
    assert extract_answer("<think>\\boxed{1}</think>The final answer is 2.") == ("2", "phrase")
    assert extract_answer("nothing") is None
    assert extract_answer("a cut-off \\boxed{12", last_number=True) is None
    assert gold_answer("work\n#### 8") == "8"


def test_parsed_types_and_the_gold_cache():
    assert parse_answer("(1, 2)") == Seq("tuple", (to_number("1"), to_number("2")), "()")
    assert parse_answer("[1, 2)").kind == "interval"
    assert parse_answer("\\{1, 2\\}").kind == "set"
    assert parse_gold("3\\sqrt{2}") is parse_gold("3\\sqrt{2}")  # parsed once, then cached
    assert to_number("\\$1,234.50").value == Fraction(2469, 2)
    assert to_number("1,23").value == Fraction(123, 100)  # a decimal comma, not thousands
    assert to_number("1,234").value == 1234 and to_number("1,2") is None  # `1,2` is a list
    assert to_number("5x") is None  # a variable is not a unit


def test_model_text_is_never_evaluated_as_python():
    assert parse_answer("__import__('os').getcwd()").__class__.__name__ == "Text"
    assert answers_match(pred="__import__('os')", gold="1") == (False, "numeric")
    assert parse_answer("\uff3f\uff3fimport\uff3f\uff3f('os')").__class__.__name__ == "Text"  # fullwidth _


def test_argument_order_cannot_be_swapped_silently():
    with pytest.raises(TypeError):
        answers_match("3", "x = 3")  # type: ignore[misc]
    assert answers_match(pred="3", gold="x = 3")[0] and answers_match(pred="x = 3", gold="3")[0]


_numbers = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.integers(-(10**6), 10**6).map(lambda n: f"{n:,}"),
    st.decimals(-1000, 1000, places=3, allow_nan=False).map(str),
    st.tuples(st.integers(-99, 99), st.integers(1, 99)).map(lambda t: f"\\frac{{{t[0]}}}{{{t[1]}}}"),
)


@settings(max_examples=150, deadline=None)
@given(_numbers)
def test_a_gold_always_verifies_against_itself(gold):
    assert answers_match(pred=gold, gold=gold)[0]
    assert _check(gold, f"\\boxed{{{gold}}}").outcome == "correct"


@settings(max_examples=150, deadline=None)
@given(_numbers, _numbers)
def test_numbers_compare_the_same_either_way_and_only_when_equal(a, b):
    same = answers_match(pred=a, gold=b)[0]
    assert same == answers_match(pred=b, gold=a)[0]
    assert same == (to_number(a).value == to_number(b).value)


@pytest.mark.parametrize("name", ["math500.jsonl", "gsm8k.jsonl"])
def test_every_shipped_gold_verifies_against_itself(name):
    rows = [json.loads(line) for line in files("s2s1").joinpath("data", name).read_text().splitlines()]
    for row in rows:
        assert answers_match(pred=row["answer"], gold=row["answer"])[0], row["answer"]
        assert _check(row["answer"], f"so \\boxed{{{row['answer']}}}").outcome == "correct", row["answer"]


_ATOMS = [
    "x",
    "1",
    "2",
    "-",
    "+",
    "=",
    "<",
    "\\leq",
    "(",
    ")",
    "[",
    "]",
    "\\{",
    "\\}",
    "{",
    "}",
    ",",
    "\\frac",
]
_ATOMS += [
    "\\sqrt",
    "^",
    "_",
    "\\pi",
    "i",
    "!",
    "\\%",
    "$",
    "\\boxed{",
    "\\text{",
    " and ",
    "\\pm",
    "\\infty",
]
_ATOMS += [
    "\\cup",
    "\\begin{pmatrix}",
    "\\end{pmatrix}",
    "&",
    "\\\\",
    ".",
    "1,000",
    "/",
    "|",
    "\\sin",
    "\\approx",
]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(_ATOMS), max_size=30).map("".join), st.sampled_from(["4", "x = 3", "(1,2)", "C"])
)
def test_garbled_latex_never_raises(text, gold):
    assert isinstance(answers_match(pred=text, gold=gold)[0], bool)
    assert isinstance(answers_match(pred=gold, gold=text)[0], bool)
    extract_answer(text)
