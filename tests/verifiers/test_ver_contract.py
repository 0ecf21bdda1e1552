"""One contract, parametrized over every installed verifier (found through the registry).

Each verifier we ship or install in CI has a table of examples with expected outcomes (a gold one
among them); `check_verifier` itself must catch broken plugins: wrong names, unpicklable, no
gold example, an empty answer judged correct, a verdict that is not a Verdict, too slow.
"""

from __future__ import annotations

import time
from typing import ClassVar

import pytest

from s2s1.records import Problem, Trace, Verdict
from s2s1.verifiers import installed, load_verifiers
from s2s1.verifiers.testing import check_verifier


def _example(answer: str | None, response: str, domain: str = "math", **extra) -> tuple[Problem, Trace]:
    problem = Problem(
        id=f"p-{domain}-{answer}", source="t", domain=domain, question="?", answer=answer, **extra
    )
    return problem, Trace(problem_id=problem.id, index=0, teacher="t", prompt=[], response=response)


_STDIO = {"style": "stdio", "cases": [{"input": "2 3\n", "output": "5\n"}]}
_ADD = {"style": "function", "entry_point": "add", "asserts": ["assert add(2, 3) == 5"]}

EXPECTED = {
    "math": [
        (*_example("\\frac{1}{2}", "\\boxed{0.5}"), "correct"),
        (*_example("500", "\\boxed{5}"), "incorrect"),
        (*_example("4", "no answer"), "incorrect"),
        (*_example(None, "\\boxed{4}"), "unverifiable"),
    ],
    "code": [
        (
            *_example(None, "```python\nprint(sum(map(int, input().split())))\n```", "code", tests=_STDIO),
            "correct",
        ),
        (*_example(None, "```python\nprint(6)\n```", "code", tests=_STDIO), "incorrect"),
        (*_example(None, "```python\ndef add(a, b):\n    return a + b\n```", "code", tests=_ADD), "correct"),
        (*_example(None, "no code at all", "code", tests=_ADD), "incorrect"),
        (*_example(None, "```python\nprint(1)\n```", "code"), "unverifiable"),
    ],
    "regex": [  # the example plugin in examples/s2s1-regex, installed by `make test`
        (*_example(r"\d+", "the answer is\n42", "regex"), "correct"),
        (*_example(r"\d+", "forty-two", "regex"), "incorrect"),
    ],
}


@pytest.mark.parametrize("name", [i.name for i in installed()])
def test_installed_verifier_meets_the_contract(name):
    if name not in EXPECTED:
        pytest.skip(f"no examples for the third-party verifier {name!r} here; its package tests it")
    [verifier] = load_verifiers([name])
    check_verifier(verifier, EXPECTED[name])


class WrongName:
    name: ClassVar[str] = "wrong"
    version: ClassVar[str] = "1"
    domains: ClassVar[frozenset[str]] = frozenset({"math"})

    def verify(self, problem: Problem, trace: Trace) -> Verdict:
        return Verdict(verifier="other", version="1", outcome="correct", score=1.0)


class Unpicklable(WrongName):
    name: ClassVar[str] = "unpicklable"

    def __init__(self) -> None:
        self.fn = lambda: None


class NoDomains:
    name: ClassVar[str] = "nodomains"
    version: ClassVar[str] = "1"


class AlwaysCorrect(WrongName):
    name: ClassVar[str] = "always"

    def verify(self, problem: Problem, trace: Trace) -> Verdict:
        return Verdict(verifier=self.name, version="1", outcome="correct", score=1.0)


class ReturnsDict(WrongName):
    name: ClassVar[str] = "dict"

    def verify(self, problem: Problem, trace: Trace) -> Verdict:
        return {"outcome": "correct"}  # type: ignore[return-value]


class Slow(WrongName):
    name: ClassVar[str] = "slow"

    def verify(self, problem: Problem, trace: Trace) -> Verdict:
        time.sleep(1.5)
        ok = trace.response == "\\boxed{4}"
        return Verdict(
            verifier=self.name, version="1", outcome="correct" if ok else "incorrect", score=float(ok)
        )


GOLD = (*_example("4", "\\boxed{4}"), "correct")


@pytest.mark.parametrize(
    ("cls", "examples", "message"),
    [
        (WrongName, [GOLD], "names other 1, not wrong 1"),
        (Unpicklable, [GOLD], "must be picklable"),
        (NoDomains, [GOLD], "no `domains`"),
        (
            load_verifiers(["math"])[0],
            [(*_example("4", "\\boxed{4}"), "incorrect"), GOLD],
            "outcome 'correct'",
        ),
        (load_verifiers(["math"])[0], [(*_example("4", "\\boxed{5}"), "incorrect")], "at least one gold"),
        (AlwaysCorrect, [GOLD], "empty answer to problem 'p-math-4' was judged correct"),
        (ReturnsDict, [GOLD], "returned a dict"),
        (Slow, [GOLD], "more than the 1s limit"),
    ],
)
def test_check_verifier_catches_broken_verifiers(cls, examples, message):
    with pytest.raises(AssertionError, match=message):
        check_verifier(cls, examples, timeout_s=1.0)
