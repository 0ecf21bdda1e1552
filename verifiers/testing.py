"""The verifier contract as one call, for plugin authors' tests and our own.

`check_verifier(MyVerifier, examples)` asserts what s2s1 relies on (design §4):

- the class has `name`, `version` (non-empty strings) and `domains` (a frozenset of strings),
  a `verify` method, and a constructor that needs no arguments (when given a class);
- an instance survives `pickle` (it is sent to worker processes);
- gold verifies: at least one example expects `correct` (and gets it);
- an empty answer does not: for every example's problem, a trace with an empty response is not
  `correct`;
- every example's domain is one of `domains`;
- `verify` returns a `Verdict` carrying the verifier's own name and version, a score of 0
  when `unverifiable`, the expected outcome, and the same outcome when called again;
- it respects the time limit: every call returns within `timeout_s` seconds;
- the same examples give the same outcomes inside `s2s1.verifiers.pool.VerifierPool`, i.e. in a
  fresh worker process that imports the plugin by itself, under the pool's hard limit.

An expected outcome of None accepts any outcome. A failure raises AssertionError naming the
example and what differed.

This module does not check that a verifier is *right* beyond the examples given.

Example:
    >>> from s2s1.records import Problem, Trace
    >>> from s2s1.verifiers.math import MathVerifier
    >>> p = Problem(id="p", source="demo", question="2+2?", answer="4")
    >>> t = Trace(problem_id="p", index=0, teacher="demo", prompt=[], response="\\\\boxed{4}")
    >>> check_verifier(MathVerifier, [(p, t, "correct")])
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Sequence
from typing import Any

from s2s1.records import Outcome, Problem, Trace, Verdict
from s2s1.verifiers.base import Verifier, protocol_problems
from s2s1.verifiers.pool import VerifierPool

__all__ = ["Example", "check_verifier"]

Example = tuple[Problem, Trace, Outcome | None]
"""(problem, trace, expected outcome or None for any)."""


def check_verifier(
    verifier: type | Verifier, examples: Sequence[Example], *, timeout_s: float = 60.0
) -> None:
    """Assert the Verifier contract for a class or instance on `examples` (see the module docstring).

    Example:
        >>> from s2s1.records import Problem, Trace
        >>> from s2s1.verifiers.math import MathVerifier
        >>> p = Problem(id="p", source="demo", question="2+2?", answer="4")
        >>> right = Trace(problem_id="p", index=0, teacher="demo", prompt=[], response="\\\\boxed{4}")
        >>> wrong = right.model_copy(update={"response": "\\\\boxed{5}"})
        >>> check_verifier(MathVerifier(), [(p, right, "correct"), (p, wrong, "incorrect")])
    """
    cls: type[Any] = verifier if isinstance(verifier, type) else type(verifier)
    missing = protocol_problems(cls)
    _require(not missing, f"{cls.__qualname__} does not meet the Verifier protocol: {', '.join(missing)}")
    if isinstance(verifier, type):
        try:
            instance = verifier()
        except Exception as e:
            raise AssertionError(f"{cls.__qualname__}() failed: {type(e).__name__}: {e}") from e
    else:
        instance = verifier
    _require(isinstance(instance, Verifier), f"{cls.__qualname__} instances are not Verifiers")
    try:
        clone = pickle.loads(pickle.dumps(instance))
    except Exception as e:
        raise AssertionError(f"{cls.__qualname__} must be picklable: {type(e).__name__}: {e}") from e
    _require(type(clone) is cls, f"unpickling gives a {type(clone).__qualname__}, not a {cls.__qualname__}")
    _require(
        any(expected == "correct" for _, _, expected in examples),
        "give at least one gold example: a (problem, trace, 'correct') the verifier must accept",
    )

    outcomes = []
    for k, (problem, trace, expected) in enumerate(examples):
        _require(
            problem.domain in cls.domains,
            f"example {k}: domain {problem.domain!r} not in {cls.name}'s domains {sorted(cls.domains)}",
        )
        first = _timed(instance, problem, trace, timeout_s, f"example {k}")
        _check_verdict(cls, k, first, expected, "called directly")
        again = _timed(clone, problem, trace, timeout_s, f"example {k}")
        _check_verdict(cls, k, again, first.outcome, "called again on an unpickled copy")
        outcomes.append(first.outcome)
    for problem in {p.id: p for p, _, _ in examples}.values():
        empty = Trace(problem_id=problem.id, index=0, teacher="check_verifier", prompt=[], response="")
        verdict = _timed(instance, problem, empty, timeout_s, f"problem {problem.id!r} with an empty answer")
        _check_verdict(cls, -1, verdict, None, f"problem {problem.id!r} with an empty answer")
        _require(
            verdict.outcome != "correct", f"an empty answer to problem {problem.id!r} was judged correct"
        )

    with VerifierPool([instance], workers=1, timeout_s=timeout_s) as pool:
        got = list(pool.map([[(0, problem, trace)] for problem, trace, _ in examples]))
    for k, (verdicts, outcome) in enumerate(zip(got, outcomes, strict=True)):
        _check_verdict(cls, k, verdicts[0], outcome, "in a worker process")


def _timed(verifier: Any, problem: Problem, trace: Trace, timeout_s: float, what: str) -> Any:
    start = time.monotonic()
    verdict = verifier.verify(problem, trace)
    took = time.monotonic() - start
    _require(took <= timeout_s, f"{what}: verify() took {took:.1f}s, more than the {timeout_s:g}s limit")
    return verdict


def _check_verdict(cls: type[Any], k: int, verdict: object, expected: Outcome | None, how: str) -> None:
    where = f"example {k} ({how})" if k >= 0 else how
    _require(isinstance(verdict, Verdict), f"{where}: verify() returned a {type(verdict).__name__}")
    assert isinstance(verdict, Verdict)
    _require(
        verdict.verifier == cls.name and verdict.version == cls.version,
        f"{where}: the verdict names {verdict.verifier} {verdict.version}, not {cls.name} {cls.version}",
    )
    _require(
        verdict.outcome != "unverifiable" or verdict.score == 0.0,
        f"{where}: score {verdict.score} with outcome 'unverifiable' (an unchecked trace scores 0)",
    )
    _require(
        expected is None or verdict.outcome == expected,
        f"{where}: outcome {verdict.outcome!r} ({verdict.detail}), expected {expected!r}",
    )


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)
