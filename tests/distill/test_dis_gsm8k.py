"""configs/gsm8k.yaml: training problems only from GSM8K train, ≥ 200 held-out GSM8K test problems."""

from __future__ import annotations

from pathlib import Path

from s2s1.config import load_config
from s2s1.problems import held_out_split

CONFIG = Path(__file__).parents[2] / "configs" / "gsm8k.yaml"


def test_the_recipe_trains_on_gsm8k_train_and_evaluates_on_200_test_problems():
    cfg = load_config(CONFIG)
    train, held_out, leaks = held_out_split(cfg.problems)
    assert len(train) == 200 and all(p.id.startswith("gsm8k-train-") for p in train)
    assert all(p.id.startswith("gsm8k-test-") for p in held_out) and not leaks
    assert len(held_out[: cfg.evaluate.max_problems]) == cfg.evaluate.max_problems >= 200


def test_the_teacher_works_in_system_2_and_the_student_in_system_1():
    cfg = load_config(CONFIG)
    teacher, student = cfg.generate.sampling, cfg.evaluate.sampling
    assert cfg.generate.few_shot and teacher.n > 1 and teacher.max_tokens >= 512
    assert cfg.filter.filters[0] == "verified" and cfg.export.mode == "reasoning"
    assert student.n == 1 and student.temperature == 0.0 and student.max_tokens < teacher.max_tokens


def test_the_benchmark_counts_answers_cut_at_the_token_limit(tmp_path):
    """benchmarks/distill/gsm8k.py: a cut answer the verifier scored correct counts wrong in the
    strict accuracy; finished answers count as scored."""
    import importlib.util
    import json

    path = Path(__file__).parents[2] / "benchmarks" / "distill" / "gsm8k.py"
    spec = importlib.util.spec_from_file_location("bench_gsm8k", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    unit = tmp_path / "ablate" / "stages" / "filtered" / "s0"
    unit.mkdir(parents=True)
    rows = [("correct", "stop"), ("correct", "length"), ("incorrect", "length"), ("incorrect", "stop")]
    unit.joinpath("samples.jsonl").write_text(
        "".join(
            json.dumps({"verdicts": {"math": {"outcome": o}}, "trace": {"finish_reason": f}}) + "\n"
            for o, f in rows
        )
    )
    assert bench.cut_answers(tmp_path) == [
        {
            "unit": "filtered/s0",
            "answers": 4,
            "correct": 2,
            "cut": 2,
            "correct_cut": 1,
            "accuracy_cut_wrong": 0.25,
        }
    ]
