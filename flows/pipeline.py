"""The Prefect flow that wires the stages together over a run folder (design §1, §7).

    problems ─► generate ─► verify ─► filter ─► export ─► train ─► evaluate ─► report

Each stage reads the previous stage's shard files and writes its own; a shard file appears only
when complete (write, then rename), so a task skips every shard that already exists and a rerun
after a crash continues where the last one stopped. The stage logic lives in plain functions in
`generators`, `verifiers`, `filters` and `distill`; this module only decides what to run, in
which order, and what to skip. Skipping is by file, so it holds across processes and machines
that share the run folder; generate runs one task per shard whose cache, retries, GPU tag and
timeout are chosen in flows/shard_tasks.py; verify and filter each run as one task that goes
through the shards with one verifier pool in one pass / one set of filters (the Dask flow,
flows/dask_stages.py, spreads them as one task per shard); train and evaluate are tasks in
flows/student_tasks.py; every run publishes its report, pass rates and filter drops as Prefect
artifacts (flows/artifacts.py).

Inside an unfinished generation shard, samples already drawn are kept in the shard's journal
and not drawn again (generators/strategies.py).

Example:
    >>> from s2s1.config import Config
    >>> pipeline(Config(), run_dir="runs/demo")  # doctest: +SKIP
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from s2s1.config import Config
from s2s1.errors import UserError
from s2s1.flows.artifacts import Progress, publish_artifacts
from s2s1.flows.manifest import prepare_problems
from s2s1.flows.metrics import collect_metrics, read_records, write_timing
from s2s1.flows.shard_tasks import (
    filter_shard_file,
    filtered,
    generate_shard,
    log_skips,
    transient,
    verify_shard_files,
)
from s2s1.flows.student_tasks import evaluate_models, train_student_task
from s2s1.generators.teacher import build_teacher, distilled_constitution
from s2s1.problems import load_problems
from s2s1.records import Problem
from s2s1.shards import chunks, shard_path, write_json

__all__ = ["STAGES", "check_inputs", "pipeline", "prepare_problems"]

STAGES = ("generate", "verify", "filter", "export", "train", "evaluate")


@flow(name="s2s1-pipeline")
def pipeline(cfg: Config, run_dir: Path, stages: list[str] | None = None) -> dict[str, Any]:
    """Run `stages` (default: all) of the pipeline over `run_dir`; return the run's metrics."""
    run_dir = Path(run_dir)
    stages = check_inputs(cfg, stages)
    train, held_out = prepare_problems(cfg, run_dir)
    teacher = _Once(lambda: build_teacher(cfg))
    steps: dict[str, Callable[[], list[str]]] = {
        "generate": lambda: generate_traces(cfg, run_dir, train, teacher),
        "verify": lambda: verify_traces(cfg, run_dir),
        "filter": lambda: filter_traces(cfg, run_dir),
        "export": lambda: export_data(cfg, run_dir),
        "train": lambda: train_student_task(cfg, run_dir),
        "evaluate": lambda: evaluate_models(cfg, run_dir, held_out, teacher.get),
    }
    skipped: list[str] = []
    for name in STAGES:
        if name in stages:
            start = time.perf_counter()
            with _heap_frozen():
                skipped += steps[name]()
            teacher.release()  # a vLLM teacher's engine would hold its memory through training
            write_timing(run_dir, name, time.perf_counter() - start)
    metrics = collect_metrics(run_dir)
    write_json(run_dir / "metrics.json", metrics)
    if "evaluate" in metrics:
        from s2s1.distill.report import write_report

        write_report(run_dir, metrics, metrics.get("train", {}).get("losses", []))
    publish_artifacts(run_dir, metrics)
    return {**metrics, "skipped": skipped}


_STAGE_GEN0 = 20_000  # the collector's first threshold during a stage: cycles wait for this many


@contextmanager
def _heap_frozen() -> Iterator[None]:
    """Keep Python's cyclic garbage collector off the objects that exist when a stage starts.

    A stage that streams records allocates enough to run the collector thousands of times, and
    each full collection walked every object of the process, ~300k of them (Prefect, pydantic,
    sympy): at 128k traces, 19.5 s of a 75 s verify stage; frozen, 3.6 s. Objects made during
    the stage are collected as usual; when it ends, the frozen ones are collectable again.

    A young collection also waits for 20,000 net new objects (not 700): a stage's records die by
    reference count, so at 32k traces the verify pass ran 2–3 collections, not ~1,000 (0.19 CPU s).
    """
    threshold = gc.get_threshold()
    gc.collect()  # freeze only what is alive
    gc.freeze()
    gc.set_threshold(max(threshold[0], _STAGE_GEN0), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def check_inputs(cfg: Config, stages: list[str] | None) -> list[str]:
    """Fail fast on bad input (stage names, problem files, verifier names) before any work.

    The CLI calls this before starting Prefect, so bad input costs no server start-up and prints
    no Prefect log. Returns the stages to run.
    """
    from s2s1.verifiers import load_verifiers

    stages = list(stages or STAGES)
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        raise UserError(f"--stages: unknown stage(s) {', '.join(unknown)}; choose from {', '.join(STAGES)}")
    load_problems(cfg.problems)
    load_verifiers(cfg.verify.verifiers)
    return stages


def generate_traces(cfg: Config, run_dir: Path, problems: list[Problem], teacher: _Once) -> list[str]:
    """One traces shard per `shard_size` problems, each a `generate_shard` task; existing shards are skipped.

    A shard whose file exists is skipped without a task run (a rerun of a large run costs no
    Prefect bookkeeping per finished shard); a missing one runs with `refresh_cache=True` (the
    file, not Prefect's cache, says what is done; see flows/shard_tasks.py).
    """
    log = get_run_logger()
    shards = list(chunks(problems, cfg.generate.shard_size))
    skipped, errors, total = [], 0, 0
    with Progress("generate", len(shards)) as progress:
        for i, shard in enumerate(shards):
            if shard_path(run_dir, "traces", i).exists():
                skipped.append(f"generate {shard_path(run_dir, 'traces', i).name}")
                progress.advance()
                continue
            log.info(
                "generate: shard %d (%d problems, %s strategy, n=%d)",
                i,
                len(shard),
                cfg.generate.strategy.name,
                cfg.generate.sampling.n,
            )
            result = generate_shard.with_options(refresh_cache=True)(cfg, run_dir, i, shard, teacher.get)
            progress.advance()
            errors, total = errors + result["errors"], total + result["records"]
            if total and errors / total > cfg.generate.max_error_fraction:
                raise UserError(
                    f"generate: {errors} of {total} traces failed (first error: {result['first_error']}); "
                    "fix the cause, or raise generate.max_error_fraction"
                )
    log_skips(log, "generate", skipped)
    return skipped


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[10, 20, 40], retry_condition_fn=transient)
def verify_traces(cfg: Config, run_dir: Path) -> list[str]:
    """Verify each traces shard into a verified shard: one task, one pass, one verifier pool.

    A shard whose verified file exists is skipped; the others go through one pool in one pass
    (`verify_shard_files`), each written as soon as it is verified. Not a task, a pool or a pass
    per shard: a task run costs ~0.2 s and a drained pool idles its workers, each as much as
    verifying a shard of 96 traces. A transient failure (`transient`) retries the task, which
    redoes only the shards still missing.
    """
    names = [p.name for p in sorted((Path(run_dir) / "traces").glob("shard-*.jsonl"))]
    todo = [name for name in names if not (Path(run_dir) / "verified" / name).exists()]
    skipped = [f"verify {name}" for name in names if name not in todo]
    with Progress("verify", len(names)) as progress:
        for _ in skipped:
            progress.advance()
        for _ in verify_shard_files(cfg, run_dir, todo) if todo else ():
            progress.advance()
    log_skips(get_run_logger(), "verify", skipped)
    return skipped


@task(cache_policy=NO_CACHE)
def filter_traces(cfg: Config, run_dir: Path) -> list[str]:
    """Filter each verified shard; kept records go to filtered/, dropped ones to rejected/."""
    from s2s1.filters import build_filters

    filters = build_filters(cfg.filter.filters, cfg.filter, run_dir=run_dir, teacher=cfg.generate)
    log = get_run_logger()
    skipped = []
    shards = sorted((run_dir / "verified").glob("shard-*.jsonl"))
    for src in shards:
        if filtered(run_dir, src.name):
            skipped.append(f"filter {src.name}")
        else:
            filter_shard_file(run_dir, src.name, filters)
    log_skips(log, "filter", skipped)
    if len(skipped) < len(shards) or not (run_dir / "diversity.json").exists():
        from s2s1.filters.diversity import run_guard  # diversity.json; raises when configured to fail

        start = time.perf_counter()
        for warning in run_guard(run_dir, cfg.filter)["warnings"]:
            log.warning("diversity guard: %s", warning)
        write_timing(run_dir, "filter_diversity_guard", time.perf_counter() - start)  # part of "filter"
    return skipped


@task(cache_policy=NO_CACHE)
def export_data(cfg: Config, run_dir: Path) -> list[str]:
    """Export the kept records as parquet with a dataset card: drops by reason, constitution hash."""
    from s2s1.distill.export import write_dataset

    out = run_dir / "dataset"
    if out.exists():
        log_skips(get_run_logger(), "export", ["dataset"])
        return ["export dataset"]
    metrics = collect_metrics(run_dir)
    run_info = {
        "run": cfg.name,
        "teacher": cfg.generate.model,
        "sampling": cfg.generate.sampling.model_dump(),
        "export_mode": cfg.export.mode,
        "verifiers": cfg.verify.verifiers,
        "filters": cfg.filter.filters,
        "dropped_by_reason": metrics.get("filter", {}).get("dropped_by_reason", {}),
    }
    constitution = distilled_constitution(cfg)
    manifest = run_dir / "manifest.json"
    judged = json.loads(manifest.read_text()).get("constitution") if manifest.exists() else None
    if constitution is not None or judged:  # distilled (mode context), else the judge's (manifest)
        run_info["constitution_hash"] = constitution.hash if constitution is not None else judged["hash"]
    write_dataset(read_records(run_dir, "filtered"), out, cfg.export, run_info, constitution)
    return []


class _Once:
    """Builds a value on first use (the teacher model is loaded only if some stage needs it)."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build, self._value = build, None

    def get(self) -> Any:
        if self._value is None:
            self._value = self._build()
        return self._value

    def release(self) -> None:
        """Stop the value's vLLM engine, if it has one; the generator starts it again if used."""
        if self._value is not None:
            from s2s1.distill.evaluate import close_engine

            close_engine(self._value)
