"""Rules filter cost per character, before (a baseline checkout's `filters/`) vs now, in one run.

    .venv/bin/python benchmarks/filters/rules_speed.py --base /tmp/s2s1-base [--timeout 120]

`--base` is a checkout of the code to compare against (e.g. `git worktree add /tmp/s2s1-base
cbafbd3`). Each (code, size) runs `apply_rules` once in a fresh process on the same synthetic
trace: clean texts of `tests/filters/labelled_traces.jsonl` mixed with random word salad from them,
seeded, cut to 1k, 35k, 1M and 5M characters (their code blocks, some unclosed, leave long blank
runs in the prose view, as real long traces do). Prints µs per character, peak RSS of the process,
and the before/after ratio; a run over `--timeout` seconds is shown as `>T`. This measures the
rules only, not reading rows or the other filters.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIZES = [1_000, 35_000, 1_000_000, 5_000_000]


def trace(n: int) -> str:
    """A deterministic n-character trace: clean labelled texts and word salad, half and half."""
    rows = [json.loads(line) for line in open(ROOT / "tests/filters/labelled_traces.jsonl", encoding="utf-8")]
    clean = [r["completion"] for r in rows if not r["labels"]]
    words = " ".join(clean).split()
    rng = random.Random(0)
    parts, size = [], 0
    while size < n:
        part = rng.choice(clean) if rng.random() < 0.5 else " ".join(rng.choices(words, k=60)) + ".\n"
        parts.append(part)
        size += len(part)
    return "".join(parts)[:n]


def _use_base(base: Path) -> None:
    """Make `s2s1.filters` the baseline checkout's `filters/` (the rest of s2s1 stays current)."""
    spec = importlib.util.spec_from_file_location(
        "s2s1.filters", base / "filters/__init__.py", submodule_search_locations=[str(base / "filters")]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["s2s1.filters"] = module
    spec.loader.exec_module(module)


def worker(base: str, n: int) -> None:
    if base:
        _use_base(Path(base))
    from s2s1.filters import rules

    def decide(sample: rules.Sample) -> list:  # what RulesFilter does (older code: two calls)
        if hasattr(rules, "apply_rules"):
            return rules.apply_rules(sample)[0]
        rules.rule_scores(sample)
        return rules.check_rules(sample)

    sample = rules.Sample(trace(n), "stop", "Solve the problem.")
    runs = max(1, 200_000 // n)
    start = time.perf_counter()
    for _ in range(runs):
        reasons = decide(sample)
    us = (time.perf_counter() - start) / runs / n * 1e6
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"us_per_char": us, "rss_mb": rss, "reasons": [r.code for r in reasons]}))


def measure(base: str, n: int, timeout: float) -> dict | None:
    cmd = [sys.executable, __file__, "--worker", str(n), "--base", base]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True).stdout
    except subprocess.TimeoutExpired:
        return None
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", default="", help="baseline checkout (its filters/ is measured as 'before')")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per (code, size) run")
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)))
    ap.add_argument("--worker", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args.base, args.worker)
    if not args.base:
        ap.error("--base DIR is required: a checkout of the code to compare against")
    print(f"before: {args.base}/filters   after: {ROOT}/filters")
    print(
        f"{'chars':>9} {'before µs/ch':>12} {'after µs/ch':>12} {'ratio':>7} "
        f"{'before MB':>10} {'after MB':>9}  drops (after)"
    )
    for n in map(int, args.sizes.split(",")):
        old, new = measure(args.base, n, args.timeout), measure("", n, args.timeout)
        o = f"{old['us_per_char']:.2f}" if old else f">{args.timeout * 1e6 / n:.0f}"
        ratio = (
            f"{old['us_per_char'] / new['us_per_char']:.1f}x"
            if old and new
            else f">{float(o[1:]) / new['us_per_char']:.0f}x"
        )
        old_mb = f"{old['rss_mb']:.0f}" if old else "-"
        print(
            f"{n:>9} {o:>12} {new['us_per_char']:>12.2f} {ratio:>7} {old_mb:>10} {new['rss_mb']:>9.0f}  "
            f"{','.join(new['reasons'])}",
            flush=True,
        )


if __name__ == "__main__":
    main()
