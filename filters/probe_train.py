"""Training activation probes on labels a run already has, and scoring them on held-out problems.

Labels (1 is the thing the probe flags; its score is P(label = 1)):

- `verified`: the verifiers' outcome; 1 = `incorrect`, 0 = `correct`, `unverifiable` rows left
  out. Does the teacher's state predict a wrong answer?
- `rules`, `judge`: that filter's decision; 1 = dropped, 0 = kept.

Records come from the run's `filtered/` and `rejected/` shards (every filter decided every
record), or from `verified/` when the filter stage has not run. Problems are split in two by a
hash of their id, before any fitting: `held_out(id)` problems are never trained on, and the
card's AUROC and its 95% CI (a bootstrap over held-out *problems*, as the traces of one problem
are not independent) are measured on them. The L2 strength is chosen by 3-fold cross-validation
over the training problems only. The saved probe is the one fitted on the training half, so its
card describes exactly the weights in the folder.

This module does not pick the layer or the pooling (the caller does; benchmarks/probe compares
them on the tuning half) and does not need scikit-learn: the regression is plain torch (L-BFGS).

Example:
    >>> auroc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])
    0.75
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from s2s1.errors import UserError
from s2s1.filters.hidden import HiddenStates, Pool, check_layer
from s2s1.filters.probe import Probe
from s2s1.generators.embedded import model_id
from s2s1.records import Record
from s2s1.shards import read_models

__all__ = [
    "LABELS", "auroc", "bootstrap_auroc", "fit_logistic", "held_out", "labelled", "run_model",
    "run_records", "train_probe",
]  # fmt: skip

LABELS = ("verified", "rules", "judge")
_L2_GRID = (1e-3, 1e-2, 1e-1, 1.0, 10.0)


def held_out(problem_id: str) -> bool:
    """True for the half of the problems (by a hash of the id) that probes are tested on."""
    return hashlib.sha256(problem_id.encode()).digest()[0] % 2 == 1


def run_records(run_dir: Path) -> list[Record]:
    """The run's filtered/ + rejected/ records, or its verified/ ones before the filter stage ran."""
    run_dir = Path(run_dir)
    for stages in (("filtered", "rejected"), ("verified",)):
        paths = [p for s in stages for p in sorted((run_dir / s).glob("shard-*.jsonl"))]
        if paths:
            return [r for p in paths for r in read_models(p, Record)]
    raise UserError(
        f"{run_dir}: no filtered/, rejected/ or verified/ shards; run the pipeline's verify stage first"
    )


def labelled(records: Sequence[Record], label: str) -> tuple[list[Record], list[int]]:
    """The records that have `label` (see the module doc), and their 0/1 labels."""
    rows: list[tuple[Record, int]] = []
    for r in records:
        match label:
            case "verified":
                outcomes = {v.outcome for v in r.verdicts.values()}
                if "incorrect" in outcomes or "correct" in outcomes:
                    rows.append((r, int("incorrect" in outcomes)))
            case "rules" | "judge":
                if label in r.decisions:
                    rows.append((r, int(not r.decisions[label].keep)))
            case _:
                raise UserError(f"--label {label!r}: choose one of {', '.join(LABELS)}")
    return [r for r, _ in rows], [y for _, y in rows]


def run_model(run_dir: Path) -> str:
    """The teacher a run used (`generate.model` in its manifest.json), to read the traces with."""
    path = Path(run_dir) / "manifest.json"
    try:
        return str(json.loads(path.read_text(encoding="utf-8"))["config"]["generate"]["model"])
    except (OSError, ValueError, KeyError, TypeError):
        raise UserError(
            f"{path}: cannot read generate.model; pass --model (a model folder or `embedded`)"
        ) from None


def auroc(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Area under the ROC curve (ties count half); NaN when only one class is present."""
    s, y = np.asarray(scores, dtype=float), np.asarray(labels, dtype=int)
    pos, neg = int(y.sum()), int(len(y) - y.sum())
    if pos == 0 or neg == 0:
        return float("nan")
    _, inverse, counts = np.unique(s, return_inverse=True, return_counts=True)
    ranks = (np.cumsum(counts) - (counts - 1) / 2)[inverse]  # 1-based ranks, ties averaged
    return float((ranks[y == 1].sum() - pos * (pos + 1) / 2) / (pos * neg))


def bootstrap_auroc(
    scores: Sequence[float], labels: Sequence[int], groups: Sequence[str], *, n: int = 2000, seed: int = 0
) -> tuple[float, float]:
    """95% percentile interval of the AUROC, resampling whole groups (problems) with replacement."""
    s, y, g = np.asarray(scores, dtype=float), np.asarray(labels), np.asarray(groups)
    members = [np.flatnonzero(g == u) for u in np.unique(g)]
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(n):
        idx = np.concatenate([members[k] for k in rng.integers(0, len(members), len(members))])
        value = auroc(s[idx], y[idx])
        if value == value:
            values.append(value)
    if not values:
        return float("nan"), float("nan")
    return float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))


def fit_logistic(x: torch.Tensor, y: torch.Tensor, l2: float) -> tuple[torch.Tensor, ...]:
    """(weight, bias, mean, std) of an L2-regularised logistic regression on standardised `x`."""
    mean, std = x.mean(0), x.std(0).clamp(min=1e-6)
    z = (x - mean) / std
    w = torch.zeros(x.shape[1], requires_grad=True)
    b = torch.zeros((), requires_grad=True)
    opt = torch.optim.LBFGS([w, b], max_iter=200, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(z @ w + b, y.float())
        loss = loss + l2 * (w * w).sum() / (2 * len(y))
        loss.backward()
        return loss

    opt.step(closure)
    return w.detach(), b.detach(), mean, std


def _cv_auroc(x: torch.Tensor, y: torch.Tensor, groups: Sequence[str], l2: float) -> float:
    folds = np.array([hashlib.sha256(g.encode()).digest()[1] % 3 for g in groups])
    values = []
    for k in range(3):
        train, test = torch.from_numpy(folds != k), torch.from_numpy(folds == k)
        if len(set(y[train].tolist())) < 2 or len(set(y[test].tolist())) < 2:
            continue
        w, b, mean, std = fit_logistic(x[train], y[train], l2)
        values.append(auroc((((x[test] - mean) / std) @ w + b).tolist(), y[test].tolist()))
    return float(np.mean(values)) if values else float("nan")


def choose_l2(x: torch.Tensor, y: torch.Tensor, groups: Sequence[str]) -> float:
    """The L2 strength of the grid with the best 3-fold (by problem) cross-validated AUROC."""
    scored = [(_cv_auroc(x, y, groups, l2), l2) for l2 in _L2_GRID]
    scored = [(a, l2) for a, l2 in scored if a == a]
    return max(scored)[1] if scored else 1.0


def fit_probe(x: torch.Tensor, y: Sequence[int], groups: Sequence[str], card: dict[str, Any]) -> Probe:
    """A probe fitted on the training-half rows of `x`, with held-out AUROC and CI in its card."""
    train = torch.tensor([not held_out(g) for g in groups])
    labels = torch.tensor(y)
    if len(set(labels[train].tolist())) < 2:
        raise UserError(
            f"--label {card['label']}: the training half has only label {labels[train].tolist()[:1]} "
            f"({int(train.sum())} rows); use a run with both outcomes or another label"
        )
    train_groups = [g for g, t in zip(groups, train.tolist(), strict=True) if t]
    l2 = choose_l2(x[train], labels[train], train_groups)
    w, b, mean, std = fit_logistic(x[train], labels[train], l2)
    probe = Probe(w, b, mean, std, card)
    test = ~train
    scores = probe.score(x[test]).tolist()
    test_y, test_g = labels[test].tolist(), [g for g, t in zip(groups, test.tolist(), strict=True) if t]
    low, high = bootstrap_auroc(scores, test_y, test_g)
    card |= {
        "training_rows": int(train.sum()), "training_positives": int(labels[train].sum()), "l2": l2,
        "held_out_rows": len(test_y), "held_out_positives": int(sum(test_y)),
        "held_out_problems": len(set(test_g)), "auroc_held_out": round(auroc(scores, test_y), 4),
        "auroc_ci95": [round(low, 4), round(high, 4)],
    }  # fmt: skip
    return probe


def train_probe(
    run_dir: Path, *, layer: int, label: str, out: Path, model: str | None = None, pool: Pool = "last",
    batch_size: int = 8,
) -> dict[str, Any]:  # fmt: skip
    """Read the run's traces with `model` (default: the run's teacher), fit, save to `out`; the card."""
    model = model or run_model(run_dir)
    check_layer(model, layer)
    records, y = labelled(run_records(run_dir), label)
    if not records:
        raise UserError(
            f"{run_dir}: no record has a `{label}` label; run that stage or choose another --label"
        )
    states = HiddenStates(model, batch_size=batch_size)
    x = states.features(records, [layer], pool)[0]
    card = {
        "model": model, "model_id": model_id(model), "layer": layer, "num_layers": states.num_layers,
        "hidden_size": states.hidden_size, "pool": pool, "label": label, "run": str(run_dir),
        "positive": "verifier said incorrect" if label == "verified" else f"{label} filter dropped it",
    }  # fmt: skip
    probe = fit_probe(x, y, [r.problem.id for r in records], card)
    probe.save(out)
    return probe.card
