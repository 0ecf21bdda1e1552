"""Verifiers and the verify stage.

`Verifier` is the one plugin seam (design §4): verifiers are declared under the entry-point
group `s2s1.verifiers` — s2s1's own `math` verifier too — and loaded by name with
`load_verifiers`. `verify` is the stage over records, `verify_batches` over batches of them
(shards); `verify_rows` does the same for flat JSON rows (`s2s1 verify`). All run every check in
worker processes under a hard time limit (`VerifierPool`), so a hang or crash becomes an
`unverifiable` verdict, not a stuck run.
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
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import closing

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
    "verify_batches",
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
    one_by_one = ([r] for r in records)
    batches = verify_batches(one_by_one, verifiers, timeout_s=timeout_s, workers=workers, pool=pool)
    with closing(batches):  # stopped early: the pool's checks stop too
        for batch in batches:
            yield from batch


def verify_batches(
    batches: Iterable[Sequence[Record]],
    verifiers: Sequence[Verifier],
    *,
    timeout_s: float | None = None,
    workers: int = 2,
    pool: VerifierPool | None = None,
) -> Generator[list[Record], None, None]:
    """`verify` over batches (a stage's shards, say): each batch's records verified, batches in order.

    All batches go through one `pool.map`, so the workers start on the next batch's checks while
    the last of this one's finish, and a batch comes back as soon as all its checks have. Batches
    are read lazily, a few hundred checks ahead. `timeout_s`, `workers`, `pool` as in `verify`.

    Example:
        >>> from s2s1.records import Problem, Record, Trace
        >>> p = Problem(id="p", source="demo", question="2+2?", answer="4")
        >>> r = Record(problem=p, trace=Trace(problem_id="p", index=0, teacher="d", prompt=[], response="4"))
        >>> [len(b) for b in verify_batches([[r, r], [], [r]], load_verifiers(["math"]), workers=1)]
        [2, 0, 1]
    """
    verifiers = list(verifiers)
    pending: deque[list[tuple[Record, list[int]]]] = deque()

    def handling(record: Record) -> list[int]:
        return [i for i, v in enumerate(verifiers) if record.problem.domain in v.domains]

    def items() -> Iterator[list[Job]]:
        for batch in batches:
            chosen = [(r, handling(r)) for r in batch]
            pending.append(chosen)
            yield [(i, r.problem, r.trace) for r, which in chosen for i in which]

    own = pool is None
    running = VerifierPool(verifiers, workers=workers, timeout_s=timeout_s) if pool is None else pool
    try:
        for verdicts in running.map(items()):
            answers, out = iter(verdicts), []
            for record, which in pending.popleft():
                new = {verifiers[i].name: next(answers) for i in which}
                merged = {**record.verdicts, **new}
                out.append(record.model_copy(update={"verdicts": merged}) if new else record)
            yield out
    finally:
        if own:
            running.close()
