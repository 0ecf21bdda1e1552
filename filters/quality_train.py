"""Train a quality scorer (`s2s1.filters.quality`) on the preference pairs a run already holds.

A pair is two traces of the same problem: one the verifiers judged correct and no quality filter
(`verified`, `rules`, `judge`) dropped, against one judged wrong or unverifiable, or dropped by
`rules` or `judge`. Traces dropped only for being duplicates, contaminated or over the per-problem
cap are in no pair (nothing says they are worse). At most 16 pairs per problem, so a problem with
many samples does not dominate.

Before any fitting, problems are split in two by a hash of their question: the `tune` half
trains the scorer (the L2 strength is chosen by 4-fold cross-validation over its problems), the
`test` half is only scored once, at the end. The card reports pairwise accuracy (the share of a
problem's pairs ordered right, ties half, averaged over problems) on both halves, with 95%
bootstrap intervals over problems. The saved scorer is the one trained on the tune half, so the
card's test figure describes exactly what is shipped. This module does not generate traces and
does not filter a run.

Example:
    >>> half("What is 2 + 2?") in ("tune", "test")
    True
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from s2s1.errors import UserError
from s2s1.filters.quality import FORMAT, MAX_LENGTH, Features, HiddenStates, Standardiser
from s2s1.generators.embedded import model_id
from s2s1.records import Record
from s2s1.shards import atomic_folder, read_models

__all__ = ["fit_bradley_terry", "half", "pair_accuracy", "preference_pairs", "train_scorer"]

Pair = tuple[Record, Record]
_QUALITY_FILTERS = ("verified", "rules", "judge")
_MAX_PAIRS = 16
_L2_GRID = (1.0, 10.0, 100.0, 1000.0)


def half(question: str) -> str:
    """`tune` or `test`, by a hash of the question (stable across runs and machines)."""
    return "tune" if hashlib.sha256(question.encode()).digest()[0] % 2 == 0 else "test"


def _good(r: Record) -> bool:
    return r.correct and all(r.decisions[f].keep for f in _QUALITY_FILTERS if f in r.decisions)


def _bad(r: Record) -> bool:
    return not r.correct or any(not r.decisions[f].keep for f in ("rules", "judge") if f in r.decisions)


def preference_pairs(records: Sequence[Record]) -> list[Pair]:
    """(better, worse) pairs within each problem (see the module docstring), in sample order."""
    by_problem: dict[str, list[Record]] = defaultdict(list)
    for r in sorted(records, key=lambda r: (r.trace.problem_id, r.trace.index)):
        by_problem[r.trace.problem_id].append(r)
    pairs: list[Pair] = []
    for group in by_problem.values():
        good, bad = [r for r in group if _good(r)], [r for r in group if _bad(r)]
        pairs += [(g, b) for g in good for b in bad][:_MAX_PAIRS]
    return pairs


def fit_bradley_terry(diffs: np.ndarray, l2: float, iters: int = 50) -> np.ndarray:
    """w minimising Σ log(1 + exp(−w·d)) + l2/2 |w|² over the rows d (better − worse), by Newton."""
    w = np.zeros(diffs.shape[1])
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-(diffs @ w)))
        grad = diffs.T @ (p - 1.0) + l2 * w
        hess = (diffs * (p * (1 - p))[:, None]).T @ diffs + l2 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.linalg.norm(step) < 1e-8:
            break
    return w


def pair_accuracy(margins: np.ndarray, groups: Sequence[str]) -> tuple[float, list[float]]:
    """Mean over problems of the share of pairs with margin > 0 (ties ½), with its 95% bootstrap CI."""
    from s2s1.stats import accuracy_ci

    by_problem: dict[str, list[float]] = defaultdict(list)
    for m, g in zip(margins, groups, strict=True):
        by_problem[g].append(1.0 if m > 0 else 0.5 if m == 0 else 0.0)
    return accuracy_ci([sum(v) / len(v) for v in by_problem.values()])


def _cv_l2(diffs: np.ndarray, groups: list[str]) -> tuple[float, dict[str, float]]:
    """The L2 strength with the best 4-fold (by problem) cross-validated pairwise accuracy."""
    problems = sorted(set(groups))
    fold = {
        p: i % 4 for i, p in enumerate(sorted(problems, key=lambda p: hashlib.sha256(p.encode()).digest()))
    }
    scores = {}
    for l2 in _L2_GRID:
        margins = np.zeros(len(diffs))
        for k in range(min(4, len(problems))):
            test = np.array([fold[g] == k for g in groups])
            if test.all():
                margins[test] = 0.0
                continue
            margins[test] = diffs[test] @ fit_bradley_terry(diffs[~test], l2)
        scores[str(l2)] = pair_accuracy(margins, groups)[0]
    best = max(_L2_GRID, key=lambda l2: (scores[str(l2)], l2))  # ties: the stronger penalty
    return best, scores


def train_scorer(
    run_dir: Path, out: Path, *, model: str | None = None, layer: int = -1, features: Features | None = None
) -> dict[str, Any]:
    """Train on `run_dir`'s pairs, write `scorer.json` and `README.md` into `out`; return the info.

    `model`: the model whose hidden states are read (default: the run's teacher); `features`
    replaces the featurizer (tests), with `model` then only recorded.
    """
    run_dir, out = Path(run_dir), Path(out)
    if out.exists() and any(out.iterdir()) and not (out / "scorer.json").exists():
        raise UserError(f"{out}: exists and is not a scorer folder; choose another --out")
    records = _run_records(run_dir)
    pairs = preference_pairs(records)
    groups = [a.problem.id for a, _ in pairs]
    halves = [half(a.problem.question) for a, _ in pairs]
    if {"tune", "test"} - set(halves):
        raise UserError(
            f"{run_dir}: {len(pairs)} preference pair(s) from {len(set(groups))} problem(s), not enough for "
            "a tune and a test half; generate more samples (generate.sampling.n) or problems"
        )
    model = model or _teacher(run_dir)
    reader = features or HiddenStates(model, layer)
    unique = {r.key: r for pair in pairs for r in pair}
    keys = list(unique)
    matrix = np.asarray(reader([unique[k] for k in keys]), dtype=np.float64)
    row = {k: i for i, k in enumerate(keys)}
    tune = np.array([h == "tune" for h in halves])
    tune_rows = sorted({row[r.key] for (a, b), t in zip(pairs, tune, strict=True) if t for r in (a, b)})
    z = Standardiser.fit(matrix[tune_rows])
    feats = z(matrix)
    diffs = np.array([feats[row[a.key]] - feats[row[b.key]] for a, b in pairs])
    tune_groups = [g for g, t in zip(groups, tune, strict=True) if t]
    l2, cv = _cv_l2(diffs[tune], tune_groups)
    w = fit_bradley_terry(diffs[tune], l2)
    tune_acc, test_acc = (
        pair_accuracy(diffs[m] @ w, [g for g, t in zip(groups, m, strict=True) if t]) for m in (tune, ~tune)
    )
    card = {
        "run": str(run_dir),
        "teachers": sorted({r.trace.teacher for r in records}),
        "pairs": {"tune": int(tune.sum()), "test": int((~tune).sum())},
        "problems": {"tune": len(set(tune_groups)), "test": len(set(groups) - set(tune_groups))},
        "split": "problems by the first byte of sha256(question): even → tune, odd → test",
        "l2": l2,
        "cv_accuracy_by_l2": cv,
        "tune_accuracy": {"accuracy": tune_acc[0], "ci95": tune_acc[1]},
        "test_accuracy": {"accuracy": test_acc[0], "ci95": test_acc[1]},
    }
    info = {
        "format": FORMAT,
        "model": model,
        "base_model": model_id(model),
        "layer": layer,
        "max_length": MAX_LENGTH,
        "card": card,
        "mean": z.mean.tolist(),
        "scale": z.scale.tolist(),
        "weights": w.tolist(),
    }
    _save(out, info)
    return info


def _run_records(run_dir: Path) -> list[Record]:
    stages = ("filtered", "rejected") if (run_dir / "filtered").is_dir() else ("verified",)
    paths = [p for s in stages for p in sorted((run_dir / s).glob("shard-*.jsonl"))]
    if not paths:
        raise UserError(
            f"{run_dir}: no verified/ or filtered/ shards; run the verify and filter stages first"
        )
    return [r for p in paths for r in read_models(p, Record)]


def _teacher(run_dir: Path) -> str:
    manifest = run_dir / "manifest.json"
    if manifest.exists():
        return str(json.loads(manifest.read_text())["config"]["generate"]["model"])
    return "embedded"


def _save(out: Path, info: dict[str, Any]) -> None:
    with atomic_folder(out) as tmp:
        (tmp / "scorer.json").write_text(json.dumps(info) + "\n", encoding="utf-8")
        (tmp / "README.md").write_text(card_text(info), encoding="utf-8")


def card_text(info: dict[str, Any]) -> str:
    """The scorer's README.md: what it reads, what it was trained on, how well it ranks."""
    c = info["card"]

    def acc(k: str) -> str:
        a = c[k]
        return f"{a['accuracy']:.3f} [{a['ci95'][0]:.3f}, {a['ci95'][1]:.3f}]"

    return "\n".join(
        [
            "# s2s1 quality scorer",
            "",
            f"Bradley-Terry model on the mean-pooled hidden states of `{info['base_model']}` "
            f"(layer {info['layer']}, {len(info['weights'])} features, standardised; L2 {c['l2']:g}).",
            f"Trained on preference pairs of `{c['run']}` (teachers: {', '.join(c['teachers'])}):",
            "a correct trace that rules and judge kept, against a wrong one or one they rejected,",
            "of the same problem.",
            "",
            f"- split: {c['split']}",
            f"- pairs: tune {c['pairs']['tune']} ({c['problems']['tune']} problems), "
            f"test {c['pairs']['test']} ({c['problems']['test']} problems)",
            f"- pairwise accuracy, tune half (trained on): {acc('tune_accuracy')}",
            f"- pairwise accuracy, test half (held out): {acc('test_accuracy')}",
            f"- 4-fold CV accuracy on the tune half by L2: {c['cv_accuracy_by_l2']}",
            "",
            "Accuracy: share of a problem's pairs ordered right (ties ½), averaged over problems; 95%",
            "percentile-bootstrap interval over problems. The shipped weights are the tune-half fit.",
            "",
        ]
    )
