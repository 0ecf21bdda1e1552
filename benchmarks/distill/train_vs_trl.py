"""Our training step against a plain TRL `SFTTrainer` on the same data, model and settings.

Both train LoRA (rank 16, alpha 32, every linear layer) on the embedded teacher (SmolLM2-135M,
fp32) for one epoch over the same 64 GSM8K chats (shipped slice: question → reference solution),
batch 8, AdamW at 1e-3 with linear decay, no warm-up, gradient clipping at 1.0, loss on the
answer only, max length 384. Each run is its own process, so its peak resident memory (ru_maxrss)
is its own; runs alternate ours/TRL `--repeats` times and the medians are compared, because these
machines are shared and noisy. Tokens per second counts non-padding tokens through the training
steps only (TRL: `train_runtime`; ours: the step loop), loading and saving excluded. TRL's
`SFTConfig` turns gradient checkpointing on by default; here it is off for both, or on for both
with `--checkpointing`.

Run:  .venv/bin/python benchmarks/distill/train_vs_trl.py [--repeats 2] [--checkpointing]
Needs the `bench` extra (trl).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

EXAMPLES, BATCH, LR, MAX_LENGTH, RANK = 64, 8, 1e-3, 384, 16


def chats() -> list[dict]:
    from s2s1.problems import read_problem_file

    path = Path(__file__).resolve().parents[2] / "s2s1" / "data" / "gsm8k.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines()][:EXAMPLES]
    problems = read_problem_file(path)[:EXAMPLES]
    return [
        {
            "prompt": [{"role": "user", "content": p.question}],
            "completion": [{"role": "assistant", "content": r.get("solution") or r["answer"]}],
        }
        for p, r in zip(problems, rows, strict=True)
    ]


def train_ours(model: str, tmp: Path, **settings: object) -> Any:
    """Our loop on the shared settings (plus `settings`, e.g. `bf16=True`); its TrainResult."""
    import datasets

    from s2s1.config import TrainConfig
    from s2s1.distill.train import train_student

    rows = [{"messages": c["prompt"] + c["completion"]} for c in chats()]
    datasets.Dataset.from_list(rows).save_to_disk(str(tmp / "data"))
    cfg = TrainConfig(
        student="lora",
        lora_rank=RANK,
        max_steps=EXAMPLES // BATCH,
        batch_size=BATCH,
        learning_rate=LR,
        max_length=MAX_LENGTH,
        checkpoint_every=0,
        **settings,
    )
    return train_student(tmp / "data", Path(model), tmp / "out", cfg)


def run_ours(model: str, tmp: Path, checkpointing: bool) -> float:
    return train_ours(model, tmp, gradient_checkpointing=checkpointing).tokens_per_second


def run_trl(model: str, tmp: Path, checkpointing: bool) -> float:
    import datasets
    import torch
    from peft import LoraConfig
    from trl import SFTConfig, SFTTrainer

    args = SFTConfig(
        output_dir=str(tmp / "trl"),
        max_steps=EXAMPLES // BATCH,
        per_device_train_batch_size=BATCH,
        learning_rate=LR,
        lr_scheduler_type="linear",
        warmup_steps=0,
        weight_decay=0.0,
        max_grad_norm=1.0,
        max_length=MAX_LENGTH,
        logging_steps=1,
        save_strategy="no",
        report_to=[],
        use_cpu=True,
        seed=0,
        bf16=False,
        model_init_kwargs={"dtype": torch.float32},
        dataloader_num_workers=0,
        gradient_checkpointing=checkpointing,
    )
    lora = LoraConfig(r=RANK, lora_alpha=2 * RANK, target_modules="all-linear")
    trainer = SFTTrainer(
        model=model, args=args, train_dataset=datasets.Dataset.from_list(chats()), peft_config=lora
    )
    output = trainer.train()
    tokens = sum(len(ids) for ids in trainer.train_dataset["input_ids"])
    return tokens / output.metrics["train_runtime"]


def one(kind: str, checkpointing: bool) -> None:
    from s2s1.generators.embedded import resolve_model

    model = resolve_model("embedded")
    with tempfile.TemporaryDirectory() as tmp:
        tps = (run_ours if kind == "ours" else run_trl)(model, Path(tmp), checkpointing)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"kind": kind, "tokens_per_s": round(tps, 1), "peak_rss_mb": round(peak_mb)}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--one", choices=["ours", "trl"])
    parser.add_argument("--checkpointing", action="store_true", help="gradient checkpointing on for both")
    args = parser.parse_args()
    if args.one:
        return one(args.one, args.checkpointing)
    flag = ["--checkpointing"] if args.checkpointing else []
    results: dict[str, list[dict]] = {"ours": [], "trl": []}
    for _ in range(args.repeats):
        for kind in ("ours", "trl"):
            out = subprocess.run(
                [sys.executable, __file__, "--one", kind, *flag], capture_output=True, text=True, check=True
            ).stdout
            results[kind].append(json.loads(out.strip().splitlines()[-1]))
    med = {
        k: {m: statistics.median(r[m] for r in v) for m in ("tokens_per_s", "peak_rss_mb")}
        for k, v in results.items()
    }
    mode = "on" if args.checkpointing else "off"
    print(f"gradient checkpointing {mode} for both; median of {args.repeats} alternating runs")
    print(f"{'':14}{'tokens/s':>10}{'peak RSS MB':>13}")
    for kind, name in (("ours", "s2s1"), ("trl", "TRL SFTTrainer")):
        print(f"{name:14}{med[kind]['tokens_per_s']:>10.0f}{med[kind]['peak_rss_mb']:>13.0f}")
    ratio = med["ours"]["tokens_per_s"] / med["trl"]["tokens_per_s"]
    mem = med["ours"]["peak_rss_mb"] / med["trl"]["peak_rss_mb"]
    print(f"ratio s2s1/TRL: speed {ratio:.2f}x, peak memory {mem:.2f}x")


if __name__ == "__main__":
    main()
