"""Run verifier checks in worker processes, each under a hard wall-clock limit.

sympy can hang, and signal-based timeouts do not work off the main thread (Prefect runs tasks
in threads), so every check runs in a worker process started with the "spawn" method. Each
worker receives the pickled verifiers once, at start, then batches of checks (up to 64, fewer
when few are waiting, so that all workers stay busy; a second batch waits in the pipe). It sends
answers back every 50 ms and at the end of a batch, and writes which check it is running, and
since when, into a small shared array that the parent reads without any message. A check
running longer than its limit has its worker killed and replaced, and becomes `unverifiable`
with detail `TimeoutError after Xs`; the other checks sent to that worker whose answers had not
come back are sent again to a live worker. An exception in `verify()` becomes `unverifiable`
with `ExceptionClass: message`; a worker that dies (segfault, `os._exit`, SIGKILL, closed file
descriptors) makes the check it was running `unverifiable` with `WorkerCrash: …`, and the
parent never raises for it: it only ever learns of a death by reading end of file (see
`s2s1.verifiers.pool_worker`, which also says how a stopped worker's processes and files go).
Start-up is never counted against a check. A check's limit is `timeout_s` when the caller sets
it, else what its verifier's `time_limit_s(problem)` says, else `DEFAULT_TIMEOUT_S`.

Workers are daemon processes (killed when the parent exits), so a verifier cannot itself use
`multiprocessing` (plain `subprocess` is fine). As with any "spawn" start, each worker imports
the parent's main module: a script that calls `verify()` at top level needs an
`if __name__ == "__main__":` guard, and code piped to `python -` cannot start workers.

The pool does not limit a check's memory or isolate it from the file system or network (the
code sandbox is a separate concern), and it does not retry a check that failed.

Example:
    >>> from s2s1.records import Problem, Trace
    >>> from s2s1.verifiers.math import MathVerifier
    >>> p = Problem(id="p", source="demo", question="2+2?", answer="4")
    >>> t = Trace(problem_id="p", index=0, teacher="demo", prompt=[], response="\\\\boxed{4}")
    >>> with VerifierPool([MathVerifier()], workers=1, timeout_s=30) as pool:
    ...     [[v.outcome for v in vs] for vs in pool.map([[(0, p, t)], []])]
    [['correct'], []]
"""

from __future__ import annotations

import multiprocessing as mp
import pickle
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from multiprocessing.connection import wait
from typing import Any

from s2s1.errors import UserError
from s2s1.records import Problem, Verdict
from s2s1.verifiers.base import Verifier
from s2s1.verifiers.pool_worker import Job, Worker

__all__ = ["DEFAULT_TIMEOUT_S", "Job", "VerifierPool", "check_limit"]

DEFAULT_TIMEOUT_S = 5.0
"""Seconds per check for a verifier that declares no `time_limit_s` of its own."""

_BATCH = 64  # checks sent to a worker at once, at most


class VerifierPool:
    """`workers` processes that run `verifiers[i].verify(problem, trace)` with a time limit.

    Example:
        >>> from s2s1.verifiers.math import MathVerifier
        >>> with VerifierPool([MathVerifier()], workers=1) as pool:
        ...     list(pool.map([[]]))
        [[]]
    """

    def __init__(
        self, verifiers: Sequence[Verifier], *, workers: int = 2, timeout_s: float | None = None
    ) -> None:
        self.verifiers = list(verifiers)
        self.timeout_s = timeout_s
        self.size = max(1, int(workers))
        try:
            self._payload = pickle.dumps(self.verifiers)
        except Exception as e:
            raise UserError(
                f"verifiers must be picklable to run in worker processes: {type(e).__name__}: {e}"
            ) from None
        self._ctx = mp.get_context("spawn")
        self._workers: list[Worker] = []
        self._queue: deque[tuple[int, int, Job]] = deque()

    def __enter__(self) -> VerifierPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def map(self, items: Iterable[Sequence[Job]]) -> Iterator[list[Verdict]]:
        """For each item (a list of jobs, maybe empty), its verdicts in job order; items in order.

        Items are read lazily, a few per worker ahead of the output.
        """
        try:
            yield from self._run(iter(items))
        finally:
            if any(w.task is not None for w in self._workers):
                self.close()  # abandoned mid-way: drop the checks still running

    def _run(self, source: Iterator[Sequence[Job]]) -> Iterator[list[Verdict]]:
        ahead = 128 * self.size
        queue = self._queue = deque()  # (item number, slot in the item, job)
        results: dict[int, list[Verdict | None]] = {}
        done, read, exhausted = 0, 0, False
        while True:
            while not exhausted and len(queue) < ahead and read - done < 8 * ahead:
                try:
                    jobs = list(next(source))
                except StopIteration:
                    exhausted = True
                    break
                results[read] = [None] * len(jobs)
                queue.extend((read, slot, job) for slot, job in enumerate(jobs))
                read += 1
            while done < read and None not in results[done]:
                yield results.pop(done)  # type: ignore[misc]
                done += 1
            if exhausted and done == read:
                return
            idle = sum(w.task is None for w in self._workers)
            while len(queue) > idle and len(self._workers) < self.size:  # start workers only as needed
                self._workers.append(Worker(self._ctx, self._payload))
                idle += 1
            for w in self._workers:  # a second batch waits in the pipe while the first runs
                while (
                    w.ready
                    and queue
                    and (w.task is None or (len(w.tasks) <= _BATCH and len(queue) > self.size))
                ):
                    chunk = min(_BATCH, max(1, len(queue) // (2 * self.size)))
                    w.send([queue.popleft() for _ in range(min(chunk, len(queue)))])
            if not queue and all(w.task is None for w in self._workers):
                continue  # nothing in flight (the read-ahead limit was reached): read on, never wait
            self._wait(results)

    def close(self) -> None:
        """Stop every worker; the pool can be used again (new workers start on demand)."""
        for w in self._workers:
            w.stop()
        self._workers = []

    def _wait(self, results: dict[int, list[Verdict | None]]) -> None:
        """Block until a worker says something or a deadline passes; record what happened."""
        now = time.monotonic()
        deadlines = [w.started + self._limit(w) for w in self._workers if w.task is not None]
        timeout = max(0.0, min(deadlines) - now) if deadlines else None
        readable = wait([w.conn for w in self._workers], timeout)
        for i, w in enumerate(self._workers):
            while w.conn in readable:
                try:
                    msg = w.conn.recv()
                except Exception:  # end of file, or bytes a check wrote into the pipe
                    self._replace(i, results, f"WorkerCrash: worker process died (exit code {w.exitcode()})")
                    break
                if msg[0] == "ready":
                    w.ready = True
                elif msg[0] == "init-error":
                    self.close()
                    raise UserError(f"a verifier cannot be loaded in a worker process: {msg[1]}")
                else:
                    for answer in msg[1]:
                        self._finish(w, results, answer)
                if not w.conn.poll():
                    break
        now = time.monotonic()
        for i, w in enumerate(self._workers):
            if w.task is not None and now - w.started > (limit := self._limit(w)):
                self._replace(i, results, f"TimeoutError after {limit:g}s")

    def _limit(self, w: Worker) -> float:
        """The time limit of the check `w` runs now."""
        vi, problem, _ = w.tasks[min(max(0, w.running()), len(w.tasks) - 1)][2]
        return check_limit(self.verifiers[vi], problem, self.timeout_s)

    def _finish(self, w: Worker, results: dict[int, list[Verdict | None]], msg: tuple[Any, ...]) -> None:
        kind, value, elapsed = msg
        assert w.task is not None
        item, slot, job = w.tasks.popleft()
        w.answered += 1
        w.answered_at = time.monotonic()
        if kind == "ok":
            results[item][slot] = value  # its elapsed_s set by the worker
        else:
            results[item][slot] = self._unverifiable(job[0], value, elapsed)

    def _replace(self, i: int, results: dict[int, list[Verdict | None]], detail: str) -> None:
        w = self._workers[i]
        if w.task is None and not w.ready:
            self.close()
            raise UserError(f"a verifier worker failed to start ({detail}); check the verifiers' imports")
        if w.task is not None:
            unsent = w.unsent()
            running = min(max(0, w.running()), len(unsent) - 1)  # its answers before it were lost
            item, slot, job = unsent.pop(running)
            results[item][slot] = self._unverifiable(job[0], detail, time.monotonic() - w.started)
            self._queue.extendleft(reversed(unsent))  # the rest of its batch goes to another worker
        w.stop()
        self._workers[i] = Worker(self._ctx, self._payload)

    def _unverifiable(self, vi: int, detail: str, elapsed: float) -> Verdict:
        v = self.verifiers[vi]
        return Verdict(
            verifier=v.name,
            version=v.version,
            outcome="unverifiable",
            score=0.0,
            detail=detail[:300],
            elapsed_s=round(elapsed, 6),
        )


def check_limit(verifier: Verifier, problem: Problem, timeout_s: float | None = None) -> float:
    """Seconds one check may take: `timeout_s` if set, else the verifier's own, else the default."""
    if timeout_s is not None:
        return float(timeout_s)
    own = getattr(verifier, "time_limit_s", None)
    return float(own(problem)) if callable(own) else DEFAULT_TIMEOUT_S
