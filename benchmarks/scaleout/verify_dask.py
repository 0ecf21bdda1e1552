"""Verify + filter throughput: the pipeline's local path against the Dask path, same input, one run.

    .venv/bin/python benchmarks/scaleout/verify_dask.py [--samples 8] [--dask-workers 2]

Traces come from the fake teacher (design §8) over the shipped GSM8K and MATH-500 slices
(200 problems, all but the held-out quarter, × `--samples`), so the checks are the real math
verifier's on real gold answers. The local path is `pipeline(stages=["verify", "filter"])`:
shards one after another, each verified by `verify.workers` processes. The Dask path is
`verify_filter_dask` on a `LocalCluster` of `--dask-workers` processes, each running whole
shards (with the same `verify.workers` pool inside). Both run under one temporary Prefect
server. The script prints traces per second for each, their ratio, and whether every verdict
and every filter decision agree; the local path runs again after Dask, to expose warm-up. On a
2-core machine expect little speed-up: the point of the Dask path is adding machines.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="s2s1-bench-prefect-"))
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=8, help="samples per problem")
    parser.add_argument("--shard-size", type=int, default=16, help="problems per shard")
    parser.add_argument("--verify-workers", type=int, default=2, help="verifier processes per shard")
    parser.add_argument("--dask-workers", type=int, default=2, help="Dask worker processes")
    args = parser.parse_args()

    from prefect.testing.utilities import prefect_test_harness

    from s2s1.config import Config
    from s2s1.flows.dask_stages import verify_filter_dask
    from s2s1.flows.pipeline import pipeline

    cfg = Config.model_validate(
        {
            "name": "bench-scaleout",
            "problems": {"sources": [{"builtin": "gsm8k"}, {"builtin": "math500"}]},
            "generate": {
                "backend": "fake",
                "model": "fake",
                "shard_size": args.shard_size,
                "sampling": {"n": args.samples},
            },
            "verify": {"workers": args.verify_workers},
        }
    )
    root = Path(tempfile.mkdtemp(prefix="s2s1-bench-scaleout-"))
    local, dask, again = root / "local", root / "dask", root / "local-again"
    with prefect_test_harness(server_startup_timeout=120):
        pipeline(cfg, run_dir=local, stages=["generate"])
        for copy in (dask, again):
            for name in ("traces", "problems"):
                shutil.copytree(local / name, copy / name)
            shutil.copy(local / "manifest.json", copy / "manifest.json")
        start = time.perf_counter()
        pipeline(cfg, run_dir=local, stages=["verify", "filter"])
        local_s = time.perf_counter() - start
        start = time.perf_counter()
        metrics = verify_filter_dask(cfg, dask, workers=args.dask_workers)
        dask_s = time.perf_counter() - start
        start = time.perf_counter()  # the local path once more, after Dask: warm-up shows as a gap
        pipeline(cfg, run_dir=again, stages=["verify", "filter"])
        again_s = time.perf_counter() - start
    traces = metrics["generate"]["traces"]
    shards = len(list((local / "traces").glob("shard-*.jsonl")))
    agree = _same_outcomes(local, dask)
    print(f"{traces} traces in {shards} shards; verify.workers={args.verify_workers}; {os.cpu_count()} CPUs")
    print(f"{'path':<44} {'seconds':>8} {'traces/s':>9}")
    print(f"{'local (pipeline, shards in sequence)':<44} {local_s:>8.1f} {traces / local_s:>9.1f}")
    print(f"{f'dask (LocalCluster, {args.dask_workers} workers)':<44} {dask_s:>8.1f} {traces / dask_s:>9.1f}")
    print(f"{'local again (after dask)':<44} {again_s:>8.1f} {traces / again_s:>9.1f}")
    best_local = min(local_s, again_s)
    print(
        f"dask / faster local throughput: {best_local / dask_s:.2f}x; "
        f"verdicts and decisions identical: {agree}"
    )
    shutil.rmtree(root)


def _same_outcomes(a: Path, b: Path) -> bool:
    from s2s1.flows.metrics import read_records

    for stage in ("verified", "filtered", "rejected"):
        left = {r.key: r for r in read_records(a, stage)}
        right = {r.key: r for r in read_records(b, stage)}
        if left.keys() != right.keys():
            return False
        for key, record in left.items():
            other = right[key]
            if record.decisions != other.decisions:
                return False
            for name, verdict in record.verdicts.items():
                if verdict.model_dump(exclude={"elapsed_s"}) != other.verdicts[name].model_dump(
                    exclude={"elapsed_s"}
                ):
                    return False
    return True


if __name__ == "__main__":
    main()
