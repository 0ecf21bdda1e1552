"""A verifier for tests whose behaviour is picked by the problem id: hang, raise, exit or check.

It lives in a module of its own so that worker processes can import it by name.
"""

from __future__ import annotations

import os
import time
from typing import ClassVar

from s2s1.records import Problem, Trace, Verdict


class Scripted:
    name: ClassVar[str] = "scripted"
    version: ClassVar[str] = "1"
    domains: ClassVar[frozenset[str]] = frozenset({"math", "toy"})

    def verify(self, problem: Problem, trace: Trace) -> Verdict:
        if problem.id.startswith("sleep"):
            time.sleep(30)
        elif problem.id.startswith("raise"):
            raise ZeroDivisionError("scripted failure")
        elif problem.id.startswith("exit"):
            os._exit(3)
        ok = trace.response == problem.answer
        return Verdict(
            verifier=self.name,
            version=self.version,
            outcome="correct" if ok else "incorrect",
            score=float(ok),
            extracted=trace.response,
            detail=problem.id,
        )


class PatientScripted(Scripted):
    """Declares its own time limit, as the code verifier does; `nap` problems take 1.5 s."""

    name: ClassVar[str] = "patient"
    per_problem_s: ClassVar[float] = 2.0

    def verify(self, problem: Problem, trace: Trace) -> Verdict:
        if problem.id.startswith("nap"):
            time.sleep(1.5)
        return super().verify(problem, trace)
