"""Train and evaluate a student per filter arm and per matched random control (`s2s1 ablate`).

For every arm of `s2s1.distill.ablate` (each filter of the run, and the quality scorer when one is
given) and each of `seeds` seeds, one student is trained on the arm's kept set and one on its
matched random control, with the run's own export, training and evaluation settings (the train
seed is `train.seed + seed`; both students of a seed share it, and the evaluation sampling seed is
the run's), and evaluated on the run's held-out problems with the run's verifiers. Per-problem
accuracies are averaged over seeds; the report gives each side's accuracy, the paired difference
(kept − random) with 95% bootstrap intervals over problems, and each set's diversity. With more
than one seed the difference also gets `ci95_seeds`, an interval that resamples the training seeds
as well as the problems (`s2s1.stats.paired_difference_over_seeds`): run-to-run training noise.

A control that draws exactly the kept set (few choices per problem) reuses the kept side's
student and is counted in `control_same_as_kept`. An arm whose filter kept its whole pool (or
nothing) trains no student: its control would be the same set. Each student's `eval.json` is
kept under `RUN_DIR/ablate/<arm>/<side>-s<seed>/`, and a rerun skips what is there; the model
weights are deleted once evaluated (one student is 0.3-0.5 GB). The result goes to
`RUN_DIR/ablate.json`. This module does not choose filters or change the run.

Example:
    >>> run_ablation(Path("runs/quickstart"), cfg)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from s2s1.config import Config
from s2s1.distill.ablate import Embed, diversity, embed_records, filter_arms, matched_random, quality_arm
from s2s1.records import Problem, Record
from s2s1.shards import read_models, write_json, write_models
from s2s1.stats import accuracy_ci, paired_difference, paired_difference_over_seeds, pooled

__all__ = [
    "Student",
    "cached",
    "evaluate_folder",
    "evaluate_generator",
    "init_dir",
    "read_json",
    "read_records",
    "run_ablation",
    "train_and_evaluate",
]

Student = Callable[[Sequence[Record], Path, int], dict[str, Any]]
"""(training records, work folder, seed index) → evaluation summary with `per_problem`."""


def train_and_evaluate(cfg: Config, run_dir: Path, problems: Sequence[Problem]) -> Student:
    """The real student: export → train (run's settings, seed + i) → evaluate → delete the weights.

    Training saves checkpoints at `train.checkpoint_every`, and a trained student whose evaluation
    was cut off is evaluated again without retraining, so a killed unit resumes where it can.
    What stays in the work folder: `train.json` (steps, examples, the loss of every step) and
    `samples.jsonl` (every answer the student gave, verified), so a score can be read back to the
    answers behind it after the weights are gone.
    """
    from s2s1.distill.export import export_dataset
    from s2s1.distill.train import train_student

    init = init_dir(cfg, run_dir)

    def student(records: Sequence[Record], work: Path, seed: int) -> dict[str, Any]:
        kept = [r.model_copy(update={"decisions": {}}) for r in records]
        trained = read_json(work / "train.json") if (work / "student").is_dir() else None
        if trained is None:
            shutil.rmtree(work / "student", ignore_errors=True)
            export_dataset(kept, work / "dataset", cfg.export, {"run": cfg.name, "ablation": str(work)})
            train_cfg = cfg.train.model_copy(update={"seed": cfg.train.seed + seed})
            result = train_student(work / "dataset", init, work / "student", train_cfg)
            trained = {
                "train_steps": result.steps,
                "train_examples": result.examples,
                "losses": result.losses,
            }
            write_json(work / "train.json", trained)
        summary = evaluate_folder(cfg, work / "student", "student", problems, work / "samples.jsonl")
        shutil.rmtree(work / "student", ignore_errors=True)
        return summary | trained

    return student


def init_dir(cfg: Config, run_dir: Path) -> Path:
    """The model every student starts from: the teacher (`lora`) or the run's `student_init/`."""
    from s2s1.generators.embedded import resolve_model

    return (
        run_dir / "student_init" if cfg.train.student == "layers" else Path(resolve_model(cfg.generate.model))
    )


def evaluate_folder(
    cfg: Config, folder: Path, name: str, problems: Sequence[Problem], samples: Path
) -> dict[str, Any]:
    """A student model folder on the held-out problems, as the run evaluates its students."""
    from s2s1.distill.evaluate import student_generator

    generator = student_generator(cfg, folder, name)
    return evaluate_generator(cfg, generator, problems, cfg.evaluate.sampling, samples)


def evaluate_generator(
    cfg: Config, generator: Any, problems: Sequence[Problem], sampling: Any, samples: Path
) -> dict[str, Any]:
    """`generator` on `problems` with the run's verifiers, its verified answers written to `samples`
    (JSON lines); its vLLM engine is stopped after."""
    from s2s1.distill.evaluate import close_engine, sample_records, summarize
    from s2s1.verifiers import load_verifiers

    try:
        records = sample_records(
            generator,
            problems,
            sampling,
            load_verifiers(cfg.verify.verifiers),
            timeout_s=cfg.verify.timeout_s,
            workers=cfg.verify.workers,
        )
    finally:
        close_engine(generator)
    write_models(samples, records)
    return summarize(records, sampling)


def read_records(run_dir: Path) -> list[Record]:
    """Every record of a run, kept or dropped, with the filters' decisions."""
    return [
        r
        for s in ("filtered", "rejected")
        for p in sorted((Path(run_dir) / s).glob("shard-*.jsonl"))
        for r in read_models(p, Record)
    ]


def read_json(path: Path) -> dict[str, Any] | None:
    """A JSON document, or None when the file is absent."""
    return dict(json.loads(path.read_text())) if path.exists() else None


def run_ablation(
    run_dir: Path,
    cfg: Config,
    *,
    student: Student | None = None,
    scorer: Any = None,
    per_problem: int = 2,
    seeds: int = 1,
    filters: Sequence[str] | None = None,
    embed: Embed | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Every arm against its control (see the module docstring); writes and returns ablate.json."""
    run_dir = Path(run_dir)
    records = read_records(run_dir)
    problems = read_models(run_dir / "problems" / "eval.jsonl", Problem)[: cfg.evaluate.max_problems]
    student = student or train_and_evaluate(cfg, run_dir, problems)
    arms = filter_arms(records, filters or cfg.filter.filters)
    if scorer is not None:
        arms.append(quality_arm(records, scorer, per_problem))
    vectors = embed_records(records, embed)
    spent, rows = 0.0, []  # seconds the students took, also those a rerun found in their eval.json
    for arm in arms:
        row: dict[str, Any] = {"name": arm.name, "pool": len(arm.pool), "kept": len(arm.kept)}
        row["seeds"] = seeds
        row["diversity"] = {"pool": diversity(arm.pool, vectors), "kept": diversity(arm.kept, vectors)}
        if arm.identical or not arm.kept:
            row["skipped"] = "kept the whole pool" if arm.kept else "kept nothing"
            rows.append(row)
            log(f"ablate {arm.name}: {row['skipped']}; no student trained")
            continue
        sides: dict[str, list[dict[str, Any]]] = {"kept": [], "random": []}
        controls = [matched_random(arm, seed) for seed in range(seeds)]
        same = [{r.key for r in c} == {r.key for r in arm.kept} for c in controls]
        for seed, control in enumerate(controls):
            for side, chosen in (("kept", arm.kept), ("random", control)):
                if side == "random" and same[seed]:  # the draw is the kept set: the same student
                    sides[side].append(sides["kept"][-1])
                    continue
                work = run_dir / "ablate" / _slug(arm.name) / f"{side}-s{seed}"
                sides[side].append(cached(student, chosen, work, seed, log))
                spent += sides[side][-1].get("seconds", 0.0)
        row["control_same_as_kept"] = sum(same)
        row["diversity"]["random"] = diversity(controls[0], vectors)
        row["on_kept"], row["on_random"] = _pooled(sides["kept"]), _pooled(sides["random"])
        diff, ci = paired_difference(row["on_kept"]["per_problem"], row["on_random"]["per_problem"])
        row["difference"] = {"accuracy": diff, "ci95": ci}
        if seeds > 1:  # run-to-run training noise too: resample the seeds as well as the problems
            kept, control = ([r["per_problem"] for r in sides[side]] for side in ("kept", "random"))
            row["difference"]["ci95_seeds"] = paired_difference_over_seeds(kept, control)
        rows.append(row)
    result = {
        "arms": rows,
        "n_problems": len(problems),
        "k": cfg.evaluate.sampling.n,
        "control": "per problem, as many traces of the same pool as the filter kept, drawn at random",
        "seconds": round(spent, 1),
    }
    write_json(run_dir / "ablate.json", result)
    return result


def cached(
    student: Student, records: Sequence[Record], work: Path, seed: int, log: Callable[[str], None]
) -> dict[str, Any]:
    """`work/eval.json` when an earlier call wrote it, else the student's result, written there."""
    path = work / "eval.json"
    if path.exists():
        return dict(json.loads(path.read_text()))
    log(f"ablate: training a student on {len(records)} traces → {work}")
    start = time.perf_counter()
    result = student(records, work, seed)
    result |= {"trained_on": sorted(r.key for r in records), "seconds": round(time.perf_counter() - start, 1)}
    write_json(path, result)
    return result


def _pooled(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Per-problem accuracy averaged over seeds, the mean and its 95% bootstrap interval."""
    per_problem = pooled([r["per_problem"] for r in results])
    accuracy, ci = accuracy_ci(list(per_problem.values()))
    tokens = sum(r.get("tokens_per_answer", 0.0) for r in results) / len(results)
    return {
        "accuracy": accuracy,
        "ci95": ci,
        "tokens_per_answer": round(tokens, 2),
        "per_problem": per_problem,
    }


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
