"""Time the cyclic garbage collector takes inside each stage of one flow, with and without the freeze.

`pipeline()` runs each stage with the objects alive before it frozen (`gc.freeze`, flows/
pipeline.py), so the collector, which a stage's allocations run thousands of times, does not
walk the ~300k objects of the imported libraries each time. This runs CONFIG's generate and
verify stages in one flow (as `s2s1 run` does) into a fresh OUT folder and prints, per stage,
its wall time, the CPU seconds of this process, the wall time spent in collections and their
number, and the objects the collector tracks. `--no-freeze` runs the stages unfrozen (the code
before the freeze). Wall times on a shared machine move with its load; collection time, CPU
seconds and counts move less.

Example:
    python -m benchmarks.scale.gc_stages CONFIG /tmp/gc-run            # frozen (as shipped)
    python -m benchmarks.scale.gc_stages CONFIG /tmp/gc-run --no-freeze
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import shutil
import time
from pathlib import Path
from typing import Any

import s2s1.flows.pipeline as pipeline
from s2s1.config import load_config
from s2s1.flows.server import prefect_server


class Collections:
    """Wall time and number of the collector's runs, from `gc.callbacks`."""

    def __init__(self) -> None:
        self.seconds, self.count, self._start = 0.0, 0, 0.0
        gc.callbacks.append(self)

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds, self.count = self.seconds + time.perf_counter() - self._start, self.count + 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("config", type=Path)
    parser.add_argument("out", type=Path, help="a run folder to (re)create")
    parser.add_argument("--no-freeze", action="store_true", help="run the stages unfrozen")
    args = parser.parse_args()
    if args.no_freeze:
        pipeline._heap_frozen = contextlib.nullcontext  # type: ignore[assignment]
    shutil.rmtree(args.out, ignore_errors=True)
    collections, last = Collections(), [time.process_time(), 0.0, 0]
    write_timing = pipeline.write_timing

    def report(run_dir: Path, stage: str, seconds: float) -> None:
        cpu = time.process_time()
        print(
            f"{stage}: wall {seconds:.1f} s, process CPU {cpu - last[0]:.1f} s, collections "
            f"{collections.seconds - last[1]:.1f} s in {collections.count - last[2]}, "
            f"{len(gc.get_objects())} objects tracked",
            flush=True,
        )
        last[:] = [cpu, collections.seconds, collections.count]
        write_timing(run_dir, stage, seconds)

    pipeline.write_timing = report  # type: ignore[assignment]
    with prefect_server():
        pipeline.pipeline(load_config(args.config), args.out, ["generate", "verify"])


if __name__ == "__main__":
    main()
