"""The maths verifier's regression table: (category, gold, model output, expected outcome).

Rows come from real model outputs and from known holes of other graders (math-verify's issue
tracker: `1/2004!` vs `1/2006!`, partial answers to "1331 and 1728", `\\text{13}` vs `13`). Add a
row with every bug. `benchmarks/math_verify/run.py` runs this same table against math-verify.
Each row runs `MathVerifier.verify` directly (no worker processes).
"""

from __future__ import annotations

import pytest

from s2s1.records import Problem, Trace
from s2s1.verifiers.math import MathVerifier

B = "\\boxed{%s}"
M = "\\begin{pmatrix} %s \\end{pmatrix}"
TABLE: list[tuple[str, str | None, str, str]] = [
    # integers and decimals
    ("integer", "4", "2 + 2 = 4, so the answer is $\\boxed{4}$.", "correct"),
    ("integer", "1000", "She pays \\boxed{1,000} dollars.", "correct"),
    ("integer", "1,000", B % "1000", "correct"),
    ("integer", "10000", B % "10{,}000", "correct"),
    ("integer", "1000000", B % "1\\,000\\,000", "correct"),
    ("integer", "1000", B % "1 000", "correct"),
    ("integer", "18", B % "18.00", "correct"),
    ("integer", "-3", B % "-3", "correct"),
    ("integer", "-3", B % "3", "incorrect"),
    ("integer", "500", B % "5", "incorrect"),
    ("integer", "5", B % "500", "incorrect"),
    ("integer", "12", B % "13", "incorrect"),
    ("integer", "1500", B % "1.5 \\times 10^{3}", "correct"),
    ("integer", "1500", B % "1.5e3", "correct"),
    ("integer", "1024", B % "2^{10}", "correct"),
    ("integer", "1024", B % "2^{11}", "incorrect"),
    ("decimal", "0.5", B % "\\frac{1}{2}", "correct"),
    ("decimal", "3.14", B % "3.1", "incorrect"),
    ("decimal", "2.24", B % "2.2361", "correct"),  # a gold rounded to 3 figures takes more digits
    ("decimal", "0.25", B % "0.254", "incorrect"),
    ("decimal", "1.5", B % "\\frac32", "correct"),
    ("decimal", "0.0001", B % "0.0002", "incorrect"),
    ("decimal", "123456789", B % "123456788", "incorrect"),
    ("decimal", "3.45", B % "3,45", "correct"),  # a decimal comma
    ("decimal", "0.125", B % "0,125", "correct"),
    ("decimal", "1234", B % "1,234", "correct"),  # three digits: thousands
    ("decimal", "0.4", B % ".4", "correct"),
    ("decimal", "2500000.5", B % "2500000", "incorrect"),
    ("decimal", "0.6666667", B % "\\frac{2}{3}", "correct"),
    # fractions and mixed numbers
    ("fraction", "\\frac{1}{2}", "Half: \\boxed{0.5}", "correct"),
    ("fraction", "\\frac{1}{2}", B % "\\dfrac12", "correct"),
    ("fraction", "\\frac{14}{3}", B % "14/3", "correct"),
    ("fraction", "\\frac{14}{3}", B % "4\\frac{2}{3}", "correct"),
    ("fraction", "\\frac{5}{2}", B % "2 1/2", "correct"),
    ("fraction", "\\frac{3}{56}", B % "\\frac{3}{65}", "incorrect"),
    ("fraction", "\\frac{1}{3}", B % "0.33", "incorrect"),
    ("fraction", "\\frac{1}{2004!}", B % "\\frac{1}{2006!}", "incorrect"),
    ("fraction", "\\frac{1}{2004!}", B % "\\frac{1}{2004!}", "correct"),
    ("fraction", "-\\frac{3}{4}", B % "\\frac{-3}{4}", "correct"),
    ("fraction", "4", "The answer is 40/9.", "incorrect"),  # 40/9 was read as the mixed number 4 0/9
    ("fraction", "5", B % "10/2", "correct"),
    ("fraction", "10/9", "So it is $\\frac{10}{9}$.", "correct"),  # the span, not the 9 inside it
    ("fraction", "3", B % "3R^2", "incorrect"),  # R^2 is no unit
    # percentages, currency, units, degrees
    ("percent", "50", B % "50\\%", "correct"),
    ("percent", "0.5", B % "50\\%", "correct"),  # 50% is 0.5
    ("percent", "50\\%", B % "50", "correct"),
    ("percent", "5", B % "500\\%", "correct"),
    ("percent", "20\\%", B % "25\\%", "incorrect"),
    ("percent", "35\\%", B % "35 percent", "correct"),
    ("percent", "35\\%", B % "35 pct", "correct"),
    ("percent", "0.35", B % "35", "incorrect"),
    ("units", "18", "Janet makes \\boxed{\\$18} every day.", "correct"),
    ("units", "\\$18.50", B % "18.5", "correct"),
    ("units", "12", B % "12 \\text{ cm}", "correct"),
    ("units", "12", B % "12\\text{ cm}^2", "correct"),
    ("units", "60", B % "60 \\text{ km/h}", "correct"),
    ("units", "12", B % "13 \\text{ cm}", "incorrect"),
    ("units", "5", B % "5x", "incorrect"),
    ("degrees", "90^\\circ", B % "90", "correct"),
    ("degrees", "145^\\circ", B % "145°", "correct"),
    ("degrees", "30", B % "30^{\\circ}", "correct"),
    ("degrees", "30^\\circ", B % "60^\\circ", "incorrect"),
    # text and multiple choice
    ("text", "\\text{Evelyn}", "The winner is \\boxed{Evelyn}.", "correct"),
    ("text", "Evelyn", B % "\\text{Evelyn}", "correct"),
    ("text", "\\text{east}", B % "East", "correct"),
    ("text", "\\text{east}", B % "west", "incorrect"),
    ("text", "13", B % "\\text{13}", "correct"),
    ("text", "\\text{13}", B % "13", "correct"),
    ("text", "52_8", B % "52_{8}", "correct"),
    ("text", "52_8", B % "52", "correct"),
    ("text", "52_8", B % "42", "incorrect"),
    ("choice", "C", B % "C", "correct"),
    ("choice", "C", B % "(C)", "correct"),
    ("choice", "\\text{(C)}", B % "C", "correct"),
    ("choice", "(B)", "The answer is (B).", "correct"),
    ("choice", "B", B % "\\text{B}", "correct"),
    ("choice", "B", B % "C", "incorrect"),
    ("choice", "A", B % "(D)", "incorrect"),
    ("choice", "D", B % "(D) 12", "correct"),
    ("choice", "D", "The answer is (C) 12.", "incorrect"),
    # symbolic expressions
    ("expression", "\\frac{\\sqrt{3}}{2}", B % "\\frac{\\sqrt3}{2}", "correct"),
    ("expression", "\\frac{\\sqrt{2}}{2}", B % "\\frac{1}{\\sqrt{2}}", "correct"),
    ("expression", "\\frac{\\sqrt{2}}{2}", B % "0.7071067811865476", "correct"),
    ("expression", "\\sqrt{2}", B % "1.414", "correct"),  # 4 digits, rounded: MathOptions.approx
    ("expression", "\\sqrt{2}", B % "1.41", "incorrect"),  # 3 digits are not enough
    ("expression", "\\pi", B % "\\frac{355}{113}", "incorrect"),
    ("expression", "2\\pi", B % "2 \\pi", "correct"),
    ("expression", "2\\pi", B % "\\pi \\cdot 2", "correct"),
    ("expression", "(x+1)^2", B % "x^2 + 2x + 1", "correct"),
    ("expression", "(x+1)^2", B % "x^2 + 2x + 2", "incorrect"),
    ("expression", "3\\sqrt{13}", B % "\\sqrt{117}", "correct"),
    ("expression", "6 - 5i", B % "6-5i", "correct"),
    ("expression", "6 - 5i", B % "6+5i", "incorrect"),
    ("expression", "2k+2", B % "2(k+1)", "correct"),
    ("expression", "2k+2", B % "2n+2", "incorrect"),
    ("expression", "p - q", B % "-q + p", "correct"),
    ("expression", "\\binom{5}{2}", B % "10", "correct"),
    ("expression", "11\\sqrt2", B % "11\\sqrt{2}", "correct"),
    ("expression", "10^{10^{10}}", B % "10^{10^{10}}", "correct"),
    ("expression", "10^{10^{10}}", B % "10^{10^{11}}", "incorrect"),
    ("expression", "\\cos^2 \\theta", B % "1 - \\sin^2 \\theta", "correct"),
    ("expression", "\\csc^2(t)", B % "1 + \\cot^2(t)", "correct"),
    ("expression", "\\log_3 81", B % "4", "correct"),
    ("expression", "2 \\cos u \\sin v", B % "\\sin(u+v) - \\sin(u-v)", "correct"),
    ("expression", "2 \\cos u \\sin v", B % "\\sin(u+v) + \\sin(u-v)", "incorrect"),
    ("expression", "\\frac{2}{9}", B % "\\cfrac{2}{9}", "correct"),
    # equations and inequalities
    ("equation", "3", "so $x = 3$ and \\boxed{x=3}", "correct"),
    ("equation", "x=3", B % "3", "correct"),
    ("equation", "x=5", B % "6", "incorrect"),
    ("equation", "y = 2x + 1", B % "y=2x+1", "correct"),
    ("equation", "y = 2x + 1", B % "2x - y + 1 = 0", "correct"),
    ("equation", "y = 2x + 1", B % "y = 2x - 1", "incorrect"),
    ("equation", "x = 3", B % "y = 3", "incorrect"),
    ("equation", "t = 9", B % "t = 4 + 5 = 9", "correct"),  # a chain: the last value counts
    ("equation", "t = 9", B % "t = 4 + 5 = 10", "incorrect"),
    ("equation", "\\frac{2}{7}", B % "p = \\frac{2}{7} \\approx 0.29", "correct"),
    ("equation", "8", B % "n \\approx 8", "correct"),
    ("equation", "3x - 6y = 9", B % "x - 2y = 3", "correct"),
    ("equation", "3x - 6y = 9", B % "x - 2y = 9", "incorrect"),
    ("equation", "5 = 2a + b", B % "2a + b", "incorrect"),  # not an assignment
    ("equation", "g(t) = 3t", B % "3t", "correct"),
    ("inequality", "x \\le 3", B % "x \\leq 3", "correct"),
    ("inequality", "x \\le 3", B % "3 \\geq x", "correct"),
    ("inequality", "x \\le 3", B % "(-\\infty, 3]", "correct"),
    ("inequality", "x \\le 3", B % "x < 3", "incorrect"),
    ("inequality", "-2 < x < 3", B % "(-2, 3)", "correct"),
    ("inequality", "x > 1", B % "x < 1", "incorrect"),
    ("inequality", "y < 4", B % "y \\lt 4", "correct"),
    ("inequality", "y < 4", B % "-y > -4", "correct"),
    ("inequality", "y < 4", B % "y > -4", "incorrect"),
    ("inequality", "y \\neq 2", B % "y != 2", "correct"),
    # tuples, lists, sets, intervals, matrices
    ("tuple", "\\left( 3, \\frac{\\pi}{2} \\right)", B % "\\left(3, \\frac{\\pi}{2}\\right)", "correct"),
    ("tuple", "(6,31,-1)", B % "(6, 31, -1)", "correct"),
    ("tuple", "(6,31,-1)", B % "(31, 6, -1)", "incorrect"),
    ("tuple", "(-2,1)", B % "(-2, 1.0)", "correct"),
    ("tuple", "(1,2)", B % "(1,2,3)", "incorrect"),
    ("list", "1,-2", B % "-2, 1", "correct"),
    ("list", "3, 5, 7", B % "7, 5, 3", "correct"),
    ("list", "3, 5, 7", B % "3, 5", "incorrect"),
    ("list", "1331 \\text{ and } 1728", B % "1331", "incorrect"),
    ("list", "1331, 1728", "\\boxed{1331} and \\boxed{1728}", "correct"),
    ("list", "1331, 1728", B % "1331, 1728, 2197", "incorrect"),
    ("list", "1 \\pm \\sqrt{19}", B % "1 + \\sqrt{19}, 1 - \\sqrt{19}", "correct"),
    ("list", "1 \\pm \\sqrt{19}", B % "1 + \\sqrt{19}", "incorrect"),
    ("set", "\\{1, 2, 3\\}", B % "\\{3, 2, 1\\}", "correct"),
    ("set", "\\{1, 2, 3\\}", B % "\\{1, 2\\}", "incorrect"),
    ("set", "\\{-3, 2 \\pm \\sqrt{3}\\}", B % "\\{2+\\sqrt3, -3, 2-\\sqrt3\\}", "correct"),
    ("set", "\\{-3, 2 \\pm \\sqrt{3}\\}", B % "\\{2+\\sqrt3, -3\\}", "incorrect"),
    ("interval", "(3,4]", B % "(3, 4]", "correct"),
    ("interval", "(3,4]", B % "(3, 4)", "incorrect"),
    ("interval", "[2, 5)", B % "[2, 5]", "incorrect"),
    ("interval", "(-\\infty, 0) \\cup (1, \\infty)", B % "(1,\\infty)\\cup(-\\infty,0)", "correct"),
    ("interval", "(-\\infty, 0) \\cup (1, \\infty)", B % "(-\\infty, 0)", "incorrect"),
    ("matrix", M % "1 & 2 \\\\ 3 & 4", B % "\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}", "correct"),
    ("matrix", M % "1 & 2 \\\\ 3 & 4", B % "\\begin{pmatrix}1&2\\\\4&3\\end{pmatrix}", "incorrect"),
    ("matrix", M % "1 \\\\ -2", B % "(1, -2)", "correct"),
    ("matrix", M % "\\frac12 \\\\ 0", B % (M % "0.5 \\\\ 0"), "correct"),
    (
        "matrix",
        M % "2 & 0 \\\\ 0 & 2",
        B % "\\left[\\begin{array}{cc} 2 & 0 \\\\ 0 & 2 \\end{array}\\right]",
        "correct",
    ),
    # extraction
    ("extraction", "4", "first \\boxed{3}, then on reflection \\boxed{4}", "correct"),
    ("extraction", "4", "\\boxed{\\boxed{4}}", "correct"),
    ("extraction", "4", "\\fbox{4}", "correct"),
    ("extraction", "\\frac{a}{\\sqrt{b}}", "\\boxed{\\frac{a}{\\sqrt{b}}} and more", "correct"),
    ("extraction", "72", "48 + 24 = 72\n#### 72", "correct"),
    ("extraction", "72", "The final answer is 72.", "correct"),
    ("extraction", "72", "Final answer: $71$", "incorrect"),
    ("extraction", "\\frac{1}{2}", "The final answer is $\\frac{1}{2}$. I hope it is correct.", "correct"),
    ("extraction", "7", "<think>maybe \\boxed{5}</think> So the answer is \\boxed{7}.", "correct"),
    ("extraction", "5", "<think>maybe \\boxed{5}</think> So the answer is \\boxed{7}.", "incorrect"),
    ("extraction", "4", "", "incorrect"),
    ("extraction", "4", "\\boxed{4", "incorrect"),
    ("extraction", "42", "所以答案是 42。", "correct"),
    ("extraction", "42", "Donc, la réponse finale est $42$.", "correct"),
    ("extraction", "42", "Die Antwort ist 42.", "correct"),
    ("extraction", "42", "Ответ: 42", "correct"),
    ("extraction", "42", "She has 40 + 2 = 42 apples left.", "correct"),  # last number: integer gold
    ("extraction", "\\frac{1}{2}", "so it is 1/2", "correct"),  # a number gold takes the last number
    ("extraction", "\\frac{1}{2}", "so it is 1/3", "incorrect"),
    ("extraction", "\\frac{1}{2}", "Hence the ratio is $\\frac{1}{2}$ here.", "correct"),  # last maths span
    ("extraction", "\\frac{1}{2}", "first $\\frac{1}{2}$, finally $\\frac{1}{3}$.", "incorrect"),
    ("extraction", "x \\geq 2", "The solution set is \\[ x \\ge 2 \\]", "correct"),
    ("extraction", "6", "Answer $ 6 $", "correct"),
    ("extraction", "6", "Code QX6B is not a number", "incorrect"),  # digits inside a word
    ("extraction", "1250.5", "the total is 1,250.50€ in all", "correct"),
    ("extraction", "9", "The answer is 9, since 3 squared is 9.", "correct"),
    ("extraction", "64", "Final answer: the area of $PQRS$ is 64. Done.", "correct"),
    ("extraction", "64", "Final answer: the area of $PQRS$ is 46. Done.", "incorrect"),
    ("extraction", "5", "Final answer: the train arrives 5 minutes late.", "correct"),
    ("extraction", "5", "Final answer: the train arrives 6 minutes late.", "incorrect"),
    ("extraction", "3, -3", "Thus $x = \\boxed{3}$ or $x = \\boxed{-3}$.", "correct"),
    (
        "extraction",
        "The area is 12, so the final answer is $12$. Good luck with the rest!",
        B % "12",
        "correct",
    ),
    ("extraction", "Natalia sold 48 + 24 = 72 clips.\n#### 72", "\\boxed{72}", "correct"),
    ("extraction", "so the answer is $\\boxed{\\frac{14}{3}}$.", "\\boxed{14/3}", "correct"),
    # adversarial input: answered quickly, never a hang
    ("adversarial", "4", B % "10^{10^{10}}", "incorrect"),
    ("adversarial", "4", B % "100000!", "incorrect"),
    ("adversarial", "4", B % ("{" * 40 + "4" + "}" * 40), "correct"),
    ("adversarial", "4", B % ("{" * 3000 + "4" + "}" * 3000), "incorrect"),  # too deep: text only
    ("adversarial", "4", B % ("1+" * 5000 + "1"), "incorrect"),
    ("adversarial", "x", B % "__import__('os').getcwd()", "incorrect"),
    # golds that cannot be checked
    ("unverifiable", None, B % "4", "unverifiable"),
    ("unverifiable", "", B % "4", "unverifiable"),
    ("unverifiable", "$\\,$", B % "4", "unverifiable"),
]


@pytest.mark.parametrize(("category", "gold", "output", "expected"), TABLE)
def test_regression_table(category, gold, output, expected):
    problem = Problem(id="p", source="t", question="?", answer=gold)
    trace = Trace(problem_id="p", index=0, teacher="t", prompt=[], response=output)
    verdict = MathVerifier().verify(problem, trace)
    assert verdict.outcome == expected, (category, verdict)
    assert verdict.score == (1.0 if expected == "correct" else 0.0)
