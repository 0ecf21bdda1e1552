"""Issue 24's maths leftovers, each with near misses that must stay incorrect.

Two different boxes split by a sentence end (`\\boxed{4}. \\boxed{3}`): the last counts, as
hendrycks/math, Qwen2.5-Math and DeepSeek-Math's harnesses read it, so a gold that matches only
the first box is incorrect; `boxes="all"` reads them as one list instead (math-verify reads every
box into one set). A bare last sentence without `$` or a box ("The derivative is 2x.") gives its
value, for golds that are not plain numbers. A gold with two boxes holding the same answer is
that answer once, and a box inside a box is one box. The math modules type-check with mypy. The
examples are constructed here, not rows of `benchmarks/math_verify/`. The hot path's shortcuts
(plain integers compared and plain numbers found readable without parsing, sympy's namespace
built once, not on every `parse_expr`) give the same verdicts as the slow path.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from s2s1.records import Problem, Trace
from s2s1.verifiers import math_compare, math_fallback, math_parse, math_sympy
from s2s1.verifiers.math import MathVerifier, extract_answer, gold_answer
from s2s1.verifiers.math_options import MathOptions


def _outcome(gold: str, output: str, **options: str) -> str:
    problem = Problem(id="p", source="t", question="?", answer=gold)
    trace = Trace(problem_id="p", index=0, teacher="t", prompt=[], response=output)
    return MathVerifier(**options).verify(problem, trace).outcome


@pytest.mark.parametrize(
    ("gold", "output", "expected"),
    [
        ("7", "\\boxed{6}. \\boxed{7}", "correct"),  # the last box is the answer
        ("6", "\\boxed{6}. \\boxed{7}", "incorrect"),  # the first one is not accepted
        ("6, 7", "\\boxed{6}. \\boxed{7}", "incorrect"),
        ("\\frac{1}{3}", "So $\\boxed{\\frac{1}{2}}$.\n\n$\\boxed{\\frac{1}{3}}$", "correct"),
        ("\\frac{1}{2}", "So $\\boxed{\\frac{1}{2}}$.\n\n$\\boxed{\\frac{1}{3}}$", "incorrect"),
        ("9", "\\boxed{9}. \\boxed{9}", "correct"),  # one answer said twice
        ("6, 7", "\\boxed{6}, \\boxed{7}", "correct"),  # a comma joins a list, as before
        ("7", "\\boxed{6}, \\boxed{7}", "incorrect"),
        ("7", "The roots are \\boxed{6} and \\boxed{7}.", "incorrect"),
        ("(6, 7)", "a = \\boxed{6}. b = \\boxed{7}", "correct"),  # labelled: two answers
        ("7", "a = \\boxed{6}. b = \\boxed{7}", "incorrect"),
    ],
)
def test_two_boxes_after_a_sentence_end(gold: str, output: str, expected: str) -> None:
    assert _outcome(gold, output) == expected


def test_two_boxes_option_all_reads_a_list() -> None:
    text = "\\boxed{6}. \\boxed{7}"
    assert [_outcome(g, text, boxes="all") for g in ("6, 7", "7", "6")] == [
        "correct",
        "incorrect",
        "incorrect",
    ]
    assert extract_answer(text, boxes="all") == ("6, 7", "boxed")
    assert extract_answer(text) == ("7", "boxed")
    with pytest.raises(ValueError, match="boxes must be"):
        MathOptions(boxes="first")


@pytest.mark.parametrize(
    ("gold", "output", "expected"),
    [
        ("2x", "We differentiate term by term. The derivative is 2x.", "correct"),
        ("2x", "Let $f(x) = x^2$. So f'(x) = 2x.", "correct"),
        ("x^2 + 1", "Expanding, the result is x^2 + 1", "correct"),
        ("3\\sin x", "Differentiating, the slope equals 3 cos x.", "incorrect"),
        ("3\\cos x", "Differentiating, the slope equals 3 cos x.", "correct"),
        ("2x", "The derivative is 2x for every real x.", "correct"),
        ("2x", "The derivative is 2x + 1.", "incorrect"),
        ("2x", "Let $f(x) = x^2 + 1$. The derivative is 2 at x = 1.", "incorrect"),
        ("2x", "The derivative is a line through the origin.", "incorrect"),
        ("2x", "We find $2x$. Checking again, the derivative is 2x + 2.", "incorrect"),
        ("2x", "So the derivative is $2x$. Its degree is 1.", "correct"),  # a bare number after a span
    ],
)
def test_bare_final_sentence(gold: str, output: str, expected: str) -> None:
    assert _outcome(gold, output) == expected


def test_bare_final_sentence_extraction() -> None:
    assert extract_answer("Then the integral is x^3/3 + C.") == ("x^3/3 + C", "last sentence")
    assert extract_answer("The derivative is a constant.") is None


@pytest.mark.parametrize(
    ("gold", "reduced"),
    [
        ("$\\boxed{5}$ \\boxed{5}", "5"),
        ("so $\\boxed{\\frac{2}{3}}$. Hence $\\boxed{\\frac{2}{3}}$.", "\\frac{2}{3}"),
        ("\\boxed{\\boxed{8}}", "8"),
        ("\\boxed{\\boxed{8}} and \\boxed{9}", "8, 9"),
        ("$\\boxed{5}\\boxed{6}$", "5, 6"),  # different answers: all of them, as before
    ],
)
def test_gold_with_two_boxes(gold: str, reduced: str) -> None:
    assert gold_answer(gold) == reduced


def test_gold_with_two_boxes_verdicts() -> None:
    assert _outcome("$\\boxed{5}$ \\boxed{5}", "\\boxed{5}") == "correct"
    assert _outcome("$\\boxed{5}$ \\boxed{5}", "\\boxed{5, 5}") == "incorrect"
    assert _outcome("$\\boxed{5}\\boxed{6}$", "\\boxed{5}") == "incorrect"
    assert _outcome("\\boxed{\\frac12}\\boxed{\\frac12}", "\\boxed{0.5}") == "correct"


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is in the dev extra")
def test_math_modules_type_check() -> None:
    root = Path(__file__).resolve().parents[2]
    files = sorted(str(p) for p in (root / "verifiers").glob("math*.py"))
    run = subprocess.run([sys.executable, "-m", "mypy", *files], capture_output=True, text=True, cwd=root)
    assert run.returncode == 0, run.stdout


def _boom(*_: object, **__: object) -> None:
    raise AssertionError("parsed")


@pytest.mark.parametrize(
    ("pred", "gold"), [("18", "18"), ("018", "18"), ("-0", "0"), ("-18", "18"), ("18", "81")]
)
def test_plain_integers_compare_without_parsing(
    monkeypatch: pytest.MonkeyPatch, pred: str, gold: str
) -> None:
    p, g = math_parse.parse_answer(pred), math_parse.parse_answer(gold)
    assert p is not None and g is not None
    slow = math_compare.equal(p, g)
    monkeypatch.setattr(math_compare, "parse_recent", _boom)
    monkeypatch.setattr(math_compare, "parse_gold", _boom)
    assert math_compare.answers_match(pred=pred, gold=gold) == slow  # GSM8K's hot path, same verdict


def test_plain_numbers_are_readable_without_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(math_fallback, "parse_recent", _boom)
    assert not any(math_fallback.unreadable(n) for n in ("42", "-3", "1,234.50", "0.5"))


def test_sympy_namespace_is_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    real = math_sympy.parse_expr

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(args[3] if len(args) > 3 else kwargs.get("global_dict"))
        return real(*args, **kwargs)

    monkeypatch.setattr(math_sympy, "parse_expr", spy)
    assert math_sympy.to_sympy("x^2+2x") is not None
    assert seen and all(g is math_sympy._GLOBALS for g in seen)  # not `from sympy import *` per call
