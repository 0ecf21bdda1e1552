"""Adaptive sampling against fixed n: solved problems per generated token, on the quickstart's run.

The quickstart's setting (configs/quickstart.yaml): the embedded teacher (SmolLM2-135M-Instruct)
with the transformers backend (batch 32, temperature 0.7, top_p 0.95, max_tokens 96, few-shot
prompt) on the quickstart's training problems (builtin arithmetic, limit 64, split as the
pipeline splits them: ~48 for training), drawn shard by shard with `generate_shard_file`:

- baseline: `fixed`, n = `--n` (4) samples per problem, as the quickstart does;
- ours: `adaptive`, rounds of `--round-n` (2) samples, a problem leaving after `--k` (1) verified
  correct sample or `--max-samples` (6); the round checks are the pipeline's own
  (`s2s1.flows.generation.strategy_functions`, the math verifier). 6, not 8: this teacher is right on
  only ~20% of samples, so most problems use their whole budget; measured, max_samples 8 drew
  248 samples against fixed's 188, max_samples 6 draws 192-206.

Afterwards every record of both runs is verified with the same verifier (`s2s1.verifiers.verify`,
`load_verifiers(["math"])`). Per strategy and seed the table gives samples drawn, generated
tokens, problems solved (at least one verified-correct sample), correct samples, solved problems
per 1,000 generated tokens and the generation wall time; the ratio row is adaptive / fixed.
Budgets are not forced equal: adaptive spends what its stopping rule leaves (the totals are
shown, and the budget line says when they differ). Then the spread of per-problem pass rates,
with the count of problems at each correct/sampled: fixed n estimates each problem's pass rate
without bias; adaptive's rates are biased by its stopping rule (it stops once it succeeds), so
read its line for where the samples went.
With k=1, adaptive keeps fewer correct traces per problem by design (distillation data).

One seed on ~48 problems is noisy: `--seeds 0 1 2` repeats and prints the mean.

Run:  .venv/bin/python benchmarks/generate/adaptive_vs_fixed.py [--seeds 0 1 2] [--max-samples 6]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

os.environ.setdefault("HF_HUB_OFFLINE", "1")

QUICKSTART = Path(__file__).resolve().parents[2] / "configs" / "quickstart.yaml"
COLUMNS = ["samples", "tokens", "solved", "correct samples", "solved / 1k tokens", "seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--n", type=int, default=4, help="fixed: samples per problem")
    parser.add_argument("--round-n", type=int, default=2, help="adaptive: samples per round")
    parser.add_argument("--k", type=int, default=1, help="adaptive: correct samples that end a problem")
    parser.add_argument("--max-samples", type=int, default=6, help="adaptive: per-problem budget")
    parser.add_argument("--limit", type=int, help="problems before the split (default: quickstart's 64)")
    args = parser.parse_args()

    from s2s1.config import Config
    from s2s1.flows.generation import strategy_functions
    from s2s1.generators import build_generator, generate_shard_file
    from s2s1.problems import load_problems, split_problems
    from s2s1.shards import chunks
    from s2s1.verifiers import load_verifiers, verify

    data = yaml.safe_load(QUICKSTART.read_text())
    if args.limit:
        data["problems"]["sources"][0]["limit"] = args.limit
    base = Config.model_validate(data)
    train, _ = split_problems(load_problems(base.problems), base.problems.eval_fraction, base.problems.seed)
    backend = build_generator(base.generate)  # one model, loaded once, shared by both strategies
    math = load_verifiers(["math"])
    tmp = Path(tempfile.mkdtemp(prefix="bench-adaptive-"))

    def config(strategy: str, seed: int) -> Config:
        gen = data["generate"]
        sampling = {**gen["sampling"], "seed": seed, "n": args.n if strategy == "fixed" else args.round_n}
        chosen = {"name": strategy, "k": args.k, "max_samples": args.max_samples}
        return Config.model_validate({**data, "generate": {**gen, "sampling": sampling, "strategy": chosen}})

    results: dict[tuple[str, int], dict[str, float]] = {}
    spreads: dict[tuple[str, int], str] = {}
    for seed in args.seeds:
        for strategy in ("fixed", "adaptive"):
            cfg = config(strategy, seed)
            check, _ = strategy_functions(cfg)
            start = time.perf_counter()
            records = []
            for i, shard in enumerate(chunks(train, cfg.generate.shard_size)):
                path = tmp / f"{strategy}-{seed}" / f"shard-{i:05d}.jsonl"
                records += generate_shard_file(path, shard, backend, cfg.generate, check)
            seconds = time.perf_counter() - start
            records = list(verify(records, math, timeout_s=cfg.verify.timeout_s, workers=cfg.verify.workers))
            per_problem: dict[str, list[bool]] = {p.id: [] for p in train}
            for r in records:
                per_problem[r.problem.id].append(r.correct)
            tokens = sum(r.trace.num_tokens for r in records)
            solved = sum(any(v) for v in per_problem.values())
            results[strategy, seed] = {
                "samples": len(records),
                "tokens": tokens,
                "solved": solved,
                "correct samples": sum(r.correct for r in records),
                "solved / 1k tokens": 1000 * solved / max(tokens, 1),
                "seconds": seconds,
            }
            spreads[strategy, seed] = spread(per_problem)

    print(
        f"{len(train)} training problems (quickstart split), embedded teacher, transformers batch "
        f"{base.generate.batch_size}, temperature {base.generate.sampling.temperature}, max_tokens "
        f"{base.generate.sampling.max_tokens}; fixed n={args.n} vs adaptive rounds of {args.round_n}, "
        f"k={args.k}, max_samples={args.max_samples}; {os.cpu_count()} cores\n"
    )
    print("| seed | strategy | " + " | ".join(COLUMNS) + " |")
    print("| --- | --- | " + " | ".join("---:" for _ in COLUMNS) + " |")
    rows = [(str(s), st, results[st, s]) for s in args.seeds for st in ("fixed", "adaptive")]
    rows += [
        (str(s), "adaptive / fixed", ratio(results["adaptive", s], results["fixed", s])) for s in args.seeds
    ]
    if len(args.seeds) > 1:
        means = {name: mean([results[name, s] for s in args.seeds]) for name in ("fixed", "adaptive")}
        rows += [("mean", name, row) for name, row in means.items()]
        rows.append(("mean", "adaptive / fixed", ratio(means["adaptive"], means["fixed"])))
    for seed, name, row in rows:
        print(f"| {seed} | {name} | " + " | ".join(fmt(row[c], "/" in name) for c in COLUMNS) + " |")
    for seed in args.seeds:
        fixed, adaptive = results["fixed", seed]["samples"], results["adaptive", seed]["samples"]
        budget = "same budget" if fixed == adaptive else f"budgets differ: {adaptive} vs {fixed} samples"
        print(f"\nseed {seed}, per-problem pass rates ({budget}):")
        print(f"  fixed:    {spreads['fixed', seed]}\n  adaptive: {spreads['adaptive', seed]}")


def spread(per_problem: dict[str, list[bool]]) -> str:
    """Per-problem pass rates: mean, stdev, how many problems at each correct/sampled count."""
    rates = [sum(v) / len(v) for v in per_problem.values() if v]
    counts = Counter(f"{sum(v)}/{len(v)}" for v in per_problem.values())
    order = sorted(counts, key=lambda k: tuple(map(int, k.split("/"))))
    shown = ", ".join(f"{k}: {counts[k]}" for k in order)
    zero, one = sum(r == 0 for r in rates), sum(r == 1 for r in rates)
    return (
        f"pass rate mean {statistics.mean(rates):.2f}, stdev {statistics.pstdev(rates):.2f}; "
        f"never right {zero}, always right {one}; problems by correct/sampled: {shown}"
    )


def ratio(a: dict[str, float], f: dict[str, float]) -> dict[str, float]:
    return {c: a[c] / f[c] if f[c] else float("nan") for c in COLUMNS}


def mean(rows: list[dict[str, float]]) -> dict[str, float]:
    return {c: statistics.mean(r[c] for r in rows) for c in COLUMNS}


def fmt(value: float, is_ratio: bool) -> str:
    if is_ratio:
        return f"{value:.2f}"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


if __name__ == "__main__":
    main()
