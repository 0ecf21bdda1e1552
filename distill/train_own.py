"""The `own` training backend: a plain single-device PyTorch loop (distill/train.py says what
both backends share).

On the GPU when there is one, else the CPU; fp32 weights and optimizer state, the forward pass in
bf16 autocast where `train.bf16` says so (null: on CUDA with bf16); AdamW without weight decay,
linear decay to 0 without warm-up, gradient clipping at 1.0, batches of `batch_size` examples
grouped by length (it does not pack), in `gradient_accumulation_steps` micro-batches. Gradient
checkpointing is optional. It does not spread over processes: that needs `train.backend: trl`.

Example:
    >>> train_own(Path("runs/x/dataset"), Path("teacher"), Path("runs/x/student"),
    ...           TrainConfig(max_steps=10))  # doctest: +SKIP
"""

from __future__ import annotations

import math
import random
import shutil
import time
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from s2s1.config import TrainConfig
from s2s1.constitution import Constitution
from s2s1.distill.export import load_exported
from s2s1.distill.train_common import (
    TrainResult,
    adapter_info,
    chat_of,
    encode_example,
    no_examples,
    save_student,
    use_bf16,
)
from s2s1.errors import UserError

__all__ = ["TRL_ONLY", "train_own"]

TRL_ONLY = (
    "warmup_ratio",
    "weight_decay",
    "packing",
    "report_to",
    "sft_args",
)
"""`train:` keys the own loop does not implement; setting one away from its default is an error."""


def train_own(
    dataset_dir: Path,
    init_dir: Path,
    out_dir: Path,
    cfg: TrainConfig,
    constitution: Constitution | None = None,
) -> TrainResult:
    """`train_student` with the own loop (distill/train.py).

    Every `cfg.checkpoint_every` steps the trainable weights, optimizer and schedule are saved to
    `<out_dir>.checkpoint/state.pt`; a later call with the same settings resumes from there and
    ends with the same weights an uninterrupted run would have.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    defaults = TrainConfig()
    for key in TRL_ONLY:
        if getattr(cfg, key) != getattr(defaults, key):
            raise UserError(f"train.{key}: needs train.backend: trl (the own loop does not implement it)")
    start = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(init_dir)
    rows = load_exported(dataset_dir)
    encoded = [encode_example(tokenizer, chat_of(row), cfg.max_length) for row in rows]
    examples = [e for e in encoded if e is not None]
    if not examples:
        raise no_examples(dataset_dir, len(rows))
    torch.manual_seed(cfg.seed)
    model = AutoModelForCausalLM.from_pretrained(init_dir, dtype=torch.float32)
    if cfg.student == "lora":
        from peft import LoraConfig, get_peft_model

        lora = LoraConfig(r=cfg.lora_rank, lora_alpha=2 * cfg.lora_rank, target_modules="all-linear")
        model = get_peft_model(model, lora)
    if cfg.gradient_checkpointing:
        model.config.use_cache = False
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model.to(device).train()
    params = {name: p for name, p in model.named_parameters() if p.requires_grad}
    bf16 = use_bf16(cfg)
    steps = cfg.max_steps or max(1, math.ceil(cfg.epochs * len(examples) / cfg.batch_size))
    optimizer = torch.optim.AdamW(params.values(), lr=cfg.learning_rate, weight_decay=0.0)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: 1 - s / steps)
    checkpoint = Path(f"{out_dir}.checkpoint")
    losses = _resume(checkpoint, cfg, params, optimizer, schedule)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    batches = _batches(examples, cfg.batch_size, random.Random(cfg.seed))
    for _ in range(len(losses)):  # the batches a resumed run has already trained on
        next(batches)
    loop_start, tokens = time.perf_counter(), 0
    for step in tqdm(range(len(losses) + 1, steps + 1), desc="train", unit="step", disable=None):
        examples_now = next(batches)
        tokens += sum(len(e["input_ids"]) for e in examples_now)
        loss = _accumulate(model, examples_now, cfg.gradient_accumulation_steps, pad, device, bf16)
        torch.nn.utils.clip_grad_norm_(params.values(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        losses.append(round(loss, 4))
        if cfg.checkpoint_every and step % cfg.checkpoint_every == 0 and step < steps:
            _save_checkpoint(checkpoint, cfg, params, optimizer, schedule, losses)
    loop_seconds = time.perf_counter() - loop_start
    result = TrainResult(
        steps,
        len(examples),
        len(rows) - len(examples),
        time.perf_counter() - start,
        losses,
        round(tokens / loop_seconds, 1) if loop_seconds else 0.0,
        device,
    )
    adapter = None
    if cfg.student == "lora" and constitution is not None:
        adapter = adapter_info(init_dir, constitution, chat_of(rows[0]))
    elif cfg.student == "lora":
        model = model.merge_and_unload()
    save_student(model.to("cpu", torch.bfloat16), tokenizer, out_dir, result, adapter, constitution)
    shutil.rmtree(checkpoint, ignore_errors=True)
    return result


def _save_checkpoint(
    path: Path, cfg: TrainConfig, params: dict[str, Any], optimizer: Any, schedule: Any, losses: list[float]
) -> None:
    """Write the resumable state to `path/state.pt` atomically (temp file, then rename)."""
    import torch

    path.mkdir(parents=True, exist_ok=True)
    state = {
        "config": cfg.model_dump(mode="json"),
        "params": {name: p.detach().clone() for name, p in params.items()},
        "optimizer": optimizer.state_dict(),
        "schedule": schedule.state_dict(),
        "losses": losses,
    }
    tmp = path / "state.pt.tmp"
    torch.save(state, tmp)
    tmp.replace(path / "state.pt")


def _resume(
    path: Path, cfg: TrainConfig, params: dict[str, Any], optimizer: Any, schedule: Any
) -> list[float]:
    """Load a checkpoint into the model and optimizer; return its losses ([] when there is none)."""
    import torch

    if not (path / "state.pt").exists():
        return []
    state = torch.load(path / "state.pt", map_location="cpu", weights_only=True)
    if state["config"] != cfg.model_dump(mode="json"):
        raise UserError(f"train: {path} was saved with other train settings; delete it to start over")
    with torch.no_grad():
        for name, p in params.items():
            p.copy_(state["params"][name])
    optimizer.load_state_dict(state["optimizer"])
    schedule.load_state_dict(state["schedule"])
    return list(state["losses"])


def _batches(examples: list[dict[str, list[int]]], size: int, rng: random.Random) -> Any:
    """Endless length-grouped batches: shuffle, sort within windows of 8 batches, shuffle batches."""
    while True:
        order = examples[:]
        rng.shuffle(order)
        window = size * 8
        grouped = [
            sorted(order[i : i + window], key=lambda e: len(e["input_ids"]))
            for i in range(0, len(order), window)
        ]
        batches = [chunk[i : i + size] for chunk in grouped for i in range(0, len(chunk), size)]
        rng.shuffle(batches)
        yield from batches


def _accumulate(
    model: Any, examples: list[dict[str, list[int]]], parts: int, pad: int, device: str, bf16: bool
) -> float:
    """Forward and backward over `examples` in `parts` micro-batches; returns the batch's loss.

    Each micro-batch's mean loss is weighted by its share of the batch's predicted tokens, so the
    gradients equal one pass over the whole batch (up to rounding) at a fraction of the memory:
    the logits over the vocabulary, upcast for the loss, dominate a small model's peak.
    """
    import torch

    size = -(-len(examples) // parts)
    chunks = [_collate(examples[i : i + size], pad) for i in range(0, len(examples), size)]
    counts = [int((c["labels"][:, 1:] != -100).sum()) for c in chunks]  # the model shifts labels
    total, loss = max(1, sum(counts)), 0.0
    for chunk, count in zip(chunks, counts, strict=True):
        if count == 0:  # nothing to predict in it: its mean loss would be NaN
            continue
        with torch.autocast(device, dtype=torch.bfloat16, enabled=bf16):
            part = model(**{k: v.to(device) for k, v in chunk.items()}).loss * (count / total)
        part.backward()
        loss += part.item()
    return loss


def _collate(batch: list[dict[str, list[int]]], pad: int) -> dict[str, Any]:
    import torch

    # widths in steps of 16 (padding is masked and unlabelled): CPU kernels keep memory per input
    # shape (oneDNN's caches; measured for the probe's passes in filters/hidden.py)
    width = -(-max(len(e["input_ids"]) for e in batch) // 16) * 16
    ids = [e["input_ids"] + [pad] * (width - len(e["input_ids"])) for e in batch]
    labels = [e["labels"] + [-100] * (width - len(e["labels"])) for e in batch]
    mask = [[1] * len(e["input_ids"]) + [0] * (width - len(e["input_ids"])) for e in batch]
    return {
        "input_ids": torch.tensor(ids),
        "labels": torch.tensor(labels),
        "attention_mask": torch.tensor(mask),
    }
