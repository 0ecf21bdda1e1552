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
