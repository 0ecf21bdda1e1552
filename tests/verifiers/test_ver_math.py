"""The maths verifier: a regression table of (gold, model output, outcome) that grows with every bug.

Each row runs `MathVerifier.verify` directly (no worker processes); the pool is tested elsewhere.
"""

from __future__ import annotations

import pytest

from s2s1.records import Problem, Trace
from verifiers.math import MathVerifier, extract_answer, gold_answer
from verifiers.math_compare import answers_match, normalize, to_number, to_sympy

VERIFIER = MathVerifier()

TABLE = [
    # (gold, model output, expected outcome)
    ("4", "2 + 2 = 4, so the answer is $\\boxed{4}$.", "correct"),
    ("\\frac{1}{2}", "Half: \\boxed{0.5}", "correct"),
    ("0.5", "\\boxed{\\frac{1}{2}}", "correct"),
    ("\\frac{1}{2}", "\\boxed{\\dfrac12}", "correct"),
    ("1000", "She pays \\boxed{1,000} dollars.", "correct"),
    ("1,000", "\\boxed{1000}", "correct"),
    ("18", "Janet makes \\boxed{\\$18} every day.", "correct"),
    ("18", "\\boxed{18.00}", "correct"),
    ("10000", "\\boxed{10{,}000}", "correct"),
    ("\\text{Evelyn}", "The winner is \\boxed{Evelyn}.", "correct"),
    ("Evelyn", "\\boxed{\\text{Evelyn}}", "correct"),
    ("500", "\\boxed{5}", "incorrect"),
    ("5", "\\boxed{500}", "incorrect"),
    ("50", "\\boxed{50\\%}", "correct"),
    ("0.5", "\\boxed{50\\%}", "incorrect"),  # no x100 leniency
    ("-3", "\\boxed{-3}", "correct"),
    ("-3", "\\boxed{3}", "incorrect"),
    ("3", "so $x = 3$ and \\boxed{x=3}", "correct"),
    ("x=3", "\\boxed{3}", "correct"),
    ("y = 2x + 1", "\\boxed{y=2x+1}", "correct"),
    ("\\frac{\\sqrt{3}}{2}", "\\boxed{\\frac{\\sqrt3}{2}}", "correct"),
    ("\\frac{\\sqrt{2}}{2}", "\\boxed{\\frac{1}{\\sqrt{2}}}", "correct"),
    ("\\frac{\\sqrt{2}}{2}", "\\boxed{0.7071067811865476}", "correct"),
    ("\\sqrt{2}", "\\boxed{1.414}", "incorrect"),
    ("\\pi", "\\boxed{\\frac{355}{113}}", "incorrect"),
    ("2\\pi", "\\boxed{2 \\pi}", "correct"),
    ("(x+1)^2", "\\boxed{x^2 + 2x + 1}", "correct"),
    ("(x+1)^2", "\\boxed{x^2 + 2x + 2}", "incorrect"),
    ("\\left( 3, \\frac{\\pi}{2} \\right)", "\\boxed{\\left(3, \\frac{\\pi}{2}\\right)}", "correct"),
    ("90^\\circ", "\\boxed{90}", "correct"),
    ("4", "first \\boxed{3}, then on reflection \\boxed{4}", "correct"),
    ("4", "\\boxed{\\boxed{4}}", "correct"),
    ("4", "\\fbox{4}", "correct"),
    ("72", "48 + 24 = 72\n#### 72", "correct"),
    ("72", "The final answer is 72.", "correct"),
    ("72", "Final answer: $71$", "incorrect"),
    ("4", "I think it is 4.", "incorrect"),  # no final-answer form: not read
    ("4", "", "incorrect"),
    ("4", "\\boxed{4", "incorrect"),  # cut off inside the box
    ("Natalia sold 48 + 24 = 72 clips.\n#### 72", "\\boxed{72}", "correct"),  # raw GSM8K gold
    ("so the answer is $\\boxed{\\frac{14}{3}}$.", "\\boxed{14/3}", "correct"),  # MATH solution as gold
    (None, "\\boxed{4}", "unverifiable"),
    ("", "\\boxed{4}", "unverifiable"),
    ("$\\,$", "\\boxed{4}", "unverifiable"),
]


def _trace(response: str = "", reasoning: str = "") -> Trace:
    return Trace(problem_id="p", index=0, teacher="t", prompt=[], reasoning=reasoning, response=response)


@pytest.mark.parametrize(("gold", "output", "expected"), TABLE)
def test_regression_table(gold, output, expected):
    problem = Problem(id="p", source="t", question="?", answer=gold)
    verdict = VERIFIER.verify(problem, _trace(output))
    assert verdict.outcome == expected, verdict
    assert (verdict.verifier, verdict.version) == ("math", "0.1.0")
    assert verdict.score == (1.0 if expected == "correct" else 0.0)


def test_verdict_records_what_was_read_and_why():
    problem = Problem(id="p", source="t", question="?", answer="4")
    assert VERIFIER.verify(problem, _trace("no answer here")).detail == "no final answer found"
    assert VERIFIER.verify(problem, _trace("no answer here")).extracted is None
    wrong = VERIFIER.verify(problem, _trace("\\boxed{5}"))
    assert (wrong.extracted, wrong.detail) == ("5", "numeric mismatch")
    no_gold = Problem(id="p", source="t", question="?")
    assert VERIFIER.verify(no_gold, _trace("\\boxed{4}")).detail == "no gold answer"


def test_answer_is_read_from_the_response_not_the_reasoning():
    problem = Problem(id="p", source="t", question="?", answer="4")
    assert VERIFIER.verify(problem, _trace("\\boxed{4}", reasoning="maybe \\boxed{5}")).outcome == "correct"
    assert VERIFIER.verify(problem, _trace("\\boxed{5}", reasoning="maybe \\boxed{4}")).outcome == "incorrect"


def test_empty_response_falls_back_to_the_completion():
    problem = Problem(id="p", source="t", question="?", answer="4")
    assert VERIFIER.verify(problem, _trace("", reasoning="so \\boxed{4}")).outcome == "correct"


def test_extraction_and_gold_helpers():
    assert extract_answer("\\boxed{\\frac{a}{\\sqrt{b}}} and more") == "\\frac{a}{\\sqrt{b}}"
    assert extract_answer("\\boxed 5 apples") == "5"
    assert extract_answer("#### 1,234\n") == "1,234"
    assert extract_answer("nothing") is None
    assert gold_answer("work\n#### 8") == "8"


def test_comparison_helpers():
    assert answers_match("1/2", "0.5") == (True, "numeric")
    assert answers_match("x + x", "2x") == (True, "symbolic")
    assert answers_match("Evelyn", "\\text{evelyn}") == (True, "text")
    assert to_number("\\$1,234.50") == to_number("1234.5")
    assert to_number("1,23") is None  # not a thousands separator
    assert normalize("\\left(1, 2\\right).") == "(1, 2)"


def test_model_text_is_never_evaluated_as_python():
    assert to_sympy("__import__('os').getcwd()") is None
    assert to_sympy("x.__class__") is None
    assert answers_match("__import__('os')", "1") == (False, "text")
