"""Statistics shared by evaluation, ablation, filter training and benchmarks.

`accuracy_ci` is the mean of per-problem scores with a 95% percentile-bootstrap interval over
problems (2,000 resamples, fixed seed, so a rerun gives the same interval); `paired_difference`
is the same for the per-problem difference of two models on the problems both were scored on;
`pooled` averages per-problem scores over several runs (training seeds) first;
`paired_difference_over_seeds` widens the paired interval by resampling those runs as well, so
run-to-run training noise is in it. This module only computes: it reads and writes nothing.

Example:
    >>> accuracy_ci([1.0, 0.0, 1.0, 1.0])
    (0.75, [0.25, 1.0])
"""

from __future__ import annotations

import random
from collections.abc import Sequence

__all__ = ["accuracy_ci", "paired_difference", "paired_difference_over_seeds", "pooled"]


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
    means = [sum(rng.choices(per_problem, k=n)) / n for _ in range(resamples)]
    return round(sum(per_problem) / n, 4), _interval(means)


def _interval(means: list[float]) -> list[float]:
    """The 2.5th and 97.5th percentiles of bootstrap means, rounded."""
    means = sorted(means)
    return [round(means[int(0.025 * len(means))], 4), round(means[int(0.975 * len(means)) - 1], 4)]


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


def paired_difference_over_seeds(
    a_runs: Sequence[dict[str, float]],
    b_runs: Sequence[dict[str, float]],
    resamples: int = 2000,
    seed: int = 0,
) -> list[float]:
    """The 95% interval of pooled a − b when the runs (training seeds) are resampled as well as the
    problems: each resample draws as many runs of each side as it has, with replacement, and then
    the problems all runs share. A side with one run (the untrained student) adds no run noise.

    Example:
        >>> paired_difference_over_seeds([{"p": 1.0, "q": 1.0}], [{"p": 0.0, "q": 0.0}])
        [1.0, 1.0]
    """
    runs = [*a_runs, *b_runs]
    shared = sorted(set.intersection(*(set(r) for r in runs))) if runs else []
    if not shared or not a_runs or not b_runs:
        return [0.0, 0.0]
    a = [[r[p] for p in shared] for r in a_runs]
    b = [[r[p] for p in shared] for r in b_runs]
    rng, n = random.Random(seed), len(shared)
    means = []
    for _ in range(resamples):
        ra, rb = rng.choices(a, k=len(a)), rng.choices(b, k=len(b))
        diff = [sum(r[i] for r in ra) / len(ra) - sum(r[i] for r in rb) / len(rb) for i in range(n)]
        means.append(sum(rng.choices(diff, k=n)) / n)
    return _interval(means)
