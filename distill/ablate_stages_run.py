"""Run the stage arms (`s2s1 ablate RUN_DIR --stages`) and summarise them, unit by unit.

Each unit of `ablate_stages.stage_units` is one student: exported with the run's export settings
(`answers`: mode `direct`), trained with the run's training settings at seed `train.seed + s`,
and evaluated on the run's held-out problems (`evaluate.max_problems`) at `evaluate.sampling`
with the run's verifiers. Its result is written to `RUN_DIR/ablate/stages/<arm>/s<seed>/eval.json`
(atomically) and a rerun skips every unit that has one. `untrained` reuses the run's own
`eval/student_untrained.json`, and `filtered/s0` the run's `eval/student.json` (the same rows,
training seed and evaluation), when they cover the same problems. After every unit the summary,
`RUN_DIR/ablate_stages.json`, is rewritten (atomically) with what is done so far: per arm and
seed the accuracy with its 95% bootstrap interval and tokens per answer; per arm the accuracy
pooled over its finished seeds (per-problem means); the paired differences of `PAIRS` over the
seeds both arms have finished, with an interval over problems and one over seeds and problems
(`ci95_seeds`); the teacher's own accuracy from the run's `eval/teacher.json` (a
run that stopped before its evaluate stage: the teacher evaluated here at its own sampling budget,
`RUN_DIR/ablate/stages/teacher/eval.json`);
and the CPU hours of the students trained here (wall seconds × the cores this process may use;
the run's own student and evaluations are the run's cost, in its `timings.json`). `partial` and
`units_done` of `units_total` say how far it got.

Example:
    >>> run_stages(Path("runs/gsm8k"), cfg, seeds=3)  # doctest: +SKIP
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from s2s1.config import Config
from s2s1.distill.ablate_run import (
    Student,
    cached,
    evaluate_folder,
    evaluate_generator,
    init_dir,
    read_json,
    read_records,
    train_and_evaluate,
)
from s2s1.distill.ablate_stages import ARMS, PAIRS, Unit, stage_units
from s2s1.records import Problem
from s2s1.shards import read_models, write_json
from s2s1.stats import accuracy_ci, paired_difference, paired_difference_over_seeds, pooled

__all__ = ["run_stages", "summarize_stages"]

_KEEP = ("tokens_per_answer", "seconds", "train_examples")


def run_stages(
    run_dir: Path,
    cfg: Config,
    *,
    seeds: int = 3,
    student: Student | None = None,
    answers: Student | None = None,
    untrained: Callable[[], dict[str, Any]] | None = None,
    teacher: Callable[[], dict[str, Any]] | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Every unit in order, skipping finished ones; writes and returns ablate_stages.json.

    `student` / `answers` train and evaluate a student on records in the run's export mode / in
    mode `direct`; `untrained` evaluates the untrained student and `teacher` the teacher (when the
    run has no `eval/teacher.json`). Defaults: the real ones.
    """
    run_dir = Path(run_dir)
    problems = read_models(run_dir / "problems" / "eval.jsonl", Problem)[: cfg.evaluate.max_problems]
    student = student or train_and_evaluate(cfg, run_dir, problems)
    if answers is None:
        direct = cfg.model_copy(update={"export": cfg.export.model_copy(update={"mode": "direct"})})
        answers = train_and_evaluate(direct, run_dir, problems)
    untrained = untrained or (lambda: _untrained(cfg, run_dir, problems))
    teacher_result = read_json(run_dir / "eval" / "teacher.json") or _cached_eval(
        teacher or (lambda: _teacher(cfg, run_dir, problems)), run_dir / "ablate" / "stages" / "teacher", log
    )
    units = stage_units(read_records(run_dir), seeds)
    results: dict[str, dict[str, Any] | None] = {}
    context = {
        "n_problems": len(problems),
        "k": cfg.evaluate.sampling.n,
        "seeds": seeds,
        "teacher": _brief(teacher_result),
        "threads": len(os.sched_getaffinity(0)),
    }
    for unit in units:
        work = (
            run_dir / "ablate" / "stages" / _slug(unit.arm) / ("" if unit.seed is None else f"s{unit.seed}")
        )
        if unit.same_as:
            results[unit.name] = results[unit.same_as]
        elif unit.seed is None:
            results[unit.name] = _cached_eval(untrained, work, log)
        elif unit.name == "filtered/s0" and (ran := _run_eval(run_dir, "student", problems)):
            results[unit.name] = ran  # the run's own student: the same rows, seed and evaluation
        elif not unit.records:
            results[unit.name] = None
            log(f"ablate --stages {unit.name}: no training data; not trained")
        else:
            train = answers if unit.direct else student
            results[unit.name] = cached(train, unit.records, work, unit.seed, log)
        summary = summarize_stages(units, results, context)
        write_json(run_dir / "ablate_stages.json", summary)
        log(f"ablate --stages: {summary['units_done']} of {summary['units_total']} units done")
    return summary


def summarize_stages(
    units: list[Unit], results: dict[str, dict[str, Any] | None], context: dict[str, Any]
) -> dict[str, Any]:
    """The ablate_stages.json document from the units' results so far (see the module docstring)."""
    arms, per_problem = [], {}
    for arm in ARMS:
        mine = [u for u in units if u.arm == arm]
        done = {u.seed: r for u in mine if (r := results.get(u.name))}
        row: dict[str, Any] = {"name": arm, "units": len(mine), "done": len(done)}
        row["train_records"] = sorted({len(u.records) for u in mine}) if arm != "untrained" else [0]
        row["per_seed"] = [
            {"seed": s, **_accuracy(r), **{k: r[k] for k in _KEEP if k in r}, "same_as": _same(mine, s)}
            for s, r in sorted(done.items(), key=lambda x: -1 if x[0] is None else x[0])
        ]
        if done:
            per_problem[arm] = {s: r["per_problem"] for s, r in done.items()}
            acc, ci = accuracy_ci(list(pooled(list(per_problem[arm].values())).values()))
            tokens = sum(r.get("tokens_per_answer", 0.0) for r in done.values()) / len(done)
            row["pooled"] = {"accuracy": acc, "ci95": ci, "tokens_per_answer": round(tokens, 2)}
        if any(u.seed is not None and not u.records for u in mine):
            row["skipped"] = "no training data"
        arms.append(row)
    differences = []
    for a, b in PAIRS:
        if a in per_problem and b in per_problem:
            seeds = _shared_seeds(per_problem[a], per_problem[b])
            if seeds:
                ra = [per_problem[a][s if s in per_problem[a] else None] for s in seeds]
                rb = [per_problem[b][s if s in per_problem[b] else None] for s in seeds]
                diff, ci = paired_difference(pooled(ra), pooled(rb))
                seeds_ci = paired_difference_over_seeds(ra, rb)  # run-to-run training noise too
                differences.append(
                    {
                        "a": a,
                        "b": b,
                        "accuracy": diff,
                        "ci95": ci,
                        "ci95_seeds": seeds_ci,
                        "seeds": len(seeds),
                    }
                )
    finished = [r for u in units if not u.same_as and (r := results.get(u.name))]
    seconds = sum(r.get("seconds", 0.0) for r in finished)
    total = sum(1 for u in units if u.seed is None or u.records)
    n_done = sum(1 for u in units if results.get(u.name))
    return context | {
        "arms": arms,
        "differences": differences,
        "units_done": n_done,
        "units_total": total,
        "partial": n_done < total,
        "student_seconds": round(seconds, 1),
        "cpu_hours": round(seconds * context.get("threads", 1) / 3600, 2),
    }


def _accuracy(result: dict[str, Any]) -> dict[str, Any]:
    """Accuracy, its 95% interval and the number of problems, from a result's per-problem scores."""
    acc, ci = accuracy_ci(list(result["per_problem"].values()))
    return {"accuracy": acc, "ci95": ci, "n_problems": len(result["per_problem"])}


def _shared_seeds(a: dict[Any, Any], b: dict[Any, Any]) -> list[Any]:
    """The training seeds both arms finished; `untrained` (seed None) pairs with every seed."""
    if None in a and None in b:
        return [None]
    if None in a or None in b:
        return sorted(s for s in (b if None in a else a) if s is not None)
    return sorted(set(a) & set(b))


def _same(units: list[Unit], seed: int | None) -> str | None:
    return next((u.same_as for u in units if u.seed == seed), None)


def _brief(result: dict[str, Any] | None) -> dict[str, Any] | None:
    keys = ("accuracy", "ci95", "tokens_per_answer", "n_problems", "k", "sampling")
    return None if result is None else {k: result[k] for k in keys if k in result}


def _cached_eval(
    evaluate: Callable[[], dict[str, Any]], work: Path, log: Callable[[str], None]
) -> dict[str, Any]:
    """`work/eval.json` when a run before this one wrote it, else `evaluate()` written there."""
    path = work / "eval.json"
    if path.exists():
        return read_json(path) or {}
    log(f"ablate --stages {work.name}: evaluating → {work}")
    result = evaluate()
    write_json(path, result)
    return result


def _run_eval(run_dir: Path, name: str, problems: list[Problem]) -> dict[str, Any] | None:
    """The run's own `eval/<name>.json` when it covers exactly `problems`, else None."""
    path = run_dir / "eval" / f"{name}.json"
    ran = read_json(path)
    if ran and set(ran.get("per_problem", {})) == {p.id for p in problems}:
        return ran | {"from": str(path)}
    return None


def _untrained(cfg: Config, run_dir: Path, problems: list[Problem]) -> dict[str, Any]:
    """The run's own evaluation of the untrained student when it covers `problems`, else a new one."""
    import time

    ran = _run_eval(run_dir, "student_untrained", problems)
    if ran:
        return ran
    start = time.perf_counter()
    samples = run_dir / "ablate" / "stages" / "untrained" / "samples.jsonl"
    result = evaluate_folder(cfg, init_dir(cfg, run_dir), "student_untrained", problems, samples)
    return result | {"seconds": round(time.perf_counter() - start, 1)}


def _teacher(cfg: Config, run_dir: Path, problems: list[Problem]) -> dict[str, Any]:
    """The teacher on `problems` at its own sampling budget, as the run's evaluate stage does it."""
    import time

    from s2s1.distill.evaluate import teacher_sampling
    from s2s1.generators.teacher import build_teacher

    start = time.perf_counter()
    samples = run_dir / "ablate" / "stages" / "teacher" / "samples.jsonl"
    result = evaluate_generator(cfg, build_teacher(cfg), problems, teacher_sampling(cfg), samples)
    return result | {"seconds": round(time.perf_counter() - start, 1)}


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
