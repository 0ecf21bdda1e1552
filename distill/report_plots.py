"""The report's two plots: accuracy against tokens per answer, and the training loss.

Each is a small matplotlib figure (Agg backend, no display) written to a temporary file and
renamed into place, so a crash never leaves half a PNG. It draws only what it is given.

Example:
    >>> plot_loss([1.0, 0.5], Path("runs/x/plots/train_loss.png"))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["plot_accuracy", "plot_loss"]


@contextmanager
def _figure(path: Path, xlabel: str, ylabel: str) -> Iterator[Any]:
    """An Axes to draw on; on exit the figure is saved to `path` (through a temporary file)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.5))
    try:
        yield ax
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        fig.tight_layout()
        tmp = path.with_name(f".{path.name}.tmp")
        fig.savefig(tmp, dpi=100, format="png")
        tmp.replace(path)
    finally:
        plt.close(fig)


def plot_accuracy(evaluations: dict[str, Any], path: Path) -> None:
    """Each evaluated model as a point: tokens per answer, accuracy with its 95% interval."""
    with _figure(path, "tokens per answer", "accuracy (pass@1, 95% CI)") as ax:
        for name, e in evaluations.items():
            lo, hi = e["ci95"]
            yerr = [[e["accuracy"] - lo], [hi - e["accuracy"]]]
            ax.errorbar(e["tokens_per_answer"], e["accuracy"], yerr=yerr, fmt="o", capsize=4, label=name)
        ax.set_ylim(-0.05, 1.05)
        if evaluations:
            ax.legend()


def plot_loss(losses: list[float], path: Path) -> None:
    """The training loss per optimizer step."""
    with _figure(path, "step", "training loss (assistant tokens)") as ax:
        ax.plot(range(1, len(losses) + 1), losses)
