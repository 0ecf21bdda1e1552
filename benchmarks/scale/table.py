"""The table of benchmarks/scale/run.py: one line per (side, size), then new/baseline ratios."""

from __future__ import annotations

from typing import Any

_COLUMNS = (
    "side", "traces", "run s", "verify s", "filter s", "guard s", "export s",
    "CLI verify s", "CLI filter s", "verify/CLI", "filter/CLI", "rerun s", "tree RSS MB", "main RSS MB",
    "ms/trace",
)  # fmt: skip


def _line(r: dict[str, Any]) -> list[str]:
    stages, run = r["stages_s"], r["run"]
    guard = stages.get("filter_diversity_guard")
    filter_rules = stages.get("filter", 0.0) - (guard or 0.0)  # the per-shard filters, without the guard
    return [
        r["label"],
        str(r["traces"]),
        f"{run['wall_s']:.0f}",
        f"{stages.get('verify', 0):.1f}",
        f"{stages.get('filter', 0):.1f}",
        "-" if guard is None else f"{guard:.1f}",
        f"{stages.get('export', 0):.1f}",
        f"{r['cli_verify']['wall_s']:.1f}",
        f"{r['cli_filter']['wall_s']:.1f}",
        f"{stages.get('verify', 0) / r['cli_verify']['wall_s']:.2f}",
        f"{filter_rules / r['cli_filter']['wall_s']:.2f}",
        f"{r['rerun']['wall_s']:.0f}",
        str(run["tree_rss_mb"]),
        str(run["main_rss_mb"]),
        f"{1000 * run['wall_s'] / max(1, r['traces']):.1f}",
    ]


def print_table(results: list[dict[str, Any]]) -> None:
    """Markdown table of every result, then for each size run on both sides, new ÷ baseline."""
    print("| " + " | ".join(_COLUMNS) + " |")
    print("|" + " --- |" * len(_COLUMNS))
    for r in sorted(results, key=lambda r: (r["size"], r["label"])):
        print("| " + " | ".join(_line(r)) + " |")
    latest = {(r["label"], r["size"]): r for r in results}
    pairs = [(latest[new, s], latest[base, s]) for s in sorted({r["size"] for r in results})
             for new, base in (("new", "baseline"), ("new (no embedding)", "baseline (no embedding)"))
             if (new, s) in latest and (base, s) in latest]  # fmt: skip
    if pairs:
        print("\n| traces | run time new/base | verify new/base | filter new/base | tree RSS new/base |")
        print("| --- | --- | --- | --- | --- |")
        for new, base in pairs:
            ratio = [
                new["run"]["wall_s"] / base["run"]["wall_s"],
                new["stages_s"]["verify"] / base["stages_s"]["verify"],
                new["stages_s"]["filter"] / base["stages_s"]["filter"],
                new["run"]["tree_rss_mb"] / base["run"]["tree_rss_mb"],
            ]
            print(f"| {new['traces']}{new['label'][3:]} | " + " | ".join(f"{x:.2f}" for x in ratio) + " |")
    print("\n(filter/CLI: the filter stage without the diversity guard over `s2s1 filter` (rules only))")
