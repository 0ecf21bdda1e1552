"""One verifier worker process, and the parent's handle on it (used by `s2s1.verifiers.pool`).

The parent never blocks on, and never fails from, a write to a worker: batches go through a
queue that a small sender thread drains into the pipe. A worker that died (os._exit, a signal, a
segfault, a check that closed its file descriptors) only makes that thread's write fail, and the
thread then stops; the parent learns of the death from the read side (end of file), in one place.
Both ends pickle with `dumps`, which sends a plain pydantic model (records, verdicts) as its class,
field values and set fields, and rebuilds it as unpickling does (`BaseModel.__setstate__`), without
pydantic's Python-level `__getstate__`: the parent's pickling of a check took 7.4 µs, now 5.5.
A worker hung in C code can leave a large batch half-written: the sender thread waits, the
parent's clock keeps running, and the worker is killed at its deadline.

Each worker runs in a session of its own and has its own scratch folder (TMPDIR), made by the
parent. Stopping a worker kills its whole process group and deletes that folder, so a check that
was killed mid-way leaves neither processes (the jails of the code verifier also die with their
parent, see `s2s1.verifiers.sandbox`) nor files such as its jail folder. What a check starts in a
session of its own, outside a jail, is not tracked; nor is anything left when the parent itself
is killed with SIGKILL (its workers then end at their next read).
"""

from __future__ import annotations

import io
import os
import pickle
import queue
import shutil
import signal
import tempfile
import threading
import time
from collections import deque
from multiprocessing.connection import Connection
from typing import Any

from pydantic import BaseModel

from s2s1.records import Problem, Trace, Verdict

Job = tuple[int, Problem, Trace]
"""One check: (index of the verifier in the pool's list, problem, trace)."""


class Worker:
    """One worker process, the parent's end of its pipe, and what it was sent."""

    def __init__(self, ctx: Any, payload: bytes) -> None:
        self.scratch = tempfile.mkdtemp(prefix="s2s1-worker-")
        os.chmod(self.scratch, 0o711)  # jails bind folders below it as another uid
        self.conn, child = ctx.Pipe()
        self.progress = ctx.RawArray("d", [-1.0, 0.0])  # [number of the check it runs, since when]
        self.process = ctx.Process(
            target=worker_main, args=(child, payload, self.progress, self.scratch), daemon=True
        )
        self.process.start()
        child.close()
        self._outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._sender = threading.Thread(target=self._feed, daemon=True)
        self._sender.start()
        self.ready = False
        self.tasks: deque[tuple[int, int, Job]] = deque()  # (item, slot, job) sent, oldest first
        self.answered = 0  # checks answered since it started; the worker numbers its checks alike
        self.sent_at = self.answered_at = 0.0

    @property
    def started(self) -> float:
        """When the check it is running began (by its own clock), or when it could have begun."""
        if self.progress[0] >= self.answered:
            return self.progress[1]
        return max(self.sent_at, self.answered_at, self.progress[1])

    def running(self) -> int:
        """Position, among its unanswered checks, of the check it is running."""
        return int(self.progress[0]) - self.answered

    @property
    def task(self) -> tuple[int, int, Job] | None:
        """The check it is running now, or None when idle."""
        return self.tasks[0] if self.tasks else None

    def send(self, batch: list[tuple[int, int, Job]]) -> None:
        """Queue a batch for the worker; returns at once, whatever state the worker is in."""
        self.tasks.extend(batch)
        self._outbox.put([job for _, _, job in batch])
        self.sent_at = time.monotonic()

    def _feed(self) -> None:
        """The sender thread: write queued batches into the pipe until stopped or the pipe breaks."""
        while (batch := self._outbox.get()) is not _STOP:
            try:
                self.conn.send_bytes(dumps(batch))
            except (OSError, ValueError):  # the worker died; the parent sees end of file on its read
                return

    def unsent(self) -> list[tuple[int, int, Job]]:
        """The checks sent to it that it has not answered yet, oldest first."""
        return list(self.tasks)

    def exitcode(self) -> int | None:
        self.process.join(1.0)
        return self.process.exitcode

    def stop(self) -> None:
        """End the worker (politely when idle), its process group and its files."""
        if self.process.is_alive() and self.task is None and self.ready:
            self._outbox.put(None)  # the worker's signal to return
            self.process.join(1.0)
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # the worker and whatever it started
        except (ProcessLookupError, PermissionError):
            pass
        if self.process.is_alive():  # still starting: not yet the leader of its own group
            self.process.kill()
        self.process.join(5.0)
        self._outbox.put(_STOP)
        self._sender.join(5.0)  # a write to a dead process fails at once
        if not self._sender.is_alive():  # never close an fd another thread may still write to
            self.conn.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


_STOP = object()  # tells the sender thread to end


def dumps(obj: Any) -> bytes:
    """`obj` pickled, plain pydantic models in it as (class, values, set fields); see `_Pickler`."""
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buffer.getvalue()


class _Pickler(pickle.Pickler):
    """A pickler that reduces a plain pydantic model to `_rebuild(class, __dict__, set fields)`.

    Plain: its class keeps BaseModel's own pickling methods, and it has no extra fields or
    private attributes; any other object is pickled as usual.
    """

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        plain = _PLAIN.get(cls)
        if plain is None:
            plain = _PLAIN[cls] = _plain_model(cls)
        if plain and obj.__pydantic_extra__ is None and obj.__pydantic_private__ is None:
            return _rebuild, (cls, obj.__dict__, obj.__pydantic_fields_set__)
        return NotImplemented


_PLAIN: dict[type, bool] = {}  # class -> whether `_Pickler` reduces its instances itself


def _plain_model(cls: type) -> bool:
    methods = ("__getstate__", "__setstate__", "__reduce__", "__reduce_ex__")
    return issubclass(cls, BaseModel) and all(getattr(cls, m) is getattr(BaseModel, m) for m in methods)


def _rebuild(cls: type[BaseModel], values: dict[str, Any], fields_set: set[str]) -> BaseModel:
    """The model `_Pickler` reduced, set up as `BaseModel.__setstate__` sets up an unpickled one."""
    model = cls.__new__(cls)
    object.__setattr__(model, "__pydantic_fields_set__", fields_set)
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    object.__setattr__(model, "__dict__", values)
    return model


def _same_file(fd: int, inode: int) -> bool:
    try:
        return os.fstat(fd).st_ino == inode
    except OSError:
        return False


def worker_main(conn: Connection, payload: bytes, progress: Any, scratch: str) -> None:
    """Load the verifiers, say ready, then run batches of checks until told to stop.

    Answers go back every 50 ms and at the end of each batch, a verdict with its check's time in
    `elapsed_s`; `progress` always says which check is running (numbered from 0 since the worker
    started) and since when (monotonic clock, the same in every process).
    """
    os.setsid()  # its own process group, which the parent kills as a whole
    os.environ["TMPDIR"] = tempfile.tempdir = scratch
    try:
        verifiers = pickle.loads(payload)
    except BaseException as e:
        conn.send(("init-error", f"{type(e).__name__}: {e}"))
        return
    try:
        _serve(conn, verifiers, progress)
    except (EOFError, BrokenPipeError, ConnectionResetError):  # the parent closed the pipe: it stopped us
        return


def _serve(conn: Connection, verifiers: list[Any], progress: Any) -> None:
    """Say ready, then run batches until told to stop; a closed pipe raises (caught by the caller)."""
    conn.send(("ready",))
    pipe = os.fstat(conn.fileno()).st_ino
    number = 0
    while True:
        batch = conn.recv()
        if batch is None:
            return
        answers: list[tuple[Any, ...]] = []
        flushed = time.monotonic()
        for vi, problem, trace in batch:
            progress[1] = time.monotonic()
            progress[0] = float(number)
            number += 1
            start = time.perf_counter()
            try:
                verdict = verifiers[vi].verify(problem, trace)
                if not isinstance(verdict, Verdict):
                    raise TypeError(f"verify() returned {type(verdict).__name__}, not a Verdict")
                elapsed = time.perf_counter() - start
                answers.append(("ok", verdict.model_copy(update={"elapsed_s": round(elapsed, 6)}), elapsed))
            except Exception as e:
                answers.append(("error", f"{type(e).__name__}: {e}", time.perf_counter() - start))
            if not _same_file(conn.fileno(), pipe):  # the check closed or replaced our pipe: die now,
                os._exit(70)  # while `progress` still names it, so that it alone is blamed
            if time.monotonic() - flushed > 0.05:
                conn.send_bytes(dumps(("done", answers)))
                answers, flushed = [], time.monotonic()
        if answers:
            conn.send_bytes(dumps(("done", answers)))
