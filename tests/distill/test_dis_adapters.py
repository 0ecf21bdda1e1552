"""Constitution adapters: the teacher's context, adapters side by side, and their comparison.

The context-mode pipeline itself is tested in tests/flows/test_context_run.py.

Runs the 4-layer random model of `tiny_model_dir`; what this checks is the
wiring (what each model is prompted with, what is saved, what is measured), not that a 135M
model learns a constitution (docs/adapters.md has those numbers).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from s2s1.config import Config
from s2s1.distill.adapters import SideBySide, compare_adapters, held_out_problems, read_adapter
from s2s1.distill.report import adapter_table
from s2s1.errors import UserError
from s2s1.generators.teacher import build_teacher
from s2s1.generators.transformers_backend import TransformersGenerator
from s2s1.problems import arithmetic_problems
from s2s1.records import Sampling

ROOT = Path(__file__).parents[2]
ONE = ROOT / "configs" / "constitutions" / "one_sentence.md"
STEPS = ROOT / "configs" / "constitutions" / "every_step.md"
PLAIN = "Put the final answer in \\boxed{}."


def _config(model_dir: Path, constitution: Path, backend: str = "fake") -> Config:
    return Config.model_validate(
        {
            "name": "tiny-adapter",
            "problems": {"sources": [{"builtin": "arithmetic", "limit": 12}], "eval_fraction": 0.3},
            "generate": {"backend": backend, "model": str(model_dir), "shard_size": 8, "sampling": {"n": 2}},
            "verify": {"workers": 1},
            "filter": {"filters": ["verified", "judge"], "constitution": str(constitution)},
            "export": {"mode": "context", "system_prompt": PLAIN},
            "train": {"max_steps": 2, "batch_size": 4},
            "evaluate": {"sampling": {"n": 1, "max_tokens": 6, "temperature": 0.0}},
        }
    )


def test_teacher_answers_with_the_constitution_and_its_worked_example(tiny_model_dir):
    teacher = build_teacher(_config(tiny_model_dir, STEPS, backend="transformers"))
    assert "2. Number the steps." in teacher.system_prompt
    user, answer = teacher.few_shot
    assert user["content"] == "What is $23 + 19$?" and answer["content"].startswith("Step 1:")
    plain = build_teacher(
        _config(tiny_model_dir, STEPS, "transformers").model_copy(update={"export": Config().export})
    )
    assert "Number the steps" not in plain.system_prompt and plain.few_shot is True  # other modes: as before


def test_context_needs_a_lora_student():
    with pytest.raises(ValueError, match="set train.student: lora"):
        Config.model_validate({"export": {"mode": "context"}, "train": {"student": "layers"}})


def _random_adapter(base: Path, out: Path, constitution: Path, seed: int) -> Path:
    """A LoRA adapter with random (non-zero) weights, saved as a constitution adapter folder."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.manual_seed(seed)
    model = get_peft_model(
        AutoModelForCausalLM.from_pretrained(base),
        LoraConfig(r=4, lora_alpha=64, target_modules="all-linear", init_lora_weights=False),
    )
    model.save_pretrained(out)
    AutoTokenizer.from_pretrained(base).save_pretrained(out)
    info = {"base": str(base), "constitution_source": constitution.name, "system_prompt": PLAIN}
    (out / "adapter.json").write_text(json.dumps(info | {"constitution_hash": "x"}))
    (out / "constitution.md").write_text(constitution.read_text())
    return out


def test_adapters_side_by_side_match_each_adapter_loaded_alone(tiny_model_dir, tmp_path):
    a = read_adapter(_random_adapter(tiny_model_dir, tmp_path / "one", ONE, seed=1))
    b = read_adapter(_random_adapter(tiny_model_dir, tmp_path / "steps", STEPS, seed=2))
    side = SideBySide(str(tiny_model_dir), [a, b])
    problems = arithmetic_problems(3)
    greedy = Sampling(n=1, temperature=0.0, max_tokens=8)

    def texts(gen):
        return [t.completion for t in gen.generate(problems, greedy)]

    shared = {
        name: texts(side.generator(x, PLAIN, False)) for name, x in (("base", None), ("a", a), ("b", b))
    }
    shared["base again"] = texts(side.generator(None, PLAIN, False))  # switching back turns adapters off
    alone = {name: texts(TransformersGenerator(str(f), PLAIN, False)) for name, f in
             (("base", tiny_model_dir), ("a", a.folder), ("b", b.folder))}  # fmt: skip
    assert shared["base"] == shared["base again"] == alone["base"]
    assert shared["a"] == alone["a"] and shared["b"] == alone["b"]
    assert len({tuple(v) for v in alone.values()}) == 3  # the adapters do change the answers


def test_compare_measures_three_models_per_constitution(tiny_model_dir, tmp_path):
    cfg = _config(tiny_model_dir, ONE)
    folders = [
        _random_adapter(tiny_model_dir, tmp_path / "one", ONE, seed=1),
        _random_adapter(tiny_model_dir, tmp_path / "steps", STEPS, seed=2),
    ]
    problems = held_out_problems(cfg, folders)
    result = compare_adapters(cfg, folders, problems, tmp_path / "cache.jsonl")
    assert set(result["adapters"]) == {"one", "steps"}
    steps = result["adapters"]["steps"]
    assert (
        steps["base_with_prompt"]["prompt_tokens"]
        > steps["adapter"]["prompt_tokens"]
        == result["base"]["prompt_tokens"]
    )
    assert steps["prompt_tokens_saved"] == pytest.approx(
        steps["base_with_prompt"]["prompt_tokens"] - steps["adapter"]["prompt_tokens"], abs=0.11
    )
    for part in ("base", "base_with_prompt", "adapter"):
        assert 0.0 <= steps[part]["judge_pass_rate"] <= 1.0
    # a 6-token greedy answer has no "Step 2:" line: the every-step judge fails every sample
    assert steps["adapter"]["judge_pass_rate"] == 0.0
    assert result["cross"]["steps"]["steps"] == steps["adapter"]["judge_pass_rate"]
    assert result["cross"]["one"]["one"] == result["adapters"]["one"]["adapter"]["judge_pass_rate"]
    table = adapter_table(result)
    assert "| base + adapter, no prompt |" in table and "| one | " in table


def test_an_adapter_trained_on_a_held_out_problem_is_refused(tiny_model_dir, tmp_path):
    cfg = _config(tiny_model_dir, ONE)
    folder = _random_adapter(tiny_model_dir, tmp_path / "student", ONE, seed=1)
    leaked = held_out_problems(cfg, [])[:1]
    (tmp_path / "problems").mkdir()
    (tmp_path / "problems" / "train.jsonl").write_text("".join(p.model_dump_json() + "\n" for p in leaked))
    with pytest.raises(UserError, match="trained on 1 of the held-out problems"):
        held_out_problems(cfg, [folder])


def test_a_folder_that_is_not_an_adapter_is_a_user_error(tiny_model_dir):
    with pytest.raises(UserError, match="not a constitution adapter"):
        read_adapter(tiny_model_dir)
