"""Fit the learned screen: L2-regularised logistic regression, Platt calibration, a threshold.

`fit_logistic` solves the regularised logistic loss by Newton's method (768 features, a few
thousand rows: a handful of exact steps, no solver library needed), with classes weighted to
equal total weight. `platt` fits the calibration on out-of-fold margins, so calibrated scores are
honest on texts the weights did not see. `pick_threshold` is the lowest threshold at which the
out-of-fold clean rows scored at or above it are at most `max_clean` of the clean rows. Folds are
by source (`groups`), never by row, so a source's texts are never on both sides. This module does
not embed texts or choose the corpus (`benchmarks/filters/screen_fit.py` does).

Example:
    >>> import numpy as np
    >>> x = np.array([[0.0], [0.1], [0.9], [1.0]]); y = np.array([0, 0, 1, 1])
    >>> w, b = fit_logistic(x, y, l2=0.01)
    >>> bool(w[0] > 0)
    True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["fit_logistic", "out_of_fold", "pick_threshold", "platt"]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


def fit_logistic(x: np.ndarray, y: np.ndarray, *, l2: float, steps: int = 25) -> tuple[np.ndarray, float]:
    """(weights, bias) minimising class-balanced log loss + l2/2 · |w|² (the bias is not penalised)."""
    n, d = x.shape
    pos = max(int(y.sum()), 1)
    sample = np.where(y == 1, n / (2 * pos), n / (2 * max(n - pos, 1))) / n
    xb = np.hstack([x, np.ones((n, 1))])
    theta = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    for _ in range(steps):
        p = _sigmoid(xb @ theta)
        grad = xb.T @ (sample * (p - y)) + penalty * theta
        hess = (xb * (sample * p * (1 - p))[:, None]).T @ xb + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        theta -= step
        if np.abs(step).max() < 1e-8:
            break
    return theta[:-1], float(theta[-1])


def out_of_fold(
    x: np.ndarray, y: np.ndarray, groups: Sequence[str], *, l2: float, folds: int = 5
) -> np.ndarray:
    """Each row's margin from weights fitted without its group's fold (groups dealt round-robin)."""
    names = sorted(set(groups))
    fold_of = {g: i % folds for i, g in enumerate(names)}
    fold = np.array([fold_of[g] for g in groups])
    margins = np.zeros(len(y))
    for k in range(min(folds, len(names))):
        train, held = fold != k, fold == k
        w, b = fit_logistic(x[train], y[train], l2=l2)
        margins[held] = x[held] @ w + b
    return margins


def platt(margins: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(scale, shift) so that sigmoid(scale · margin + shift) is calibrated on these rows."""
    w, b = fit_logistic(margins[:, None], y, l2=1e-4)
    return float(w[0]), b


def pick_threshold(scores: np.ndarray, clean: np.ndarray, *, max_clean: float) -> float:
    """The lowest threshold whose clean rows at or above it are at most `max_clean` of them."""
    clean_scores = np.sort(scores[clean])[::-1]
    allowed = int(np.floor(max_clean * len(clean_scores)))
    above = clean_scores[allowed] if allowed < len(clean_scores) else 0.0
    return float(min(max(np.nextafter(above, 1.0), 0.5), 0.999))
