"""Check many (problem, trace) pairs with the `code` verifier on every core, in input order.

`check_code` hands the pairs to `s2s1.verifiers.pool.VerifierPool` with one worker per core (each
worker runs one jail at a time, so all cores stay busy while checks remain). Two limits apply:
each test (stdio case or function call) has `CodeVerifier.limits.wall_s`, each problem
`CodeVerifier.per_problem_s`; the pool's own hard limit (`CodeVerifier.time_limit_s`) sits a
few seconds above them, so a check that hangs in the verifier itself becomes `unverifiable`
rather than a stuck run, while a candidate that runs too long is `incorrect`.

The verify stage (`s2s1.verifiers.verify`) runs the code verifier the same way, with the stage's
`workers` (and `timeout_s` only if the user sets it); this function is for benchmarks and
scripts that hold pairs directly.
It does not read or write files.

Example:
    >>> from s2s1.records import Problem, Trace
    >>> p = Problem(id="p", source="demo", domain="code", question="echo",
    ...             tests={"style": "stdio", "cases": [{"input": "hi\\n", "output": "hi\\n"}]})
    >>> t = Trace(problem_id="p", index=0, teacher="demo", prompt=[], response="```\\nprint(input())\\n```")
    >>> [v.outcome for v in check_code([(p, t)], workers=1)]
    ['correct']
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from s2s1.records import Problem, Trace, Verdict
from s2s1.verifiers.code import CodeVerifier
from s2s1.verifiers.pool import VerifierPool

__all__ = ["check_code"]


def check_code(pairs: Iterable[tuple[Problem, Trace]], *, workers: int | None = None) -> Iterator[Verdict]:
    """The code verifier's verdict on each pair, in order, from `workers` processes (default: all cores)."""
    verifier = CodeVerifier()
    workers = workers or os.cpu_count() or 1
    with VerifierPool([verifier], workers=workers) as pool:
        for verdicts in pool.map([(0, problem, trace)] for problem, trace in pairs):
            yield verdicts[0]
