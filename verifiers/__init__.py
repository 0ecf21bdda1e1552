"""Verifiers and the verify stage.

`Verifier` is the one plugin seam (design §4): verifiers are declared under the entry-point
group `s2s1.verifiers` — s2s1's own `math` verifier too — and loaded by name with
`load_verifiers`. `verify` is the stage over records; `verify_rows` does the same for flat
JSON rows (`s2s1 verify`). Both run every check in worker processes under a hard time limit
(`VerifierPool`), so a hang or crash becomes an `unverifiable` verdict, not a stuck run.
`s2s1.verifiers.testing.check_verifier` is the contract check for plugin authors.

This package does not generate, filter or write files; it does not retry failed checks.

Example:
    >>> from s2s1.records import Problem, Record, Trace
    >>> p = Problem(id="p", source="demo", question="2+2?", answer="4")
    >>> t = Trace(problem_id="p", index=0, teacher="demo", prompt=[], response="\\\\boxed{4}")
    >>> [r.verdicts["math"].outcome for r in verify([Record(problem=p, trace=t)], load_verifiers(["math"]))]
    ['correct']
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence

from s2s1.records import Record
from s2s1.verifiers.base import Verifier
from s2s1.verifiers.pool import Job, VerifierPool
from s2s1.verifiers.registry import VerifierInfo, installed, load_verifiers
from s2s1.verifiers.rows import verify_rows

__all__ = [
    "Verifier",
    "VerifierInfo",
    "VerifierPool",
    "installed",
    "load_verifiers",
    "verify",
    "verify_rows",
]


def verify(
    records: Iterable[Record],
    verifiers: Sequence[Verifier],
    *,
    timeout_s: float | None = None,
    workers: int = 2,
    pool: VerifierPool | None = None,
) -> Iterator[Record]:
    """Each record, in input order, with `verdicts[name]` added by every verifier for its domain.

    `pool`: a pool over the same `verifiers`, reused and left running (a stage shares one across
    its shards); without it, a pool of `workers` processes is started and stopped here.

    A record whose domain no verifier handles passes through unchanged. Checks run in `workers`
    processes, each under a hard wall-clock limit: `timeout_s` when given, else the verifier's own
    `time_limit_s(problem)` (the code verifier's: its tests at their own limits, plus a margin,
    so a candidate that runs too long is `incorrect` by the verifier's finer limits), else
    `DEFAULT_TIMEOUT_S` (see `s2s1.verifiers.pool`).

    Example:
        >>> from s2s1.records import Problem, Record, Trace
        >>> p = Problem(id="p", source="demo", question="2+2?", answer="4")
        >>> t = Trace(problem_id="p", index=0, teacher="demo", prompt=[], response="no idea")
        >>> out = next(verify([Record(problem=p, trace=t)], load_verifiers(["math"]), workers=1))
        >>> out.verdicts["math"].detail
        'no final answer found'
    """
    verifiers = list(verifiers)
    pending: deque[tuple[Record, list[int]]] = deque()

    def items() -> Iterator[list[Job]]:
        for record in records:
            chosen = [i for i, v in enumerate(verifiers) if record.problem.domain in v.domains]
            pending.append((record, chosen))
            yield [(i, record.problem, record.trace) for i in chosen]

    own = pool is None
    running = VerifierPool(verifiers, workers=workers, timeout_s=timeout_s) if pool is None else pool
    try:
        for verdicts in running.map(items()):
            record, chosen = pending.popleft()
            if not chosen:
                yield record
                continue
            new = {verifiers[i].name: v for i, v in zip(chosen, verdicts, strict=True)}
            yield record.model_copy(update={"verdicts": {**record.verdicts, **new}})
    finally:
        if own:
            running.close()
