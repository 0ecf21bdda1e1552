"""Activation probes: a logistic regression on a model's hidden state at one layer, as a filter.

A `Probe` is a logistic regression on standardised features (`s2s1.filters.probe_train` trains
it); its folder holds `probe.safetensors` (weight, bias, mean, std) and `card.json` (model,
layer, hidden size, label, training rows, held-out AUROC). `ProbeFilter` scores records with
one: the score, P(label) (e.g. P(wrong answer) for a `verified` probe), goes into the decision's
`scores`; with a threshold a record scoring above it is dropped, otherwise every record is kept.
A probe folder for another model (model id or hidden size), a layer the model lacks, or an
unreadable folder is a one-line UserError at construction.

The features are `s2s1.filters.hidden.HiddenStates` at the card's layer and pooling. It does not
train probes (`probe_train`) or generate text.

Example:
    >>> ProbeFilter.name
    'probe'
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from s2s1.errors import UserError
from s2s1.filters.hidden import HiddenStates, model_shape
from s2s1.generators.embedded import model_id
from s2s1.records import Decision, Reason, Record
from s2s1.shards import atomic_folder

if TYPE_CHECKING:
    import torch

__all__ = ["Probe", "ProbeFilter", "load_probe"]

_CARD_KEYS = ("model", "model_id", "layer", "hidden_size", "pool", "label", "training_rows")


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
