"""The `transformers` teacher backend: batched sampling with plain `model.generate`, CPU or GPU.

`TransformersGenerator.complete` decodes requests `batch_size` at a time (left padding, the
model's chat template with the generation prompt, then the request's `prefix`) and yields one
Completion per request, in request order; each row stops at its own `max_tokens` and stop
strings. `generate` (from `Backend`) makes Traces of them. The model loads lazily, once per
instance, in bf16 (on GPU when one is visible).

Seeds: each batch seeds torch with its first request's seed and records that seed on all its
Traces. The same requests and batch size therefore give the same text; another grouping may not
(vLLM and servers seed each sample on its own).

Failures: a model that cannot be loaded is a UserError (a wrong name or path is the user's to
fix); an exception while generating a batch does not raise, it yields that batch's Traces with
`finish_reason="error"` and the error text (design §3: per-record failures are data).

This backend does not do continuous batching or prefix caching (vLLM does), and does not retry.

Example:
    >>> from s2s1.records import FinishReason, Problem, Sampling
    >>> gen = TransformersGenerator("embedded", batch_size=8)
    >>> p = Problem(id="a", source="demo", question="What is $2 + 3$?", answer="5")
    >>> [t.index for t in gen.generate([p], Sampling(n=2, max_tokens=32))]   # doctest: +SKIP
    [0, 1]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from s2s1.errors import UserError
from s2s1.generators.backend import Backend, Completion, Request
from s2s1.generators.embedded import EMBEDDED, model_id, resolve_model
from s2s1.generators.prompts import SYSTEM_PROMPT, FewShot, build_messages
from s2s1.records import FinishReason, Problem, Sampling

__all__ = ["TransformersGenerator"]


class TransformersGenerator(Backend):
    """Samples teacher traces with `transformers` (see the module docstring for seeds and errors).

    Example:
        >>> gen = TransformersGenerator("embedded", few_shot=True, batch_size=32)
        >>> gen.teacher
        'HuggingFaceTB/SmolLM2-135M-Instruct@Q4_1-gguf'
    """

    def __init__(
        self, model: str, system_prompt: str = SYSTEM_PROMPT, few_shot: FewShot = True, batch_size: int = 32
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

    def complete(self, requests: Sequence[Request], sampling: Sampling) -> Iterator[Completion]:
        """Completions in request order, `batch_size` requests decoded together."""
        if not requests:
            return
        self._load()
        with tqdm(total=len(requests), unit="sample", desc="generate", disable=None) as bar:
            for start in range(0, len(requests), self.batch_size):
                batch = requests[start : start + self.batch_size]
                seed = batch[0].seed
                try:
                    outputs = self._generate_batch(batch, sampling, seed)
                except Exception as e:  # per-record failures are data
                    error = f"{type(e).__name__}: {e}"
                    for r in batch:
                        yield Completion(r, finish_reason="error", error=error, seed=seed)
                else:
                    for r, (text, n_tok, reason) in zip(batch, outputs, strict=True):
                        yield Completion(r, text=text, num_tokens=n_tok, finish_reason=reason, seed=seed)
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
        self, batch: Sequence[Request], sampling: Sampling, seed: int
    ) -> list[tuple[str, int, FinishReason]]:
        """(text, generated tokens, finish reason) for each request; rows stop at their own budget."""
        import torch

        tok, model = self._tok, self._model
        texts = [
            tok.apply_chat_template(
                r.messages,
                add_generation_prompt=True,
                tokenize=False,
                **(sampling.chat_template_kwargs or {}),
            )
            + r.prefix
            for r in batch
        ]
        enc = tok(texts, return_tensors="pt", padding=True, padding_side="left", add_special_tokens=False)
        enc = enc.to(model.device)
        eos = _eos_ids(tok, model)
        ends = set(eos) | ({tok.pad_token_id} if tok.pad_token_id is not None else set())
        stop = sorted({s for r in batch for s in r.stop})
        options: dict[str, Any] = (
            {"do_sample": False}
            if sampling.temperature == 0
            else {"do_sample": True, "temperature": sampling.temperature, "top_p": sampling.top_p, "top_k": 0}
        )
        extras = sampling.extras()
        if "top_k" in extras and not options["do_sample"]:
            del extras["top_k"]
        if "top_k" in extras:
            extras["top_k"] = max(extras["top_k"], 0)  # vLLM's -1 (all tokens) is transformers' 0
        if not options["do_sample"]:
            extras.pop("min_p", None)
        options.update(extras)
        if stop:
            options.update(stop_strings=stop, tokenizer=tok)
        torch.manual_seed(seed)
        with torch.inference_mode():
            out = model.generate(
                **enc,
                max_new_tokens=max(r.max_tokens for r in batch),
                eos_token_id=eos,
                pad_token_id=tok.pad_token_id,
                **options,
            )
        results: list[tuple[str, int, FinishReason]] = []
        for r, row in zip(batch, out[:, enc["input_ids"].shape[1] :].tolist(), strict=True):
            row = row[: r.max_tokens]
            end = next((k for k, t in enumerate(row) if t in ends), None)
            n_tok = len(row) if end is None else end
            text = tok.decode(row[:n_tok], skip_special_tokens=True)
            cut = min((i for i in (text.find(s) for s in r.stop) if i >= 0), default=-1)
            if cut >= 0:
                results.append((text[:cut], n_tok, "stop"))
            else:
                results.append((text, n_tok, "length" if end is None else "stop"))
        return results


def _eos_ids(tok: Any, model: Any) -> list[int]:
    ids = model.generation_config.eos_token_id
    ids = [] if ids is None else [ids] if isinstance(ids, int) else list(ids)
    if tok.eos_token_id is not None and tok.eos_token_id not in ids:
        ids.append(tok.eos_token_id)
    return ids


def _looks_like_path(name: str) -> bool:
    return name.startswith(("/", ".", "~")) or name.count("/") > 1 or Path(name).exists()
