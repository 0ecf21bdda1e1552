"""Issue 24's maths check: our verifier against math-verify on the issue-24 and issue-18 corpora.

Cases: the issue-24 corpus (`corpus2/`, 156 labelled pairs from public graders' tests and an
answer-judge set, and 56 hand-written for issue 24 part 3; see `corpus2_build.py`) and the
hand-written pairs of the issue-18 corpus (`corpus/`), each in its tuning and test half. Both
tools run in this process on the same rows, alternating case by case, as `run.py` runs them
(math-verify as its README shows, the parsed gold cached; on the issue-24 corpus, whose answers
are mostly bare final answers, an answer without `$`, `\\[`, `\\(` or a box goes in `$…$` too,
which is math-verify's stronger form there). Printed: accuracy per category for each
half and tool, false positives (said correct, labelled incorrect) and false negatives over both
halves, the same by part (equivalence pairs, mismatched pairs), then throughput on the same rows
(best of 5 whole passes each, the two alternating) and the ratio.

Usage: .venv/bin/python benchmarks/math_verify/run_issue24.py [--misses tune|test] [--no-speed]
(needs math-verify: pip install -e '.[bench]'). It does not measure memory.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from corpus import Case, hand_cases  # noqa: E402
from run import NAMES, run_both, table, timed_passes  # noqa: E402


def issue24_cases() -> list[Case]:
    return hand_cases("corpus2", kind="category")


def part(case: Case) -> str:
    return "mismatched pairs (must be incorrect)" if case[4] == "incorrect" else "equivalence pairs"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--misses", choices=["tune", "test"], help="list both tools' wrong verdicts in this half")
    ap.add_argument("--no-speed", action="store_true", help="skip the throughput passes")
    args = ap.parse_args()
    corpora = (
        ("issue-24 corpus", issue24_cases(), True),
        ("issue-18 corpus (hand-written)", hand_cases(), False),
    )
    for name, cases, wrap in corpora:
        results = run_both(cases, wrap)
        outcomes = {n: results[n][0] for n in NAMES}
        print(f"{name}, by category (accuracy per half; FP/FN over both halves):")
        table(cases, outcomes, key=lambda c: c[1])
        print(f"{name}, by part:")
        table(cases, outcomes, key=part)
        if not args.no_speed:
            best = timed_passes(cases, wrap=wrap)
            rates = [len(cases) / best[n] for n in NAMES]
            print(
                f"throughput on these {len(cases)} rows, checks/s on one core: ours {rates[0]:.0f}, "
                f"math-verify {rates[1]:.0f}, ratio {rates[0] / rates[1]:.1f}x\n"
            )
        if args.misses:
            for i, (h, cat, gold, output, expected) in enumerate(cases):
                if h == args.misses and outcomes["ours"][i] != expected:
                    mv = outcomes["math-verify"][i]
                    print(
                        f"MISS [{cat}] gold={gold[:70]!r} output={output[-70:]!r} expected={expected} mv={mv}"
                    )
            print()


if __name__ == "__main__":
    main()
