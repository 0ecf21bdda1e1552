"""The quality scorer: rank a problem's verified traces and keep the best k (`QualityFilter`).

A scorer is a Bradley-Terry model, P(a better than b) = sigmoid(w · (z(a) − z(b))), over
`features`: the hidden state of a small causal LM at one layer, mean-pooled over the trace's
completion tokens, read after the prompt the teacher saw (`s2s1.filters.hidden`), then
standardised (z). The default featurizer is the embedded teacher, SmolLM2-135M: already on
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

__all__ = ["FORMAT", "MAX_LENGTH", "HiddenStates", "QualityFilter", "Scorer", "Standardiser", "load_scorer"]

MAX_LENGTH = 512
"""Tokens of prompt + completion the scorer reads (the rest of a longer completion is not read)."""
FORMAT = "s2s1-quality-scorer/2"  # /2: bf16 features, the trace's own prompt
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
    """Records → the hidden state of `model` (a folder, hub id or `embedded`) at `layer`, averaged
    over each trace's completion tokens (`s2s1.filters.hidden.HiddenStates`, `pool="mean"`).

    `layer` counts as `hidden_states` does: 0 is the embeddings, -1 the last layer.
    """

    def __init__(self, model: str, layer: int = -1, *, max_length: int = MAX_LENGTH) -> None:
        from s2s1.filters.hidden import HiddenStates as Reader

        self.reader = Reader(model, max_length=max_length)
        layers = self.reader.num_layers
        if not -layers - 1 <= layer <= layers:
            raise UserError(f"layer {layer}: out of range for {model} ({layers} layers); use -1..{layers}")
        self.layer, self.hidden_size = layer % (layers + 1), self.reader.hidden_size

    def __call__(self, records: Sequence[Record]) -> np.ndarray:
        if not records:
            return np.zeros((0, self.hidden_size), dtype=np.float32)
        return self.reader.features(records, [self.layer], pool="mean")[0].numpy()


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
        assert isinstance(info["max_length"], int) and isinstance(info["layer"], int)
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
        reader = HiddenStates(name, info["layer"], max_length=info["max_length"])
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
