"""The Prefect flow that wires the stages together over a run folder (design §1, §7).

    problems ─► generate ─► verify ─► filter ─► export ─► train ─► evaluate ─► report

Each stage reads the previous stage's shard files and writes its own; a shard file appears only
when complete (write, then rename), so a task skips every shard that already exists and a rerun
after a crash continues where the last one stopped. The stage logic lives in plain functions in
`generators`, `verifiers`, `filters` and `distill`; this module only decides what to run, in
which order, and what to skip. Skipping is by file, so it holds across processes and machines
that share the run folder; generate and verify run one task per shard whose cache, retries,
GPU tag and timeout are chosen in flows/shard_tasks.py, and every run publishes its report,
pass rates and filter drops as Prefect artifacts (flows/artifacts.py).

Inside an unfinished generation shard, samples already drawn are kept in the shard's journal
and not drawn again (generators/strategies.py).

Example:
    >>> from s2s1.config import Config
    >>> pipeline(Config(), run_dir="runs/demo")  # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from distill.adapters import build_teacher, distilled_constitution
from flows.artifacts import Progress, publish_artifacts
from flows.manifest import prepare_problems
from flows.metrics import collect_metrics, read_records, write_timing
from flows.shard_tasks import GPU_TAG, filter_shard_file, filtered, generate_shard, verify_shard
from generators import Generator
from generators.embedded import resolve_model
from s2s1.config import Config
from s2s1.errors import UserError
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
        "evaluate": lambda: evaluate_models(cfg, run_dir, held_out, teacher),
    }
    skipped: list[str] = []
    for name in STAGES:
        if name in stages:
            start = time.perf_counter()
            skipped += steps[name]()
            write_timing(run_dir, name, time.perf_counter() - start)
    metrics = collect_metrics(run_dir)
    write_json(run_dir / "metrics.json", metrics)
    if "evaluate" in metrics:
        from distill.report import write_report

        write_report(run_dir, metrics, metrics.get("train", {}).get("losses", []))
    publish_artifacts(run_dir, metrics)
    return {**metrics, "skipped": skipped}


def check_inputs(cfg: Config, stages: list[str] | None) -> list[str]:
    """Fail fast on bad input (stage names, problem files, verifier names) before any work.

    The CLI calls this before starting Prefect, so bad input costs no server start-up and prints
    no Prefect log. Returns the stages to run.
    """
    from verifiers import load_verifiers

    stages = list(stages or STAGES)
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        raise UserError(f"--stages: unknown stage(s) {', '.join(unknown)}; choose from {', '.join(STAGES)}")
    load_problems(cfg.problems)
    load_verifiers(cfg.verify.verifiers)
    return stages


def generate_traces(cfg: Config, run_dir: Path, problems: list[Problem], teacher: _Once) -> list[str]:
    """One traces shard per `shard_size` problems, each a `generate_shard` task; existing shards are skipped.

    A shard whose file is missing runs with `refresh_cache=True` (the file, not Prefect's cache,
    says what is done; see flows/shard_tasks.py).
    """
    log = get_run_logger()
    shards = list(chunks(problems, cfg.generate.shard_size))
    skipped, errors, total = [], 0, 0
    with Progress("generate", len(shards)) as progress:
        for i, shard in enumerate(shards):
            missing = not shard_path(run_dir, "traces", i).exists()
            if missing:
                log.info(
                    "generate: shard %d (%d problems, %s strategy, n=%d)",
                    i,
                    len(shard),
                    cfg.generate.strategy.name,
                    cfg.generate.sampling.n,
                )
            result = generate_shard.with_options(refresh_cache=missing)(cfg, run_dir, i, shard, teacher.get)
            progress.advance()
            if not missing:
                skipped.append(f"generate {result['shard']}")
                continue
            errors, total = errors + result["errors"], total + result["records"]
            if total and errors / total > cfg.generate.max_error_fraction:
                raise UserError(
                    f"generate: {errors} of {total} traces failed (first error: {result['first_error']}); "
                    "fix the cause, or raise generate.max_error_fraction"
                )
    _log_skips(log, "generate", skipped)
    return skipped


def verify_traces(cfg: Config, run_dir: Path) -> list[str]:
    """Verify each traces shard into a verified shard, one `verify_shard` task per shard."""
    names = [p.name for p in sorted((Path(run_dir) / "traces").glob("shard-*.jsonl"))]
    skipped = []
    with Progress("verify", len(names)) as progress:
        for name in names:
            missing = not (Path(run_dir) / "verified" / name).exists()
            verify_shard.with_options(refresh_cache=missing)(cfg, run_dir, name)
            progress.advance()
            if not missing:
                skipped.append(f"verify {name}")
    _log_skips(get_run_logger(), "verify", skipped)
    return skipped


@task(cache_policy=NO_CACHE)
def filter_traces(cfg: Config, run_dir: Path) -> list[str]:
    """Filter each verified shard; kept records go to filtered/, dropped ones to rejected/."""
    from filters import build_filters

    filters = build_filters(cfg.filter.filters, cfg.filter, run_dir=run_dir)
    log = get_run_logger()
    skipped = []
    shards = sorted((run_dir / "verified").glob("shard-*.jsonl"))
    for src in shards:
        if filtered(run_dir, src.name):
            skipped.append(f"filter {src.name}")
        else:
            filter_shard_file(run_dir, src.name, filters)
    _log_skips(log, "filter", skipped)
    if len(skipped) < len(shards) or not (run_dir / "diversity.json").exists():
        from filters.diversity import run_guard  # diversity.json; raises when configured to fail

        for warning in run_guard(run_dir, cfg.filter)["warnings"]:
            log.warning("diversity guard: %s", warning)
    return skipped


@task(cache_policy=NO_CACHE)
def export_data(cfg: Config, run_dir: Path) -> list[str]:
    """Export the kept records as a `datasets` dataset with a dataset card."""
    from distill.export import export_dataset

    out = run_dir / "dataset"
    if out.exists():
        _log_skips(get_run_logger(), "export", ["dataset"])
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
    if constitution is not None:
        run_info["constitution_hash"] = constitution.hash
    export_dataset(read_records(run_dir, "filtered"), out, cfg.export, run_info, constitution)
    return []


@task(cache_policy=NO_CACHE, tags=[GPU_TAG], timeout_seconds=24 * 3600)
def train_student_task(cfg: Config, run_dir: Path) -> list[str]:
    """Derive the untrained student from the teacher, then fine-tune it on the dataset."""
    from distill.student import make_student
    from distill.train import train_student

    init_dir, out_dir = _untrained_student(cfg, run_dir), run_dir / "student"
    skipped = []
    if cfg.train.student == "layers" and init_dir.exists():
        skipped.append("train student_init")
    elif cfg.train.student == "layers":
        make_student(Path(resolve_model(cfg.generate.model)), init_dir, cfg.train.keep_every)
    if out_dir.exists():
        skipped.append("train student")
    else:
        result = train_student(run_dir / "dataset", init_dir, out_dir, cfg.train, distilled_constitution(cfg))
        write_json(run_dir / "train.json", _as_dict(result))
    _log_skips(get_run_logger(), "train", skipped)
    return skipped


def _untrained_student(cfg: Config, run_dir: Path) -> Path:
    """`student_init/` for a `layers` student; the teacher's own folder for a `lora` one."""
    if cfg.train.student == "layers":
        return run_dir / "student_init"
    return Path(resolve_model(cfg.generate.model))


@task(cache_policy=NO_CACHE, tags=[GPU_TAG], timeout_seconds=8 * 3600)
def evaluate_models(cfg: Config, run_dir: Path, problems: list[Problem], teacher: _Once) -> list[str]:
    """Evaluate each configured model on the held-out problems with the same verifiers.

    In export mode `context` the three models are the base with the constitution in its prompt
    (`teacher`), the base without it (`student_untrained`) and the base with the adapter, without
    it (`student`), all at `evaluate.sampling`, each also scored by the constitution's judge.
    """
    from distill.evaluate import evaluate_model
    from filters import build_judge
    from generators.transformers_backend import TransformersGenerator
    from verifiers import load_verifiers

    if not problems:
        raise UserError("evaluate: no held-out problems; raise problems.eval_fraction or add problems")
    problems = problems[: cfg.evaluate.max_problems]
    verifiers = load_verifiers(cfg.verify.verifiers)
    context = cfg.export.mode == "context"
    judge = build_judge(cfg.filter, run_dir / "judge" / "eval-cache.jsonl") if context else None
    skipped = []
    for name in cfg.evaluate.models:
        path = run_dir / "eval" / f"{name}.json"
        if path.exists():
            skipped.append(f"evaluate {name}")
            continue
        k_and_seed = {"n": cfg.evaluate.sampling.n, "seed": cfg.evaluate.sampling.seed}
        if name == "teacher":  # at its own sampling budget: generation's settings, evaluation's k and seed
            gen: Generator = teacher.get()
            sampling = (
                cfg.evaluate.sampling if context else cfg.generate.sampling.model_copy(update=k_and_seed)
            )
        else:
            sampling = cfg.evaluate.sampling
            folder = _untrained_student(cfg, run_dir) if name == "student_untrained" else run_dir / "student"
            gen = TransformersGenerator(
                str(folder),
                system_prompt=cfg.export.system_prompt,
                few_shot=False,
                batch_size=cfg.generate.batch_size,
            )
        result = evaluate_model(
            gen,
            problems,
            sampling,
            verifiers,
            timeout_s=cfg.verify.timeout_s,
            workers=cfg.verify.workers,
            judge=judge,
        )
        write_json(path, result)
    _log_skips(get_run_logger(), "evaluate", skipped)
    return skipped


def _log_skips(log: Any, stage: str, skipped: list[str]) -> None:
    if skipped:
        log.info("%s: %d already complete, skipped (%s)", stage, len(skipped), ", ".join(skipped))


def _as_dict(result: Any) -> dict[str, Any]:
    from dataclasses import asdict, is_dataclass

    return asdict(result) if is_dataclass(result) else dict(result)


class _Once:
    """Builds a value on first use (the teacher model is loaded only if some stage needs it)."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build, self._value = build, None

    def get(self) -> Any:
        if self._value is None:
            self._value = self._build()
        return self._value
