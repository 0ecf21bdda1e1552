"""The `code` verifier: run the trace's solution against the problem's tests, in a jail.

The code is the solution found in the answer after `</think>` (`s2s1.verifiers.code_solution`):
for function tests the last block that defines the entry point, with the earlier imports and
helpers it needs; for stdio tests the last complete program. Example-usage, test, `__main__`
demo and printed-output blocks are skipped; the verdict's detail names the block that ran. An
answer without code is `incorrect` ("no code in the answer"). `Problem.tests` takes one of the
styles of design §3:

    {"style": "function", "entry_point": "add", "asserts": ["assert add(1, 2) == 3"]}
    {"style": "function", "entry_point": "add", "test_code": "def check(candidate): ..."}
    {"style": "stdio", "cases": [{"input": "1 2\\n", "output": "3\\n"}]}

Function tests may add `setup_code` (run before the tests, in the judge: MBPP's test setup,
HumanEval's prompt with its helpers). Stdio output is compared **exactly** unless the problem
opts in to a relaxation: `"trailing_whitespace": true` ignores whitespace at the end of every
line and blank lines at the end; `"float_tol": 1e-6` compares whitespace-separated tokens, numbers
within that absolute-or-relative tolerance. Every program runs in a fresh bubblewrap jail
(`s2s1.verifiers.sandbox`); verdicts are decided here, never inside the jail (`s2s1.verifiers.code_function`).

Outcomes: `correct` when every test passes; `incorrect` on the first failing test (wrong output,
exception, exit code ≠ 0, time/memory/output limit) with the reason; `unverifiable` when the
problem has no usable tests. A jail that cannot start raises (the pool records it). Limits:
`limits.wall_s` seconds per test, `per_problem_s` per problem. Candidate code runs on the system
Python's standard library only (no site-packages in the jail).

This module does not load problem files (`s2s1.verifiers.code_loaders`) or run checks in parallel
(`s2s1.verifiers.code_runner`).

Example:
    >>> from s2s1.records import Problem, Trace
    >>> p = Problem(id="p", source="demo", domain="code", question="sum",
    ...             tests={"style": "stdio", "cases": [{"input": "1 2\\n", "output": "3\\n"}]})
    >>> t = Trace(problem_id="p", index=0, teacher="demo", prompt=[],
    ...           response="```python\\nprint(sum(map(int, input().split())))\\n```")
    >>> CodeVerifier().verify(p, t).outcome
    'correct'
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any, ClassVar

from s2s1.errors import UserError
from s2s1.records import Problem, Trace, Verdict
from s2s1.verifiers.code_function import TestsError, run_function_tests
from s2s1.verifiers.code_solution import find_solution
from s2s1.verifiers.sandbox import OPT_OUT, Jail, Limits, sandbox_problem, unsandboxed

__all__ = ["CodeVerifier", "outputs_match"]

log = logging.getLogger(__name__)
_checked: list[str | None] = []


def outputs_match(
    got: str, expected: str, *, trailing_whitespace: bool = False, float_tol: float = 0.0
) -> bool:
    """Whether a program's output matches: exactly, or with the opt-in relaxations above.

    Example:
        >>> outputs_match("3 \\n", "3\\n"), outputs_match("3 \\n", "3\\n", trailing_whitespace=True)
        (False, True)
        >>> outputs_match("0.3333333\\n", "0.333333333\\n", float_tol=1e-6)
        True
    """
    if float_tol:
        a, b = got.split(), expected.split()
        return len(a) == len(b) and all(x == y or _close(x, y, float_tol) for x, y in zip(a, b, strict=True))
    if trailing_whitespace:
        return _rstripped(got) == _rstripped(expected)
    return got == expected


class CodeVerifier:
    """Checks code traces by running them against `Problem.tests` in a jail (see the module docstring).

    Constructing one fails with the fix in the message when no jail can start here.
    """

    name: ClassVar[str] = "code"
    version: ClassVar[str] = "0.2.0"
    """0.2.0: the solution block, not the last block, runs (`s2s1.verifiers.code_solution`)."""
    domains: ClassVar[frozenset[str]] = frozenset({"code"})
    limits: ClassVar[Limits] = Limits()
    """Per test (one stdio case or one function call)."""
    per_problem_s: ClassVar[float] = 30.0

    def __init__(self) -> None:
        if not _checked:
            _checked.append(sandbox_problem())
        if _checked[0]:
            raise UserError(_checked[0])
        if unsandboxed():
            log.warning("code verifier: %s=1, candidate code runs WITHOUT a sandbox", OPT_OUT)

    def time_limit_s(self, problem: Problem) -> float:
        """The pool's hard limit for one check: every test at its own limit, then 10 s more.

        A candidate that runs past a test's limit or the problem's is `incorrect` (time limit
        exceeded) by the checks in here, well before this limit; it only catches the verifier.
        """
        tests = problem.tests if isinstance(problem.tests, dict) else {}
        listed = tests.get("cases") if tests.get("style") == "stdio" else tests.get("asserts")
        inner = self.per_problem_s
        if isinstance(listed, list) and listed and not tests.get("test_code"):
            inner = min(inner, len(listed) * self.limits.wall_s)
        count = len(listed) if isinstance(listed, list) else 1
        return inner + 0.5 * count + 10.0  # jail start-up and clean-up, then a margin

    def verify(self, problem: Problem, trace: Trace) -> Verdict:
        start = time.monotonic()
        tests = problem.tests

        def verdict(outcome: Any, detail: str, code: str | None = None) -> Verdict:
            detail = f"UNSANDBOXED; {detail}" if unsandboxed() else detail
            return Verdict(
                verifier=self.name, version=self.version, outcome=outcome,
                score=1.0 if outcome == "correct" else 0.0, extracted=code, detail=detail[:400],
                elapsed_s=round(time.monotonic() - start, 6),
            )  # fmt: skip

        if not isinstance(tests, dict) or tests.get("style") not in ("function", "stdio"):
            got = "no tests" if not tests else f"tests style {tests.get('style')!r}"
            return verdict("unverifiable", f"{got}; code problems need tests with style function or stdio")
        entry = tests.get("entry_point") if tests["style"] == "function" else None
        found = find_solution(trace.response, entry if isinstance(entry, str) else None)
        if found.code is None:
            return verdict("incorrect", found.detail)
        code = found.code
        try:
            if tests["style"] == "function":
                limits = Limits(**{**self.limits.__dict__, "cpu_s": math.ceil(self.per_problem_s)})
                ok, detail = run_function_tests(code, tests, limits, per_problem_s=self.per_problem_s)
            else:
                ok, detail = self._stdio(code, tests)
        except TestsError as e:
            return verdict("unverifiable", str(e), code)
        return verdict("correct" if ok else "incorrect", f"{detail}; {found.detail}", code)

    def _stdio(self, code: str, tests: dict[str, Any]) -> tuple[bool, str]:
        cases, tol = tests.get("cases"), tests.get("float_tol", 0.0)
        if not isinstance(cases, list) or not cases:
            raise TestsError("stdio tests need 'cases': a non-empty list of {input, output}")
        if not isinstance(tol, int | float) or isinstance(tol, bool) or tol < 0:
            raise TestsError("'float_tol' must be a number ≥ 0")
        trailing = bool(tests.get("trailing_whitespace", False))
        deadline = time.monotonic() + self.per_problem_s
        for k, case in enumerate(cases):
            if not (isinstance(case, dict) and isinstance(case.get("input"), str)):
                raise TestsError(f"stdio case {k} needs string 'input' and 'output'")
            if not isinstance(case.get("output"), str):
                raise TestsError(f"stdio case {k} needs string 'input' and 'output'")
            left = deadline - time.monotonic()
            if left <= 0:
                return False, f"exceeded the problem's time limit ({self.per_problem_s:g}s) before case {k}"
            limits = Limits(**{**self.limits.__dict__, "wall_s": min(self.limits.wall_s, left)})
            result = Jail(code, "stdio", limits).communicate(case["input"].encode())
            if result.timed_out:
                return False, f"case {k}: time limit exceeded ({limits.wall_s:g}s)"
            if result.output_capped:
                return False, f"case {k}: output limit exceeded ({limits.output_bytes} bytes)"
            if result.returncode != 0:
                last = (result.stderr.decode(errors="replace").strip().splitlines() or [""])[-1]
                return False, f"case {k}: exit code {result.returncode} {last[:150]}".strip()
            got = result.stdout.decode(errors="replace")
            if not outputs_match(got, case["output"], trailing_whitespace=trailing, float_tol=tol):
                return False, f"case {k}: wrong output {got[:60]!r}, expected {case['output'][:60]!r}"
        return True, f"passed {len(cases)} case(s)"


def _rstripped(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip().split("\n")]


def _close(x: str, y: str, tol: float) -> bool:
    try:
        a, b = float(x), float(y)
    except ValueError:
        return False
    return math.isfinite(a) and math.isfinite(b) and abs(a - b) <= tol * max(1.0, abs(b))
