"""The `transformers` teacher backend: batched sampling with plain `model.generate`, CPU or GPU.

`TransformersGenerator` expands `n` samples per problem, decodes them `batch_size` at a time
(left padding, the model's chat template with the generation prompt) and yields one `Trace` per
sample, in order: problem by problem, index 0..n-1. The model loads lazily, once per instance,
in bf16 (on GPU when one is visible).

Seeds: each batch seeds torch with a number derived from (sampling.seed, the batch's first
problem id, its first sample index) and records it on its Traces as `seed`. The same problems,
sampling and batch size therefore give the same text; a different batch size may not.

Failures: a model that cannot be loaded is a UserError (a wrong name or path is the user's to
fix); an exception while generating a batch does not raise, it yields that batch's Traces with
`finish_reason="error"` and the error text (design §3: per-record failures are data).

This backend does not do continuous batching or prefix caching (vLLM does), and does not retry.

Example:
    >>> from s2s1.records import Problem, Sampling
    >>> gen = TransformersGenerator("embedded", batch_size=8)
    >>> p = Problem(id="a", source="demo", question="What is $2 + 3$?", answer="5")
    >>> [t.index for t in gen.generate([p], Sampling(n=2, max_tokens=32))]   # doctest: +SKIP
    [0, 1]
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from generators.embedded import EMBEDDED, model_id, resolve_model
from generators.prompts import SYSTEM_PROMPT, build_messages, split_think
from s2s1.errors import UserError
from s2s1.records import Problem, Sampling, Trace

__all__ = ["TransformersGenerator", "batch_seed"]


def batch_seed(base: int, problem_id: str, index: int) -> int:
    """The seed of a batch whose first sample is sample `index` of problem `problem_id`.

    Example:
        >>> batch_seed(0, "a", 0) == batch_seed(0, "a", 0) != batch_seed(1, "a", 0)
        True
    """
    digest = hashlib.sha256(f"{base}:{problem_id}:{index}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


class TransformersGenerator:
    """Samples teacher traces with `transformers` (see the module docstring for seeds and errors).

    Example:
        >>> gen = TransformersGenerator("embedded", few_shot=True, batch_size=32)
        >>> gen.teacher
        'HuggingFaceTB/SmolLM2-135M-Instruct@Q4_1-gguf'
    """

    def __init__(
        self, model: str, system_prompt: str = SYSTEM_PROMPT, few_shot: bool = True, batch_size: int = 32
    ) -> None:
        if batch_size < 1:
            raise UserError(f"generate.batch_size: {batch_size} must be 1 or more")
        if model != EMBEDDED and _looks_like_path(model) and not Path(model).expanduser().is_dir():
            raise UserError(
                f"generate.model: {model!r} is not a model folder; give `embedded`, "
                "a folder holding config.json and the weights, or a hub id"
            )
        self.model_name = model
        self.teacher = model_id(model)
        self.system_prompt = system_prompt
        self.few_shot = few_shot
        self.batch_size = batch_size
        self._model: Any = None
        self._tok: Any = None

    def generate(self, problems: Sequence[Problem], sampling: Sampling) -> Iterator[Trace]:
        """One Trace per (problem, index), problem by problem, indices 0..n-1."""
        jobs = [(p, i) for p in problems for i in range(sampling.n)]
        if not jobs:
            return
        self._load()
        with tqdm(total=len(jobs), unit="sample", desc="generate", disable=None) as bar:
            for start in range(0, len(jobs), self.batch_size):
                batch = jobs[start : start + self.batch_size]
                seed = batch_seed(sampling.seed, batch[0][0].id, batch[0][1])
                prompts = [build_messages(p, self.system_prompt, self.few_shot) for p, _ in batch]
                try:
                    outputs = self._generate_batch(prompts, sampling, seed)
                except Exception as e:  # per-record failures are data
                    error = f"{type(e).__name__}: {e}"
                    for (p, i), msgs in zip(batch, prompts, strict=True):
                        yield self._trace(p, i, msgs, sampling, seed, finish_reason="error", error=error)
                else:
                    for (p, i), msgs, (text, n_tok, reason) in zip(batch, prompts, outputs, strict=True):
                        reasoning, response = split_think(text)
                        yield self._trace(
                            p,
                            i,
                            msgs,
                            sampling,
                            seed,
                            reasoning=reasoning,
                            response=response,
                            num_tokens=n_tok,
                            finish_reason=reason,
                        )
                bar.update(len(batch))

    def yes_probability(self, problems: Sequence[Problem], prefix: str = "") -> list[float]:
        """P(Yes) / (P(Yes) + P(No)) for the reply's next token after `prefix`, one per problem.

        Reads the next-token distribution once per prompt (no sampling); "Yes"/"No" count with
        and without a leading space and in lower case. The constitution judge scores with it.
        """
        import torch

        self._load()
        tok, model = self._tok, self._model
        yes, no = (
            sorted(
                {tok.encode(v, add_special_tokens=False)[0] for v in (w, " " + w, w.lower(), " " + w.lower())}
            )
            for w in ("Yes", "No")
        )
        out: list[float] = []
        for start in range(0, len(problems), self.batch_size):
            msgs = [
                build_messages(p, self.system_prompt, self.few_shot)
                for p in problems[start : start + self.batch_size]
            ]
            texts = [
                tok.apply_chat_template(m, add_generation_prompt=True, tokenize=False) + prefix for m in msgs
            ]
            enc = tok(texts, return_tensors="pt", padding=True, padding_side="left", add_special_tokens=False)
            with torch.inference_mode():
                probs = model(**enc.to(model.device)).logits[:, -1, :].float().softmax(-1)
            p_yes, p_no = probs[:, yes].sum(-1), probs[:, no].sum(-1)
            out += (p_yes / (p_yes + p_no).clamp(min=1e-12)).tolist()
        return out

    def _trace(
        self, p: Problem, i: int, msgs: list[dict[str, str]], sampling: Sampling, seed: int, **fields: Any
    ) -> Trace:
        return Trace(
            problem_id=p.id,
            index=i,
            teacher=self.teacher,
            prompt=msgs,
            sampling=sampling,
            seed=seed,
            **fields,
        )

    def _load(self) -> None:
        if self._model is not None:
            return
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        path = resolve_model(self.model_name)
        try:
            tok = AutoTokenizer.from_pretrained(path)
            model: Any = AutoModelForCausalLM.from_pretrained(path, dtype=torch.bfloat16)
        except Exception as e:
            raise UserError(
                f"generate.model: cannot load {self.model_name!r} ({type(e).__name__}: {e}); "
                "give `embedded`, a local model folder, or a hub id reachable from here"
            ) from None
        if tok.pad_token_id is None:
            tok.pad_token = tok.eos_token
        tok.padding_side = "left"
        if torch.cuda.is_available():
            model.to("cuda")
        self._tok, self._model = tok, model.eval()

    def _generate_batch(
        self, prompts: list[list[dict[str, str]]], sampling: Sampling, seed: int
    ) -> list[tuple[str, int, str]]:
        """(text, generated tokens, finish reason) for each prompt."""
        import torch

        tok, model = self._tok, self._model
        texts = [tok.apply_chat_template(m, add_generation_prompt=True, tokenize=False) for m in prompts]
        enc = tok(texts, return_tensors="pt", padding=True, padding_side="left", add_special_tokens=False)
        enc = enc.to(model.device)
        eos = _eos_ids(tok, model)
        greedy = sampling.temperature == 0
        options: dict[str, Any] = (
            {"do_sample": False}
            if greedy
            else {
                "do_sample": True,
                "temperature": sampling.temperature,
                "top_p": sampling.top_p,
                "top_k": 0,
            }
        )
        torch.manual_seed(seed)
        with torch.inference_mode():
            out = model.generate(
                **enc,
                max_new_tokens=sampling.max_tokens,
                eos_token_id=eos,
                pad_token_id=tok.pad_token_id,
                **options,
            )
        results = []
        for row in out[:, enc["input_ids"].shape[1] :].tolist():
            stop = next((k for k, t in enumerate(row) if t in eos), None)
            n_tok = len(row) if stop is None else stop
            reason = "length" if stop is None else "stop"
            results.append((tok.decode(row[:n_tok], skip_special_tokens=True), n_tok, reason))
        return results


def _eos_ids(tok: Any, model: Any) -> list[int]:
    ids = model.generation_config.eos_token_id
    ids = [] if ids is None else [ids] if isinstance(ids, int) else list(ids)
    if tok.eos_token_id is not None and tok.eos_token_id not in ids:
        ids.append(tok.eos_token_id)
    return ids


def _looks_like_path(name: str) -> bool:
    return name.startswith(("/", ".", "~")) or name.count("/") > 1 or Path(name).exists()
