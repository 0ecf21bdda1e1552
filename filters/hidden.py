"""Hidden states of a causal LM while it re-reads a trace: the features of probes and the quality scorer.

`HiddenStates` runs a `transformers` causal LM teacher-forced over each record's own prompt (the
chat messages the teacher saw, through the model's chat template with the generation prompt)
followed by the completion, right-padded, `batch_size` records at a time, no generation. It
returns, per record, the layer-`N` hidden state pooled over the completion's tokens: layer 0 is
the embedding output, layer N the output of decoder layer N (the last one has the final norm
applied, as `output_hidden_states` gives it). Pooling is the **last completion token**
(`pool="last"`, the default): in a causal LM that position has attended to the whole trace,
final answer included, and on the benchmark's tuning half (benchmarks/probe) it beat the mean
(3-fold CV AUROC 0.823 at layer 27 against 0.772 for the best mean layer). `pool="mean"`
averages over every completion token instead. An empty completion is read at the last prompt
token. A sequence longer than `max_length` loses the end of its completion.

Used by `s2s1.filters.probe` (last token, the probe's layer) and `s2s1.filters.quality` (mean
over the completion). It does not generate text or use vLLM (no hidden states there); the model
is read in bf16 (on GPU when one is visible); torch is imported only when used.

Example:
    >>> Pool.__args__
    ('mean', 'last')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from s2s1.errors import UserError
from s2s1.generators.embedded import resolve_model
from s2s1.records import Record

if TYPE_CHECKING:
    import torch

__all__ = ["HiddenStates", "Pool", "check_layer", "model_shape"]

Pool = Literal["mean", "last"]


def model_shape(model: str) -> tuple[int, int]:
    """(decoder layers, hidden size) of a model, from its config alone (no weights loaded)."""
    from transformers import AutoConfig

    try:
        config = AutoConfig.from_pretrained(resolve_model(model))
    except Exception as e:
        raise UserError(
            f"--model {model!r}: cannot read its config ({type(e).__name__}); "
            "give `embedded` or a local model folder holding config.json"
        ) from None
    config = getattr(config, "text_config", config)
    return int(config.num_hidden_layers), int(config.hidden_size)


def check_layer(model: str, layer: int) -> None:
    """UserError unless `layer` is one of the model's hidden-state layers (0 … decoder layers)."""
    layers, _ = model_shape(model)
    if not 0 <= layer <= layers:
        raise UserError(
            f"--layer {layer}: {model} has {layers} decoder layers; "
            f"choose 0 (embeddings) to {layers} (last layer)"
        )


class HiddenStates:
    """Pooled hidden states of a causal LM over records' prompt + completion (see module doc)."""

    def __init__(self, model: str, *, batch_size: int = 8, max_length: int = 2048) -> None:
        self.model_name, self.batch_size, self.max_length = model, batch_size, max_length
        self.num_layers, self.hidden_size = model_shape(model)
        self.tokens = 0
        """Tokens read by forward passes so far (padding not counted)."""
        self._tok: Any = None
        self._model: Any = None

    def _load(self) -> None:
        if self._model is not None:
            return
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        path = resolve_model(self.model_name)
        self._tok = AutoTokenizer.from_pretrained(path)
        model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.bfloat16)
        self._model = model.to("cuda" if torch.cuda.is_available() else "cpu").eval()

    def token_ids(self, record: Record) -> tuple[list[int], int]:
        """(prompt + completion token ids, where the completion starts) for one record."""
        self._load()
        tok = self._tok
        messages = record.trace.prompt or [{"role": "user", "content": record.problem.question}]
        if tok.chat_template:
            prompt = tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        else:
            prompt = "\n".join(m["content"] for m in messages) + "\n"
        ids = tok(prompt, add_special_tokens=False)["input_ids"][-self.max_length :]
        start = len(ids)
        completion = tok(record.trace.completion, add_special_tokens=False)["input_ids"]
        return (ids + completion)[: self.max_length], start

    def features(self, records: Sequence[Record], layers: Sequence[int], pool: Pool = "last") -> torch.Tensor:
        """Float32 features, shape (len(layers), len(records), hidden size), in record order."""
        return self.pooled(records, layers, (pool,))[pool]

    def pooled(
        self, records: Sequence[Record], layers: Sequence[int], pools: Sequence[Pool]
    ) -> dict[Pool, torch.Tensor]:
        """`features` for each pooling in `pools`, from one forward pass over the records."""
        import torch

        for layer in layers:
            if not 0 <= layer <= self.num_layers:
                raise UserError(f"--layer {layer}: {self.model_name} has layers 0 to {self.num_layers}")
        self._load()
        encoded = [self.token_ids(r) for r in records]
        out = {pool: torch.zeros(len(layers), len(records), self.hidden_size) for pool in pools}
        order = sorted(range(len(records)), key=lambda i: len(encoded[i][0]))  # less padding
        pad = self._tok.pad_token_id if self._tok.pad_token_id is not None else 0
        for b in range(0, len(order), self.batch_size):
            rows = order[b : b + self.batch_size]
            # widths in steps of 64: CPU kernels keep memory per input shape (oneDNN's caches), and one
            # width per batch grew a pass over 800 GSM8K traces of the 0.5B past 10 GB
            width = -(-max(len(encoded[i][0]) for i in rows) // 64) * 64
            ids = torch.full((len(rows), width), pad, dtype=torch.long)
            attention = torch.zeros((len(rows), width), dtype=torch.long)
            weights = {pool: torch.zeros((len(rows), width)) for pool in pools}
            for j, i in enumerate(rows):
                seq, start = encoded[i]
                ids[j, : len(seq)], attention[j, : len(seq)] = torch.tensor(seq), 1
                for pool in pools:
                    first = min(start, len(seq) - 1) if pool == "mean" else len(seq) - 1
                    weights[pool][j, first : len(seq)] = 1.0
                self.tokens += len(seq)
            device = self._model.device
            with torch.inference_mode():
                hidden = self._model(  # logits of the last position only: a 150k vocabulary's
                    input_ids=ids.to(device),  # logits over every position took gigabytes
                    attention_mask=attention.to(device),
                    output_hidden_states=True,
                    logits_to_keep=1,
                ).hidden_states
            index = torch.tensor(rows)
            for pool in pools:
                w = weights[pool] / weights[pool].sum(1, keepdim=True)
                for k, layer in enumerate(layers):
                    out[pool][k, index] = (hidden[layer].float().cpu() * w[:, :, None]).sum(1)
        return out
