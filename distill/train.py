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

from pathlib import Path

from s2s1.config import TrainConfig
from s2s1.constitution import Constitution
from s2s1.distill.train_common import TrainResult, encode_example

__all__ = ["TrainResult", "encode_example", "resolve_backend", "train_student"]


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
