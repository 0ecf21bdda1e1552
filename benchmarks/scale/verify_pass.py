"""The verify stage's pass against `s2s1 verify`'s on the same traces, in one process: wall and CPU.

On a shared machine the wall time of two commands run minutes apart moves by 2× or more (the
verify/CLI ratios of benchmarks/scale/run.py at 8k read 0.88–4.83 on the same code), while the
CPU seconds they use barely move. This runs, on the traces/ folder of a run, in turn and `--rounds`
times over:

- `one pass`: the stage's code, `verify_shard_files` over every shard with one pool;
- `pass per shard`: the same, one shard at a time through a shared pool (the stage before it
  went through all its shards in one pass);
- `rows`: `verify_rows` over the same records as flat rows, written to one file (`s2s1 verify`
  without its start-up);

and prints for each its wall time, the CPU seconds of this process (and per trace) and of its
(finished) verifier workers. Each runs with the objects alive before it frozen, as `s2s1 run`
runs a stage (`_heap_frozen`, flows/pipeline.py), and Prefect is imported only where it is used,
so the spawned workers start as they do under `s2s1 run` (importing their parent's main module;
this one's top level imports no Prefect). Outputs go to a scratch folder; the run folder is only
read.

Example:
    python -m s2s1.flows run CONFIG --out /tmp/vprof/run --stages generate
    python -m benchmarks.scale.verify_pass /tmp/vprof/run CONFIG --rounds 3
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from s2s1.config import Config, load_config
from s2s1.records import Record
from s2s1.shards import read_models
from s2s1.verifiers import VerifierPool, load_verifiers, verify_rows


def _pool(cfg: Config) -> VerifierPool:
    verifiers = load_verifiers(cfg.verify.verifiers)
    return VerifierPool(verifiers, workers=cfg.verify.workers, timeout_s=cfg.verify.timeout_s)


def one_pass(cfg: Config, run: Path, names: list[str]) -> None:
    from s2s1.flows.shard_tasks import verify_shard_files

    with _pool(cfg) as pool:
        for _ in verify_shard_files(cfg, run, names, pool):
            pass


def pass_per_shard(cfg: Config, run: Path, names: list[str]) -> None:
    from s2s1.flows.shard_tasks import verify_shard_files

    with _pool(cfg) as pool:
        for name in names:
            next(verify_shard_files(cfg, run, [name], pool))


def rows(cfg: Config, run: Path, names: list[str]) -> None:
    flat = []
    for name in names:
        for r in read_models(run / "traces" / name, Record):
            p, t = r.problem, r.trace
            think = f"<think>{t.reasoning}</think>" if t.reasoning else ""
            row = {"id": p.id, "domain": p.domain, "question": p.question, "answer": p.answer}
            flat.append((len(flat) + 1, {**row, "completion": think + t.response}))
    verifiers = load_verifiers(cfg.verify.verifiers)
    with (run / "rows.out.jsonl").open("w") as f:
        for row in verify_rows(flat, verifiers, timeout_s=cfg.verify.timeout_s, workers=cfg.verify.workers):
            f.write(json.dumps(row) + "\n")


def timed(path: Callable[[Config, Path, list[str]], None], cfg: Config, src: Path) -> str:
    """Run `path` on a fresh copy of src/traces, heap frozen; its wall time and CPU seconds."""
    from s2s1.flows.pipeline import _heap_frozen

    run = Path(tempfile.mkdtemp(prefix="verify-pass-"))
    shutil.copytree(src / "traces", run / "traces")
    names = [p.name for p in sorted((run / "traces").glob("shard-*.jsonl"))]
    traces = sum(1 for name in names for _ in (run / "traces" / name).open("rb"))
    with _heap_frozen():
        before, start = _cpu(), time.perf_counter()
        path(cfg, run, names)
        wall, cpu = time.perf_counter() - start, [b - a for a, b in zip(before, _cpu(), strict=True)]
    shutil.rmtree(run)
    per_trace = f"{1e6 * cpu[0] / max(traces, 1):4.0f} us/trace"
    return f"wall {wall:6.2f} s  cpu: this process {cpu[0]:5.2f} s ({per_trace}), workers {cpu[1]:5.2f} s"


def _cpu() -> list[float]:
    """CPU seconds (user + system) of this process and of its children that have exited."""
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return [u.ru_utime + u.ru_stime for u in usage]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", type=Path, help="a run folder with traces/")
    parser.add_argument("config", type=Path, help="its config (verify.workers, timeout_s)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    cfg = load_config(args.config)
    traces = sum(1 for s in (args.run / "traces").glob("shard-*.jsonl") for _ in s.open())
    print(f"{traces} traces in {len(list((args.run / 'traces').glob('shard-*.jsonl')))} shards")
    for n in range(args.rounds):
        for label, path in (("one pass", one_pass), ("pass per shard", pass_per_shard), ("rows", rows)):
            print(f"round {n} {label:<15} {timed(path, cfg, args.run)}", flush=True)


if __name__ == "__main__":
    main()
