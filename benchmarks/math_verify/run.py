"""Our maths verifier against huggingface's math-verify, side by side on the same cases.

Cases (all shipped in this repository):
- every MATH-500 and GSM8K reference solution in `data/` against its own gold (must be correct;
  a GSM8K solution gets its original `#### answer` line back);
- the same solutions against another problem's gold, the next one whose gold differs as text
  (GSM8K: as a number) (must be incorrect);
- the regression table of `tests/verifiers/test_ver_math_table.py`.

Both run in this process, one check at a time, on one core: math-verify as its README shows,
`verify(parse(gold), parse(answer))`, with the parsed gold cached like ours (a stronger baseline
than re-parsing it every time); ours as `MathVerifier().verify`. The table gives accuracy per
category with false positives (said correct, should not) and false negatives (should be correct,
was not) apart, then throughput per core by answer style, and the slowest single check. Then ours
once more through the batch API (`verifiers.math_batch.verify_answers`, worker processes with a
hard time limit), as checks per second per worker.

Usage: .venv/bin/python benchmarks/math_verify/run.py [--limit N] [--workers W]
(needs the `bench` extra: pip install -e '.[bench]'). It does not measure memory.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import time
from collections import defaultdict
from pathlib import Path

from s2s1.records import Problem, Trace
from verifiers.math import MathVerifier
from verifiers.math_batch import verify_answers
from verifiers.math_latex import normalize

HERE = Path(__file__).parent
Case = tuple[str, str | None, str, str]  # (category, gold, model output, expected outcome)


def cases(limit: int) -> list[Case]:
    math = [json.loads(line) for line in (HERE / "data" / "math500.jsonl").open()][:limit]
    gsm = [json.loads(line) for line in (HERE / "data" / "gsm8k.jsonl").open()][:limit]
    out: list[Case] = []
    for r in math:
        out.append(("MATH-500 own gold", r["answer"], r["solution"], "correct"))
    for r in gsm:
        out.append(("GSM8K own gold", r["answer"], f"{r['solution']}\n#### {r['answer']}", "correct"))
    for rows, name, key in ((math, "MATH-500", _text_key), (gsm, "GSM8K", _int_key)):
        for i, r in enumerate(rows):
            other = next(o for o in rows[i + 1 :] + rows[:i] if key(o["answer"]) != key(r["answer"]))
            solution = r["solution"] if name == "MATH-500" else f"{r['solution']}\n#### {r['answer']}"
            out.append((f"{name} other gold", other["answer"], solution, "incorrect"))
    spec = importlib.util.spec_from_file_location(
        "table", HERE.parents[1] / "tests/verifiers/test_ver_math_table.py"
    )
    assert spec and spec.loader
    table = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(table)
    out += [(f"table: {c}", g, o, e) for c, g, o, e in table.TABLE]
    return out


def _text_key(s: str) -> str:
    return re.sub(r"^[a-z]=", "", normalize(s).replace(" ", ""))  # `x=5` is the same gold as `5`


def _int_key(s: str) -> int:
    return int(s.replace(",", ""))


def run_ours(all_cases: list[Case]) -> tuple[list[str], list[float]]:
    verifier, outcomes, times = MathVerifier(), [], []
    for _, gold, output, _ in all_cases:
        problem = Problem(id="p", source="bench", question="?", answer=gold)
        trace = Trace(problem_id="p", index=0, teacher="bench", prompt=[], response=output)
        start = time.perf_counter()
        outcomes.append(verifier.verify(problem, trace).outcome)
        times.append(time.perf_counter() - start)
    return outcomes, times


def run_math_verify(all_cases: list[Case]) -> tuple[list[str], list[float]]:
    from math_verify import parse, verify

    golds: dict[str, object] = {}
    outcomes, times = [], []
    for _, gold, output, _ in all_cases:
        start = time.perf_counter()
        try:
            if gold is None:
                ok = False
            else:
                if gold not in golds:
                    golds[gold] = parse(f"${gold}$" if "\\" in gold or not gold.strip().isdigit() else gold)
                ok = bool(verify(golds[gold], parse(output)))
        except Exception:  # math-verify raises on some inputs; count it as a wrong verdict
            ok = False
        times.append(time.perf_counter() - start)
        outcomes.append("correct" if ok else "incorrect")
    return outcomes, times


def report(all_cases: list[Case], results: dict[str, tuple[list[str], list[float]]], workers: int) -> None:
    names = list(results)
    print(f"{'category':34} {'n':>4} " + " ".join(f"{n + ' acc':>14} {'FP':>3} {'FN':>3}" for n in names))
    by_cat: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(all_cases):
        by_cat[c[0] if c[0].startswith(("MATH", "GSM")) else c[0]].append(i)
    totals = {n: [0, 0, 0] for n in names}
    for cat, idx in by_cat.items():
        cells = []
        for n in names:
            outcomes = results[n][0]
            right = sum(_right(outcomes[i], all_cases[i][3]) for i in idx)
            fp = sum(outcomes[i] == "correct" and all_cases[i][3] != "correct" for i in idx)
            fn = sum(outcomes[i] != "correct" and all_cases[i][3] == "correct" for i in idx)
            for k, v in enumerate((right, fp, fn)):
                totals[n][k] += v
            cells.append(f"{right / len(idx):>14.3f} {fp:>3} {fn:>3}")
        print(f"{cat:34} {len(idx):>4} " + " ".join(cells))
    n_all = len(all_cases)
    print(
        f"{'all':34} {n_all:>4} "
        + " ".join(f"{t[0] / n_all:>14.3f} {t[1]:>3} {t[2]:>3}" for t in totals.values())
    )
    print()
    styles = {"MATH-500-style": ("MATH-500",), "GSM8K-style": ("GSM8K",), "regression table": ("table",)}
    print(f"{'throughput, checks/s per core':34} " + " ".join(f"{n:>14}" for n in names) + f" {'ratio':>8}")
    for style, prefixes in styles.items():
        idx = [i for i, c in enumerate(all_cases) if c[0].startswith(prefixes)]
        rates = [len(idx) / sum(results[n][1][i] for i in idx) for n in names]
        print(f"{style:34} " + " ".join(f"{r:>14.0f}" for r in rates) + f" {rates[0] / rates[1]:>7.1f}x")
    slowest = [max(results[n][1]) for n in names]
    print(f"{'slowest single check, s':34} " + " ".join(f"{s:>14.3f}" for s in slowest))
    batch(all_cases, workers)


def batch(all_cases: list[Case], workers: int) -> None:
    pairs = [(gold, output) for _, gold, output, _ in all_cases]
    start = time.perf_counter()
    verdicts = list(verify_answers(pairs, workers=workers, timeout_s=5.0))
    wall = time.perf_counter() - start
    over = sum(v.outcome == "unverifiable" and "TimeoutError" in (v.detail or "") for v in verdicts)
    print(
        f"batch API, {workers} workers: {len(pairs) / wall / workers:.0f} checks/s per worker "
        f"(start-up included), {over} checks over the 5 s limit, slowest "
        f"{max(v.elapsed_s or 0 for v in verdicts):.3f} s"
    )


def _right(outcome: str, expected: str) -> bool:
    return outcome == expected  # math-verify has no `unverifiable`: its False on a missing gold counts wrong


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=10_000, help="at most this many rows per data set")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="workers for the batch API")
    args = ap.parse_args()
    all_cases = cases(args.limit)
    results = {"ours": run_ours(all_cases), "math-verify": run_math_verify(all_cases)}
    report(all_cases, results, args.workers)


if __name__ == "__main__":
    main()
