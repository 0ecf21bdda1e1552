"""The `regex` verifier: the final answer must fully match the problem's gold regular expression.

The final answer is the content of the last `\\boxed{…}` in the response, or else its last
non-empty line. `correct` when `re.fullmatch(answer, final)` matches, `incorrect` when it does not
or there is no answer, `unverifiable` when the problem has no gold pattern or it does not compile.
Patterns run with Python's `re`; a catastrophic pattern is stopped by s2s1's per-check time limit.

This plugin does not normalise case or whitespace beyond stripping the answer line; write that
into the pattern (`(?i)`, `\\s*`).

Example:
    >>> from s2s1.records import Problem, Trace
    >>> p = Problem(id="d", source="demo", domain="regex", question="A date?", answer=r"\\d{4}-\\d{2}-\\d{2}")
    >>> t = Trace(problem_id="d", index=0, teacher="demo", prompt=[], response="It is \\\\boxed{2024-05-01}")
    >>> RegexVerifier().verify(p, t).outcome
    'correct'
"""

from __future__ import annotations

import re
from typing import ClassVar

from s2s1.records import Outcome, Problem, Trace, Verdict

__all__ = ["RegexVerifier"]

_BOXED = re.compile(r"\\boxed\{([^{}]*)\}")


class RegexVerifier:
    name: ClassVar[str] = "regex"  # the entry-point name in pyproject.toml
    version: ClassVar[str] = "0.1.0"
    domains: ClassVar[frozenset[str]] = frozenset({"regex"})

    def verify(self, problem: Problem, trace: Trace) -> Verdict:
        boxed = _BOXED.findall(trace.response)
        lines = [line.strip() for line in trace.response.splitlines() if line.strip()]
        final = boxed[-1].strip() if boxed else (lines[-1] if lines else None)
        outcome: Outcome
        if problem.answer is None:
            outcome, detail = "unverifiable", "the problem has no gold pattern"
        elif final is None:
            outcome, detail = "incorrect", "no final answer"
        else:
            try:
                pattern = re.compile(problem.answer)
            except re.error as e:
                return self._verdict("unverifiable", f"gold pattern does not compile: {e}", final)
            ok = pattern.fullmatch(final) is not None
            outcome, detail = (
                ("correct", "matches") if ok else ("incorrect", f"does not match {problem.answer}")
            )
        return self._verdict(outcome, detail, final)

    def _verdict(self, outcome: Outcome, detail: str, final: str | None) -> Verdict:
        return Verdict(
            verifier=self.name,
            version=self.version,
            outcome=outcome,
            score=1.0 if outcome == "correct" else 0.0,
            extracted=final,
            detail=detail[:300],
        )
