"""A verifier for tests whose behaviour is picked by the problem id: hang, crash, raise or check.

It lives in a module of its own so that worker processes can import it by name.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import tempfile
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
        elif problem.id.startswith("kill"):
            os.kill(os.getpid(), signal.SIGKILL)
        elif problem.id.startswith("segv"):
            ctypes.string_at(0)  # reads address 0: SIGSEGV
        elif problem.id.startswith("closefds"):
            os.closerange(3, 65536)  # the worker's pipe to the parent among them
        elif problem.id.startswith("hang_c"):
            ctypes.PyDLL(None).sleep(30)  # C code holding the GIL: only a kill ends it
        elif problem.id.startswith("litter"):  # files and a process that outlive the check
            tempfile.mkdtemp(prefix="s2s1-jail-litter-")
            subprocess.Popen(["sleep", problem.question])
            time.sleep(30)
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

    def time_limit_s(self, problem: Problem) -> float:
        return 3.0

    def verify(self, problem: Problem, trace: Trace) -> Verdict:
        if problem.id.startswith("nap"):
            time.sleep(1.5)
        return super().verify(problem, trace)


class ScriptedV2(Scripted):
    """`scripted` as a newer release would be: it forgives surrounding spaces (a grader fix)."""

    version: ClassVar[str] = "2"

    def verify(self, problem: Problem, trace: Trace) -> Verdict:
        verdict = super().verify(problem, trace.model_copy(update={"response": trace.response.strip()}))
        return verdict.model_copy(update={"version": self.version})
