"""The quickstart student over several training seeds, own loop and TRL, against its untrained self.

One quickstart run is a single draw: its student's accuracy on 16 held-out problems moves by
±0.1 from one training seed to the next. This script takes a finished quickstart run folder
(`s2s1 quickstart --no-ablate`), and for each backend and seed trains and evaluates a student on
that run's own exported dataset, in a folder of its own (`s2s1 run configs/quickstart.yaml
--stages train,evaluate --set train.backend=B --set train.seed=S`), so every student sees the
same rows and the same held-out problems with the same evaluation seed. It prints each student's
accuracy with its 95% interval and its paired difference to the untrained student of the run
(bootstrap over problems), then the same for the per-problem accuracy pooled over the seeds.

    .venv/bin/s2s1 quickstart --out runs/quickstart --no-ablate
    .venv/bin/python benchmarks/distill/seeds.py runs/quickstart --seeds 3

It does not generate, verify or filter anything; the students' folders go under
`RUN_DIR/seeds/`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from s2s1.stats import accuracy_ci, paired_difference

CONFIG = Path(__file__).parents[2] / "configs" / "quickstart.yaml"


def student(run: Path, backend: str, seed: int) -> dict[str, float]:
    """Per-problem accuracy of the student trained with `backend` and `seed` on `run`'s dataset."""
    work = run / "seeds" / f"{backend}-s{seed}"
    if not (work / "metrics.json").exists():
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        for part in ("dataset", "problems"):
            shutil.copytree(run / part, work / part)
        overrides = [f"train.backend={backend}", f"train.seed={seed}", "evaluate.models=[student]"]
        cmd = [str(Path(sys.executable).parent / "s2s1"), "run", str(CONFIG), "--out", str(work),
               "--stages", "train,evaluate", *[a for o in overrides for a in ("--set", o)]]  # fmt: skip
        subprocess.run(cmd, check=True, capture_output=True)
    return json.loads((work / "metrics.json").read_text())["evaluate"]["student"]["per_problem"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run", type=Path, help="a finished quickstart run folder")
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    untrained = json.loads((args.run / "metrics.json").read_text())["evaluate"]["student_untrained"]
    base = untrained["per_problem"]
    print(f"untrained student: {untrained['accuracy']:.3f} {untrained['ci95']}  ({len(base)} problems)")
    for backend in ("own", "trl"):
        runs = [student(args.run, backend, seed) for seed in range(args.seeds)]
        for seed, r in enumerate(runs):
            acc, ci = accuracy_ci([r[p] for p in base])
            diff, dci = paired_difference(r, base)
            print(
                f"{backend} seed {seed}: {acc:.3f} [{ci[0]:.3f}, {ci[1]:.3f}]; "
                f"minus untrained {diff:+.3f} [{dci[0]:+.3f}, {dci[1]:+.3f}]"
            )
        pooled = {p: sum(r[p] for r in runs) / len(runs) for p in base}
        acc, ci = accuracy_ci(list(pooled.values()))
        diff, dci = paired_difference(pooled, base)
        print(
            f"{backend} pooled over {len(runs)} seeds: {acc:.3f} [{ci[0]:.3f}, {ci[1]:.3f}]; "
            f"minus untrained {diff:+.3f} [{dci[0]:+.3f}, {dci[1]:+.3f}]"
        )


if __name__ == "__main__":
    main()
