"""The quality scorer: rank a problem's verified traces and keep the best k (`QualityFilter`).

A scorer is a Bradley-Terry model, P(a better than b) = sigmoid(w · (z(a) − z(b))), over
`features`: the hidden state of a small causal LM at one layer, mean-pooled over the trace's
tokens, read with the problem's question before it (the user turn of the model's chat template),
then standardised (z). The default featurizer is the embedded teacher, SmolLM2-135M: already on
every machine, 576 numbers per trace, a forward pass of a few seconds on 2 CPU cores for a shard,
and — unlike cheap text features (length, n-gram counts) — it reads the trace in the context of
its question, so it can learn more than "shorter is better". A linear head with an L2 penalty is
what a few hundred pairs can fit without overfitting. Training (`s2s1.filters.quality_train`)
learns from pairs the run already has.

A scorer folder holds `scorer.json` (base model, layer, standardisation, weights, the card's
numbers) and `README.md` (the card). `load_scorer` refuses, in one line, a folder it cannot read
and a scorer whose base model differs from the model it is asked to read traces with.

`QualityFilter` is a shard filter like `dedup`: among the records earlier filters kept, per
problem, it keeps the `per_problem` highest-scoring (ties: the earlier sample) and drops the rest
as `low_quality`, recording every score. It does not check correctness (the verifiers do), does
not compare traces of different problems, and does not train anything.

Example:
    >>> z = Standardiser.fit(np.array([[0.0, 1.0], [2.0, 3.0]]))
    >>> z(np.array([[1.0, 2.0]])).tolist()
    [[0.0, 0.0]]
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from s2s1.errors import UserError
from s2s1.records import Decision, Reason, Record

__all__ = ["FORMAT", "HiddenStates", "QualityFilter", "Scorer", "Standardiser", "load_scorer"]

FORMAT = "s2s1-quality-scorer/1"
Features = Callable[[Sequence[Record]], np.ndarray]


@dataclass(frozen=True)
class Standardiser:
    """z(x) = (x − mean) / scale, fitted on training features (scale ≥ 1e-6)."""

    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray) -> Standardiser:
        return cls(x.mean(axis=0), np.maximum(x.std(axis=0), 1e-6))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mean) / self.scale


class HiddenStates:
    """Mean-pooled hidden states of `model` (a folder, hub id or `embedded`) at `layer` over each
    trace's completion tokens, with the question as the chat's user turn before it.

    `layer` counts as `hidden_states` does: 0 is the embeddings, -1 the last layer.
    """

    def __init__(self, model: str, layer: int = -1, *, max_length: int = 512, batch_size: int = 8) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from s2s1.generators.embedded import model_id, resolve_model

        path = resolve_model(model)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(path)
            self.model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32).eval()
        except OSError as e:
            raise UserError(f"{model}: cannot load the scoring model ({e}); give a model folder") from None
        layers = self.model.config.num_hidden_layers
        if not -layers - 1 <= layer <= layers:
            raise UserError(f"layer {layer}: out of range for {model} ({layers} layers); use -1..{layers}")
        self.name, self.id, self.layer = model, model_id(model), layer
        self.hidden_size, self.num_layers = int(self.model.config.hidden_size), layers
        self.max_length, self.batch_size = max_length, batch_size

    def _ids(self, record: Record) -> tuple[list[int], int]:
        """Token ids of question + completion, and where the completion starts."""
        tok = self.tokenizer
        chat = [{"role": "user", "content": record.problem.question}]
        if getattr(tok, "chat_template", None):
            prompt = tok.apply_chat_template(chat, add_generation_prompt=True, tokenize=False)
        else:
            prompt = record.problem.question + "\n"
        head = tok(prompt, add_special_tokens=False)["input_ids"][-self.max_length // 2 :]
        body = tok(record.trace.completion or " ", add_special_tokens=False)["input_ids"]
        return head + body[: self.max_length - len(head)], len(head)

    def __call__(self, records: Sequence[Record]) -> np.ndarray:
        import torch

        out = []
        for start in range(0, len(records), self.batch_size):
            encoded = [self._ids(r) for r in records[start : start + self.batch_size]]
            width = max(len(ids) for ids, _ in encoded)
            ids = torch.zeros((len(encoded), width), dtype=torch.long)
            mask = torch.zeros_like(ids)
            pool = torch.zeros((len(encoded), width, 1))
            for i, (row, head) in enumerate(encoded):
                ids[i, : len(row)], mask[i, : len(row)] = torch.tensor(row), 1
                pool[i, head : len(row)] = 1.0
            with torch.inference_mode():
                hidden = self.model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
            states = hidden.hidden_states[self.layer].float()
            out.append(((states * pool).sum(1) / pool.sum(1).clamp(min=1.0)).numpy())
        return np.concatenate(out) if out else np.zeros((0, self.hidden_size), dtype=np.float32)


@dataclass
class Scorer:
    """A trained scorer: features → standardise → w · z. Higher is better."""

    features: Features
    z: Standardiser
    weights: np.ndarray
    info: dict[str, Any]

    def score(self, records: Sequence[Record]) -> np.ndarray:
        if not records:
            return np.zeros(0)
        return self.z(np.asarray(self.features(records), dtype=np.float64)) @ self.weights


def load_scorer(folder: Path, *, model: str | None = None, features: Features | None = None) -> Scorer:
    """The scorer saved in `folder`, reading traces with `model` (default: the one it was trained on).

    `features` replaces the featurizer (tests); then no model is loaded.
    """
    path = Path(folder) / "scorer.json"
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        weights, mean, scale = (np.asarray(info[k], dtype=np.float64) for k in ("weights", "mean", "scale"))
        assert info["format"] == FORMAT and weights.shape == mean.shape == scale.shape
    except (OSError, ValueError, KeyError, TypeError, AssertionError) as e:
        why = e.strerror if isinstance(e, OSError) else "not a quality scorer's scorer.json"
        raise UserError(
            f"{path}: cannot read the quality scorer ({why}); "
            "train one with `s2s1 quality train RUN --out DIR`"
        ) from None
    if features is None:
        from s2s1.generators.embedded import model_id

        name = model or info["model"]
        if model is not None and model_id(model) != info["base_model"]:
            raise _other_model(folder, info, model_id(model))
        reader = HiddenStates(name, info["layer"], max_length=info.get("max_length", 512))
        if reader.hidden_size != len(weights):
            raise _other_model(folder, info, f"{name} (hidden size {reader.hidden_size})")
        features = reader
    return Scorer(features, Standardiser(mean, scale), weights, info)


def _other_model(folder: Path, info: dict[str, Any], other: str) -> UserError:
    return UserError(
        f"{folder}: this scorer reads {info['base_model']}'s hidden states (size {len(info['weights'])}), "
        f"not {other}'s; train one for that model: s2s1 quality train RUN --model MODEL --out DIR"
    )


class QualityFilter:
    """Keeps the `per_problem` best-scoring traces of each problem.

    Example:
        >>> QualityFilter(None, per_problem=2).name
        'quality'
    """

    name: ClassVar[str] = "quality"

    def __init__(self, scorer: Scorer | None, *, per_problem: int) -> None:
        self.scorer, self.per_problem = scorer, per_problem

    def decide(self, records: Sequence[Record]) -> list[Decision]:
        """One decision per record, in the order given."""
        if self.scorer is None:
            raise UserError("filter quality: no scorer; set filter.quality_scorer to a scorer folder")
        decisions: list[Decision] = [Decision(filter=self.name, keep=True)] * len(records)
        candidates = [i for i, r in enumerate(records) if r.kept]
        scores = self.scorer.score([records[i] for i in candidates])
        by_problem: dict[str, list[tuple[float, int, int]]] = defaultdict(list)
        for i, s in zip(candidates, scores, strict=True):
            by_problem[records[i].trace.problem_id].append((-float(s), records[i].trace.index, i))
        for ranked in by_problem.values():
            ranked.sort()
            for rank, (neg, _, i) in enumerate(ranked, start=1):
                scores_ = {"quality": round(-neg, 4), "rank": float(rank)}
                if rank <= self.per_problem:
                    decisions[i] = Decision(filter=self.name, keep=True, scores=scores_)
                    continue
                detail = (
                    f"quality rank {rank} of {len(ranked)} (score {-neg:.3f}); "
                    f"keeps the best {self.per_problem}"
                )
                reason = Reason(code="low_quality", detail=detail)
                decisions[i] = Decision(filter=self.name, keep=False, reasons=[reason], scores=scores_)
        return decisions
