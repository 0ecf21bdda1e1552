"""The few lines a person reads at the end of a run, from its metrics (CLI and Prefect UI).

It formats only what `s2s1.flows.metrics` gathered; report.md (`s2s1.distill.report`) is the
full account.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["summary"]


def summary(metrics: dict[str, Any], out: Path) -> str:
    """A few lines a person reads at the end of a run."""
    g, v, f = metrics.get("generate", {}), metrics.get("verify", {}), metrics.get("filter", {})
    lines = [f"run folder: {out}"]
    if g:
        lines.append(
            f"problems {g['problems']}, traces {g['traces']}, verified correct {v.get('correct', '-')}, "
            f"kept {f.get('kept', '-')}"
        )
    if f.get("dropped_by_reason"):
        lines.append("dropped by reason: " + ", ".join(f"{k} {n}" for k, n in f["dropped_by_reason"].items()))
    losses = metrics.get("train", {}).get("losses") or []
    if losses:
        lines.append(f"training loss {losses[0]:.3f} → {losses[-1]:.3f} over {len(losses)} steps")
    for name, e in metrics.get("evaluate", {}).items():
        lo, hi = e["ci95"]
        lines.append(
            f"{name:<18} accuracy {e['accuracy']:.2f} [{lo:.2f}, {hi:.2f}]  "
            f"tokens/answer {e['tokens_per_answer']:.1f}"
        )
    if metrics.get("skipped"):
        lines.append(
            f"skipped {len(metrics['skipped'])} finished step(s) from an earlier run: "
            + ", ".join(metrics["skipped"])
        )
    if (out / "report.md").exists():
        lines.append(f"report: {out / 'report.md'}")
    return "\n".join(lines)
