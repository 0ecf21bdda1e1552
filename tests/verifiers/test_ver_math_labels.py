"""Issue 24, maths part, second round: golds that name what they give, and where the answer is.

Kinds: a gold equation whose left side only names a quantity (`|AB| = 1`, `BD:DC = 2:3`,
`\\frac{NO}{BO} = …`, `m\\angle ABC = …`) against its bare value, either way round; a gold of
several boxes with a few words between them (`\\boxed{1} cats and \\boxed{2} dogs`); boxes joined
by `\\(…\\)`; a "Final Answer: the final answer is …" after boxes that were steps. Each comes with
mismatched pairs that stay incorrect.
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
    ("gold", "answer", "expected"),
    [
        ("|PQ| = 4", "4", "correct"),
        ("PR:RS = 5:7", "5:7", "correct"),
        ("5:7", "PR:RS = 5:7", "correct"),
        ("K_{1}:K_{2} = 3:8", "3:8", "correct"),
        ("\\frac{PM}{MQ} = \\frac{2}{\\sqrt{5}}", "\\frac{2\\sqrt5}{5}", "correct"),
        ("m\\angle PQR = 40^\\circ", "40", "correct"),
        ("\\overline{PQ} = 9", "9", "correct"),
        ("|PQ| = 4", "5", "incorrect"),
        ("PR:RS = 5:7", "7:5", "incorrect"),
        ("u + v = 6", "6", "incorrect"),  # a sum is not a name: the equation is the answer
        ("u^2 = 9", "9", "incorrect"),
        ("3u = 9", "9", "incorrect"),
    ],
)
def test_a_gold_that_names_its_value(gold, answer, expected):
    assert _outcome(gold, f"\\boxed{{{answer}}}") == expected


@pytest.mark.parametrize(
    ("gold", "output", "expected"),
    [
        ("\\boxed{4} red and \\boxed{9} blue", "\\boxed{4, 9}", "correct"),
        ("\\(\\boxed{3}\\) and \\(\\boxed{-5}\\).", "\\boxed{-5, 3}", "correct"),
        ("\\boxed{4} red and \\boxed{9} blue", "\\boxed{9}", "incorrect"),  # partial
        ("\\boxed{4} red and \\boxed{9} blue", "\\boxed{4, 8}", "incorrect"),
        ("3, -5", "So \\(\\boxed{3}\\) and \\(\\boxed{-5}\\).", "correct"),
        ("3, -5", "So \\(\\boxed{3}\\) and \\(\\boxed{-4}\\).", "incorrect"),
    ],
)
def test_a_gold_or_answer_of_several_boxes(gold, output, expected):
    assert _outcome(gold, output) == expected


STEPS = "First $\\boxed{120}$ cents, so she has $\\$4.20 + \\$1.20 = \\$5.40$. "


@pytest.mark.parametrize(
    ("gold", "output", "expected"),
    [
        ("5.40", STEPS + "Final Answer: The final answer is $5.40$. I hope it is correct.", "correct"),
        ("120", STEPS + "Final Answer: The final answer is $5.40$. I hope it is correct.", "incorrect"),
        ("5.40", STEPS + "The final answer is 5.40.", "correct"),
        ("120", "The final answer is $\\boxed{120}$.", "correct"),  # the phrase before its box
        ("120", STEPS + "So the answer is 5.40 and we are done.", "correct"),  # only "final answer"
        ("7, 8", "So $\\boxed{7 $ and $8}$. Final Answer: The final answer is $7$ and $8$.", "correct"),
    ],
)
def test_a_final_answer_after_boxes_that_were_steps(gold, output, expected):
    assert _outcome(gold, output) == expected
