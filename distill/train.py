"""Fine-tune a student on the exported dataset, with loss on the assistant's tokens only.

SmolLM2's chat template has no `{% generation %}` markers, so `transformers` cannot give an
assistant-token mask for it; `encode_example` builds the mask itself. The prompt (system + user
turns, up to `<|im_start|>assistant\\n`) and the assistant's content are tokenized separately,
exactly as generation sees them, and only the content and its closing end-of-turn token are
trained on. An example longer than `max_length` is dropped, never cut mid-answer.

The loop is plain PyTorch (AdamW, linear decay, gradient clipping, length-grouped batches) in
fp32, on the GPU when there is one. With `student: lora` it trains `peft` LoRA adapters (rank
`lora_rank`, alpha twice the rank, on every linear layer) and merges them into the weights before
saving, so the student is a plain model folder either way, except for a constitution adapter
(export mode `context`): it stays a `peft` adapter folder on the frozen base, saved with its
constitution (`constitution.md`, `adapter.json`) so several can be loaded side by side
(`distill/adapters.py`). With `student: layers` every weight is trained. Gradient checkpointing
is optional; checkpoints for resuming after a kill are described in `train_student`. It does
not pack examples (batches are grouped by length instead).

Example:
    >>> result = train_student(Path("runs/x/dataset"), Path("runs/x/student_init"),
    ...                        Path("runs/x/student"), TrainConfig(max_steps=10))  # doctest: +SKIP
"""

from __future__ import annotations

import json
import math
import random
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from s2s1.filters.constitution import Constitution
from tqdm.auto import tqdm

from s2s1.config import TrainConfig
from s2s1.errors import UserError

__all__ = ["TrainResult", "encode_example", "train_student"]


@dataclass
class TrainResult:
    """What a training run did."""

    steps: int
    examples: int
    dropped_too_long: int
    seconds: float
    """Wall time of the whole call: loading, training and saving."""
    losses: list[float] = field(default_factory=list)
    tokens_per_second: float = 0.0
    """Tokens (padding excluded) through the training steps of this call, per second of those steps."""
    device: str = "cpu"


def encode_example(
    tokenizer: Any, messages: list[dict[str, str]], max_length: int
) -> dict[str, list[int]] | None:
    """input_ids and labels (-100 outside the assistant's answer) for one chat; None if too long.

    The last message must be the assistant's.
    """
    *context, answer = messages
    if answer["role"] != "assistant":
        raise ValueError("the last message must be the assistant's")
    prompt = tokenizer.apply_chat_template(context, add_generation_prompt=True, tokenize=False)
    full = tokenizer.apply_chat_template(messages, tokenize=False)
    rest = full[len(prompt) :]
    end = tokenizer.eos_token
    if not full.startswith(prompt) or not rest.startswith(answer["content"] + end):
        raise ValueError("the chat template does not render the answer after the generation prompt")
    tail = rest[len(answer["content"]) + len(end) :]
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    answer_ids = tokenizer(answer["content"] + end, add_special_tokens=False)["input_ids"]
    tail_ids = tokenizer(tail, add_special_tokens=False)["input_ids"] if tail else []
    input_ids = prompt_ids + answer_ids + tail_ids
    if len(input_ids) > max_length:
        return None
    labels = [-100] * len(prompt_ids) + answer_ids + [-100] * len(tail_ids)
    return {"input_ids": input_ids, "labels": labels}


def train_student(
    dataset_dir: Path,
    init_dir: Path,
    out_dir: Path,
    cfg: TrainConfig,
    constitution: Constitution | None = None,
) -> TrainResult:
    """Fine-tune the model in `init_dir` on `dataset_dir`'s `messages`; save it to `out_dir`.

    With `constitution` (and `cfg.student == "lora"`) the LoRA weights are saved as an adapter,
    not merged, with the constitution and the system prompt of the rows beside them.

    Every `cfg.checkpoint_every` steps the trainable weights, optimizer and schedule are saved to
    `<out_dir>.checkpoint/`; a later call with the same settings resumes from there and ends with
    the same weights an uninterrupted run would have. The checkpoint is removed once `out_dir` is
    saved. The final step's weights are the student: no checkpoint is chosen by any score.
    """
    import datasets
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    start = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(init_dir)
    rows = datasets.load_from_disk(str(dataset_dir))
    encoded = [encode_example(tokenizer, row["messages"], cfg.max_length) for row in rows]
    examples = [e for e in encoded if e is not None]
    if not examples:
        raise UserError(
            f"train: {dataset_dir} has no usable examples ({len(rows)} rows, all too long or none kept); "
            "add problems, raise generate.sampling.n, or raise train.max_length"
        )
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
        batch = {k: v.to(device) for k, v in _collate(next(batches), pad).items()}
        tokens += int(batch["attention_mask"].sum())
        loss = model(**batch).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params.values(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        losses.append(round(loss.item(), 4))
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
        adapter = {
            "base": str(init_dir),
            "constitution_hash": constitution.hash,
            "constitution_source": constitution.source,
            "system_prompt": rows[0]["messages"][0]["content"],
        }
    elif cfg.student == "lora":
        model = model.merge_and_unload()
    _save(model.to("cpu", torch.bfloat16), tokenizer, out_dir, result, adapter, constitution)
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


def _collate(batch: list[dict[str, list[int]]], pad: int) -> dict[str, Any]:
    import torch

    width = max(len(e["input_ids"]) for e in batch)
    ids = [e["input_ids"] + [pad] * (width - len(e["input_ids"])) for e in batch]
    labels = [e["labels"] + [-100] * (width - len(e["labels"])) for e in batch]
    mask = [[1] * len(e["input_ids"]) + [0] * (width - len(e["input_ids"])) for e in batch]
    return {
        "input_ids": torch.tensor(ids),
        "labels": torch.tensor(labels),
        "attention_mask": torch.tensor(mask),
    }


def _save(
    model: Any,
    tokenizer: Any,
    out_dir: Path,
    result: TrainResult,
    adapter: dict[str, str] | None,
    constitution: Constitution | None,
) -> None:
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}."))
    try:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        with (tmp / "train_log.jsonl").open("w") as f:
            for step, loss in enumerate(result.losses, start=1):
                f.write(json.dumps({"step": step, "loss": loss}) + "\n")
        if adapter is not None and constitution is not None:
            (tmp / "adapter.json").write_text(json.dumps(adapter, indent=2) + "\n")
            (tmp / "constitution.md").write_text(constitution.text, encoding="utf-8")
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
