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
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from s2s1.records import Record
from s2s1.shards import read_jsonl, read_models, write_json, write_jsonl

__all__ = ["collect_metrics", "pass_rates", "read_records", "read_rows", "write_timing"]


def read_records(run_dir: Path, stage: str) -> Iterator[Record]:
    """Each record of a stage folder (`traces`, `verified`, `filtered`, `rejected`), shard order.

    Streams: one shard is in memory at a time."""
    for path in sorted((Path(run_dir) / stage).glob("shard-*.jsonl")):
        yield from read_models(path, Record)


def read_rows(run_dir: Path, stage: str) -> Iterator[dict[str, Any]]:
    """Each record of a stage folder as the dict its JSON line holds, one line at a time."""
    for path in sorted((Path(run_dir) / stage).glob("shard-*.jsonl")):
        for _, row in read_jsonl(path):
            yield row


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
    """Per-stage counts, evaluation results and timings of the run folder.

    It streams the shards line by line as plain dicts (no record models) and keeps counters and
    per-problem tallies only, so its memory grows with the number of problems, not of traces.
    """
    run_dir = Path(run_dir)
    metrics: dict[str, Any] = {}
    timing_file = run_dir / "timings.json"
    timings = json.loads(timing_file.read_text()) if timing_file.exists() else {}
    generate = _generate_counts(read_rows(run_dir, "traces"))
    if generate["traces"]:
        metrics["generate"] = generate
        if timings.get("generate"):  # end to end: model loading and resumed runs included
            seconds = timings["generate"]
            metrics["generate"] |= {
                "tokens_per_s": round(generate["tokens"] / seconds, 1),
                "traces_per_s": round(generate["traces"] / seconds, 3),
            }
    verify, rates = _verify_counts(read_rows(run_dir, "verified"))
    if rates:
        metrics["verify"] = verify
        write_jsonl(run_dir / "difficulty.jsonl", rates)
    kept = sum(1 for _ in read_rows(run_dir, "filtered"))
    rejected, reasons, judged, abstained = 0, Counter[str](), False, 0
    for stage in ("filtered", "rejected"):
        for row in read_rows(run_dir, stage):
            decisions = row.get("decisions", {})
            if stage == "rejected":
                rejected += 1
                reasons.update(
                    x["code"] for d in decisions.values() if not d["keep"] for x in d.get("reasons", [])
                    if x["code"] != "judge_abstain"  # an abstention is not why a trace was dropped
                )  # fmt: skip
            if "judge" in decisions:
                judged = True
                abstained += any(x["code"] == "judge_abstain" for x in decisions["judge"].get("reasons", []))
    if kept or rejected:
        metrics["filter"] = {
            "kept": kept,
            "dropped": rejected,
            "dropped_by_reason": dict(reasons.most_common()),
        }
        if judged:  # traces the judge abstained on
            metrics["filter"]["judge_abstained"] = abstained
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


def _generate_counts(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    finish, strategies, problems, tokens, traces = Counter[str](), Counter[str](), set(), 0, 0
    for row in rows:
        trace = row["trace"]
        traces += 1
        finish[trace.get("finish_reason", "stop")] += 1
        strategies[(trace.get("strategy") or {}).get("name", "fixed")] += 1
        tokens += trace.get("num_tokens", 0)
        problems.add(row["problem"]["id"])
    return {
        "problems": len(problems),
        "traces": traces,
        "by_finish_reason": dict(finish),
        "by_strategy": dict(strategies),
        "tokens": tokens,
    }


def _verify_counts(rows: Iterable[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The verify section and the per-problem pass rates (difficulty.jsonl), in one pass."""
    outcomes, correct = Counter[str](), 0
    by_verifier: dict[str, Counter[str]] = {}
    tally: dict[str, list[int]] = {}  # problem id → [samples, correct]
    for row in rows:
        verdicts = row.get("verdicts", {}).values()
        kinds = [v["outcome"] for v in verdicts]
        outcomes.update(kinds)
        for v in verdicts:
            by_verifier.setdefault(f"{v['verifier']} {v['version']}", Counter())[v["outcome"]] += 1
        ok = "correct" in kinds and "incorrect" not in kinds  # Record.correct
        correct += ok
        t = tally.setdefault(row["problem"]["id"], [0, 0])
        t[0], t[1] = t[0] + 1, t[1] + ok
    section = {
        "correct": correct,
        "by_outcome": dict(outcomes),
        "by_verifier": {k: dict(sorted(c.items())) for k, c in sorted(by_verifier.items())},
        "problems_with_correct": sum(1 for _, c in tally.values() if c),
    }
    rates = [
        {"problem_id": pid, "samples": n, "correct": c, "pass_rate": round(c / n, 4)}
        for pid, (n, c) in tally.items()
    ]
    return section, rates


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
