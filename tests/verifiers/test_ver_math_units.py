"""Issue 24, maths part: a number with a unit symbol, written bare, in `\\text{}` or `\\mathrm{}`.

The regression of 0.4.0: a gold `12\\,\\text{N}` became a number with a unit while an answer
`12.0 N` stayed the product `12.0·N`, so the two no longer met; and a bare SI symbol (`12 J`) was
always a variable. Now a spaced SI symbol is a unit (`s2s1.verifiers.math_number.SYMBOLS`), a
letter the other side declares a unit is one (`s2s1.verifiers.math_units`), and the unit is
dropped per `MathOptions.units` (default "ignore"). Each kind comes with mismatched pairs: a
letter nobody declares a unit stays a variable.
"""

from __future__ import annotations

import pytest

from s2s1.records import Problem, Trace
from s2s1.verifiers.math import MathVerifier
from s2s1.verifiers.math_number import to_number


def _outcome(gold: str, answer: str, **options: str) -> str:
    problem = Problem(id="p", source="t", question="?", answer=gold)
    trace = Trace(problem_id="p", index=0, teacher="t", prompt=[], response=f"So \\boxed{{{answer}}}.")
    return MathVerifier(**options).verify(problem, trace).outcome


@pytest.mark.parametrize(
    ("gold", "answer"),
    [
        ("12\\,\\text{N}", "12 N"),
        ("12\\,\\text{N}", "12.0 N"),  # 0.3.0 called it correct, 0.4.0 did not
        ("1.5\\,\\text{N}", "1.50 N"),
        ("12\\,\\mathrm{J}", "12 J"),
        ("12 \\text{ N}", "12.0N"),  # glued, but the gold declares N a unit
        ("12 N", "12\\,\\text{N}"),
        ("12 N", "12.0\\,\\mathrm{N}"),
        ("12", "12 J"),  # units="ignore": the unit goes on both sides
        ("12", "F = 12.0 N"),
        ("5\\,\\text{m}", "5.0 m"),  # a lower-case letter is a unit where the gold says so
        ("5\\,\\text{m}", "5.0m"),
        ("2N", "2 N"),  # N a variable in the gold: the same product
        ("\\frac{N}{2}", "\\frac{1}{2} N"),
    ],
)
def test_a_unit_symbol_in_any_spelling_is_the_same_number(gold, answer):
    assert _outcome(gold, answer) == "correct"


@pytest.mark.parametrize(
    ("gold", "answer"),
    [
        ("13\\,\\text{N}", "12 N"),
        ("13\\,\\text{N}", "12.0 N"),
        ("1.5\\,\\text{N}", "1.6 N"),
        ("13 N", "12\\,\\text{N}"),
        ("12", "12 x"),  # x is a variable: 12x is not 12
        ("12\\,\\text{N}", "12 x"),  # a letter the gold does not declare a unit
        ("2", "2x"),
        ("12", "12N"),  # an SI letter glued on is a variable too
        ("12", "12 x y"),  # letters that are all variables are a product (0.4.0 read `x y` as a unit)
        ("5", "5 m"),  # m is a variable unless the gold says it is a unit
        ("2N + 1", "2 N"),
        ("\\frac{N}{2}", "2 N"),
    ],
)
def test_a_different_number_or_a_variable_is_not(gold, answer):
    assert _outcome(gold, answer) == "incorrect"


def test_units_required_compares_the_symbols():
    assert _outcome("12\\,\\text{N}", "12.0 N", units="required") == "correct"
    assert _outcome("12\\,\\text{N}", "12 J", units="required") == "incorrect"
    assert _outcome("12\\,\\text{N}", "12", units="required") == "incorrect"


def test_only_a_spaced_si_symbol_reads_as_a_unit():
    assert to_number("12 N").unit == "n" and to_number("12 N m").unit == "n m"
    assert to_number("12N") is None and to_number("12 x") is None and to_number("12 x y") is None
    assert to_number("5 cm").unit == "cm"
