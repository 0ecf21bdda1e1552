"""What both training backends share: the result record, the example encoding and the saving.

`TrainResult` is what a training call did; `encode_example` renders one chat into input ids and
labels (loss on the assistant's answer only; distill/train.py says why it is done by hand);
`chat_of` reads a dataset row's chat; `save_student` writes the student folder through a temp
folder. `train_own` and `train_trl` import these, and `train.py` dispatches to them, so the
imports form a tree. This module does not train.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from s2s1.config import TrainConfig
from s2s1.constitution import Constitution
from s2s1.errors import UserError
from s2s1.shards import follow_umask

__all__ = [
    "TrainResult",
    "adapter_info",
    "chat_of",
    "encode_example",
    "no_examples",
    "save_student",
    "use_bf16",
]


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
    backend: str = "own"
    processes: int = 1


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


def chat_of(row: dict[str, Any]) -> list[dict[str, str]]:
    """A dataset row's whole chat: `messages`, or `prompt` + `completion` where the export has them."""
    if row.get("messages"):
        return list(row["messages"])
    prompt, completion = row.get("prompt"), row.get("completion")
    if isinstance(prompt, list) and isinstance(completion, list):
        return list(prompt) + list(completion)
    raise UserError("train: a dataset row has neither `messages` nor conversational `prompt`/`completion`")


def no_examples(dataset_dir: Path, rows: int) -> UserError:
    return UserError(
        f"train: {dataset_dir} has no usable examples ({rows} rows, all too long or none kept); "
        "add problems, raise generate.sampling.n, or raise train.max_length"
    )


def adapter_info(init_dir: Path, constitution: Constitution, chat: list[dict[str, str]]) -> dict[str, str]:
    """adapter.json of a constitution adapter trained on `init_dir` (chat: one training row)."""
    return {
        "base": str(init_dir),
        "constitution_hash": constitution.hash,
        "constitution_source": constitution.source,
        "system_prompt": chat[0]["content"],
    }


def save_student(
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
        follow_umask(tmp)  # mkdtemp made it 0700
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def use_bf16(cfg: TrainConfig) -> bool:
    """`train.bf16`, with null resolved: bf16 mixed precision on CUDA with bf16, fp32 elsewhere.
    Weights and optimizer state stay fp32 either way. On a CPU with AMX, `bf16: true` trains the
    0.5B Qwen 2.5x faster at the same loss but SmolLM2-135M no faster (benchmarks/distill/README.md),
    so the CPU default stays fp32 and configs/gsm8k.yaml opts in."""
    import torch

    if cfg.bf16 is not None:
        return cfg.bf16
    return torch.cuda.is_available() and torch.cuda.is_bf16_supported()
