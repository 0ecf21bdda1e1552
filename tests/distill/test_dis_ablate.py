"""Filters vs a matched random control: pools, the control's size and pool, the report table, bad input."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from s2s1.config import Config
from s2s1.distill.ablate import Arm, diversity, filter_arms, matched_random, quality_arm
from s2s1.distill.ablate_run import run_ablation
from s2s1.distill.report import write_report
from s2s1.distill.report_ablate import ablate_section
from s2s1.flows.cli import app
from s2s1.records import Decision, Problem, Reason, Record, Trace, Verdict
from s2s1.shards import write_json, write_models

runner = CliRunner()


def _record(pid: str, i: int, correct: bool, rules_keep: bool = True, dedup_keep: bool = True) -> Record:
    outcome = "correct" if correct else "incorrect"
    drop = [Reason(code="x")]
    return Record(
        problem=Problem(id=pid, source="t", question=f"What is {pid}?", answer="1"),
        trace=Trace(
            problem_id=pid, index=i, teacher="m", prompt=[], response=f"step {i} for {pid} \\boxed{{1}}"
        ),
        verdicts={"math": Verdict(verifier="math", version="1", outcome=outcome, score=float(correct))},
        decisions={
            "verified": Decision(filter="verified", keep=correct, reasons=[] if correct else drop),
            "rules": Decision(filter="rules", keep=rules_keep, reasons=[] if rules_keep else drop),
            "dedup": Decision(filter="dedup", keep=dedup_keep, reasons=[] if dedup_keep else drop),
        },
    )


def _records() -> list[Record]:
    out = []
    for p in range(6):
        for i in range(4):
            out.append(_record(f"p{p}", i, correct=i < 3, rules_keep=(p, i) != (0, 0), dedup_keep=i != 2))
    return out


def test_each_filter_chooses_from_what_the_earlier_ones_kept():
    records = _records()
    verified, rules, dedup = filter_arms(records, ["verified", "rules", "decontam", "dedup"])  # no decontam
    assert (len(verified.pool), len(verified.kept)) == (24, 18)
    assert rules.pool == verified.kept and len(rules.kept) == 17
    assert dedup.pool == rules.kept and {r.trace.index for r in dedup.kept} == {0, 1}


def test_the_random_control_has_the_same_size_per_problem_and_pool():
    arm = filter_arms(_records(), ["verified"])[0]
    draws = [matched_random(arm, seed) for seed in range(5)]
    pool = {r.key for r in arm.pool}
    for control in draws:
        assert len(control) == len(arm.kept) and {r.key for r in control} <= pool
        assert Counter(r.problem.id for r in control) == Counter(r.problem.id for r in arm.kept)
    assert [r.key for r in matched_random(arm, 0)] == [r.key for r in draws[0]]  # seeded
    assert any({r.key for r in c} != {r.key for r in arm.kept} for c in draws)  # and random
    assert not Arm("x", pool=arm.pool, kept=arm.kept).identical


class ScoreForTests:
    def score(self, records):
        return np.array([-r.trace.index for r in records], dtype=float)  # earliest sample is best


def test_quality_arm_chooses_from_the_runs_final_kept_set():
    arm = quality_arm(_records(), ScoreForTests(), per_problem=1)
    assert len(arm.pool) == 11 and {r.trace.index for r in arm.kept} == {0, 1} and len(arm.kept) == 6


def test_diversity_has_an_interval_over_problems():
    d = diversity(_records())["distinct_2"]
    assert d["ci95"][0] <= d["value"] <= d["ci95"][1] and d["value"] > 0


class StudentForTests:
    """A 'student' whose held-out accuracy is the share of correct traces it was trained on."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, str]] = []

    def __call__(self, records, work: Path, seed: int):
        self.calls.append((len(records), work.name))
        acc = sum(r.correct for r in records) / len(records)
        return {"per_problem": {f"e{i}": acc for i in range(8)}, "tokens_per_answer": 10.0}


def _run(tmp_path: Path) -> tuple[Path, Config]:
    run = tmp_path / "run"
    records = _records()
    write_models(run / "filtered" / "shard-00000.jsonl", [r for r in records if r.kept])
    write_models(run / "rejected" / "shard-00000.jsonl", [r for r in records if not r.kept])
    eval_problems = [Problem(id=f"e{i}", source="t", question=f"{i}?", answer="1") for i in range(8)]
    write_models(run / "problems" / "eval.jsonl", eval_problems)
    cfg = Config.model_validate({"filter": {"filters": ["verified", "rules", "dedup"]}})
    write_json(run / "manifest.json", {"config": cfg.model_dump(mode="json")})
    return run, cfg


def test_ablation_trains_both_sides_and_the_table_reaches_report_md(tmp_path):
    run, cfg = _run(tmp_path)
    student = StudentForTests()
    result = run_ablation(
        run, cfg, student=student, scorer=ScoreForTests(), per_problem=1, log=lambda s: None
    )
    arms = {a["name"]: a for a in result["arms"]}
    assert list(arms) == ["verified", "rules", "dedup", "quality (best 1)"]
    v = arms["verified"]
    assert (
        v["on_kept"]["accuracy"] == 1.0
        and v["on_random"]["accuracy"] < 1.0
        and v["difference"]["accuracy"] > 0
    )
    assert sorted(student.calls[:2]) == [(18, "kept-s0"), (18, "random-s0")]  # same size on both sides
    assert json.loads((run / "ablate.json").read_text())["arms"][0]["kept"] == 18

    calls = len(student.calls)
    run_ablation(run, cfg, student=student, scorer=ScoreForTests(), per_problem=1, log=lambda s: None)
    assert len(student.calls) == calls  # a rerun reuses each eval.json

    write_report(run, {"evaluate": {}}, [])
    report = (run / "report.md").read_text()
    assert "## Filters vs random" in report
    assert "| verified | 24 | 18 | 1.000 [1.000, 1.000] |" in report
    assert "| quality (best 1) | 11 | 6 |" in report


def test_a_filter_that_keeps_its_whole_pool_trains_no_student(tmp_path):
    run, cfg = _run(tmp_path)
    records = [r for r in _records() if r.problem.id != "p0"]  # rules dropped only p0#0
    write_models(run / "filtered" / "shard-00000.jsonl", [r for r in records if r.kept])
    write_models(run / "rejected" / "shard-00000.jsonl", [r for r in records if not r.kept])
    student = StudentForTests()
    result = run_ablation(run, cfg, student=student, filters=["rules"], log=lambda s: None)
    assert result["arms"][0]["skipped"] == "kept the whole pool" and student.calls == []


def test_report_says_how_to_measure_when_not_measured(tmp_path):
    text = ablate_section(tmp_path)
    assert "## Filters vs random" in text and f"s2s1 ablate {tmp_path}" in text


def test_cli_bad_input_exits_2(tmp_path):
    result = runner.invoke(app, ["ablate", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "cannot read the run's config" in result.output
    run, _ = _run(tmp_path)
    result = runner.invoke(app, ["ablate", str(run), "--filters", "judge", "--no-embeddings"])
    assert result.exit_code == 2 and "judge did not run" in result.output
    result = runner.invoke(app, ["ablate", str(run), "--scorer", str(tmp_path / "none"), "--no-embeddings"])
    assert result.exit_code == 2 and "cannot read the quality scorer" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.slow
def test_the_real_student_trains_and_is_evaluated_on_a_tiny_model(tmp_path, tiny_model_dir):
    run, _ = _run(tmp_path)
    cfg = Config.model_validate(
        {
            "generate": {"backend": "transformers", "model": str(tiny_model_dir)},
            "filter": {"filters": ["verified", "rules", "dedup"]},
            "train": {"backend": "own", "max_steps": 2, "batch_size": 4, "lora_rank": 4},
            "evaluate": {"sampling": {"n": 1, "max_tokens": 8, "seed": 1}, "max_problems": 3},
            "verify": {"workers": 1},
        }
    )
    result = run_ablation(run, cfg, filters=["verified"], log=lambda s: None)
    arm = result["arms"][0]
    assert arm["on_kept"]["accuracy"] >= 0.0 and set(arm["on_kept"]["per_problem"]) == {"e0", "e1", "e2"}
    saved = json.loads((run / "ablate" / "verified" / "random-s0" / "eval.json").read_text())
    assert saved["train_steps"] == 2 and len(saved["trained_on"]) == 18
    assert not (run / "ablate" / "verified" / "kept-s0" / "student").exists()  # weights deleted


def test_an_older_runs_config_loads_without_the_keys_it_no_longer_has():
    from s2s1.flows.cli_ablate import run_config

    data = Config().model_dump(mode="json")
    data["filter"]["judge_threshold"] = 0.5  # a key an older s2s1 wrote
    assert run_config(data).filter.filters == Config().filter.filters


def test_a_control_that_draws_the_kept_set_is_flagged_and_not_trained_again(tmp_path):
    run, cfg = _run(tmp_path)
    records = [_record("p0", i, correct=True, dedup_keep=i != 1) for i in range(2)]  # 1 of 2 kept
    write_models(run / "filtered" / "shard-00000.jsonl", [r for r in records if r.kept])
    write_models(run / "rejected" / "shard-00000.jsonl", [r for r in records if not r.kept])
    student = StudentForTests()
    arm = run_ablation(run, cfg, student=student, filters=["dedup"], seeds=8, log=lambda s: None)["arms"][0]
    assert 0 < arm["control_same_as_kept"] < 8 and len(student.calls) == 16 - arm["control_same_as_kept"]
    write_report(run, {"evaluate": {}}, [])
    assert "control drew the kept set in" in (run / "report.md").read_text()


def test_with_several_seeds_the_difference_has_an_interval_over_seeds_too(tmp_path):
    run, cfg = _run(tmp_path)
    result = run_ablation(
        run, cfg, student=StudentForTestsSeeded(), filters=["verified"], seeds=3, log=lambda s: None
    )
    diff = result["arms"][0]["difference"]
    lo, hi = diff["ci95_seeds"]
    # the per-problem scores agree within a seed, so the problem-level interval is a point; the
    # seeds disagree, and only the interval over seeds shows it
    assert diff["ci95"][0] == diff["ci95"][1] and lo < diff["ci95"][0] - 0.05 and hi > diff["ci95"][1] + 0.05
    write_report(run, {"evaluate": {}}, [])
    assert f"seeds and problems [{lo:+.3f}, {hi:+.3f}]" in (run / "report.md").read_text()
    one = run_ablation(run, cfg, student=StudentForTestsSeeded(), filters=["verified"], log=lambda s: None)
    assert "ci95_seeds" not in one["arms"][0]["difference"]  # one seed: no run-to-run spread to resample


class StudentForTestsSeeded(StudentForTests):
    """As StudentForTests, plus a different offset per training seed (run-to-run noise)."""

    def __call__(self, records, work: Path, seed: int):
        result = super().__call__(records, work, seed)
        shift = (0.0, 0.3, -0.2)[seed] if "kept" in work.name else 0.0
        return result | {"per_problem": {p: v + shift for p, v in result["per_problem"].items()}}
