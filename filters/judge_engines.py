"""The judge's engines: which backend runs it, and the answer token's distribution on each.

`judge_backend` picks the engine (`filter.judge.backend`, else the teacher's `vllm` or `openai`,
else `transformers`) and `judge_generator` builds it with the judge's system prompt and no worked
example. `answer_tokens(backend, requests)` gives, for each request (chat messages plus an
assistant `prefix` that ends in `Answer:`), the 20 likeliest next tokens as (text, probability),
read the same way on every engine so that their verdicts can be compared:

- `transformers`: one forward pass over the chat template + prefix, top 20 of the softmax;
- `vllm`: the offline engine, one token at temperature 0 with `logprobs=20` (LoRA adapter kept);
- `openai`: `POST /chat/completions` with the prefix as a final assistant message that the server
  continues (`continue_final_message`, as `OpenAIGenerator` sends continuations: vLLM and SGLang
  do it, hosted APIs may not), `max_tokens: 1`, `logprobs: true`, `top_logprobs: 20`. A request
  that still fails after the generator's retries gives None (the judge abstains, naming why).

A backend of another kind gives None for the whole batch: the judge then reads the verdict from
the reply's text (filters/judge_verdict.py). This module does not decide verdicts or cache them.

Example:
    >>> from s2s1.config import GenerateConfig, JudgeConfig
    >>> judge_backend(JudgeConfig(), GenerateConfig(backend="openai"))
    'openai'
    >>> judge_backend(JudgeConfig(), None)
    'transformers'
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from s2s1.config import GenerateConfig, JudgeConfig
from s2s1.generators.backend import Backend, Request
from s2s1.records import Sampling

__all__ = ["TOP", "answer_tokens", "judge_backend", "judge_generator"]

TOP = 20
"""Next tokens read per answer (OpenAI's most `top_logprobs`)."""
Top = list[tuple[str, float]]


def judge_backend(judge: JudgeConfig, teacher: GenerateConfig | None) -> str:
    """`judge.backend`, else the teacher's where it is an engine (`vllm`, `openai`), else `transformers`."""
    if judge.backend is not None:
        return judge.backend
    return (
        teacher.backend if teacher is not None and teacher.backend in ("vllm", "openai") else "transformers"
    )


def judge_generator(judge: JudgeConfig, teacher: GenerateConfig | None, system_prompt: str) -> Backend:
    """The judge's backend (nothing loads or is contacted until its first judgement)."""
    from s2s1.generators import build_generator

    teacher = teacher or GenerateConfig()
    model = judge.model or (teacher.model if teacher.backend != "fake" else "embedded")
    cfg = teacher.model_copy(
        update={"backend": judge_backend(judge, teacher), "base_url": judge.base_url or teacher.base_url}
    )
    return build_generator(cfg, system_prompt=system_prompt, few_shot=False, model=model)


def answer_tokens(backend: Any, requests: Sequence[Request]) -> list[Top | None] | None:
    """The top next tokens after each request's prompt + prefix; None when `backend` cannot say."""
    if hasattr(backend, "answer_tokens"):  # test doubles and other engines bring their own
        return list(backend.answer_tokens(requests))
    from s2s1.generators.openai_backend import OpenAIGenerator
    from s2s1.generators.transformers_backend import TransformersGenerator

    if isinstance(backend, TransformersGenerator):
        return list(_transformers(backend, requests))
    if isinstance(backend, OpenAIGenerator):
        return _openai(backend, requests)
    if type(backend).__name__ == "VLLMGenerator":  # not imported: vLLM may not be installed
        return list(_vllm(backend, requests))
    return None


def _transformers(gen: Any, requests: Sequence[Request]) -> list[Top]:
    import torch

    gen._load()
    tok, model = gen._tok, gen._model
    texts = [
        tok.apply_chat_template(r.messages, add_generation_prompt=True, tokenize=False) + r.prefix
        for r in requests
    ]
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # alike lengths: little padding
    out: list[Top] = [[] for _ in texts]
    for start in range(0, len(order), gen.batch_size):
        batch = [texts[i] for i in order[start : start + gen.batch_size]]
        enc = tok(batch, return_tensors="pt", padding=True, padding_side="left", add_special_tokens=False)
        enc = enc.to(model.device)
        positions = (enc["attention_mask"].cumsum(-1) - 1).clamp(min=0)
        with torch.inference_mode():
            logits = model(**enc, position_ids=positions).logits[:, -1, :].float()
        probs, ids = logits.softmax(-1).topk(TOP, dim=-1)
        for k, p_row, id_row in zip(order[start:], probs.tolist(), ids.tolist(), strict=False):
            out[k] = [(tok.decode([i]), p) for i, p in zip(id_row, p_row, strict=True)]
    return out


def _vllm(gen: Any, requests: Sequence[Request]) -> list[Top]:
    from vllm import SamplingParams

    from s2s1.generators.vllm_backend import lora_request

    params = SamplingParams(n=1, temperature=0.0, max_tokens=1, logprobs=TOP)
    prompts = [{"prompt_token_ids": gen.prompt_ids(r)} for r in requests]
    lora = lora_request(gen.adapter) if gen.adapter is not None else None
    outputs = gen.llm.generate(prompts, params, lora_request=lora, use_tqdm=False)
    return [
        [(lp.decoded_token or "", math.exp(lp.logprob)) for lp in o.outputs[0].logprobs[0].values()]
        for o in outputs
    ]


def _openai(gen: Any, requests: Sequence[Request]) -> list[Top | None]:
    import httpx

    from s2s1.generators import openai_backend as oa

    key = os.environ.get("OPENAI_API_KEY")
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    url = f"{gen.base_url}/chat/completions"
    greedy = Sampling(n=1, temperature=0.0, max_tokens=1)

    def one(client: httpx.Client, r: Request) -> Top | None:
        body = gen._body(r, greedy) | {"max_tokens": 1, "logprobs": True, "top_logprobs": TOP}
        for attempt in range(1, oa.MAX_ATTEMPTS + 1):
            try:
                resp = client.post(url, json=body)
            except httpx.TransportError:
                resp = None
            if resp is not None and resp.is_success:
                content = (resp.json()["choices"][0].get("logprobs") or {}).get("content") or []
                if not content:
                    return None
                return [(t["token"], math.exp(t["logprob"])) for t in content[0]["top_logprobs"]]
            if resp is not None and resp.status_code != 429 and resp.status_code < 500:
                return None
            if attempt < oa.MAX_ATTEMPTS:
                time.sleep(oa._delay(attempt, resp.headers.get("Retry-After") if resp is not None else None))
        return None

    with httpx.Client(headers=headers, timeout=gen.timeout_s) as client:
        with ThreadPoolExecutor(max_workers=min(gen.max_concurrency, 16)) as pool:
            return list(pool.map(lambda r: one(client, r), requests))
