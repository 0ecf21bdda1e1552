"""How the code verifier judges answers in the layouts models write, per layout and per half.

    .venv/bin/python benchmarks/code_layouts/run.py [--half tune|test|both] [--workers N] [--misses K]

The rows are `layouts.build_rows()`: each problem's known-right and known-wrong solutions and a
hostile program, each in every layout (see layouts.py). For each half (split.py, by problem id)
it prints one table: per layout, right answers judged `correct`, wrong ones judged `incorrect`,
traps judged `incorrect`; then up to `--misses` rows that went the other way, with the
verifier's detail. Checks run with `s2s1.verifiers.code_runner.check_code` (the bubblewrap jail,
all cores unless `--workers`). It writes nothing.
"""

from __future__ import annotations

import argparse
import logging
from collections import Counter, defaultdict

from layouts import build_rows

from s2s1.verifiers.code_runner import check_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=["tune", "test", "both"], default="both")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--misses", type=int, default=10)
    args = parser.parse_args()
    logging.getLogger("s2s1.verifiers").setLevel(logging.ERROR)
    rows = [r for r in build_rows() if args.half in ("both", r.half)]
    verdicts = list(check_code([(r.problem, _trace(r)) for r in rows], workers=args.workers))
    for name in ("tune", "test"):
        picked = [(r, v) for r, v in zip(rows, verdicts, strict=True) if r.half == name]
        if picked:
            _table(name, picked, args.misses)


def _trace(row):
    from s2s1.records import Trace

    return Trace(problem_id=row.problem.id, index=0, teacher="layouts", prompt=[], response=row.response)


def _table(name: str, picked: list, misses: int) -> None:
    good: defaultdict[str, Counter[str]] = defaultdict(Counter)
    total: defaultdict[str, Counter[str]] = defaultdict(Counter)
    wrong = []
    for row, verdict in picked:
        total[row.layout][row.kind] += 1
        if verdict.outcome == row.expected:
            good[row.layout][row.kind] += 1
        else:
            wrong.append((row, verdict))
    problems = len({r.problem.id for r, _ in picked})
    print(f"\n{name} half: {problems} problems, {len(picked)} rows")
    print("| layout | right → correct | wrong → incorrect | traps → incorrect |")
    print("| --- | ---: | ---: | ---: |")
    layouts = list(dict.fromkeys(r.layout for r, _ in picked)) + ["all layouts"]
    for kind in ("right", "wrong", "trap"):
        good["all layouts"][kind] = sum(good[x][kind] for x in layouts[:-1])
        total["all layouts"][kind] = sum(total[x][kind] for x in layouts[:-1])
    for layout in layouts:
        cells = [
            f"{good[layout][k]}/{total[layout][k]}" if total[layout][k] else "–"
            for k in ("right", "wrong", "trap")
        ]
        print(f"| {layout} | {' | '.join(cells)} |")
    for row, verdict in wrong[:misses]:
        print(
            f"  miss: {row.problem.id} {row.layout} {row.kind} -> {verdict.outcome}: {verdict.detail[:200]}"
        )


if __name__ == "__main__":
    main()
