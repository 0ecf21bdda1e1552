"""Our maths verifier against huggingface's math-verify, side by side on the same cases.

Cases:
- the issue-18 corpus (`corpus.py`): hand-written pairs from other graders' test suites and
  issue trackers, GSM8K held-out reference solutions in six answer styles, MATH-500 solutions
  restyled or with a boxed gold; every case is in the tuning half or the test half, fixed
  before the verifier was tuned on the first;
- the in-repo sets, as before: every MATH-500 and GSM8K reference solution in `data/` against its
  own gold and another problem's gold, and the regression table of
  `tests/verifiers/test_ver_math_table.py` (these were the tuning set of earlier versions).

Accuracy: both run in this process, one check at a time, alternating case by case: math-verify
as its README shows, `verify(parse(gold), parse(answer))` (gold put in `$…$` unless it has
delimiters or a box already, or is digits), with the parsed gold cached like ours (a stronger
baseline than re-parsing it every time); ours as `MathVerifier().verify`. One row per category:
accuracy on the tuning half and the test half for each tool, and false positives (said
correct, should not) and false negatives (should be correct, was not) over both halves; then
the same by part (the four parts of issue 18). Throughput per core by answer style: whole passes
over each style's cases, the two tools alternating, the best of 5 passes each (other work on a
shared machine only ever adds time); then the slowest single check. Then ours once more through
the batch API (`s2s1.verifiers.math_batch.verify_answers`, worker processes with a hard time
limit), as checks per second per worker.

Usage: .venv/bin/python benchmarks/math_verify/run.py [--limit N] [--workers W] [--misses]
(needs the `bench` extra: pip install -e '.[bench]'). It does not measure memory.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import Case, all_cases  # noqa: E402
from in_repo import in_repo_cases  # noqa: E402

from s2s1.records import Problem, Trace  # noqa: E402
from s2s1.verifiers.math import MathVerifier  # noqa: E402
from s2s1.verifiers.math_batch import verify_answers  # noqa: E402

NAMES = ("ours", "math-verify")
_DELIMITED = re.compile(r"(?<!\\)\$|\\\[|\\\(|\\boxed")


def mv_gold(gold: str) -> str:
    """The gold as math-verify's README feeds it: in `$…$` unless delimited already or digits."""
    return gold if _DELIMITED.search(gold) or gold.strip().isdigit() else f"${gold}$"


def run_both(cases: list[Case], wrap: bool = False) -> dict[str, tuple[list[str], list[float]]]:
    """Both verifiers on every case, alternating case by case so that load on a shared machine
    falls on both alike; each check timed on its own. `wrap`: the answers are bare final answers,
    so math-verify gets them in `$…$` as it gets the gold (its README's form)."""
    from math_verify import parse, verify

    ours = MathVerifier()
    golds: dict[str, object] = {}
    results: dict[str, tuple[list[str], list[float]]] = {n: ([], []) for n in NAMES}
    for _, _, gold, output, _ in cases:
        problem = Problem(id="p", source="bench", question="?", answer=gold)
        trace = Trace(problem_id="p", index=0, teacher="bench", prompt=[], response=output)
        start = time.perf_counter()
        outcome = ours.verify(problem, trace).outcome
        results["ours"][1].append(time.perf_counter() - start)
        results["ours"][0].append(outcome)
        start = time.perf_counter()
        try:
            if gold not in golds:
                golds[gold] = parse(mv_gold(gold))
            ok = bool(verify(golds[gold], parse(mv_gold(output) if wrap else output)))
        except Exception:  # math-verify raises on some inputs; count it as a wrong verdict
            ok = False
        results["math-verify"][1].append(time.perf_counter() - start)
        results["math-verify"][0].append("correct" if ok else "incorrect")
    return results


def part_of(category: str, expected: str) -> str:
    if category.startswith("in-repo"):
        return "in-repo sets (earlier tuning)"
    if category.endswith("other gold"):
        return "mismatched golds (must be incorrect)"
    if category.startswith(("GSM8K", "MATH-500")):
        return "reference solutions (must be correct)"
    if expected == "incorrect":
        return "mismatched pairs (must be incorrect)"
    return "extraction from completions" if category == "extraction" else "equivalence pairs"


def table(cases: list[Case], outcomes: dict[str, list[str]], key) -> None:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(cases):
        groups[key(c)].append(i)
    head = "".join(f" {n[:11] + ' tune':>16} {n[:11] + ' test':>16} {'FP':>3} {'FN':>3}" for n in NAMES)
    print(f"{'':38} {'tune':>5} {'test':>5}{head}")
    for name, idx in [*groups.items(), ("all", list(range(len(cases))))]:
        cells = []
        halves = {h: [i for i in idx if cases[i][0] in (h, "in-repo")] for h in ("tune", "test")}
        for n in NAMES:
            out = outcomes[n]
            for h in ("tune", "test"):
                ids = halves[h] if cases[idx[0]][0] != "in-repo" or h == "tune" else []
                acc = sum(out[i] == cases[i][4] for i in ids) / len(ids) if ids else float("nan")
                cells.append(f"{acc:>16.3f}" if ids else f"{'':>16}")
            fp = sum(out[i] == "correct" and cases[i][4] != "correct" for i in idx)
            fn = sum(out[i] != "correct" and cases[i][4] == "correct" for i in idx)
            cells.append(f" {fp:>3} {fn:>3}")
        n_tune = sum(cases[i][0] in ("tune", "in-repo") for i in idx)
        n_test = sum(cases[i][0] == "test" for i in idx)
        print(f"{name[:38]:38} {n_tune:>5} {n_test:>5}" + "".join(cells))
    print()


def timed_passes(chosen: list[Case], repeats: int = 5, wrap: bool = False) -> dict[str, float]:
    """Best seconds per whole pass over `chosen` for each tool, the two alternating (see above)."""
    from math_verify import parse, verify

    ours, golds = MathVerifier(), {}
    inputs = [
        (
            Problem(id="p", source="b", question="?", answer=g),
            Trace(problem_id="p", index=0, teacher="b", prompt=[], response=o),
        )
        for _, _, g, o, _ in chosen
    ]
    best = {n: float("inf") for n in NAMES}
    for _ in range(repeats):
        start = time.perf_counter()
        for problem, trace in inputs:
            ours.verify(problem, trace)
        best["ours"] = min(best["ours"], time.perf_counter() - start)
        start = time.perf_counter()
        for _, _, gold, output, _ in chosen:
            try:
                if gold not in golds:
                    golds[gold] = parse(mv_gold(gold))
                verify(golds[gold], parse(mv_gold(output) if wrap else output))
            except Exception:
                pass
        best["math-verify"] = min(best["math-verify"], time.perf_counter() - start)
    return best


def speed(cases: list[Case], results: dict[str, tuple[list[str], list[float]]]) -> None:
    styles = {
        "hand-written pairs": lambda c: not c[1].startswith(("GSM8K", "MATH-500", "in-repo")),
        "GSM8K-style": lambda c: "GSM8K" in c[1],
        "MATH-500-style": lambda c: "MATH-500" in c[1],
        "all": lambda c: True,
    }
    print(f"{'throughput, checks/s per core':38} " + " ".join(f"{n:>14}" for n in NAMES) + f" {'ratio':>8}")
    for style, pick in styles.items():
        chosen = [c for c in cases if pick(c)]
        best = timed_passes(chosen, repeats=5 if style != "all" else 1)
        rates = [len(chosen) / best[n] for n in NAMES]
        print(f"{style:38} " + " ".join(f"{r:>14.0f}" for r in rates) + f" {rates[0] / rates[1]:>7.1f}x")
    print(f"{'slowest single check, s':38} " + " ".join(f"{max(results[n][1]):>14.3f}" for n in NAMES))


def batch(cases: list[Case], outcomes: list[str], workers: int) -> None:
    pairs = [(gold, output) for _, _, gold, output, _ in cases]
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


def misses(cases: list[Case], outcomes: dict[str, list[str]], half: str) -> None:
    for i, (h, cat, gold, output, expected) in enumerate(cases):
        if h == half and outcomes["ours"][i] != expected:
            print(f"MISS {cat}: gold={gold[:60]!r} output={output[-90:]!r} expected={expected}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=10_000, help="at most this many rows per data set")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="workers for the batch API")
    ap.add_argument("--misses", choices=["tune", "test"], help="list our wrong verdicts in this half")
    ap.add_argument("--accuracy-only", action="store_true", help="skip the throughput and batch runs")
    args = ap.parse_args()
    corpus = all_cases(args.limit)
    cases = corpus + in_repo_cases(args.limit)
    results = run_both(cases)
    outcomes = {n: results[n][0] for n in NAMES}
    print("issue-18 corpus and in-repo sets, by category (accuracy; FP/FN over both halves):")
    table(cases, outcomes, key=lambda c: c[1])
    print("by part:")
    table(cases, outcomes, key=lambda c: part_of(c[1], c[4]))
    if not args.accuracy_only:
        speed(corpus, results)
        batch(cases, outcomes["ours"], args.workers)
    if args.misses:
        misses(cases, outcomes, args.misses)


if __name__ == "__main__":
    main()
