"""Function tests (MBPP asserts, HumanEval `check(candidate)`) judged outside the candidate.

The candidate's code runs once in a jail (`s2s1.verifiers.sandbox`) that only answers calls: "call
`name` with these arguments" → a plain-data result or an error. The tests themselves — the
problem's `setup_code`, its `asserts` or `test_code` with `check(candidate)`, the expected values
and every comparison — run here, in the verifier's process, where each function the candidate
defines at top level (and the entry point; not names the tests' `setup_code` defines, so the
tests' helpers stay theirs) is a proxy that forwards calls into the jail, and so is a top-level
`class Solution` (LeetCode style: `Solution().method(...)` calls `method` of a fresh instance). So
nothing the candidate does to its own interpreter (exiting early, patching builtins or
`AssertionError`, returning an object whose `__eq__` always says True, printing "passed") can
make an assert pass: a result that is not plain data is a failure, and an early exit leaves the
next call unanswered.

An exception the candidate raises reaches the tests as the builtin exception of that name (so a
test expecting a ValueError works); a timeout, an exit or a non-data result is a `CandidateFailure`,
a BaseException that test code's `except Exception:` cannot swallow.

Limits: each call has `per_test_s` seconds of wall clock, the whole problem `per_problem_s`.

This module does not extract code from a trace, and it trusts the tests (they come with the
data set and run unsandboxed, as in every harness).

Example:
    >>> tests = {"style": "function", "entry_point": "add", "asserts": ["assert add(1, 2) == 3"]}
    >>> run_function_tests("def add(a, b):\\n    return a + b\\n", tests, Limits(), per_problem_s=20)
    (True, 'passed 1 test(s)')
"""

from __future__ import annotations

import ast
import builtins
import importlib
import json
import time
from typing import Any

from s2s1.verifiers.sandbox import Jail, Limits
from s2s1.verifiers.sandbox_harness import decode, encode

__all__ = ["CandidateFailure", "CandidateRaised", "TestsError", "run_function_tests"]

_MODULES = ("math", "re", "collections", "itertools", "functools", "heapq", "bisect", "string", "fractions")
"""Standard modules the tests may use without importing them (the candidate's imports are not
run here; MBPP asserts such as `math.isclose(...)` relied on them)."""


class CandidateFailure(BaseException):
    """The candidate timed out, ended, or returned something that is not plain data.

    A BaseException, so that test code's `except Exception:` cannot swallow it.
    """


class CandidateRaised(Exception):
    """The candidate raised an exception that is not a Python builtin one."""


class TestsError(BaseException):
    """The problem's tests are unusable (not the candidate's fault)."""


class _Candidate:
    """The jailed solution; `call` forwards one call and returns its decoded result."""

    def __init__(self, jail: Jail, per_test_s: float, deadline: float) -> None:
        self.jail, self.per_test_s, self.deadline = jail, per_test_s, deadline
        self.dead: str | None = None

    def call(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if self.dead:
            raise CandidateFailure(self.dead)
        try:
            line = json.dumps({"name": name, "args": encode(list(args)), "kwargs": encode(kwargs)})
        except (TypeError, ValueError) as e:
            raise TestsError(f"the tests pass a value that cannot be sent to the candidate: {e}") from None
        started = time.monotonic()
        reply = self.jail.request(line.encode() + b"\n", min(started + self.per_test_s, self.deadline))
        if reply is None:
            late = time.monotonic() - started >= self.per_test_s or time.monotonic() >= self.deadline
            self.dead = f"{name}() exceeded the time limit" if late else f"the solution ended during {name}()"
            if self.jail.capped:
                self.dead = f"{name}() produced too much output"
            raise CandidateFailure(self.dead)
        try:
            message = json.loads(reply)
            if "error" not in message:
                return decode(message["ok"])
            error = str(message["error"])[:200]
        except (ValueError, KeyError, TypeError, RecursionError) as e:
            raise CandidateFailure(f"{name}() returned something that is not plain data: {e}") from None
        raise _as_exception(f"{name}() raised {error}", error.partition(":")[0])


def _as_exception(text: str, kind: str) -> BaseException:
    """The candidate's exception as the judge sees it: the builtin class of that name if it is an
    Exception (tests may expect a ValueError), else CandidateRaised; SystemExit and the like are
    failures no test can catch."""
    cls = getattr(builtins, kind, None)
    if isinstance(cls, type) and issubclass(cls, Exception):
        try:
            return cls(text)
        except Exception:
            return CandidateRaised(text)
    return CandidateFailure(text) if isinstance(cls, type) else CandidateRaised(text)


class _Proxy:
    """Stands for one candidate function in the tests' namespace."""

    def __init__(self, candidate: _Candidate, name: str) -> None:
        self._candidate, self._name = candidate, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._candidate.call(self._name, args, kwargs)

    def __repr__(self) -> str:
        return f"<candidate {self._name}>"


class _SolutionProxy:
    """Stands for the candidate's `class Solution` (LeetCode style): `Solution().m(x)` calls `m`.

    The jail resolves `m` as a method of a fresh `Solution()`; no object crosses the jail.
    """

    def __init__(self, candidate: _Candidate) -> None:
        self._candidate = candidate

    def __call__(self) -> _SolutionProxy:
        return self

    def __getattr__(self, name: str) -> _Proxy:
        if name.startswith("_"):
            raise AttributeError(name)
        return _Proxy(self._candidate, name)


def run_function_tests(
    code: str, tests: dict[str, Any], limits: Limits, *, per_problem_s: float
) -> tuple[bool, str]:
    """(passed, detail) for the candidate `code` against function-style `tests`.

    Raises TestsError when the tests themselves cannot run.
    """
    entry = tests.get("entry_point")
    asserts, test_code = tests.get("asserts"), tests.get("test_code")
    if not isinstance(entry, str) or not entry:
        raise TestsError("function tests need an 'entry_point' (a function name)")
    if not (isinstance(asserts, list) and asserts) and not isinstance(test_code, str):
        raise TestsError("function tests need 'asserts' (a list of strings) or 'test_code' with check()")
    try:
        names, classes = _top_level_functions(code), _top_level_classes(code)
    except SyntaxError as e:
        return False, f"SyntaxError: {e.msg} (line {e.lineno})"
    jail = Jail(code, "function", limits)
    candidate = _Candidate(jail, limits.wall_s, time.monotonic() + per_problem_s)
    try:
        namespace: dict[str, Any] = {"__name__": "__tests__"}
        namespace.update({m: importlib.import_module(m) for m in _MODULES})
        _exec(tests.get("setup_code") or "", namespace, "setup_code")
        for name in (names - namespace.keys()) | {entry}:  # the tests' own helpers stay theirs
            namespace[name] = _Proxy(candidate, name)
        if "Solution" in classes and "Solution" not in namespace:  # asserts on Solution().method
            namespace["Solution"] = _SolutionProxy(candidate)
        if isinstance(asserts, list) and asserts:
            for k, statement in enumerate(asserts):
                failure = _attempt(statement, namespace, f"assert {k}")
                if failure:
                    return False, failure
            return True, f"passed {len(asserts)} test(s)"
        proxy = namespace[entry]
        _exec(test_code, namespace, "test_code")
        check = namespace.get("check")
        if not callable(check):
            raise TestsError("test_code defines no check(candidate) function")
        failure = _attempt("check(candidate)", {"check": check, "candidate": proxy}, "check(candidate)")
        return (False, failure) if failure else (True, "passed check(candidate)")
    except CandidateFailure as e:  # a call from setup or test code at top level
        return False, str(e)
    finally:
        jail.close()


def _attempt(statement: str, namespace: dict[str, Any], label: str) -> str:
    """'' when `statement` runs without an exception, else why it failed."""
    try:
        exec(compile(statement, label, "exec"), namespace)
    except TestsError:
        raise
    except CandidateFailure as e:
        return f"{label}: {e}"
    except AssertionError:
        return f"{label} failed: {statement.strip()[:200]}"
    except Exception as e:  # e.g. comparing the candidate's None with a number
        return f"{label}: {type(e).__name__}: {str(e)[:200]}"
    return ""


def _exec(source: str, namespace: dict[str, Any], label: str) -> None:
    try:
        exec(compile(source, label, "exec"), namespace)
    except Exception as e:
        raise TestsError(f"the problem's {label} fails: {type(e).__name__}: {e}") from None


def _top_level_functions(code: str) -> set[str]:
    tree = ast.parse(code)
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}


def _top_level_classes(code: str) -> set[str]:
    return {n.name for n in ast.parse(code).body if isinstance(n, ast.ClassDef)}
