"""Verify and filter a run folder's shards on a Dask cluster, through Prefect's `prefect-dask`.

    verify_filter_dask(cfg, run_dir)                          # a local cluster, `workers` processes
    verify_filter_dask(cfg, run_dir, scheduler="tcp://head:8786")   # an existing cluster

Why Dask (not Ray): verification and filtering are CPU-bound, per-shard, pure-Python work over
files on a shared folder. A Dask cluster is a pip install, a scheduler and `dask worker`
processes — on plain machines, on Kubernetes (dask-kubernetes) or on a batch system
(dask-jobqueue) — with no object store or GPU scheduling that this work would not use.
`prefect-dask` runs each Prefect task on a Dask worker, so the tasks keep their cache, retries
and timeouts (flows/shard_tasks.py) and show in the Prefect UI as usual. Generation and training
scale with vLLM's and accelerate's own parallelism instead (docs/scaling.md).

Each shard is one `verify_shard` then one `filter_shard` task; shards run in parallel across
the cluster, and within a task the verifiers still run in their own time-limited processes
(verifiers/pool.py). Dask workers must therefore be allowed child processes: this module sets
`distributed.worker.daemon: False` for the local cluster; start remote workers with
`DASK_DISTRIBUTED__WORKER__DAEMON=False dask worker tcp://head:8786`. Every worker must see the
run folder at the same path (a shared file system).

It does not generate, export, train or evaluate. It filters shard by shard with the same
`build_filters` and `filter_records` as the pipeline's filter stage (whose filters, dedup
included, work within a problem, and a problem's samples share a shard), then lets that stage
run its run-level diversity guard.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dask
from prefect import flow
from prefect_dask import DaskTaskRunner

from s2s1.config import Config
from s2s1.errors import UserError
from s2s1.flows.artifacts import Progress, publish_artifacts
from s2s1.flows.manifest import prepare_problems
from s2s1.flows.metrics import collect_metrics
from s2s1.flows.pipeline import check_inputs, filter_traces
from s2s1.flows.shard_tasks import filter_shard, verify_shard
from s2s1.shards import write_json

__all__ = ["verify_filter_dask"]

dask.config.set({"distributed.worker.daemon": False})  # verifiers run in child processes


@flow(name="s2s1-verify-filter-dask")
def verify_filter_dask(
    cfg: Config, run_dir: Path, scheduler: str | None = None, workers: int = 2
) -> dict[str, Any]:
    """Verify then filter every traces shard of `run_dir` on Dask; return the run's metrics.

    `scheduler` is an existing cluster's address; without it a local cluster of `workers`
    single-threaded worker processes is started for this run and closed after it.
    """
    check_inputs(cfg, ["verify", "filter"])
    if scheduler:
        runner = DaskTaskRunner(address=scheduler)
    else:
        runner = DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1})
    return _shards_on_dask.with_options(task_runner=runner)(cfg, Path(run_dir))


@flow(name="s2s1-verify-filter-shards")
def _shards_on_dask(cfg: Config, run_dir: Path) -> dict[str, Any]:
    prepare_problems(cfg, run_dir)  # refuses a folder made with a different config
    names = [p.name for p in sorted((run_dir / "traces").glob("shard-*.jsonl"))]
    if not names:
        raise UserError(f"{run_dir / 'traces'}: no traces shards; run the generate stage first")
    futures, skipped = [], []
    for name in names:
        verified = (run_dir / "verified" / name).exists()
        kept = (run_dir / "filtered" / name).exists() and (run_dir / "rejected" / name).exists()
        skipped += [f"verify {name}"] * verified + [f"filter {name}"] * kept
        v = verify_shard.with_options(refresh_cache=not verified).submit(cfg, run_dir, name)
        f = filter_shard.with_options(refresh_cache=not kept).submit(cfg, run_dir, name, wait_for=[v])
        futures.append(f)
    with Progress("verify-filter", len(futures)) as progress:
        for future in futures:
            future.result()
            progress.advance()
    # The run-level part of the filter stage (the diversity guard) runs here, on the flow's
    # machine: the pipeline's filter_traces finds every shard done and does only that.
    filter_traces(cfg, run_dir)
    metrics = collect_metrics(run_dir)
    write_json(run_dir / "metrics.json", metrics)
    publish_artifacts(run_dir, metrics)
    return {**metrics, "skipped": skipped}
