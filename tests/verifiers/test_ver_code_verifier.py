"""The code verifier: code extraction, output comparison, stdio and function tests, clear verdicts."""

from __future__ import annotations

from typing import ClassVar

import pytest

from s2s1.records import Problem, Trace
from s2s1.verifiers.code import CodeVerifier, outputs_match
from s2s1.verifiers.code_solution import find_solution
from s2s1.verifiers.pool import check_limit
from s2s1.verifiers.sandbox import Limits


class QuickCode(CodeVerifier):
    limits: ClassVar[Limits] = Limits(wall_s=2.0, cpu_s=2)
    per_problem_s: ClassVar[float] = 3.0


def _verdict(tests, response, verifier=None):
    problem = Problem(id="p", source="t", domain="code", question="?", tests=tests)
    trace = Trace(problem_id="p", index=0, teacher="t", prompt=[], response=response)
    return (verifier or QuickCode()).verify(problem, trace)


def _code(src: str) -> str:
    return f"Some words.\n```python\n{src}\n```\nDone."


@pytest.mark.parametrize(
    ("response", "code"),
    [
        ("```python\nprint(1)\n```", "print(1)\n"),
        ("first\n```\na = 1\n```\nthen\n```py\nb = 2\n```\n", "b = 2\n"),  # no program: the last block
        ("<think>```python\nprint('draft')\n```</think>\nno code here", None),
        ("<think>x</think>```python\nprint(2)\n```", "print(2)\n"),
        ("```python\nprint(1)", None),  # truncated: the block never closes
        ("Run this:\n\nprint(input()[::-1])\n\nIt reverses the line.", "print(input()[::-1])\n"),  # unfenced
        ("", None),
    ],
)
def test_the_code_is_found_after_think(response, code):
    assert find_solution(response, None).code == code


@pytest.mark.parametrize(
    ("got", "expected", "kwargs", "match"),
    [
        ("3\n", "3\n", {}, True),
        ("3", "3\n", {}, False),
        ("3 \n", "3\n", {}, False),
        ("3 \n\n", "3\n", {"trailing_whitespace": True}, True),
        ("3\n4\n", "3 4\n", {"trailing_whitespace": True}, False),
        (" 3\n", "3\n", {"trailing_whitespace": True}, False),
        ("0.33333334\n", "0.333333333\n", {"float_tol": 1e-6}, True),
        ("0.3334\n", "0.333333333\n", {"float_tol": 1e-6}, False),
        ("1e9 YES\n", "1000000001 YES", {"float_tol": 1e-6}, True),
        ("nan\n", "nan\n", {"float_tol": 1e-6}, True),
        ("inf\n", "1e308\n", {"float_tol": 1e-6}, False),
        ("YES\n", "yes\n", {"float_tol": 1e-6}, False),
    ],
)
def test_outputs_are_exact_unless_a_relaxation_is_asked_for(got, expected, kwargs, match):
    assert outputs_match(got, expected, **kwargs) is match


STDIO = {
    "style": "stdio",
    "cases": [{"input": "1 2\n", "output": "3\n"}, {"input": "5 5\n", "output": "10\n"}],
}


@pytest.mark.parametrize(
    ("src", "outcome", "detail"),
    [
        ("print(sum(map(int, input().split())))", "correct", "passed 2 case(s)"),
        (
            "a, b = map(int, input().split())\nprint(a + b if a < 5 else 0)",
            "incorrect",
            "case 1: wrong output '0\\n'",
        ),
        ("print(3)", "incorrect", "case 1: wrong output"),
        ("raise ValueError('boom')", "incorrect", "case 0: exit code 1 ValueError: boom"),
        ("import sys\nprint(3)\nsys.exit(4)", "incorrect", "case 0: exit code 4"),
        ("import numpy", "incorrect", "ModuleNotFoundError"),
    ],
)
def test_stdio_verdicts(src, outcome, detail):
    verdict = _verdict(STDIO, _code(src))
    assert (verdict.outcome, verdict.verifier, verdict.version) == (outcome, "code", CodeVerifier.version)
    assert detail in verdict.detail
    assert verdict.score == (1.0 if outcome == "correct" else 0.0)
    assert verdict.extracted == src + "\n"


def test_relaxations_are_opted_into_by_the_problem():
    loose = {**STDIO, "trailing_whitespace": True}
    assert _verdict(STDIO, _code("print(sum(map(int, input().split())), '')")).outcome == "incorrect"
    assert _verdict(loose, _code("print(sum(map(int, input().split())), '')")).outcome == "correct"
    floats = {"style": "stdio", "cases": [{"input": "", "output": "0.3333333\n"}], "float_tol": 1e-6}
    assert _verdict(floats, _code("print(1/3)")).outcome == "correct"


HUMANEVAL = {
    "style": "function",
    "entry_point": "find_zero",
    "setup_code": "def poly(xs, x):\n    return sum(c * x**i for i, c in enumerate(xs))\n"
    "def find_zero(xs):\n    ...\n",
    "test_code": "def check(candidate):\n    x = candidate([-6, 11, -6, 1])\n"
    "    assert abs(poly([-6, 11, -6, 1], x)) < 1e-6\n",
}


RAISES = {
    "style": "function",
    "entry_point": "f",
    "test_code": "def check(candidate):\n    try:\n        candidate(-1)\n"
    "    except ValueError:\n        return\n    except Exception:\n        return\n    assert False\n",
}


@pytest.mark.parametrize(
    ("tests", "src", "outcome", "detail"),
    [
        ({"style": "function", "entry_point": "add", "asserts": ["assert add(1, 2) == 3"]},
         "def add(a, b):\n    return a + b", "correct", "passed 1 test(s)"),
        ({"style": "function", "entry_point": "add", "asserts": ["assert add(1, 2) == 3"]},
         "def add(a, b):\n    return str(a + b)", "incorrect", "assert 0 failed: assert add(1, 2) == 3"),
        ({"style": "function", "entry_point": "pair", "asserts": ["assert pair(1) == (1, {1: {2}})"]},
         "def pair(a):\n    return (a, {a: {2}})", "correct", "passed"),
        ({"style": "function", "entry_point": "f", "asserts": ["assert f() == 1"]},
         "def f(:\n    pass", "incorrect", "SyntaxError"),
        ({"style": "function", "entry_point": "f", "asserts": ["assert f() == 1"]},
         "def g():\n    return 1", "incorrect", "defines no function 'f'"),
        (HUMANEVAL, "def find_zero(xs):\n    return 1.0", "correct", "passed check(candidate)"),
        # the tests' own helper stays theirs: a candidate `poly` that always says 0 does not help
        (HUMANEVAL, "def poly(xs, x):\n    return 0\ndef find_zero(xs):\n    return 7", "incorrect", "check"),
        ({"style": "function", "entry_point": "twice", "test_code": "def check(c):\n    assert c(2) == 4\n"},
         "class Solution:\n    def twice(self, x):\n        return 2 * x", "correct", "passed"),
        ({"style": "function", "entry_point": "f", "asserts": ["assert f(lambda: 1) == 1"]},
         "def f(g):\n    return g()", "unverifiable", "cannot be sent to the candidate"),
        ({"style": "function", "entry_point": "f"}, "def f(): pass", "unverifiable", "need 'asserts'"),
        # a test that expects an exception gets the builtin one; a hang or exit cannot be swallowed
        (RAISES, "def f(x):\n    raise ValueError('negative')", "correct", "passed"),
        (RAISES, "def f(x):\n    raise SystemExit(0)", "incorrect", "f() raised SystemExit"),
        (RAISES, "def f(x):\n    while True:\n        pass", "incorrect", "exceeded the time limit"),
        (RAISES, "class E(Exception): pass\ndef f(x):\n    raise E()", "correct", "passed"),  # as raised
        ({"style": "function", "entry_point": "f", "asserts": ["assert math.isclose(f(), 0.1 + 0.2)"]},
         "def f():\n    return 0.3", "correct", "passed"),
        ({"style": "function", "entry_point": "f", "asserts": ["assert f() == 1"], "setup_code": "1/0"},
         "def f():\n    return 1", "unverifiable", "setup_code fails: ZeroDivisionError"),
    ],
)  # fmt: skip
def test_function_verdicts(tests, src, outcome, detail):
    verdict = _verdict(tests, _code(src))
    assert verdict.outcome == outcome, verdict.detail
    assert detail in verdict.detail


@pytest.mark.parametrize(
    ("tests", "detail"),
    [
        (None, "no tests"),
        ({"style": "exotic"}, "tests style 'exotic'"),
        ({"style": "stdio", "cases": []}, "non-empty list"),
        ({"style": "stdio", "cases": [{"input": 1, "output": "1"}]}, "case 0 needs string"),
        ({"style": "stdio", "cases": [{"input": "", "output": "1"}], "float_tol": "x"}, "float_tol"),
    ],
)
def test_problems_without_usable_tests_are_unverifiable(tests, detail):
    verdict = _verdict(tests, _code("print(1)"))
    assert (verdict.outcome, verdict.score) == ("unverifiable", 0.0)
    assert detail in verdict.detail


def test_no_code_block_is_incorrect_with_a_clear_reason():
    verdict = _verdict(STDIO, "The answer is to add the numbers.")
    assert (verdict.outcome, verdict.detail) == ("incorrect", "no code in the answer")


def test_per_problem_time_limit_stops_slow_solutions():
    slow = {"style": "stdio", "cases": [{"input": "", "output": "1\n"}] * 10}
    verdict = _verdict(slow, _code("import time\ntime.sleep(0.7)\nprint(1)"))
    assert verdict.outcome == "incorrect"
    assert "time limit" in verdict.detail  # 10 cases × 0.7 s would pass without the limit


@pytest.mark.parametrize("cases", [1, 3, 40])
def test_the_pools_limit_is_derived_from_the_tests_and_stays_above_the_candidates(cases):
    tests = {"style": "stdio", "cases": [{"input": "", "output": ""}] * cases}
    problem = Problem(id="p", source="t", domain="code", question="?", tests=tests)
    v = CodeVerifier.__new__(CodeVerifier)  # no jail needed to ask for a limit
    inner = min(v.per_problem_s, cases * v.limits.wall_s)  # the longest a candidate may run
    assert inner + 10 <= v.time_limit_s(problem) <= inner + 10 + cases
    assert check_limit(v, problem) == v.time_limit_s(problem)
    assert check_limit(v, problem, timeout_s=2.5) == 2.5  # a limit the user sets wins
