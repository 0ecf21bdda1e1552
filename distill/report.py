"""The run report: `report.md` and plots, from the run's metrics (design §7).

It writes `report.md` (per-stage counts, drops by filter reason, the filter's diversity guard
beside its random-drop baseline, the evaluation table, training loss) and
`plots/accuracy_vs_tokens.png` and `plots/train_loss.png` (`s2s1.distill.report_plots`). It
computes nothing new: every number comes from `metrics` (the diversity section from the run's
`diversity.json`).

Example:
    >>> write_report(Path("runs/x"), {"evaluate": {}}, [])  # doctest: +SKIP
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from s2s1.distill.report_ablate import ablate_section
from s2s1.distill.report_plots import plot_accuracy, plot_loss
from s2s1.shards import atomic_write_text

__all__ = ["adapter_table", "render_report", "write_report"]


def write_report(run_dir: Path, metrics: dict[str, Any], train_losses: list[float]) -> None:
    """Write report.md and the plots into `run_dir`."""
    run_dir = Path(run_dir)
    plots = run_dir / "plots"
    plots.mkdir(parents=True, exist_ok=True)
    plot_accuracy(metrics.get("evaluate", {}), plots / "accuracy_vs_tokens.png")
    if train_losses:
        plot_loss(train_losses, plots / "train_loss.png")
    if "diversity" not in metrics and (run_dir / "diversity.json").exists():
        metrics = {**metrics, "diversity": json.loads((run_dir / "diversity.json").read_text())}
    text = render_report(metrics, bool(train_losses)) + ablate_section(run_dir)  # "Filters vs random"
    atomic_write_text(run_dir / "report.md", text)


def render_report(metrics: dict[str, Any], has_loss_plot: bool = False) -> str:
    """The Markdown text of the report.

    Example:
        >>> "| student |" in render_report({"evaluate": {"student": {"accuracy": 0.5, "ci95": [0.2, 0.8],
        ...     "tokens_per_answer": 30, "n_problems": 10, "k": 2}}})
        True
    """
    g, v, f, t = (metrics.get(k, {}) for k in ("generate", "verify", "filter", "train"))
    lines = ["# s2s1 run report", "", "## Data", ""]
    lines += [
        f"- problems generated for: {g.get('problems', 0)}, traces: {g.get('traces', 0)} "
        f"(finish reasons: {_pairs(g.get('by_finish_reason', {}))}; strategies: "
        f"{_pairs(g.get('by_strategy', {}))})",
        f"- generated tokens: {g.get('tokens', 0)}, {g.get('tokens_per_s', 0):.1f} tokens/s, "
        f"{g.get('traces_per_s', 0):.2f} traces/s (end to end, model loading included)",
        f"- verified correct: {v.get('correct', 0)} (outcomes: {_pairs(v.get('by_outcome', {}))}), "
        f"problems with a correct trace: {v.get('problems_with_correct', 0)}",
        f"- kept by the filter: {f.get('kept', 0)}, dropped: {f.get('dropped', 0)}",
    ]
    if "judge_abstained" in f:  # kept unless something else dropped them (filters/judge.py)
        lines += [f"- the constitution judge abstained on {f['judge_abstained']} traces (kept by the judge)"]
    if v.get("by_verifier"):
        outcomes = ("correct", "incorrect", "unverifiable")
        lines += ["", "Verdicts by verifier (name and version):", ""]
        lines += ["| verifier | " + " | ".join(outcomes) + " |", "|---|---|---|---|"]
        lines += [
            f"| {name} | " + " | ".join(str(c.get(o, 0)) for o in outcomes) + " |"
            for name, c in v["by_verifier"].items()
        ]
    if f.get("dropped_by_reason"):
        lines += ["", "Dropped traces by reason (a trace dropped for several reasons counts under each):", ""]
        lines += ["| reason | traces |", "|---|---|"]
        lines += [f"| {reason} | {n} |" for reason, n in f["dropped_by_reason"].items()]
    if metrics.get("diversity"):
        lines += _diversity_lines(metrics["diversity"])
    if t:
        losses = t.get("losses") or [float("nan")]
        lines += ["", "## Training", ""]
        lines += [
            f"- {t.get('steps')} steps on {t.get('examples')} examples "
            f"({t.get('dropped_too_long', 0)} dropped as too long), {t.get('seconds', 0):.0f} s, "
            f"{t.get('tokens_per_second', 0):.0f} tokens/s on {t.get('device', 'cpu')}",
            f"- loss {losses[0]:.3f} → {losses[-1]:.3f}",
        ]
        if has_loss_plot:
            lines += ["", "![training loss](plots/train_loss.png)"]
    evaluations = metrics.get("evaluate", {})
    if evaluations:
        lines += ["", "## Evaluation on held-out problems", ""]
        lines += [
            "| model | accuracy | 95% CI | tokens / answer | tokens / solved | accuracy / 1k tokens "
            "| problems | k | max tokens | seed |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for name, e in evaluations.items():
            lo, hi = e["ci95"]
            per_solved, sampling = e.get("tokens_per_solved"), e.get("sampling", {})
            cells = [
                name,
                f"{e['accuracy']:.3f}",
                f"[{lo:.3f}, {hi:.3f}]",
                f"{e['tokens_per_answer']:.1f}",
                "-" if per_solved is None else f"{per_solved:.1f}",
                e.get("accuracy_per_1k_tokens", "-"),
                e["n_problems"],
                e["k"],
                sampling.get("max_tokens", "-"),
                sampling.get("seed", "-"),
            ]
            lines.append("| " + " | ".join(map(str, cells)) + " |")
        judged = {name: e for name, e in evaluations.items() if "judge_pass_rate" in e}
        if judged:  # export mode context: teacher = base with the constitution, student = the adapter
            lines += [
                "",
                "Constitution judge's pass rate (share of samples it keeps, 95% bootstrap interval):",
                "",
            ]
            lines += [f"- {name}: {_ci(e['judge_pass_rate'], e['judge_ci95'])}" for name, e in judged.items()]
            lines += [
                "",
                "Export mode `context`: `teacher` is the base with the constitution in its prompt,",
                "`student_untrained` the base without it, `student` the base with the adapter, without it;",
                "all three at `evaluate.sampling`.",
            ]
        comparisons = metrics.get("comparisons", {})
        if comparisons:
            lines += ["", "Paired differences over the same held-out problems (95% bootstrap interval):", ""]
            lines += [
                f"- {name}: {c['accuracy_difference']:+.3f} [{c['ci95'][0]:+.3f}, {c['ci95'][1]:+.3f}]"
                for name, c in comparisons.items()
            ]
        removed = metrics.get("decontamination", {}).get("removed", {})
        lines += [
            "",
            "The teacher is prompted as during generation (with its worked example, if any) at its own",
            "sampling budget; the students get only the dataset's system prompt and the question.",
            f"{len(removed)} held-out problem(s) were left out because their question repeats a training",
            f"problem ({metrics.get('decontamination', {}).get('method', '-')}).",
            "",
            "![accuracy vs tokens](plots/accuracy_vs_tokens.png)",
        ]
    if metrics.get("timings_s"):
        lines += ["", "## Timings (seconds per stage, summed over reruns)", "", _pairs(metrics["timings_s"])]
    return "\n".join(lines) + "\n"


def _diversity_lines(d: dict[str, Any]) -> list[str]:
    """The diversity guard's table: before the filter, after it, and after as many random drops."""
    lines = [
        "",
        "## Diversity guard",
        "",
        f"Measured on {d.get('measured_on', '-')}; budget {d['budget']:.0%}.",
        "",
    ]
    lines += [
        "| domain | metric | before | after the filter | after random drops (mean of 5) |",
        "|---|---|---|---|---|",
    ]
    for domain, s in d["domains"].items():
        for metric, before in s["before"].items():
            after, rand = s["after"].get(metric, "-"), s["random_drop"].get(metric, "-")
            lines.append(f"| {domain} | {metric} | {before} | {after} | {rand} |")
        lines.append(f"| {domain} | traces | {s['n_before']} | {s['n_after']} | {s['n_after']} |")
    lines += ["", "Higher is more diverse, except compression ratio (higher is more repetitive).", ""]
    lines += [f"- warning: {w}" for w in d["warnings"]] or ["- no warnings"]
    return lines


def _pairs(d: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in d.items()) or "-"


def adapter_table(result: dict[str, Any]) -> str:
    """Markdown tables of `compare_adapters`' result: one per constitution, three models each.

    Example:
        >>> row = {"judge_pass_rate": 0.5, "judge_ci95": [0.3, 0.7], "accuracy": 0.2, "ci95": [0.1, 0.3],
        ...        "tokens_per_answer": 30.0, "prompt_tokens": 50.0}
        >>> result = {"base": row, "adapters": {"terse": {"constitution_hash": "ab12", "base": row,
        ...           "base_with_prompt": row, "adapter": row, "prompt_tokens_saved": 12.0}}}
        >>> print(adapter_table(result).splitlines()[4])
        | base, no prompt | 0.50 [0.30, 0.70] | 0.20 [0.10, 0.30] | 30.0 | 50 |
    """
    base = result["base"]
    out = []
    for name, a in result["adapters"].items():
        rows = [
            (
                "base, no prompt",
                a["base"] | {k: base[k] for k in ("accuracy", "ci95", "tokens_per_answer", "prompt_tokens")},
            ),
            ("base + constitution in the prompt", a["base_with_prompt"]),
            ("base + adapter, no prompt", a["adapter"]),
        ]
        out += [
            f"### {name} (constitution {a['constitution_hash']})",
            "",
            "| model | constitution pass rate [95% CI] | accuracy [95% CI] | tokens/answer | prompt tokens |",
            "|---|---|---|---|---|",
            *(
                f"| {label} | {_ci(r['judge_pass_rate'], r['judge_ci95'])} | {_ci(r['accuracy'], r['ci95'])} "
                f"| {r['tokens_per_answer']:.1f} | {r['prompt_tokens']:.0f} |"
                for label, r in rows
            ),
            "",
            f"Prompt tokens saved per request by the adapter: {a['prompt_tokens_saved']:.0f}",
            "",
        ]
    cross = result.get("cross", {})
    if len(cross) > 1:
        names = list(cross)
        out += [
            "### Each adapter's answers under each constitution (pass rate)",
            "",
            "| adapter | " + " | ".join(names) + " |",
            "|---|" + "---|" * len(names),
            *(f"| {a} | " + " | ".join(f"{cross[a][c]:.2f}" for c in names) + " |" for a in names),
            "",
        ]
    return "\n".join(out)


def _ci(value: float, ci: list[float]) -> str:
    return f"{value:.2f} [{ci[0]:.2f}, {ci[1]:.2f}]"
