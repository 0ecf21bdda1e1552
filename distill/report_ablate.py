"""The report's "Filters vs random" section, from `RUN_DIR/ablate.json` (`s2s1 ablate`).

For each filter (and the quality scorer) it shows the pool it chose from, what it kept, the
student trained on what it kept against one trained on the matched random control (accuracy on the
held-out problems with 95% intervals, and the paired difference), and the distinct-2 / embedding
diversity of both sets. Without `ablate.json` it says how to measure it. It computes nothing new.

Example:
    >>> "s2s1 ablate" in ablate_section(Path("/nonexistent"))
    True
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["ablate_section", "render_ablation", "render_stages"]

_ARM_TEXT = {
    "untrained": "untrained student",
    "pool": "all teacher traces (unverified pool)",
    "filtered": "verified + filters",
    "random~filtered": "random, size of verified + filters",
    "verified": "verified",
    "random~verified": "random, size of verified",
    "answers": "verified answers only (no reasoning)",
}


def ablate_section(run_dir: Path) -> str:
    """The Markdown section for `run_dir` (its ablate.json, or how to make one)."""
    path = Path(run_dir) / "ablate.json"
    stages = Path(run_dir) / "ablate_stages.json"
    more = render_stages(json.loads(stages.read_text(encoding="utf-8"))) if stages.exists() else ""
    if not path.exists() and more:
        return more
    if not path.exists():
        return "\n".join(
            [
                "",
                "## Filters vs random",
                "",
                f"Not measured yet: `s2s1 ablate {run_dir}` trains, for each filter, one student on what it",
                "kept and one on an equally sized random subset of the same pool (per problem), evaluates",
                "both, and adds the table to this report (several minutes per filter on 2 cores).",
                "",
            ]
        )
    return render_ablation(json.loads(path.read_text(encoding="utf-8"))) + more


def _ci(d: dict[str, Any] | None, sign: str = "") -> str:
    if not d:
        return "-"
    lo, hi = d["ci95"]
    return f"{d['accuracy']:{sign}.3f} [{lo:{sign}.3f}, {hi:{sign}.3f}]"


def _div(d: dict[str, Any] | None, metric: str) -> str:
    m = (d or {}).get(metric)
    return "-" if not m else f"{m['value']:.3f} [{m['ci95'][0]:.3f}, {m['ci95'][1]:.3f}]"


def _same(a: dict[str, Any]) -> str:
    n = a.get("control_same_as_kept", 0)
    return f" (control drew the kept set in {n} of {a.get('seeds', 1)} seeds)" if n else ""


def _seeds_ci(d: dict[str, Any]) -> str:
    lo, hi = d.get("ci95_seeds") or (None, None)
    return "" if lo is None else f"; seeds and problems [{lo:+.3f}, {hi:+.3f}]"


def render_ablation(result: dict[str, Any]) -> str:
    """The section's Markdown from an ablate.json document.

    Example:
        >>> arm = {"name": "rules", "pool": 4, "kept": 4, "seeds": 1, "skipped": "kept the whole pool",
        ...        "diversity": {"pool": {}, "kept": {}}}
        >>> text = render_ablation({"arms": [arm], "n_problems": 2, "k": 1})
        >>> "| rules | 4 | 4 | kept the whole pool |" in text
        True
    """
    lines = [
        "",
        "## Filters vs random",
        "",
        "Students trained on what each filter kept, against students trained on a matched random",
        f"control ({result.get('control', 'a random subset of the same size and pool')}); accuracy on",
        f"{result['n_problems']} held-out problems × {result['k']} samples with the run's verifiers, 95%",
        "bootstrap intervals over problems; kept − random is paired over the same problems.",
        "",
        "| filter | pool | kept | student on kept | student on random | kept − random "
        "| distinct-2 kept | distinct-2 random | embedding div. kept | embedding div. random |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for a in result["arms"]:
        d = a["diversity"]
        if a.get("skipped"):
            cells = [a["name"], a["pool"], a["kept"], a["skipped"], "-", "-"]
            cells += [_div(d["kept"], "distinct_2"), "-", _div(d["kept"], "embedding_diversity"), "-"]
        else:
            cells = [
                a["name"],
                a["pool"],
                a["kept"],
                _ci(a["on_kept"]),
                _ci(a["on_random"]),
                _ci(a["difference"], "+") + _seeds_ci(a["difference"]) + _same(a),
            ]
            cells += [_div(d["kept"], "distinct_2"), _div(d.get("random"), "distinct_2")]
            cells += [_div(d["kept"], "embedding_diversity"), _div(d.get("random"), "embedding_diversity")]
        lines.append("| " + " | ".join(map(str, cells)) + " |")
    seeds = {a.get("seeds", 1) for a in result["arms"]}
    lines += [
        "",
        f"Seeds per side: {', '.join(map(str, sorted(seeds)))}; a filter beats random only where the",
        "interval of kept − random excludes 0 (with several seeds, the interval that resamples the",
        "training seeds as well as the problems)."
        + (
            f" The students took {result['seconds'] / 60:.1f} min to train and evaluate."
            if result.get("seconds")
            else ""
        ),
        "",
    ]
    return "\n".join(lines)


def render_stages(result: dict[str, Any]) -> str:
    """The "What each stage buys" section from an ablate_stages.json document (`--stages`).

    Example:
        >>> arm = {"name": "pool", "units": 3, "done": 1, "train_records": [8],
        ...        "per_seed": [{"seed": 0, "accuracy": 0.5, "ci95": [0.2, 0.8]}],
        ...        "pooled": {"accuracy": 0.5, "ci95": [0.2, 0.8], "tokens_per_answer": 12.0}}
        >>> doc = {"arms": [arm], "differences": [], "n_problems": 4, "k": 1, "seeds": 3,
        ...        "units_done": 1, "units_total": 19, "partial": True, "cpu_hours": 0.1}
        >>> "| all teacher traces (unverified pool) | 8 | 0.500 [0.200, 0.800] |" in render_stages(doc)
        True
    """
    lines = [
        "",
        "## What each stage buys",
        "",
        f"Students on {result['n_problems']} held-out problems × {result['k']} samples, 95% bootstrap",
        "intervals over problems; per arm the per-problem accuracy pooled over its finished seeds.",
    ]
    if result.get("partial"):
        lines.append(f"**Partial: {result['units_done']} of {result['units_total']} students done.**")
    teacher = result.get("teacher")
    if teacher:
        lines.append(
            f"The teacher itself (System 2): {_ci(teacher)}, "
            f"{teacher.get('tokens_per_answer')} tokens/answer."
        )
    lines += [
        "",
        "| arm | train records | pooled accuracy | tokens/answer | seeds done | per seed |",
        "|---|---|---|---|---|---|",
    ]
    for a in result["arms"]:
        size = "/".join(map(str, a["train_records"]))
        per_seed = "; ".join(_ci(s) for s in a["per_seed"]) or "-"
        pooled = a.get("pooled")
        tokens = pooled["tokens_per_answer"] if pooled else "-"
        done = a.get("skipped") or f"{a['done']} of {a['units']}"
        name = _ARM_TEXT.get(a["name"], a["name"])
        lines.append(f"| {name} | {size} | {_ci(pooled)} | {tokens} | {done} | {per_seed} |")
    lines += [
        "",
        "| paired difference | accuracy [95% CI, problems] | CI, seeds and problems | seeds | beyond noise |",
        "|---|---|---|---|---|",
    ]
    for d in result["differences"]:
        ci = d.get("ci95_seeds", d["ci95"])  # older results have the problem-level interval only
        beyond = "yes" if ci[0] > 0 or ci[1] < 0 else "no"
        seeds_ci = f"[{ci[0]:+.3f}, {ci[1]:+.3f}]" if "ci95_seeds" in d else "-"
        lines.append(f"| {d['a']} − {d['b']} | {_ci(d, '+')} | {seeds_ci} | {d['seeds']} | {beyond} |")
    lines += ["", f"Students: {result.get('cpu_hours', 0.0):.2f} CPU hours.", ""]
    return "\n".join(lines)
