"""Activation probes: a scoring model's hidden state at one layer, read while it re-reads a trace.

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

A `Probe` is a logistic regression on standardised features (`s2s1.filters.probe_train` trains
it); its folder holds `probe.safetensors` (weight, bias, mean, std) and `card.json` (model,
layer, hidden size, label, training rows, held-out AUROC). `ProbeFilter` scores records with
one: the score, P(label) (e.g. P(wrong answer) for a `verified` probe), goes into the decision's
`scores`; with a threshold a record scoring above it is dropped, otherwise every record is kept.
A probe folder for another model (model id or hidden size), a layer the model lacks, or an
unreadable folder is a one-line UserError at construction.

It does not train probes (`probe_train`), generate text or use vLLM (no hidden states there); the
model is read in bf16 (on GPU when one is visible); torch is imported only when used.

Example:
    >>> ProbeFilter.name
    'probe'
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from s2s1.errors import UserError
from s2s1.generators.embedded import model_id, resolve_model
from s2s1.records import Decision, Reason, Record
from s2s1.shards import atomic_folder

if TYPE_CHECKING:
    import torch

__all__ = ["HiddenStates", "Pool", "Probe", "ProbeFilter", "load_probe", "model_shape"]

Pool = Literal["mean", "last"]
_CARD_KEYS = ("model", "model_id", "layer", "hidden_size", "pool", "label", "training_rows")


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
        import torch

        for layer in layers:
            if not 0 <= layer <= self.num_layers:
                raise UserError(f"--layer {layer}: {self.model_name} has layers 0 to {self.num_layers}")
        self._load()
        encoded = [self.token_ids(r) for r in records]
        out = torch.zeros(len(layers), len(records), self.hidden_size)
        order = sorted(range(len(records)), key=lambda i: len(encoded[i][0]))  # less padding
        pad = self._tok.pad_token_id if self._tok.pad_token_id is not None else 0
        for b in range(0, len(order), self.batch_size):
            rows = order[b : b + self.batch_size]
            width = max(len(encoded[i][0]) for i in rows)
            ids = torch.full((len(rows), width), pad, dtype=torch.long)
            attention = torch.zeros((len(rows), width), dtype=torch.long)
            weights = torch.zeros((len(rows), width))
            for j, i in enumerate(rows):
                seq, start = encoded[i]
                ids[j, : len(seq)], attention[j, : len(seq)] = torch.tensor(seq), 1
                first = min(start, len(seq) - 1) if pool == "mean" else len(seq) - 1
                weights[j, first : len(seq)] = 1.0
                self.tokens += len(seq)
            device = self._model.device
            with torch.inference_mode():
                hidden = self._model(
                    input_ids=ids.to(device), attention_mask=attention.to(device), output_hidden_states=True
                ).hidden_states
            weights = weights / weights.sum(1, keepdim=True)
            for k, layer in enumerate(layers):
                pooled = (hidden[layer].float().cpu() * weights[:, :, None]).sum(1)
                out[k, torch.tensor(rows)] = pooled
        return out


@dataclass(frozen=True)
class Probe:
    """A logistic regression on standardised features, and its card."""

    weight: torch.Tensor
    bias: torch.Tensor
    mean: torch.Tensor
    std: torch.Tensor
    card: dict[str, Any]

    def score(self, features: torch.Tensor) -> torch.Tensor:
        """P(label) for each row of `features` (shape: rows × hidden size)."""
        import torch

        return torch.sigmoid(((features - self.mean) / self.std) @ self.weight + self.bias)

    def save(self, out: Path) -> Path:
        """Write the folder beside `out` and rename it into place; returns `out`."""
        from safetensors.torch import save_file

        tensors = {"weight": self.weight, "bias": self.bias.reshape(1), "mean": self.mean, "std": self.std}
        with atomic_folder(out) as tmp:
            save_file({k: v.contiguous().float() for k, v in tensors.items()}, str(tmp / "probe.safetensors"))
            (tmp / "card.json").write_text(json.dumps(self.card, indent=2) + "\n", encoding="utf-8")
        return Path(out)


def load_probe(folder: Path | str) -> Probe:
    """The probe saved in `folder`; UserError naming the problem when it cannot be read."""
    from safetensors.torch import load_file

    folder = Path(folder)
    hint = "train one with `s2s1 probe train RUN_DIR --layer N --label verified --out DIR`"
    try:
        card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
        tensors = load_file(str(folder / "probe.safetensors"))
        weight, bias, mean, std = (tensors[k] for k in ("weight", "bias", "mean", "std"))
    except (OSError, ValueError, KeyError) as e:
        raise UserError(f"{folder}: not a readable probe folder ({type(e).__name__}: {e}); {hint}") from None
    missing = [k for k in _CARD_KEYS if k not in card] if isinstance(card, dict) else list(_CARD_KEYS)
    if missing:
        raise UserError(f"{folder}/card.json: missing {', '.join(missing)}; {hint}")
    if not weight.shape == mean.shape == std.shape == (card["hidden_size"],):
        raise UserError(
            f"{folder}: weights of size {tuple(weight.shape)} do not match the card's hidden_size "
            f"{card['hidden_size']}; {hint}"
        )
    return Probe(weight, bias.reshape(()), mean, std, card)


class ProbeFilter:
    """Scores each record with a probe; drops those above `threshold` when one is given.

    Example:
        >>> ProbeFilter("runs/quickstart/probe/verified-L27", threshold=0.9)  # doctest: +SKIP
    """

    name: ClassVar[str] = "probe"

    def __init__(
        self, probe_dir: Path | str, *, threshold: float | None = None, model: str | None = None,
        batch_size: int = 8,
    ) -> None:  # fmt: skip
        self.probe_dir, self.probe = Path(probe_dir), load_probe(probe_dir)
        card = self.probe.card
        self.model, self.threshold = model or card["model"], threshold
        layers, hidden = model_shape(self.model)
        if hidden != card["hidden_size"]:
            raise UserError(
                f"{self.probe_dir}: probe for hidden size {card['hidden_size']} ({card['model_id']}), "
                f"but {self.model} has {hidden}; train a probe on this model with `s2s1 probe train`"
            )
        if model_id(self.model) != card["model_id"]:
            raise UserError(
                f"{self.probe_dir}: probe trained on {card['model_id']}, not {model_id(self.model)}; "
                "score with that model (omit --model) or train a probe on this one"
            )
        if not 0 <= card["layer"] <= layers:
            raise UserError(
                f"{self.probe_dir}/card.json: layer {card['layer']} not in 0..{layers} of {self.model}"
            )
        self.states = HiddenStates(self.model, batch_size=batch_size)
        self.key = f"probe_{card['label']}"

    def scores(self, records: Sequence[Record]) -> list[float]:
        """P(label) for each record, in order."""
        if not records:
            return []
        feats = self.states.features(records, [self.probe.card["layer"]], self.probe.card["pool"])[0]
        return [round(float(s), 6) for s in self.probe.score(feats)]

    def decide(self, records: Sequence[Record]) -> list[Decision]:
        """One decision per record, in order (every record is scored, also ones dropped before)."""
        return [self._decision(s) for s in self.scores(records)]

    def __call__(self, record: Record) -> Decision:
        return self.decide([record])[0]

    def _decision(self, score: float) -> Decision:
        if self.threshold is None or score <= self.threshold:
            return Decision(filter=self.name, keep=True, scores={self.key: score})
        detail = f"{self.key} score {score:.3f} > threshold {self.threshold} (probe {self.probe_dir})"
        return Decision(filter=self.name, keep=False, reasons=[Reason(code=self.key, detail=detail)],
                        scores={self.key: score})  # fmt: skip
