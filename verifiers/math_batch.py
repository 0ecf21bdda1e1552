"""Check many (gold, model output) pairs on all cores, each under a hard time limit.

`verify_answers(pairs)` runs `MathVerifier` over the pairs in `workers` processes (default: one
per core) through `s2s1.verifiers.pool.VerifierPool`, which sends checks in small batches to keep
every worker busy and still limits each single check to `timeout_s` seconds of wall-clock time:
a check that runs longer, crashes its worker or raises is `unverifiable` with the reason, and
the rest of the batch goes on. Verdicts come back in input order, lazily. Each worker parses a
gold once and keeps it (`s2s1.verifiers.math_parse.parse_gold`), so many outputs per problem are cheap.

It does not read files (`s2s1 verify` does, through `s2s1.verifiers.rows`) or retry failed checks.

Example:
    >>> pairs = [("4", "so \\\\boxed{4}"), ("\\\\frac{1}{2}", "The final answer is 0.5."), (None, "4")]
    >>> [v.outcome for v in verify_answers(pairs, workers=1)]
    ['correct', 'correct', 'unverifiable']
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from s2s1.records import Problem, Trace, Verdict
from s2s1.verifiers.math import MathVerifier
from s2s1.verifiers.pool import VerifierPool

__all__ = ["verify_answers"]


def verify_answers(
    pairs: Iterable[tuple[str | None, str]],
    *,
    workers: int | None = None,
    timeout_s: float = 5.0,
    last_number: bool | None = None,
) -> Iterator[Verdict]:
    """The verdict for each (gold, output) pair, in order; `output` is the model's full text."""

    def items() -> Iterator[list[tuple[int, Problem, Trace]]]:
        for n, (gold, output) in enumerate(pairs):
            problem = Problem(id=str(n), source="batch", question="?", answer=gold)
            yield [
                (0, problem, Trace(problem_id=str(n), index=0, teacher="batch", prompt=[], response=output))
            ]

    size = workers or os.cpu_count() or 1
    with VerifierPool([MathVerifier(last_number)], workers=size, timeout_s=timeout_s) as pool:
        for verdicts in pool.map(items()):
            yield verdicts[0]
