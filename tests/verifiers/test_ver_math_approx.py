"""Issue 24, maths part, second round: decimals written for exact values, and the kinds of
expression misses left after 0.3.0 — each with constructed examples, and mismatched pairs
that must stay incorrect (no false positive comes with a rule).

Kinds: a decimal for an exact value whose decimal never ends (`MathOptions.approx`: four or more
significant digits, rounded or cut off at the last one; a decimal gold of three or more takes
the exact value), inside an expression too; `exact \\approx decimal` either way round; degrees
inside a trigonometric function; a vector gold against a bracket list; a variable that cancels
(`\\cos^2 x + \\sin^2 x`); powers that are equal for positive values (`(s/(s+q))^{0.5}`), a
letter glued to a command (`k\\sqrt{k}`); a trailing comma; a one-letter unit in `\\text{}`; a sum of letter
products written with spaces (`km + kn`); a system of equations in `cases`.
"""

from __future__ import annotations

import pytest

from s2s1.records import Problem, Trace
from s2s1.verifiers.math import MathVerifier
from s2s1.verifiers.math_compare import answers_match
from s2s1.verifiers.math_options import MathOptions


def _outcome(gold: str, output: str, **options: str) -> str:
    problem = Problem(id="p", source="t", question="?", answer=gold)
    trace = Trace(problem_id="p", index=0, teacher="t", prompt=[], response=output)
    return MathVerifier(**options).verify(problem, trace).outcome


@pytest.mark.parametrize(
    ("gold", "answer"),
    [
        ("\\frac{1}{3}", "0.3333"),  # four digits, rounded
        ("\\frac{2}{3}", "0.6666"),  # cut off
        ("\\frac{2}{3}", "0.6667"),
        ("\\sqrt{5}", "2.236"),
        ("50\\pi", "157.08"),
        ("40\\pi", "125.663"),  # cut off at the last digit (MARIO_EVAL's test)
        ("-\\sqrt{3}", "-1.7321"),
        ("e^2", "7.389"),
        ("\\frac{\\sqrt{2}}{2}", "0.7071"),
        ("\\sqrt{3} y", "1.732y"),  # inside an expression
        ("t - \\sqrt{2}", "t - 1.4142"),
        ("3 + \\sqrt{7} i", "3 + 2.6458i"),
        ("(\\sqrt{2}, \\pi)", "(1.4142, 3.1416)"),  # item by item
        ("\\begin{pmatrix} \\sqrt{5} \\\\ 1 \\end{pmatrix}", "\\begin{pmatrix} 2.2361 \\\\ 1 \\end{pmatrix}"),
        ("2.65", "\\sqrt{7}"),  # a rounded gold takes the exact value
        ("0.667", "\\frac{2}{3}"),
        ("4.47", "2\\sqrt{5}"),
    ],
)
def test_a_decimal_written_for_an_exact_value(gold, answer):
    assert _outcome(gold, f"\\boxed{{{answer}}}") == "correct"
    assert _outcome(gold, f"\\boxed{{{answer}}}", approx="exact") == "incorrect"


@pytest.mark.parametrize(
    ("gold", "answer"),
    [
        ("\\frac{1}{3}", "0.333"),  # three digits are not enough for an answer
        ("\\frac{1}{3}", "0.33"),
        ("\\frac{2}{3}", "0.6668"),  # neither rounded nor cut off
        ("\\sqrt{5}", "2.237"),
        ("\\sqrt{5}", "2.235"),
        ("\\pi", "3.14"),
        ("\\pi", "3.143"),
        ("-\\sqrt{3}", "1.7321"),  # sign
        ("\\frac{1}{2}", "0.4999"),  # a terminating value is never approximated
        ("\\frac{1}{2}", "0.5001"),
        ("5", "5.001"),
        ("2.2", "2.2001"),
        ("\\sqrt{3} y", "1.733y"),
        ("\\sqrt{3} y", "1.732x"),
        ("t - \\sqrt{2}", "t + 1.4142"),
        ("3 + \\sqrt{7} i", "3 + 2.65i"),
        ("2.6", "\\sqrt{7}"),  # a two-digit gold does not take the exact value
        ("2.64", "\\sqrt{7}"),  # nor one that is not its rounding
        ("0.333", "\\frac{1}{4}"),
        ("1.41", "\\sqrt{3}"),
        ("2x+1", "2x-1"),
    ],
)
def test_a_decimal_that_is_not_the_exact_value_stays_incorrect(gold, answer):
    assert _outcome(gold, f"\\boxed{{{answer}}}") == "incorrect"


@pytest.mark.parametrize(
    ("gold", "output", "expected"),
    [
        ("\\frac{\\sqrt{5}}{5}", "$\\frac{\\sqrt{5}}{5} \\approx 0.447$", "correct"),  # the exact side
        ("0.447", "$\\frac{\\sqrt{5}}{5} \\approx 0.447$", "correct"),  # the rounding, for a decimal gold
        (
            "\\frac{\\sqrt{5}}{5} \\approx 0.447",
            "\\boxed{\\frac{1}{\\sqrt5}}",
            "correct",
        ),  # a gold gives both
        ("\\frac{\\sqrt{5}}{5} \\approx 0.447", "\\boxed{0.447}", "correct"),
        ("\\frac{\\sqrt{5}}{5}", "$\\frac{\\sqrt{6}}{5} \\approx 0.447$", "incorrect"),  # a wrong exact side
        ("\\frac{\\sqrt{5}}{5} \\approx 0.447", "\\boxed{0.448}", "incorrect"),
        ("\\frac{\\sqrt{5}}{5} \\approx 0.447", "\\boxed{\\frac{\\sqrt{6}}{5}}", "incorrect"),
    ],
)
def test_an_exact_value_with_its_rounding(gold, output, expected):
    assert _outcome(gold, output) == expected


@pytest.mark.parametrize(
    ("gold", "answer", "expected"),
    [
        ("\\cos(30^\\circ + y)", "\\sin(60^{\\circ} - y)", "correct"),
        ("\\sin(90^\\circ - t)", "\\cos t", "correct"),
        ("\\tan 45^\\circ", "1", "correct"),
        ("\\frac{\\sqrt{3}}{2}", "\\cos 30^\\circ", "correct"),
        ("\\frac{1}{2}", "\\sin(30°)", "correct"),
        ("\\sin(90^\\circ - t)", "\\sin t", "incorrect"),
        ("\\frac{1}{2}", "\\cos 30^\\circ", "incorrect"),
        ("60^\\circ", "60", "correct"),  # degrees outside a function are still a unit
    ],
)
def test_degrees_inside_a_trigonometric_function(gold, answer, expected):
    assert _outcome(gold, f"\\boxed{{{answer}}}") == expected


@pytest.mark.parametrize(
    ("gold", "answer", "expected"),
    [
        ("\\begin{pmatrix} 3 \\\\ -1 \\end{pmatrix}", "[3, -1]", "correct"),
        ("\\begin{pmatrix} 3 \\\\ -1 \\\\ 0 \\end{pmatrix}", "[3, -1, 0]", "correct"),
        ("\\begin{bmatrix} 3 & -1 \\end{bmatrix}", "3, -1", "correct"),
        ("\\begin{pmatrix} 3 \\\\ -1 \\end{pmatrix}", "[-1, 3]", "incorrect"),  # in order
        ("\\begin{pmatrix} 3 \\\\ -1 \\end{pmatrix}", "[3, -1, 0]", "incorrect"),
        ("\\begin{pmatrix} 3 & 1 \\\\ -1 & 0 \\end{pmatrix}", "[3, 1, -1, 0]", "incorrect"),  # not a vector
    ],
)
def test_a_vector_gold_against_a_bracket_list(gold, answer, expected):
    assert _outcome(gold, f"\\boxed{{{answer}}}") == expected


@pytest.mark.parametrize(
    ("gold", "answer", "expected"),
    [
        ("2z", "\\sin^2 t + \\cos^2 t + 2z - 1", "correct"),  # a variable that cancels
        ("a + 1", "sec(b)**2 - tan(b)**2 + a", "correct"),
        ("a + 1", "sec(b)**2 - tan(b)**2 + a + b", "incorrect"),
        ("2z", "\\sin^2 t + \\cos^2 t + 2z", "incorrect"),
        ("p(q+r)", "pq + pr", "correct"),  # letter products as terms of a sum
        ("uv(u - v)", "u^2v - uv^2", "correct"),
        ("p(q+r)", "pq + qr", "incorrect"),
        ("k^{3/2}", "k\\sqrt{k}", "correct"),  # a letter glued to a command
        ("k^{3/2}", "k^2\\sqrt{k}", "incorrect"),
        (
            "\\frac{1}{\\sqrt{1 + q/s}}",
            "\\left(\\frac{s}{s+q}\\right)^{0.5}",
            "correct",
        ),  # for positive values
        ("\\frac{1}{\\sqrt{1 + q/s}}", "\\left(\\frac{q}{s+q}\\right)^{0.5}", "incorrect"),
        ("\\sqrt{u^2}", "u", "incorrect"),  # differs at a real point: compared there
    ],
)
def test_expressions_in_more_forms(gold, answer, expected):
    assert _outcome(gold, f"\\boxed{{{answer}}}") == expected


@pytest.mark.parametrize(
    ("gold", "output", "expected"),
    [
        ("\\frac{2}{5}", "The ratio is $\\frac{2}{5},$ as claimed.", "correct"),  # trailing comma
        ("7", "So $\\boxed{7;}$", "correct"),
        ("1, 2, \\ldots", "\\boxed{1, 2}", "incorrect"),  # an open end keeps its comma
        ("15", "The force is $F = 15\\,\\text{N}$.", "correct"),  # a one-letter unit in \text
        ("4", "Thus $\\Delta x = 4\\text{ m}$.", "correct"),
        ("3", "\\boxed{3\\,\\text{m}^2}", "correct"),
        ("15", "The force is $F = 16\\,\\text{N}$.", "incorrect"),
        ("2 \\text{ or } 3", "\\boxed{2 \\text{ or } 3}", "correct"),  # `or` in \text is no unit
    ],
)
def test_trailing_punctuation_and_text_units(gold, output, expected):
    assert _outcome(gold, output) == expected


def test_units_required_still_asks_for_the_unit():
    assert _outcome("15\\,\\text{N}", "\\boxed{15\\,\\text{N}}", units="required") == "correct"
    assert _outcome("15\\,\\text{N}", "\\boxed{15}", units="required") == "incorrect"


@pytest.mark.parametrize(
    ("gold", "answer", "expected"),
    [
        (
            "\\begin{cases} x+y=\\frac12 \\\\ x-y=\\sqrt2 \\end{cases}",
            "\\begin{cases} x-y=1.4142 \\\\ x+y=0.5 \\end{cases}",
            True,
        ),
        (
            "\\begin{cases} x+y=1 \\\\ x-y=3 \\end{cases}",
            "\\begin{cases} x+y=1 \\\\ x-y=-3 \\end{cases}",
            False,
        ),
        ("\\begin{cases} x+y=1 \\\\ x-y=3 \\end{cases}", "\\begin{cases} x+y=1 \\end{cases}", False),
    ],
)
def test_a_system_of_equations(gold, answer, expected):
    assert answers_match(pred=answer, gold=gold)[0] is expected


def test_the_option_is_checked_at_construction():
    with pytest.raises(ValueError, match="approx must be 'digits' or 'exact'"):
        MathOptions(approx="loose")
