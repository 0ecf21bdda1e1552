"""Issue 24, maths part: kinds left open by 0.4.0 (math-verify's tests and the issue-18 test half).

Kinds: a mixed number written as a sum (`11 + 4/9`) as the whole text; solutions joined by a
word with no spaces (`(11,7)or(7,11)`); solutions written as assignments, several of them
(`p=5,q=2;p=7,q=2` against `(5,2),(7,2)`, each in the order written, as one already was). The
examples are constructed here, not corpus rows; each kind has near misses that stay incorrect.
"""

from __future__ import annotations

import pytest

from s2s1.records import Problem, Trace
from s2s1.verifiers.math import MathVerifier


def _outcome(gold: str, output: str) -> str:
    problem = Problem(id="p", source="t", question="?", answer=gold)
    trace = Trace(problem_id="p", index=0, teacher="t", prompt=[], response=output)
    return MathVerifier().verify(problem, trace).outcome


@pytest.mark.parametrize(
    ("gold", "output", "expected"),
    [
        ("\\frac{85}{7}", "12 + 1/7", "correct"),  # the whole text is the sum, not its last number
        ("85/7", "12\\frac{1}{7}", "correct"),
        ("\\frac{85}{7}", "\\boxed{12 + \\frac{1}{7}}", "correct"),
        ("\\frac{86}{7}", "12 + 1/7", "incorrect"),
        ("1/7", "12 + 1/7", "incorrect"),  # 0.4.0 took the last number, 1/7
        ("3", "5 2/9 3", "correct"),  # numbers side by side are not one value: the last one counts
        ("12", "2 y + 10", "incorrect"),  # a variable: not a value
    ],
)
def test_a_mixed_number_written_as_a_sum(gold, output, expected):
    assert _outcome(gold, output) == expected


@pytest.mark.parametrize(
    ("gold", "answer", "expected"),
    [
        ("(3,8),(8,3)", "(3,8)or(8,3)", "correct"),
        ("\\{(3,8),(8,3)\\}", "(8,3)and(3,8)", "correct"),
        ("(3,8),(8,3)", "[3,8]or[8,3]", "incorrect"),  # brackets still count
        ("(3,8),(8,3)", "(3,8)or(8,4)", "incorrect"),
        ("(3,8),(8,3)", "(3,8)or", "incorrect"),
    ],
)
def test_solutions_joined_by_a_word_without_spaces(gold, answer, expected):
    assert _outcome(gold, f"\\boxed{{{answer}}}") == expected


@pytest.mark.parametrize(
    ("gold", "answer", "expected"),
    [
        ("(3,5),(11,5)", "a=3,b=5;a=11,b=5", "correct"),
        ("(3,5),(11,5)", "a=11, b=5 \\text{ or } a=3, b=5", "correct"),
        ("(3,5)", "a=3,b=5", "correct"),
        ("(3,5),(11,5)", "a=3,b=5;a=5,b=11", "incorrect"),  # each solution in the order written
        ("(3,5),(11,5)", "a=3,b=5;b=5,a=11", "incorrect"),  # names in another order: not read
        ("(3,5)", "a=3,b=5;a=11,b=5", "incorrect"),  # a solution too many
        ("(3,5),(11,5)", "a=3,b=5", "incorrect"),  # a partial answer
        ("3, 5, 11, 5", "3, 5; 11, 5", "correct"),  # plain lists are not grouped
    ],
)
def test_several_solutions_written_as_assignments(gold, answer, expected):
    assert _outcome(gold, f"\\boxed{{{answer}}}") == expected
