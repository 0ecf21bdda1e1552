"""Statistics shared by evaluation, ablation, filter training and benchmarks.

`accuracy_ci` is the mean of per-problem scores with a 95% percentile-bootstrap interval over
problems (2,000 resamples, fixed seed, so a rerun gives the same interval); `paired_difference`
is the same for the per-problem difference of two models on the problems both were scored on;
`pooled` averages per-problem scores over several runs (training seeds) first. This module only
computes: it reads and writes nothing.

Example:
    >>> accuracy_ci([1.0, 0.0, 1.0, 1.0])
    (0.75, [0.25, 1.0])
"""

from __future__ import annotations

import random
from collections.abc import Sequence

__all__ = ["accuracy_ci", "paired_difference", "pooled"]


def accuracy_ci(
    per_problem: Sequence[float], resamples: int = 2000, seed: int = 0
) -> tuple[float, list[float]]:
    """Mean of per-problem accuracies and its 95% percentile-bootstrap interval over problems.

    Example:
        >>> accuracy_ci([0.0, 0.0])
        (0.0, [0.0, 0.0])
    """
    n = len(per_problem)
    if n == 0:
        return 0.0, [0.0, 0.0]
    rng = random.Random(seed)
    means = sorted(sum(rng.choices(per_problem, k=n)) / n for _ in range(resamples))
    lo, hi = means[int(0.025 * resamples)], means[int(0.975 * resamples) - 1]
    return round(sum(per_problem) / n, 4), [round(lo, 4), round(hi, 4)]


def paired_difference(a: dict[str, float], b: dict[str, float]) -> tuple[float, list[float]]:
    """Mean of a − b over the problems both were evaluated on, with its paired 95% bootstrap interval.

    `a` and `b` are `per_problem` accuracies; the interval resamples problems, so each problem's
    two scores stay together. An interval that excludes 0 is a difference beyond sampling noise.

    Example:
        >>> paired_difference({"p": 1.0, "q": 0.5}, {"p": 0.0, "q": 0.5, "r": 1.0})
        (0.5, [0.0, 1.0])
    """
    shared = sorted(set(a) & set(b))
    return accuracy_ci([a[p] - b[p] for p in shared])


def pooled(runs: Sequence[dict[str, float]]) -> dict[str, float]:
    """Per-problem scores averaged over `runs` (e.g. training seeds), on the problems all of them have.

    Example:
        >>> pooled([{"p": 1.0, "q": 0.0}, {"p": 0.0, "q": 0.0, "r": 1.0}])
        {'p': 0.5, 'q': 0.0}
    """
    if not runs:
        return {}
    problems = sorted(set.intersection(*(set(r) for r in runs)))
    return {p: round(sum(r[p] for r in runs) / len(runs), 4) for p in problems}
