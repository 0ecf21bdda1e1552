"""Our maths verifier against huggingface's math-verify, side by side on the same cases.

Cases (all shipped in this repository):
- every MATH-500 and GSM8K reference solution in `data/` against its own gold (must be correct;
  a GSM8K solution gets its original `#### answer` line back);
- the same solutions against another problem's gold, the next one whose gold differs as text
  (GSM8K: as a number) (must be incorrect);
- the regression table of `tests/verifiers/test_ver_math_table.py`.

Accuracy: both run in this process, one check at a time, alternating case by case: math-verify
as its README shows, `verify(parse(gold), parse(answer))` (gold in `$…$`), with the parsed gold
cached like ours (a stronger baseline than re-parsing it every time); ours as
`MathVerifier().verify`. The table gives accuracy per category with false positives (said
correct, should not) and false negatives (should be correct, was not) apart. Throughput per
core by answer style: whole passes over each style's cases, the two tools alternating, the best
of 5 passes each (other work on a shared machine only ever adds time); then the slowest single
check. Then ours once more through the batch API (`s2s1.verifiers.math_batch.verify_answers`, worker
processes with a hard time limit), as checks per second per worker.

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
from s2s1.verifiers.math import MathVerifier
from s2s1.verifiers.math_batch import verify_answers
from s2s1.verifiers.math_latex import normalize

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


def run_both(all_cases: list[Case]) -> dict[str, tuple[list[str], list[float]]]:
    """Both verifiers on every case, alternating case by case so that load on a shared machine
    falls on both alike; each check timed on its own."""
    from math_verify import parse, verify

    ours = MathVerifier()
    golds: dict[str, object] = {}
    results: dict[str, tuple[list[str], list[float]]] = {"ours": ([], []), "math-verify": ([], [])}
    for _, gold, output, _ in all_cases:
        problem = Problem(id="p", source="bench", question="?", answer=gold)
        trace = Trace(problem_id="p", index=0, teacher="bench", prompt=[], response=output)
        start = time.perf_counter()
        outcome = ours.verify(problem, trace).outcome
        results["ours"][1].append(time.perf_counter() - start)
        results["ours"][0].append(outcome)

        start = time.perf_counter()
        try:
            if gold is None:
                ok = False
            else:
                if gold not in golds:
                    golds[gold] = parse(f"${gold}$" if not gold.strip().isdigit() else gold)
                ok = bool(verify(golds[gold], parse(output)))
        except Exception:  # math-verify raises on some inputs; count it as a wrong verdict
            ok = False
        results["math-verify"][1].append(time.perf_counter() - start)
        results["math-verify"][0].append("correct" if ok else "incorrect")
    return results


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
        chosen = [c for c in all_cases if c[0].startswith(prefixes)]
        best = {n: min(t) for n, t in timed_passes(chosen).items()}
        rates = [len(chosen) / best[n] for n in names]
        print(f"{style:34} " + " ".join(f"{r:>14.0f}" for r in rates) + f" {rates[0] / rates[1]:>7.1f}x")
    slowest = [max(results[n][1]) for n in names]
    print(f"{'slowest single check, s':34} " + " ".join(f"{s:>14.3f}" for s in slowest))
    batch(all_cases, results["ours"][0], workers)
    rate = len(all_cases) / sum(results["ours"][1])
    print(f"(in this process, the same {len(all_cases)} cases: {rate:.0f} checks/s)")


def timed_passes(chosen: list[Case], repeats: int = 5) -> dict[str, list[float]]:
    """Seconds per whole pass over `chosen`, `repeats` passes each, the two tools alternating.

    The best pass is the figure (as `timeit` advises): on a shared machine, other work only
    ever adds time. Golds stay cached between passes for both tools.
    """
    from math_verify import parse, verify

    ours, golds = MathVerifier(), {}
    inputs = [
        (
            Problem(id="p", source="b", question="?", answer=g),
            Trace(problem_id="p", index=0, teacher="b", prompt=[], response=o),
        )
        for _, g, o, _ in chosen
    ]
    passes: dict[str, list[float]] = {"ours": [], "math-verify": []}
    for _ in range(repeats):
        start = time.perf_counter()
        for problem, trace in inputs:
            ours.verify(problem, trace)
        passes["ours"].append(time.perf_counter() - start)
        start = time.perf_counter()
        for _, gold, output, _ in chosen:
            try:
                if gold is not None:
                    if gold not in golds:
                        golds[gold] = parse(f"${gold}$" if not gold.strip().isdigit() else gold)
                    verify(golds[gold], parse(output))
            except Exception:
                pass
        passes["math-verify"].append(time.perf_counter() - start)
    return passes


def batch(all_cases: list[Case], outcomes: list[str], workers: int) -> None:
    pairs = [(gold, output) for _, gold, output, _ in all_cases]
    start = time.perf_counter()
    verdicts, first = [], 0.0
    for v in verify_answers(pairs, workers=workers, timeout_s=5.0):
        first = first or time.perf_counter()
        verdicts.append(v)
    end = time.perf_counter()
    same = sum(v.outcome == o for v, o in zip(verdicts, outcomes, strict=True))
    over = sum(v.outcome == "unverifiable" and "TimeoutError" in (v.detail or "") for v in verdicts)
    print(
        f"batch API, {workers} worker processes: {(len(pairs) - 1) / (end - first) / workers:.0f} checks/s "
        f"per worker after a start-up of {first - start:.1f} s; {same}/{len(pairs)} verdicts as in-process; "
        f"{over} checks over the 5 s limit; slowest check {max(v.elapsed_s or 0 for v in verdicts):.3f} s"
    )


def _right(outcome: str, expected: str) -> bool:
    return outcome == expected  # math-verify has no `unverifiable`: its False on a missing gold counts wrong


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=10_000, help="at most this many rows per data set")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="workers for the batch API")
    args = ap.parse_args()
    all_cases = cases(args.limit)
    results = run_both(all_cases)
    report(all_cases, results, args.workers)


if __name__ == "__main__":
    main()
