"""One shard of one stage as a Prefect task, with its behaviour chosen deliberately (design §7).

A shard is the unit of work and of resume. `generate_shard`, `verify_shard` and `filter_shard`
each read one input shard (or list of problems) and write one output shard file, write-then-rename.
What is chosen for them, and why:

- Resume: the shard FILE is the source of truth. The stage loops (flows/pipeline.py, flows/dask_stages.py)
  pass `refresh_cache=True` when the output file is missing, so a cached result never hides
  lost work; and a task returns early when its output exists, so a finished shard is never
  redone even when the cache is gone (another machine, wiped result storage, changed code).
- Cache: `INPUTS + TASK_SOURCE` (the teacher excluded: it is a lazy loader, not data). When the
  output exists, a rerun in a later flow run finds the earlier result and the task is `Cached`:
  no task run, no GPU concurrency slot taken, no model loaded. A change to the task's source
  changes the key; the task then runs, finds its file and returns, so changed code never
  redoes finished shards — delete a stage's folder to redo it.
- Result storage: results are small JSON summaries (counts), persisted with the JSON serializer
  to Prefect's default result storage, `PREFECT_LOCAL_STORAGE_PATH` on one machine; with workers
  on several machines set `PREFECT_RESULTS_DEFAULT_STORAGE_BLOCK` to a shared block
  (docs/deploy.md). Records never go into results; they live in the run folder.
- Retries: 3, backing off 10, 20, 40 s, for transient failures only (`transient`): a lost
  connection, a network time-out, an I/O error on shared storage. A UserError, a task time-out
  or any other exception fails at once: running it again gives the same answer.
- Concurrency: GPU work carries the tag `gpu` (`GPU_TAG`); `prefect concurrency-limit create gpu N`
  makes the server run at most N such tasks at once across all flow runs.
- Timeouts: per shard, far above a healthy shard's time (see each constant), so a hung engine
  or a deadlocked pool fails the task instead of holding a worker forever. A task running in
  a worker thread (on Dask, say) times out only once a blocking call returns, and Prefect warns
  so; there the verifier pool's per-check hard limit is what bounds verification.

- Inside a shard: generation journals each finished sample (s2s1/journal.py), so a retry or a
  rerun after a kill draws only the samples the shard still lacks.

This module does not decide which shards exist or the order of stages (flows/pipeline.py does).

Example:
    >>> verify_shard(cfg, Path("runs/demo"), "shard-00000.jsonl")  # doctest: +SKIP
    {'shard': 'shard-00000.jsonl', 'skipped': False, 'records': 64, 'errors': 0, 'first_error': None}
"""

from __future__ import annotations

import errno
from collections import deque
from collections.abc import Callable, Generator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prefect import Task, task
from prefect.cache_policies import INPUTS, TASK_SOURCE
from prefect.client.schemas.objects import State, TaskRun
from prefect.tasks import exponential_backoff

from s2s1.config import Config
from s2s1.flows.generation import strategy_functions
from s2s1.generators import Backend, generate_shard_file
from s2s1.records import Problem, Record
from s2s1.shards import atomic_write_text, read_models, shard_path, write_models

if TYPE_CHECKING:
    from s2s1.verifiers.pool import VerifierPool

__all__ = [
    "GPU_TAG",
    "filter_shard",
    "filter_shard_file",
    "filtered",
    "generate_shard",
    "log_skips",
    "transient",
    "verify_shard",
    "verify_shard_file",
    "verify_shard_files",
]

GPU_TAG = "gpu"
"""Tag of tasks that hold a GPU; limit them with `prefect concurrency-limit create gpu N`."""

GENERATE_SHARD_TIMEOUT_S = 4 * 3600
"""16 problems × 8 samples × 16k tokens at ~1k tok/s on one GPU is ~35 min; 4 h means hung."""
CPU_SHARD_TIMEOUT_S = 3600
"""A verify or filter shard: 128 checks × a 5 s hard limit over 2 workers is ≤ 6 min at worst."""

_RETRY = {"retries": 3, "retry_delay_seconds": exponential_backoff(backoff_factor=10)}
_CACHE = {"persist_result": True, "result_serializer": "json"}


def transient(task: Task[Any, Any], task_run: TaskRun, state: State[Any]) -> bool:
    """Prefect's retry condition: retry only failures that may not happen again."""
    from prefect.task_engine import TaskRunTimeoutError

    try:
        state.result()
    except TaskRunTimeoutError:
        return False
    except (ConnectionError, TimeoutError):
        return True
    except OSError as e:
        return e.errno in (errno.EIO, errno.ESTALE, errno.EAGAIN)
    except Exception:
        return False
    return False


@task(
    cache_policy=INPUTS - "teacher" + TASK_SOURCE,
    tags=[GPU_TAG],
    timeout_seconds=GENERATE_SHARD_TIMEOUT_S,
    retry_condition_fn=transient,
    **_RETRY,
    **_CACHE,
)
def generate_shard(
    cfg: Config, run_dir: Path, index: int, problems: list[Problem], teacher: Callable[[], Backend]
) -> dict[str, Any]:
    """Traces shard `index` from `teacher()` with the configured strategy; a journal left by a
    killed run is resumed (samples it holds are not drawn again)."""
    path = shard_path(run_dir, "traces", index)
    if path.exists():
        return _summary(path, skipped=True)
    records = generate_shard_file(path, problems, teacher(), cfg.generate, *strategy_functions(cfg))
    return _summary(path, skipped=False, records=records)


@task(
    cache_policy=INPUTS + TASK_SOURCE,
    timeout_seconds=CPU_SHARD_TIMEOUT_S,
    retry_condition_fn=transient,
    **_RETRY,
    **_CACHE,
)
def verify_shard(cfg: Config, run_dir: Path, name: str) -> dict[str, Any]:
    """verified/<name> from traces/<name>: every record with its verdicts (its own verifier pool)."""
    return verify_shard_file(cfg, run_dir, name)


def verify_shard_file(cfg: Config, run_dir: Path, name: str) -> dict[str, Any]:
    """`verify_shard` without Prefect: one shard, with a verifier pool started for it."""
    out = Path(run_dir) / "verified" / name
    if out.exists():
        return _summary(out, skipped=True)
    return next(verify_shard_files(cfg, run_dir, [name]))


def verify_shard_files(
    cfg: Config, run_dir: Path, names: list[str], pool: VerifierPool | None = None
) -> Generator[dict[str, Any], None, None]:
    """verified/<name> from traces/<name> for every name, in one pass: each shard's summary, in order.

    The shards' records go through one `verify_batches` (one pool: `pool`, or one started here),
    so the workers never wait while a shard is read or written. Each verified shard is serialised
    here as soon as its last check is back, then written (write, fsync, rename) by a writer thread,
    so the ~5–12 ms fsync of each shard overlaps the next shard's work (it was a third of the pass
    at 32k traces); at most `_WRITES_AHEAD` shards wait for it. (Serialising in that thread too
    cost the process ~9 µs more CPU a trace at 32k traces.) A kill loses only the shards in
    flight; a stop (closing this generator) writes every shard already verified. It does not
    skip: the caller passes the shards whose verified file is missing.
    """
    from s2s1.verifiers import load_verifiers, verify_batches

    run_dir = Path(run_dir)
    verifiers = pool.verifiers if pool is not None else load_verifiers(cfg.verify.verifiers)
    shards = (read_models(run_dir / "traces" / name, Record) for name in names)
    done = verify_batches(
        shards, verifiers, timeout_s=cfg.verify.timeout_s, workers=cfg.verify.workers, pool=pool
    )
    writes: deque[Future[dict[str, Any]]] = deque()
    with closing(done), ThreadPoolExecutor(max_workers=1) as writer:
        for name, records in zip(names, done, strict=True):
            text = "".join(r.model_dump_json() + "\n" for r in records)  # as write_models writes them
            summary = _summary(run_dir / "verified" / name, skipped=False, records=records)
            writes.append(writer.submit(_write_text, run_dir / "verified" / name, text, summary))
            while writes and (writes[0].done() or len(writes) > _WRITES_AHEAD):
                yield writes.popleft().result()
        while writes:
            yield writes.popleft().result()


_WRITES_AHEAD = 4  # verified shards held in memory while the writer thread catches up, at most


def _write_text(path: Path, text: str, summary: dict[str, Any]) -> dict[str, Any]:
    atomic_write_text(path, text)
    return summary


@task(
    cache_policy=INPUTS + TASK_SOURCE,
    timeout_seconds=CPU_SHARD_TIMEOUT_S,
    retry_condition_fn=transient,
    **_RETRY,
    **_CACHE,
)
def filter_shard(cfg: Config, run_dir: Path, name: str) -> dict[str, Any]:
    """filtered/<name> (kept) and rejected/<name> (dropped, with reasons) from verified/<name>."""
    from s2s1.filters import build_filters

    kept_path = Path(run_dir) / "filtered" / name
    if filtered(run_dir, name):
        return _summary(kept_path, skipped=True)
    filters = build_filters(cfg.filter.filters, cfg.filter, run_dir=run_dir, teacher=cfg.generate)
    return _summary(kept_path, skipped=False, records=filter_shard_file(run_dir, name, filters))


def filtered(run_dir: Path, name: str) -> bool:
    """True when shard `name` has both its filtered/ and rejected/ files."""
    return (Path(run_dir) / "filtered" / name).exists() and (Path(run_dir) / "rejected" / name).exists()


def filter_shard_file(run_dir: Path, name: str, filters: list[Any]) -> list[Record]:
    """Filter verified/<name>: dropped records to rejected/<name>, then kept ones to filtered/<name>."""
    from s2s1.filters import filter_records

    records = list(filter_records(read_models(Path(run_dir) / "verified" / name, Record), filters))
    write_models(Path(run_dir) / "rejected" / name, [r for r in records if not r.kept])
    write_models(Path(run_dir) / "filtered" / name, [r for r in records if r.kept])
    return records


def _summary(path: Path, *, skipped: bool, records: list[Record] | None = None) -> dict[str, Any]:
    """What a shard task returns (and Prefect persists): counts only, never the records."""
    out: dict[str, Any] = {"shard": path.name, "skipped": skipped}
    if records is not None:
        out["records"] = len(records)
        errors = [r.trace.error for r in records if r.trace.finish_reason == "error"]
        out["errors"], out["first_error"] = len(errors), (errors[0] if errors else None)
    return out


def log_skips(log: Any, stage: str, skipped: list[str]) -> None:
    """Log, once per stage, the work an earlier run had finished."""
    if skipped:
        log.info("%s: %d already complete, skipped (%s)", stage, len(skipped), ", ".join(skipped))
