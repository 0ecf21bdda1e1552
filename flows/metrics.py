"""Counting what a run folder holds: per-stage counts, evaluation results and timings.

`collect_metrics` reads the shard files and result files a run wrote and returns the layout of
design §7, so `metrics.json` always describes what is on disk, also after a partial rerun; it
also (re)writes `difficulty.jsonl`, each problem's verified pass rate. It does not run any stage.

Example:
    >>> collect_metrics(Path("runs/quickstart"))["generate"]["traces"]  # doctest: +SKIP
    96
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from s2s1.records import Record
from s2s1.shards import read_models, write_json, write_jsonl

__all__ = ["collect_metrics", "pass_rates", "read_records", "write_timing"]


def read_records(run_dir: Path, stage: str) -> list[Record]:
    """All records of a stage folder (`traces`, `verified`, `filtered`, `rejected`), shard order."""
    records: list[Record] = []
    for path in sorted((Path(run_dir) / stage).glob("shard-*.jsonl")):
        records.extend(read_models(path, Record))
    return records


def write_timing(run_dir: Path, stage: str, seconds: float) -> None:
    """Add `seconds` to the stage's total in `timings.json`.

    Totals are summed over reruns, so a stage resumed after a crash shows all the time it took,
    and a rerun that skips finished work adds next to nothing.
    """
    path = Path(run_dir) / "timings.json"
    timings = json.loads(path.read_text()) if path.exists() else {}
    timings[stage] = round(timings.get(stage, 0.0) + seconds, 2)
    write_json(path, timings)


def collect_metrics(run_dir: Path) -> dict[str, Any]:
    """Per-stage counts, evaluation results and timings of the run folder."""
    run_dir = Path(run_dir)
    metrics: dict[str, Any] = {}
    timing_file = run_dir / "timings.json"
    timings = json.loads(timing_file.read_text()) if timing_file.exists() else {}
    traces = read_records(run_dir, "traces")
    if traces:
        finish = Counter(r.trace.finish_reason for r in traces)
        tokens = sum(r.trace.num_tokens for r in traces)
        metrics["generate"] = {
            "problems": len({r.problem.id for r in traces}),
            "traces": len(traces),
            "by_finish_reason": dict(finish),
            "by_strategy": dict(Counter(r.trace.strategy.get("name", "fixed") for r in traces)),
            "tokens": tokens,
        }
        if timings.get("generate"):  # end to end: model loading and resumed runs included
            seconds = timings["generate"]
            metrics["generate"] |= {
                "tokens_per_s": round(tokens / seconds, 1),
                "traces_per_s": round(len(traces) / seconds, 3),
            }
    verified = read_records(run_dir, "verified")
    if verified:
        outcomes = Counter(v.outcome for r in verified for v in r.verdicts.values())
        metrics["verify"] = {
            "correct": sum(r.correct for r in verified),
            "by_outcome": dict(outcomes),
            "by_verifier": verdict_counts(verified),
            "problems_with_correct": len({r.problem.id for r in verified if r.correct}),
        }
        write_jsonl(run_dir / "difficulty.jsonl", pass_rates(verified))
    kept, rejected = read_records(run_dir, "filtered"), read_records(run_dir, "rejected")
    if kept or rejected:
        reasons = Counter(
            reason.code for r in rejected for d in r.decisions.values() if not d.keep for reason in d.reasons
            if reason.code != "judge_abstain"  # an abstention is not why a trace was dropped
        )  # fmt: skip
        metrics["filter"] = {
            "kept": len(kept),
            "dropped": len(rejected),
            "dropped_by_reason": dict(reasons.most_common()),
        }
        if any("judge" in r.decisions for r in kept + rejected):  # traces the judge abstained on
            metrics["filter"]["judge_abstained"] = sum(
                any(x.code == "judge_abstain" for x in r.decisions["judge"].reasons)
                for r in kept + rejected
                if "judge" in r.decisions
            )
    if (run_dir / "train.json").exists():
        metrics["train"] = json.loads((run_dir / "train.json").read_text())
    evaluations = {p.stem: json.loads(p.read_text()) for p in sorted((run_dir / "eval").glob("*.json"))}
    if evaluations:
        metrics["evaluate"] = evaluations
        metrics["comparisons"] = _comparisons(evaluations)
    decontamination = run_dir / "problems" / "decontamination.json"
    if decontamination.exists():
        metrics["decontamination"] = json.loads(decontamination.read_text())
    if timings:
        metrics["timings_s"] = timings
    return metrics


def pass_rates(records: list[Record]) -> list[dict[str, Any]]:
    """Per problem: samples, verified-correct samples and their ratio — a difficulty signal
    (0.0: the teacher never solved it; adaptive sampling spends more samples on such problems).

    Example:
        >>> pass_rates([])
        []
    """
    by_problem: dict[str, list[Record]] = {}
    for r in records:
        by_problem.setdefault(r.problem.id, []).append(r)
    return [
        {
            "problem_id": pid,
            "samples": len(group),
            "correct": sum(r.correct for r in group),
            "pass_rate": round(sum(r.correct for r in group) / len(group), 4),
        }
        for pid, group in by_problem.items()
    ]


def _comparisons(evaluations: dict[str, Any]) -> dict[str, Any]:
    """The trained student against its untrained self and the teacher, problem by problem."""
    from s2s1.stats import paired_difference

    out = {}
    for other in ("student_untrained", "teacher"):
        a, b = evaluations.get("student", {}), evaluations.get(other, {})
        if "per_problem" in a and "per_problem" in b:
            diff, ci = paired_difference(a["per_problem"], b["per_problem"])
            out[f"student - {other}"] = {"accuracy_difference": diff, "ci95": ci}
    return out


def verdict_counts(records: Iterable[Record]) -> dict[str, dict[str, int]]:
    """Per verifier (`name version`), how many verdicts of each outcome it gave."""
    counts: dict[str, Counter[str]] = {}
    for r in records:
        for v in r.verdicts.values():
            counts.setdefault(f"{v.verifier} {v.version}", Counter())[v.outcome] += 1
    return {k: dict(sorted(c.items())) for k, c in sorted(counts.items())}
