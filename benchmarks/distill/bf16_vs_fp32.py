"""The own training loop in fp32 against bf16 autocast (`train.bf16`), same data, model and steps.

Both train the LoRA student of train_vs_trl.py (rank 16, every linear layer; 8 steps of batch 8 over
the same 64 GSM8K chats, AdamW at 1e-3, max length 384) on one model, once with `bf16: false`
(fp32 throughout) and once with `bf16: true` (fp32 weights and optimizer, the forward pass in bf16
autocast). On a CPU with AMX tiles bf16 matmuls run on the tile unit, which is what `bf16: null`
picks there. Each run is its own process; runs alternate `--repeats` times and medians are
compared, because these machines are shared and noisy. It reports tokens per second through the
step loop and the mean loss of the last 4 steps (the two precisions should learn alike).

Run:  .venv/bin/python benchmarks/distill/bf16_vs_fp32.py [--model qwen2.5-coder-0.5b] [--repeats 2]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_vs_trl import train_ours  # noqa: E402


def one(model_name: str, bf16: bool) -> None:
    from s2s1.generators.embedded import resolve_model

    with tempfile.TemporaryDirectory() as tmp:
        result = train_ours(resolve_model(model_name), Path(tmp), backend="own", bf16=bf16)
    print(
        json.dumps(
            {"tokens_per_s": result.tokens_per_second, "last_loss": statistics.mean(result.losses[-4:])}
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="embedded")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--one", choices=["fp32", "bf16"])
    args = parser.parse_args()
    if args.one:
        return one(args.model, args.one == "bf16")
    results: dict[str, list[dict]] = {"fp32": [], "bf16": []}
    for _ in range(args.repeats):
        for kind in results:
            cmd = [sys.executable, __file__, "--one", kind, "--model", args.model]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
            results[kind].append(json.loads(out.strip().splitlines()[-1]))
    med = {
        k: {m: statistics.median(r[m] for r in v) for m in ("tokens_per_s", "last_loss")}
        for k, v in results.items()
    }
    print(f"{args.model}, own loop, median of {args.repeats} alternating runs")
    print(f"{'':6}{'tokens/s':>10}{'last loss':>11}")
    for kind, m in med.items():
        print(f"{kind:6}{m['tokens_per_s']:>10.0f}{m['last_loss']:>11.3f}")
    print(f"ratio bf16/fp32: speed {med['bf16']['tokens_per_s'] / med['fp32']['tokens_per_s']:.2f}x")


if __name__ == "__main__":
    main()
