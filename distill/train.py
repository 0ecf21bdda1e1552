"""Fine-tune a student on the exported dataset, with loss on the assistant's tokens only.

`train_student` runs one of two backends (`train.backend`):

- `trl` (distill/train_trl.py): TRL's `SFTTrainer` on prompt/completion rows with
  completion-only loss — bf16, gradient accumulation, warm-up, packing, `report_to`, any other
  `SFTConfig` field through `train.sft_args`, and every process of an `accelerate launch`
  (DDP, FSDP, DeepSpeed; docs/scaling.md). The default wherever a GPU is present.
- `own` (distill/train_own.py): a plain single-device PyTorch loop in fp32 (AdamW, linear decay,
  gradient clipping, length-grouped batches). The default on CPU, where it is faster
  (benchmarks/distill/README.md).

Both drop an example longer than `max_length` tokens (counted in `dropped_too_long`), never cut
it mid-answer, and train on the same tokens: SmolLM2's chat template has no `{% generation %}`
markers, so `transformers` cannot give an assistant-token mask for it; `encode_example` renders
the prompt (system + user turns, up to `<|im_start|>assistant\\n`) and the answer apart, exactly as
generation sees them, and only the answer and its closing end-of-turn token are trained on (TRL's
prompt/completion format gives the same mask, plus the template's newline after the end token).

With `student: lora` they train `peft` LoRA adapters (rank `lora_rank`, alpha twice the rank, on
every linear layer) and merge them into the weights before saving, so the student is a plain
model folder either way, except for a constitution adapter (export mode `context`): it stays a
`peft` adapter folder on the frozen base, saved with its constitution (`constitution.md`,
`adapter.json`) so several can be loaded side by side (`distill/adapters.py`). With
`student: layers` every weight is trained. The final step's weights are the student: no
checkpoint is chosen by any score.

Example:
    >>> result = train_student(Path("runs/x/dataset"), Path("runs/x/student_init"),
    ...                        Path("runs/x/student"), TrainConfig(max_steps=10))  # doctest: +SKIP
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from s2s1.config import TrainConfig
from s2s1.errors import UserError
from s2s1.filters.constitution import Constitution

__all__ = ["TrainResult", "encode_example", "resolve_backend", "train_student"]


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


def resolve_backend(cfg: TrainConfig) -> str:
    """`cfg.backend`, with `auto` resolved: `trl` where CUDA is available, `own` otherwise.

    Example:
        >>> resolve_backend(TrainConfig(backend="trl"))
        'trl'
    """
    if cfg.backend != "auto":
        return cfg.backend
    import torch

    return "trl" if torch.cuda.is_available() else "own"


def train_student(
    dataset_dir: Path,
    init_dir: Path,
    out_dir: Path,
    cfg: TrainConfig,
    constitution: Constitution | None = None,
) -> TrainResult:
    """Fine-tune the model in `init_dir` on `dataset_dir`'s rows; save it to `out_dir`.

    With `constitution` (and `cfg.student == "lora"`) the LoRA weights are saved as an adapter,
    not merged, with the constitution and the system prompt of the rows beside them.

    Every `cfg.checkpoint_every` steps the resumable state is saved under `<out_dir>.checkpoint/`
    (`own`: `state.pt`; `trl`: the standard `checkpoint-N/` folders); a later call with the same
    settings resumes from there. The checkpoint folder is removed once `out_dir` is saved.
    """
    match resolve_backend(cfg):
        case "trl":
            from s2s1.distill.train_trl import train_trl

            return train_trl(dataset_dir, init_dir, out_dir, cfg, constitution)
        case _:
            from s2s1.distill.train_own import train_own

            return train_own(dataset_dir, init_dir, out_dir, cfg, constitution)


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
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
