"""The transformers backend on a CUDA GPU (run where a GPU machine is lent; skipped in CI).

A SmolLM2-135M-shaped model with random weights and the real tokenizer: random weights seldom
draw the end token, so samples run (nearly) their full budget, which is what these checks need.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from s2s1.config import BudgetForcing, GenerateConfig
from s2s1.generators import generate_shard_file
from s2s1.generators.transformers_backend import TransformersGenerator
from s2s1.records import Problem, Sampling

pytestmark = pytest.mark.gpu


@pytest.fixture(scope="module")
def model_135m(random_llama, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    return random_llama(
        tmp_path_factory.mktemp("m135"),
        hidden_size=576,
        intermediate_size=1536,
        num_hidden_layers=30,
        num_attention_heads=9,
        num_key_value_heads=3,
        max_position_embeddings=2048,
    )


def test_samples_on_the_gpu(model_135m: Path) -> None:
    gen = TransformersGenerator(str(model_135m), batch_size=64)
    problems = [
        Problem(id=f"p{i}", source="d", question=f"What is {i} + 1?", answer=str(i + 1)) for i in range(32)
    ]
    traces = list(gen.generate(problems, Sampling(n=4, max_tokens=64)))
    assert gen._model.device.type == "cuda"
    assert len(traces) == 128 and len({(t.problem_id, t.index) for t in traces}) == 128
    assert all(0 < t.num_tokens <= 64 for t in traces)
    assert all((t.finish_reason == "length") == (t.num_tokens == 64) for t in traces)
    assert sum(t.num_tokens for t in traces) > 100 * 64  # random weights rarely draw the end token


def test_budget_forcing_continues_on_the_gpu(model_135m: Path, tmp_path: Path) -> None:
    gen = TransformersGenerator(str(model_135m), batch_size=16)
    cfg = GenerateConfig(sampling=Sampling(n=2, max_tokens=32), budget_forcing=BudgetForcing(answer_tokens=8))
    problems = [
        Problem(id=f"p{i}", source="d", question=f"What is {i} + 1?", answer=str(i + 1)) for i in range(4)
    ]
    records = generate_shard_file(tmp_path / "shard-00000.jsonl", problems, gen, cfg)
    assert len(records) == 8
    assert all(r.trace.strategy["budget_forcing"]["forced_answer"] for r in records)
    assert all(r.trace.num_tokens == 40 and "\\boxed{" in r.trace.response for r in records)
