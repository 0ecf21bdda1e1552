"""`s2s1 ablate --stages`: the arms' training sets, their order, answers-only rows, resume, the table."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from s2s1.config import Config, ExportConfig
from s2s1.distill.ablate_stages import KEY_ARMS, stage_units
from s2s1.distill.ablate_stages_run import run_stages
from s2s1.distill.export import select_rows
from s2s1.distill.report_ablate import render_stages
from s2s1.flows.cli import app
from s2s1.records import Decision, Problem, Reason, Record, Trace, Verdict
from s2s1.shards import read_models, write_json, write_models


def _record(pid: str, i: int, correct: bool, rules_keep: bool) -> Record:
    drop = [Reason(code="x")]
    return Record(
        problem=Problem(id=pid, source="t", question=f"What is {pid}?", answer="7"),
        trace=Trace(
            problem_id=pid, index=i, teacher="m", prompt=[], response=f"First {i}, then 7. \\boxed{{7}}"
        ),
        verdicts={
            "math": Verdict(
                verifier="math",
                version="1",
                outcome="correct" if correct else "incorrect",
                score=float(correct),
                extracted="7" if correct else "8",
            )
        },
        decisions={
            "verified": Decision(filter="verified", keep=correct, reasons=[] if correct else drop),
            "rules": Decision(filter="rules", keep=rules_keep, reasons=[] if rules_keep else drop),
        },
    )


def _records() -> list[Record]:
    """8 problems × 4 traces; traces 0-2 correct, rules drop trace 1 of the even problems."""
    return [_record(f"p{p}", i, i < 3, not (i == 1 and p % 2 == 0)) for p in range(8) for i in range(4)]


def test_each_arm_trains_on_its_set_and_the_controls_match_the_kept_sizes():
    records = _records()
    units = {u.name: u for u in stage_units(records, seeds=3)}
    assert len(units["pool/s0"].records) == 32
    assert len(units["verified/s0"].records) == 24
    filtered = units["filtered/s0"].records
    assert len(filtered) == 20 and all(r.kept for r in filtered)
    pool = {r.key for r in records}
    for arm, kept in (("random~filtered", filtered), ("random~verified", units["verified/s0"].records)):
        draws = [units[f"{arm}/s{s}"].records for s in range(3)]
        for draw in draws:
            assert {r.key for r in draw} <= pool
            assert Counter(r.problem.id for r in draw) == Counter(r.problem.id for r in kept)
        assert len({frozenset(r.key for r in d) for d in draws}) > 1  # a new draw per seed
        assert any(not r.correct for d in draws for r in d)  # drawn from the unverified pool
    assert units["answers/s0"].direct and units["answers/s0"].records == units["verified/s0"].records


def test_the_key_arms_run_first():
    order = [u.arm for u in stage_units(_records(), seeds=3)]
    assert order[:10] == ["untrained"] + ["filtered", "random~filtered"] * 3 + ["pool"] * 3
    assert set(order[10:]) == {"verified", "random~verified", "answers"}
    assert set(KEY_ARMS) == set(order[:10])


def test_answers_only_rows_hold_the_verified_answer_and_no_reasoning():
    unit = next(u for u in stage_units(_records(), seeds=1) if u.arm == "answers")
    rows = select_rows(unit.records, ExportConfig(mode="direct"))
    assert len(rows) == 8  # one per problem
    assert {row["messages"][-1]["content"] for row in rows} == {"\\boxed{7}"}


def test_a_filter_that_drops_nothing_reuses_the_earlier_student():
    records = [_record(f"p{p}", i, True, True) for p in range(3) for i in range(2)]  # all kept
    units = {u.name: u for u in stage_units(records, seeds=2)}
    assert units["pool/s1"].same_as == "filtered/s1" and units["verified/s0"].same_as == "filtered/s0"
    assert units["filtered/s0"].same_as is None


class StudentForTests:
    """A 'student' whose accuracy is the share of correct traces it was trained on (answers: 0.25)."""

    def __init__(self, direct: bool = False, fail_after: int | None = None) -> None:
        self.calls: list[str] = []
        self.direct, self.fail_after = direct, fail_after

    def __call__(self, records, work: Path, seed: int):
        if self.fail_after is not None and len(self.calls) >= self.fail_after:
            raise KeyboardInterrupt  # the process is killed mid-ablation
        self.calls.append(f"{work.parent.name}/{work.name}")
        acc = 0.25 if self.direct else sum(r.correct for r in records) / len(records)
        return {"per_problem": {f"e{i}": acc for i in range(6)}, "tokens_per_answer": 5.0, "seconds": 60.0}


def _untrained():
    return {"per_problem": {f"e{i}": 0.0 for i in range(6)}, "tokens_per_answer": 40.0, "accuracy": 0.0}


def _run(tmp_path: Path) -> tuple[Path, Config]:
    run = tmp_path / "run"
    records = _records()
    write_models(run / "filtered" / "shard-00000.jsonl", [r for r in records if r.kept])
    write_models(run / "rejected" / "shard-00000.jsonl", [r for r in records if not r.kept])
    write_models(
        run / "problems" / "eval.jsonl", [Problem(id=f"e{i}", source="t", question="?") for i in range(6)]
    )
    write_json(
        run / "eval" / "teacher.json", {"accuracy": 0.5, "ci95": [0.1, 0.9], "tokens_per_answer": 300.0}
    )
    cfg = Config.model_validate({"filter": {"filters": ["verified", "rules"]}})
    write_json(run / "manifest.json", {"config": cfg.model_dump(mode="json")})
    return run, cfg


def test_results_are_written_as_they_come_and_a_rerun_skips_finished_units(tmp_path):
    run, cfg = _run(tmp_path)
    student, answers = StudentForTests(fail_after=4), StudentForTests(direct=True)
    with pytest.raises(KeyboardInterrupt):
        run_stages(
            run, cfg, seeds=3, student=student, answers=answers, untrained=_untrained, log=lambda s: None
        )
    partial = json.loads((run / "ablate_stages.json").read_text())
    assert partial["partial"] and (partial["units_done"], partial["units_total"]) == (5, 19)
    assert student.calls == ["filtered/s0", "random-filtered/s0", "filtered/s1", "random-filtered/s1"]

    student = StudentForTests()
    result = run_stages(
        run, cfg, seeds=3, student=student, answers=answers, untrained=_untrained, log=lambda s: None
    )
    assert len(student.calls) == 15 - 4 and not result["partial"]  # 4 trained before the kill
    assert len(answers.calls) == 3 and all(c.startswith("answers/") for c in answers.calls)
    arms = {a["name"]: a for a in result["arms"]}
    assert arms["filtered"]["pooled"]["accuracy"] == 1.0 and arms["pool"]["pooled"]["accuracy"] == 0.75
    assert arms["filtered"]["done"] == 3 and arms["untrained"]["done"] == 1
    diff = {(d["a"], d["b"]): d for d in result["differences"]}
    assert diff[("filtered", "pool")]["accuracy"] == 0.25 and diff[("filtered", "untrained")]["seeds"] == 3
    assert result["threads"] >= 1 and "cpu_hours" in result
    assert "seconds" in arms["pool"]["per_seed"][0]
    assert result["teacher"]["accuracy"] == 0.5

    again = StudentForTests()
    run_stages(run, cfg, seeds=3, student=again, answers=answers, untrained=_untrained, log=lambda s: None)
    assert again.calls == [] and len(answers.calls) == 3  # every unit was finished

    text = render_stages(result)
    assert "| verified + filters | 20 | 1.000 [1.000, 1.000] |" in text and "filtered − pool" in text


def test_cli_runs_the_stages_and_the_report_gets_the_table(tmp_path, monkeypatch):
    run, cfg = _run(tmp_path)
    import s2s1.distill.ablate_stages_run as stages

    real = stages.run_stages
    monkeypatch.setattr(
        stages,
        "run_stages",
        lambda run_dir, cfg, seeds, log: real(
            run_dir,
            cfg,
            seeds=seeds,
            student=StudentForTests(),
            answers=StudentForTests(True),
            untrained=_untrained,
            log=log,
        ),
    )
    result = CliRunner().invoke(app, ["ablate", str(run), "--stages", "--seeds", "1"])
    assert result.exit_code == 0, result.output
    assert "## What each stage buys" in result.output and "Partial" not in result.output
    assert json.loads((run / "ablate_stages.json").read_text())["units_done"] == 7


@pytest.mark.slow
def test_the_real_students_train_and_are_evaluated_on_a_tiny_model(tmp_path, tiny_model_dir):
    run, _ = _run(tmp_path)
    cfg = Config.model_validate(
        {
            "generate": {"backend": "transformers", "model": str(tiny_model_dir)},
            "filter": {"filters": ["verified", "rules"]},
            "train": {"backend": "own", "max_steps": 2, "batch_size": 4, "lora_rank": 4},
            "evaluate": {
                "sampling": {"n": 1, "temperature": 0.0, "max_tokens": 8, "seed": 1},
                "max_problems": 3,
            },
            "verify": {"workers": 1},
        }
    )
    result = run_stages(run, cfg, seeds=1, log=lambda s: None)
    assert result["units_done"] == result["units_total"] == 7
    assert all(a["per_seed"][0]["n_problems"] == 3 for a in result["arms"])
    answers = json.loads((run / "ablate" / "stages" / "answers" / "s0" / "eval.json").read_text())
    assert answers["train_examples"] == 8  # one row per problem with a verified answer
    assert not (run / "ablate" / "stages" / "pool" / "s0" / "student").exists()  # weights deleted


def test_the_runs_own_student_and_untrained_evaluations_are_reused(tmp_path):
    run, cfg = _run(tmp_path)
    write_json(run / "eval" / "student.json", {"per_problem": {f"e{i}": 0.5 for i in range(6)}})
    write_json(run / "eval" / "student_untrained.json", {"per_problem": {f"e{i}": 0.25 for i in range(6)}})
    student = StudentForTests()
    result = run_stages(run, cfg, seeds=1, student=student, answers=StudentForTests(True), log=print)
    assert "filtered/s0" not in student.calls and "pool/s0" in student.calls
    arms = {a["name"]: a for a in result["arms"]}
    assert arms["filtered"]["pooled"]["accuracy"] == 0.5 and arms["untrained"]["pooled"]["accuracy"] == 0.25


def test_a_student_whose_evaluation_was_cut_off_is_evaluated_again_without_retraining(tmp_path, monkeypatch):
    import s2s1.distill.ablate_run as ablate_run
    import s2s1.distill.export as export
    import s2s1.distill.train as train
    from s2s1.distill.train_common import TrainResult

    trained: list[Path] = []

    def train_for_tests(dataset, init, out, cfg):
        trained.append(out)
        out.mkdir(parents=True)
        return TrainResult(steps=3, examples=5, dropped_too_long=0, seconds=0.0, losses=[0.5, 0.4, 0.3])

    evaluations = iter([KeyboardInterrupt(), {"per_problem": {"e0": 1.0}}])

    def evaluate_for_tests(cfg, folder, name, problems, samples):
        result = next(evaluations)
        if isinstance(result, BaseException):
            raise result
        return result

    monkeypatch.setattr(export, "export_dataset", lambda *a, **k: None)
    monkeypatch.setattr(train, "train_student", train_for_tests)
    monkeypatch.setattr(ablate_run, "evaluate_folder", evaluate_for_tests)
    monkeypatch.setattr(ablate_run, "init_dir", lambda cfg, run_dir: tmp_path)
    student = ablate_run.train_and_evaluate(Config(), tmp_path, [])
    with pytest.raises(KeyboardInterrupt):
        student(_records()[:4], tmp_path / "w", 0)
    result = student(_records()[:4], tmp_path / "w", 0)
    assert len(trained) == 1 and result["train_steps"] == 3 and result["per_problem"] == {"e0": 1.0}
    assert json.loads((tmp_path / "w" / "train.json").read_text())["losses"] == [0.5, 0.4, 0.3]
    assert not (tmp_path / "w" / "student").exists()


def test_a_run_without_a_teacher_evaluation_gets_one_once(tmp_path):
    run, cfg = _run(tmp_path)
    (run / "eval" / "teacher.json").unlink()  # the run stopped before its evaluate stage
    calls = []

    def teacher():
        calls.append(1)
        return {"per_problem": {f"e{i}": 0.5 for i in range(6)}, "accuracy": 0.5, "tokens_per_answer": 90.0}

    for _ in range(2):
        result = run_stages(
            run,
            cfg,
            seeds=1,
            student=StudentForTests(),
            answers=StudentForTests(True),
            untrained=_untrained,
            teacher=teacher,
            log=lambda s: None,
        )
    assert calls == [1] and result["teacher"]["tokens_per_answer"] == 90.0
    assert (run / "ablate" / "stages" / "teacher" / "eval.json").exists()


def test_an_evaluation_keeps_the_answers_behind_its_score(tmp_path):
    from s2s1.distill import ablate_run
    from s2s1.generators.fake import FakeGeneratorForTests
    from s2s1.records import Sampling

    problems = [Problem(id=f"p{i}", source="t", question=f"{i}+1?", answer=str(i + 1)) for i in range(3)]
    samples = tmp_path / "unit" / "samples.jsonl"
    result = ablate_run.evaluate_generator(
        Config(), FakeGeneratorForTests(), problems, Sampling(n=2, max_tokens=16), samples
    )
    answers = read_models(samples, Record)
    assert sorted({r.problem.id for r in answers}) == ["p0", "p1", "p2"] and len(answers) == 6
    assert sum(r.correct for r in answers) == result["correct_samples"] > 0
    assert all(r.trace.response and r.verdicts for r in answers)
