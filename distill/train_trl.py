"""The `trl` training backend: TRL's `SFTTrainer` on prompt/completion rows (distill/train.py says
what both backends share).

Each exported chat becomes TRL's conversational prompt/completion pair (`prompt`: the system and
user turns, `completion`: the assistant's; the export's own `prompt`/`completion` columns where
it has them), trained with `completion_only_loss`, so no template markers are needed. Rows longer
than `max_length` tokens are dropped first (measured with `encode_example`) and counted; TRL then
gets `max_length=None` and never truncates.

`train:` keys map onto `SFTConfig` (`sft_config` builds it): `max_steps` (or `epochs` turned into
steps, so both backends take the same number), `batch_size` as the global batch
(`per_device_train_batch_size` = batch_size / (processes × gradient_accumulation_steps)),
`learning_rate`, `warmup_ratio` (`warmup_steps` as a ratio), `weight_decay`, `bf16` (null: on
CUDA with bf16, train_common.use_bf16), `packing`, `report_to`,
`gradient_checkpointing`, `checkpoint_every` (`save_steps`), `seed`; linear decay, clipping at
1.0, a loss logged every step. `sft_args` passes any other `SFTConfig` field through; an unknown
one, or one the keys above set, is a UserError.

Under `accelerate launch` every process runs this function: the data is split across processes
(DDP by default; FSDP or DeepSpeed through the accelerate config or `sft_args`), and the main
process alone merges LoRA and saves the student. Checkpoints are TRL's `checkpoint-N/` folders in
`<out_dir>.checkpoint/`; a rerun with the same settings resumes from the last one, also with
another number of processes (same global batch, so the same steps).

Example:
    >>> train_trl(Path("runs/x/dataset"), Path("teacher"), Path("runs/x/student"),
    ...           TrainConfig(backend="trl", max_steps=10))  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import json
import math
import shutil
import time
from pathlib import Path
from typing import Any

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

__all__ = ["prompt_completion", "sft_config", "train_trl"]

MAPPED = (
    "output_dir",
    "max_steps",
    "num_train_epochs",
    "per_device_train_batch_size",
    "gradient_accumulation_steps",
    "learning_rate",
    "warmup_steps",
    "weight_decay",
    "bf16",
    "packing",
    "report_to",
    "gradient_checkpointing",
    "activation_checkpointing",
    "save_steps",
    "save_strategy",
    "seed",
    "max_length",
    "completion_only_loss",
    "use_cpu",
)
"""SFTConfig fields that `train:` keys set; `train.sft_args` cannot set them."""


def prompt_completion(row: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """TRL's conversational prompt/completion pair of one exported row.

    Example:
        >>> chat = [{"role": "user", "content": "1+1?"}, {"role": "assistant", "content": "2"}]
        >>> prompt_completion({"messages": chat})["completion"]
        [{'role': 'assistant', 'content': '2'}]
    """
    if isinstance(row.get("prompt"), list) and isinstance(row.get("completion"), list):
        return {"prompt": list(row["prompt"]), "completion": list(row["completion"])}
    *prompt, answer = chat_of(row)
    return {"prompt": prompt, "completion": [answer]}


def sft_config(cfg: TrainConfig, output_dir: Path, steps: int, processes: int) -> Any:
    """The `trl.SFTConfig` for `cfg` (module docstring); UserError on a bad `sft_args` field."""
    import torch
    from trl import SFTConfig

    known = {f.name for f in dataclasses.fields(SFTConfig)}
    for key in cfg.sft_args:
        if key not in known:
            raise UserError(f"train.sft_args.{key}: not a field of trl.SFTConfig; check its spelling")
        if key in MAPPED:
            raise UserError(f"train.sft_args.{key}: set by the train: keys; use those (s2s1/config.py)")
    per_step = processes * cfg.gradient_accumulation_steps
    if cfg.batch_size % per_step:
        raise UserError(
            f"train.batch_size: {cfg.batch_size} examples per step do not split over {processes} "
            f"process(es) × {cfg.gradient_accumulation_steps} accumulation steps; "
            f"make it a multiple of {per_step}"
        )
    checkpointing = (
        "activation_checkpointing" if "activation_checkpointing" in known else "gradient_checkpointing"
    )
    cuda = torch.cuda.is_available()
    bf16 = use_bf16(cfg)
    args: dict[str, Any] = {
        "output_dir": str(output_dir),
        "max_steps": steps,
        "per_device_train_batch_size": cfg.batch_size // per_step,
        "gradient_accumulation_steps": cfg.gradient_accumulation_steps,
        "learning_rate": cfg.learning_rate,
        "lr_scheduler_type": "linear",
        "warmup_steps": cfg.warmup_ratio,
        "weight_decay": cfg.weight_decay,
        "max_grad_norm": 1.0,
        "bf16": bf16,
        "packing": cfg.packing,
        "report_to": list(cfg.report_to) or "none",
        # transformers 5.2x renamed it; the old name warns
        checkpointing: cfg.gradient_checkpointing,
        "save_strategy": "steps" if cfg.checkpoint_every else "no",
        "save_steps": cfg.checkpoint_every or 500,
        "save_total_limit": 2,
        "seed": cfg.seed,
        "max_length": None,  # over-long rows are dropped before, never truncated
        "completion_only_loss": True,
        "logging_steps": 1,
        "dataloader_num_workers": 0,
        "disable_tqdm": None,
        "use_cpu": not cuda,
        "model_init_kwargs": None,
    }
    return SFTConfig(**(args | dict(cfg.sft_args)))


def train_trl(
    dataset_dir: Path,
    init_dir: Path,
    out_dir: Path,
    cfg: TrainConfig,
    constitution: Constitution | None = None,
) -> TrainResult:
    """`train_student` with TRL's SFTTrainer (see the module docstring)."""
    import datasets
    import torch
    from accelerate import PartialState
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.trainer_utils import get_last_checkpoint
    from trl import SFTTrainer

    start = time.perf_counter()
    state = PartialState()
    tokenizer = AutoTokenizer.from_pretrained(init_dir)
    rows = load_exported(dataset_dir)
    pairs = [prompt_completion(row) for row in rows]
    kept = [p for p in pairs if encode_example(tokenizer, p["prompt"] + p["completion"], cfg.max_length)]
    if not kept:
        raise no_examples(dataset_dir, len(rows))
    steps = cfg.max_steps or max(1, math.ceil(cfg.epochs * len(kept) / cfg.batch_size))
    checkpoints = Path(f"{out_dir}.checkpoint")
    args = sft_config(cfg, checkpoints, steps, state.num_processes)
    _check_settings(checkpoints, cfg, state.is_main_process)
    model = AutoModelForCausalLM.from_pretrained(init_dir, dtype=torch.float32)  # bf16: autocast
    peft_config = None
    if cfg.student == "lora":
        from peft import LoraConfig

        peft_config = LoraConfig(r=cfg.lora_rank, lora_alpha=2 * cfg.lora_rank, target_modules="all-linear")
    trainer = SFTTrainer(
        model=model,
        args=args,
        train_dataset=datasets.Dataset.from_list(kept),
        processing_class=tokenizer,
        peft_config=peft_config,
    )
    last = get_last_checkpoint(str(checkpoints)) if checkpoints.is_dir() else None
    output = trainer.train(resume_from_checkpoint=last)
    logs = trainer.state.log_history
    losses = [round(float(e["loss"]), 4) for e in logs if "loss" in e and "step" in e]
    tokens = max((e.get("num_tokens", 0) for e in logs), default=0)
    first = int(last.rsplit("-", 1)[1]) if last else 0
    seen = tokens * (steps - first) / steps if tokens else 0  # num_tokens counts from step 0 on resume
    runtime = output.metrics.get("train_runtime") or 0.0
    device = "cuda" if torch.cuda.is_available() else "cpu"
    result = TrainResult(
        steps,
        len(kept),
        len(rows) - len(kept),
        0.0,
        losses,
        round(seen / runtime, 1) if runtime else 0.0,
        device,
        "trl",
        state.num_processes,
    )
    if state.is_main_process:
        model = trainer.model
        adapter = None
        if cfg.student == "lora" and constitution is not None:
            adapter = adapter_info(init_dir, constitution, pairs[0]["prompt"] + pairs[0]["completion"])
        elif cfg.student == "lora":
            model = model.merge_and_unload()
        result.seconds = round(time.perf_counter() - start, 2)
        save_student(model.to("cpu", torch.bfloat16), tokenizer, out_dir, result, adapter, constitution)
        shutil.rmtree(checkpoints, ignore_errors=True)
    state.wait_for_everyone()
    result.seconds = round(time.perf_counter() - start, 2)
    return result


def _check_settings(checkpoints: Path, cfg: TrainConfig, main: bool) -> None:
    """Refuse to resume checkpoints saved with other settings; record this run's settings."""
    path = checkpoints / "train_config.json"
    settings = cfg.model_dump(mode="json")
    if path.is_file() and json.loads(path.read_text()) != settings:
        raise UserError(f"train: {checkpoints} was saved with other train settings; delete it to start over")
    if main:
        checkpoints.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(settings, indent=2) + "\n")
        tmp.replace(path)
