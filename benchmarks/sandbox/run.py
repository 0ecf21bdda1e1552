"""Sandboxed vs plain-subprocess throughput of the code verifier, side by side, on the same checks.

    .venv/bin/python benchmarks/sandbox/run.py [--rounds 1] [--threads N]

The checks are the code evaluation set (eval_set.py): every reference solution and every wrong
solution of HumanEval, MBPP, APPS, LiveCodeBench, Codeforces and CodeContests problems. Both
modes run the same verifier, harness and interpreter; the baseline (named in the table) skips
only the bubblewrap jail — `S2S1_UNSAFE_NO_SANDBOX=1`, i.e. a plain `subprocess` per test, the
way unsandboxed harnesses run code. The modes alternate round by round so that load from
other work on the machine falls on both. Checks run on `--threads` threads (default: all cores;
each check waits on its own subprocesses). It prints checks/second for each mode, the overhead
ratio (sandboxed time / plain time per check; target < 2), and the accuracy counts of both
(reference solutions `correct`, wrong ones `incorrect`).
"""

from __future__ import annotations

import argparse
import logging
import os
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from eval_set import load_eval_set, trace_for

from s2s1.verifiers.code import CodeVerifier
from s2s1.verifiers.sandbox import OPT_OUT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    logging.getLogger("s2s1.verifiers.sandbox").setLevel(logging.ERROR)  # the opt-out warns per jail
    logging.getLogger("s2s1.verifiers.code").setLevel(logging.ERROR)

    checks = []
    for case in load_eval_set():
        checks += [(case.problem, trace_for(case.problem, c), "correct") for c in case.right]
        checks += [(case.problem, trace_for(case.problem, c), "incorrect") for c in case.wrong]
    verifier = CodeVerifier()
    load = os.getloadavg()[0]
    seconds: Counter[str] = Counter()
    tallies: dict[str, Counter[str]] = {}
    modes = {"bubblewrap jail (ours)": "0", "plain subprocess (baseline)": "1"}
    for _ in range(args.rounds):
        for mode, opt_out in modes.items():
            os.environ[OPT_OUT] = opt_out
            start = time.perf_counter()
            with ThreadPoolExecutor(args.threads) as pool:
                verdicts = list(pool.map(lambda c: verifier.verify(c[0], c[1]), checks))
            seconds[mode] += time.perf_counter() - start
            tallies[mode] = Counter(
                "right" if v.outcome == want else f"wrong:{want}->{v.outcome}"
                for (_, _, want), v in zip(checks, verdicts, strict=True)
            )
    os.environ.pop(OPT_OUT)

    n = len(checks) * args.rounds
    print(f"{len(checks)} checks (eval set) x {args.rounds} round(s), {args.threads} threads, ", end="")
    print(f"{os.cpu_count()} cores, load average before {load:.1f}")
    print("| mode | checks/s | ms/check | verdicts as expected |")
    print("| --- | ---: | ---: | ---: |")
    for mode in modes:
        t = tallies[mode]
        rate, ms = n / seconds[mode], 1000 * seconds[mode] / n
        print(f"| {mode} | {rate:.1f} | {ms:.1f} | {t['right']}/{len(checks)} |")
    jail, plain = (seconds[m] for m in modes)
    print(f"\noverhead of the jail: {jail / plain:.2f}x per check (target < 2x)")
    for mode in modes:
        misses = {k: v for k, v in tallies[mode].items() if k != "right"}
        if misses:
            print(f"{mode}: unexpected verdicts {misses}")


if __name__ == "__main__":
    main()
