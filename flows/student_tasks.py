"""The pipeline's student stages as Prefect tasks: train the student, evaluate the models.

Both run on the GPU when there is one (the `gpu` tag) and skip what the run folder already
holds: `student/` and each `eval/<model>.json`. The logic lives in `distill`; this module only
chooses the models and their prompts.

Example:
    >>> train_student_task.fn(cfg, Path("runs/x"))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from s2s1.config import Config
from s2s1.errors import UserError
from s2s1.flows.shard_tasks import GPU_TAG, log_skips
from s2s1.generators import Generator
from s2s1.generators.embedded import resolve_model
from s2s1.generators.teacher import distilled_constitution
from s2s1.records import Problem
from s2s1.shards import write_json

__all__ = ["evaluate_models", "train_student_task", "untrained_student"]


@task(cache_policy=NO_CACHE, tags=[GPU_TAG], timeout_seconds=24 * 3600)
def train_student_task(cfg: Config, run_dir: Path) -> list[str]:
    """Derive the untrained student from the teacher, then fine-tune it on the dataset."""
    from s2s1.distill.student import make_student
    from s2s1.distill.train import train_student

    init_dir, out_dir = untrained_student(cfg, run_dir), run_dir / "student"
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
    log_skips(get_run_logger(), "train", skipped)
    return skipped


def untrained_student(cfg: Config, run_dir: Path) -> Path:
    """`student_init/` for a `layers` student; the teacher's own folder for a `lora` one."""
    if cfg.train.student == "layers":
        return run_dir / "student_init"
    return Path(resolve_model(cfg.generate.model))


@task(cache_policy=NO_CACHE, tags=[GPU_TAG], timeout_seconds=8 * 3600)
def evaluate_models(
    cfg: Config, run_dir: Path, problems: list[Problem], teacher: Callable[[], Generator]
) -> list[str]:
    """Evaluate each configured model on the held-out problems with the same verifiers.

    In export mode `context` the three models are the base with the constitution in its prompt
    (`teacher`), the base without it (`student_untrained`) and the base with the adapter, without
    it (`student`), all at `evaluate.sampling`, each also scored by the constitution's judge.
    """
    from s2s1.distill.evaluate import close_engine, evaluate_model, student_generator, teacher_sampling
    from s2s1.filters import build_judge
    from s2s1.verifiers import load_verifiers

    if not problems:
        raise UserError("evaluate: no held-out problems; raise problems.eval_fraction or add problems")
    problems = problems[: cfg.evaluate.max_problems]
    verifiers = load_verifiers(cfg.verify.verifiers)
    context = cfg.export.mode == "context"
    judge = build_judge(cfg.filter, run_dir / "judge" / "eval-cache.jsonl", cfg.generate) if context else None
    skipped, engines = [], {}  # vLLM engines by base model, shared by the students on one base
    for name in cfg.evaluate.models:
        path = run_dir / "eval" / f"{name}.json"
        if path.exists():
            skipped.append(f"evaluate {name}")
            continue
        if name == "teacher":  # at its own sampling budget (distill/evaluate.teacher_sampling)
            gen: Generator = teacher()
            sampling = teacher_sampling(cfg)
        else:
            sampling = cfg.evaluate.sampling
            folder = untrained_student(cfg, run_dir) if name == "student_untrained" else run_dir / "student"
            gen = student_generator(cfg, folder, name, engines)
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
        if not context:  # each model its own engine (on vLLM): stop it before the next one starts
            close_engine(gen)
    log_skips(get_run_logger(), "evaluate", skipped)
    return skipped


def _as_dict(result: Any) -> dict[str, Any]:
    from dataclasses import asdict, is_dataclass

    return asdict(result) if is_dataclass(result) else dict(result)
