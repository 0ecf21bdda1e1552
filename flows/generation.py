"""The generate stage as plain functions, and a way to run it without Prefect.

`strategy_functions(cfg)` gives the strategies what they need from other stages: the adaptive
strategy verifies each round with the run's verifiers, the majority strategy votes with the
math verifier's answer extraction. `generate_all(cfg, run_dir)` draws every missing traces shard
(`s2s1.generators.generate_shard_file`, journal included) in this process.

`python -m s2s1.flows.generation CONFIG --out RUN_DIR` runs only that, with no Prefect import. It is
for GPU nodes whose environment holds vLLM: vLLM and Prefect 3.8.8 cannot share one environment
(vLLM 0.32 pins fastapi<0.137, Prefect 3.8.8 needs fastapi>=0.139). The shards it writes are
the same files the Prefect flow writes, so `s2s1 run CONFIG --out RUN_DIR` afterwards skips
generation and carries on. (With Prefect on the GPU node, use `vllm serve` and the `openai`
backend instead; docs/scaling.md.)

This module does not verify, filter or train.

Example:
    $ python -m s2s1.flows.generation configs/quickstart.yaml --out runs/quickstart
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from s2s1.config import Config, load_config
from s2s1.errors import UserError
from s2s1.flows.manifest import prepare_problems
from s2s1.generators import Backend, build_generator, generate_shard_file
from s2s1.generators.strategies import Check, Vote
from s2s1.records import Record
from s2s1.shards import chunks, shard_path

__all__ = ["generate_all", "strategy_functions"]


def strategy_functions(cfg: Config) -> tuple[Check | None, Vote | None]:
    """(check, vote) for `cfg.generate.strategy`: only what the strategy uses, else None."""
    match cfg.generate.strategy.name:
        case "adaptive":
            from s2s1.verifiers import load_verifiers, verify

            verifiers = load_verifiers(cfg.verify.verifiers)

            def check(records: list[Record]) -> list[Record]:
                return list(
                    verify(records, verifiers, timeout_s=cfg.verify.timeout_s, workers=cfg.verify.workers)
                )

            return check, None
        case "majority":
            from s2s1.verifiers.math_vote import majority_answer

            return None, majority_answer
    return None, None


def generate_all(cfg: Config, run_dir: Path, backend: Backend | None = None) -> list[str]:
    """Draw every traces shard that is missing; return the names of the shards drawn."""
    train, _ = prepare_problems(cfg, run_dir)
    check, vote = strategy_functions(cfg)
    drawn = []
    for i, shard in enumerate(chunks(train, cfg.generate.shard_size)):
        path = shard_path(run_dir, "traces", i)
        if path.exists():
            continue
        backend = backend or build_generator(cfg.generate)
        start = time.perf_counter()
        records = generate_shard_file(path, shard, backend, cfg.generate, check, vote)
        seconds = time.perf_counter() - start
        tokens = sum(r.trace.num_tokens for r in records)
        print(f"{path}: {len(records)} traces, {tokens} tokens in {seconds:.0f} s", file=sys.stderr)
        drawn.append(path.name)
    return drawn


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m s2s1.flows.generation", description=__doc__.split("\n")[0]
    )
    parser.add_argument("config", type=Path)
    parser.add_argument("--out", type=Path, help="run folder (default: runs/<name>)")
    args = parser.parse_args(argv)
    from s2s1.flows.run_folder import lock, preflight, tidy

    try:
        cfg = load_config(args.config)
        preflight(cfg)
        out = args.out or Path("runs") / cfg.name
        with lock(out):  # as `s2s1 run`: one writer per run folder, killed writers' leftovers removed
            tidy(out)
            generate_all(cfg, out)
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"error: {e.filename}: {e.strerror}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
