"""Evaluation (bootstrap interval, real verifier over the fake teacher) and the run report."""

from __future__ import annotations

import doctest

import pytest

import s2s1.distill.evaluate
import s2s1.distill.report
from s2s1.distill.evaluate import evaluate_model
from s2s1.distill.report import write_report
from s2s1.generators.fake import FakeGeneratorForTests
from s2s1.records import Problem, Sampling
from s2s1.stats import accuracy_ci, paired_difference
from s2s1.verifiers import load_verifiers


def test_interval_brackets_the_mean_and_narrows_with_more_problems():
    mean, (lo, hi) = accuracy_ci([1.0, 0.0] * 10)
    assert mean == 0.5 and lo < 0.5 < hi
    _, (lo_big, hi_big) = accuracy_ci([1.0, 0.0] * 200)
    assert hi_big - lo_big < (hi - lo) / 2


def test_interval_is_deterministic_and_degenerate_when_all_agree():
    assert accuracy_ci([1.0, 0.5, 0.0, 1.0]) == accuracy_ci([1.0, 0.5, 0.0, 1.0])
    assert accuracy_ci([1.0] * 5) == (1.0, [1.0, 1.0])
    assert accuracy_ci([]) == (0.0, [0.0, 0.0])


def test_evaluation_is_pass_at_1_over_k_samples_judged_by_the_real_verifier():
    problems = [Problem(id=f"p{i}", source="t", question=f"{i}+1?", answer=str(i + 1)) for i in range(3)]
    result = evaluate_model(
        FakeGeneratorForTests(),
        problems,
        Sampling(n=4, max_tokens=16),
        load_verifiers(["math"]),
        timeout_s=5,
        workers=1,
    )
    # Per problem: sample 0 right, 1 wrong, 2 right (boilerplate does not matter here), 3 cut off.
    assert result["accuracy"] == 0.5 and result["ci95"] == [0.5, 0.5]
    assert (result["n_problems"], result["k"], result["samples"], result["correct_samples"]) == (3, 4, 12, 6)
    assert result["tokens_per_solved"] == pytest.approx(result["tokens_per_answer"] * 12 / 6, rel=0.01)
    assert result["accuracy_per_1k_tokens"] == pytest.approx(1000 / result["tokens_per_solved"], rel=0.01)
    assert result["per_problem"] == {"p0": 0.5, "p1": 0.5, "p2": 0.5}


def test_paired_difference_keeps_each_problems_scores_together():
    better = {f"p{i}": 1.0 for i in range(10)}
    worse = {f"p{i}": 0.0 if i < 5 else 1.0 for i in range(10)}
    diff, (lo, hi) = paired_difference(better, worse)
    assert diff == 0.5 and 0 < lo <= 0.5 <= hi
    assert paired_difference(better, better) == (0.0, [0.0, 0.0])


METRICS = {
    "generate": {"problems": 2, "traces": 8, "by_finish_reason": {"stop": 6, "length": 2}},
    "verify": {"correct": 4, "by_outcome": {"correct": 4, "incorrect": 4}, "problems_with_correct": 2},
    "filter": {"kept": 2, "dropped": 6, "dropped_by_reason": {"incorrect": 4, "boilerplate": 2}},
    "train": {"steps": 3, "examples": 2, "seconds": 1.0, "losses": [2.0, 1.5, 1.0]},
    "decontamination": {"method": "same question", "removed": {"e1": "t7"}},
    "comparisons": {"student - teacher": {"accuracy_difference": -0.25, "ci95": [-0.5, 0.0]}},
    "evaluate": {
        "teacher": {
            "accuracy": 0.5,
            "ci95": [0.25, 0.75],
            "tokens_per_answer": 40.0,
            "n_problems": 4,
            "k": 2,
        },
        "student": {
            "accuracy": 0.25,
            "ci95": [0.0, 0.5],
            "tokens_per_answer": 20.0,
            "tokens_per_solved": 80.0,
            "accuracy_per_1k_tokens": 12.5,
            "sampling": {"max_tokens": 64, "seed": 1},
            "n_problems": 4,
            "k": 2,
        },
    },
}


def test_report_states_drops_per_reason_and_the_evaluation(tmp_path):
    write_report(tmp_path, METRICS, METRICS["train"]["losses"])
    report = (tmp_path / "report.md").read_text()
    assert "| incorrect | 4 |" in report and "| boilerplate | 2 |" in report
    assert "| student | 0.250 | [0.000, 0.500] | 20.0 | 80.0 | 12.5 | 4 | 2 | 64 | 1 |" in report
    assert "| teacher | 0.500 | [0.250, 0.750] | 40.0 | - | - | 4 | 2 | - | - |" in report
    assert "1 held-out problem(s) were left out" in report
    assert "- student - teacher: -0.250 [-0.500, +0.000]" in report
    assert "loss 2.000 → 1.000" in report
    plots = ["accuracy_vs_tokens.png", "train_loss.png"]
    for plot in plots:
        assert (tmp_path / "plots" / plot).read_bytes()[:4] == b"\x89PNG"
    assert sorted(p.name for p in (tmp_path / "plots").iterdir()) == plots  # no temp file left


@pytest.mark.parametrize("module", [s2s1.distill.evaluate, s2s1.distill.report])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_students_are_evaluated_on_the_teachers_engine_by_default(tmp_path):
    from s2s1.config import Config
    from s2s1.distill.evaluate import evaluate_backend, student_generator
    from s2s1.generators.openai_backend import OpenAIGenerator
    from s2s1.generators.transformers_backend import TransformersGenerator

    assert evaluate_backend(Config()) == "transformers"
    assert evaluate_backend(Config.model_validate({"generate": {"backend": "fake"}})) == "transformers"
    served = Config.model_validate(
        {"generate": {"backend": "openai", "model": "base"}, "evaluate": {"served": {"student": "kind"}}}
    )
    student = student_generator(served, tmp_path, "student")
    untrained = student_generator(served, tmp_path, "student_untrained")
    assert isinstance(student, OpenAIGenerator) and (student.model, untrained.model) == ("kind", "base")
    assert student.few_shot is False and student.system_prompt == served.export.system_prompt
    chosen = served.model_copy(
        update={"evaluate": served.evaluate.model_copy(update={"backend": "transformers"})}
    )
    assert isinstance(student_generator(chosen, tmp_path, "student"), TransformersGenerator)


def test_close_engine_stops_a_vllm_engine_once_and_ignores_other_generators():
    from types import SimpleNamespace

    from s2s1.distill.evaluate import close_engine
    from s2s1.generators.vllm_backend import VLLMGenerator

    calls = []
    engine_for_tests = SimpleNamespace(engine_core=SimpleNamespace(shutdown=lambda: calls.append(1)))
    gen = VLLMGenerator("embedded")  # the engine starts on first use: none yet
    gen._llm = SimpleNamespace(llm_engine=engine_for_tests)
    close_engine(gen)
    close_engine(gen)  # already stopped
    close_engine(object())  # a transformers generator: nothing to stop
    assert calls == [1] and gen._llm is None


def test_resampling_seeds_widens_the_interval_by_the_run_to_run_spread() -> None:
    from s2s1.stats import paired_difference_over_seeds, pooled

    problems = [f"p{i}" for i in range(100)]
    base = {p: float(i % 2) for i, p in enumerate(problems)}
    steady = [dict(base) for _ in range(3)]  # three seeds that agree
    noisy = [{p: float((i + k) % 3 == 0) for i, p in enumerate(problems)} for k in range(3)]
    same_lo, same_hi = paired_difference_over_seeds(steady, steady)
    assert same_lo == same_hi == 0.0
    _, problem_ci = paired_difference(pooled(noisy), base)
    seeds_ci = paired_difference_over_seeds(noisy, [base])
    assert seeds_ci[1] - seeds_ci[0] > problem_ci[1] - problem_ci[0]
