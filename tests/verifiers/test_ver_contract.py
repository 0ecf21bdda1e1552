"""One contract, parametrized over every installed verifier (found through the registry).

Each verifier gets a smoke example per domain (any outcome accepted); verifiers with a table
below must also give the expected outcomes. `check_verifier` itself must catch broken plugins.
"""

from __future__ import annotations

from typing import ClassVar

import pytest

from s2s1.records import Problem, Trace, Verdict
from verifiers import installed, load_verifiers
from verifiers.testing import check_verifier


def _example(answer: str | None, response: str, domain: str = "math", **extra) -> tuple[Problem, Trace]:
    problem = Problem(id="p", source="t", domain=domain, question="?", answer=answer, **extra)
    return problem, Trace(problem_id="p", index=0, teacher="t", prompt=[], response=response)


EXPECTED = {
    "math": [
        (*_example("\\frac{1}{2}", "\\boxed{0.5}"), "correct"),
        (*_example("500", "\\boxed{5}"), "incorrect"),
        (*_example("4", "no answer"), "incorrect"),
        (*_example(None, "\\boxed{4}"), "unverifiable"),
    ]
}


def _smoke(domains: frozenset[str]):
    tests = {"style": "stdio", "cases": [{"input": "", "output": "1\n"}]}
    response = "```python\nprint(1)\n```\n\\boxed{1}"
    return [(*_example("1", response, d, tests=tests), None) for d in sorted(domains)]


@pytest.mark.parametrize("name", [i.name for i in installed()])
def test_installed_verifier_meets_the_contract(name):
    [verifier] = load_verifiers([name])
    check_verifier(verifier, _smoke(verifier.domains) + EXPECTED.get(name, []))


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


@pytest.mark.parametrize(
    ("cls", "expected", "message"),
    [
        (WrongName, "correct", "names other 1, not wrong 1"),
        (Unpicklable, "correct", "must be picklable"),
        (NoDomains, "correct", "no `domains`"),
        (load_verifiers(["math"])[0], "incorrect", "outcome 'correct'"),
    ],
)
def test_check_verifier_catches_broken_verifiers(cls, expected, message):
    with pytest.raises(AssertionError, match=message):
        check_verifier(cls, [(*_example("4", "\\boxed{4}"), expected)])
