"""`Section`, the base of every config section, and the sections that refer to no other:
`filter.judge`, `export`, `train`, `evaluate`.

Split from `s2s1.config` (which re-exports them, and where callers import them from) to keep each
file readable; the rules are that module's: unknown keys are errors naming their path.

Example:
    >>> TrainConfig.model_validate({"epochs": 1}).batch_size
    8
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from s2s1.records import Sampling

__all__ = ["EvaluateConfig", "ExportConfig", "JudgeConfig", "ModelName", "Section", "TrainConfig"]


class Section(BaseModel):
    """A config section: unknown keys are errors, values are frozen, attribute docstrings document keys."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class JudgeConfig(Section):
    """The constitution judge (`filter.judge`; filters/judge.py). Each (trace, principle) pair
    gets a verdict: `yes` (breaks it: the trace is dropped), `no`, or `abstain` (P(breaks) within
    `abstain_margin` of `threshold`, or Yes and No together under `min_mass` of the answer
    token's probability). The judge is asked whether the text *follows* the principle, so
    P(breaks) is P(No); asked the other way round, small models come out inverted
    (benchmarks/judge/README.md): an abstained trace is KEPT, with a `judge_abstain` reason in its
    decision, and counted apart (`filter.judge_abstained` in metrics.json, report.md)."""

    backend: Literal["transformers", "vllm", "openai"] | None = None
    """Engine that runs the judge: `transformers`, `vllm` (offline engine, `generate.engine_args`)
    or `openai` (a server at `base_url`; reads Yes/No from the answer token's `top_logprobs`; the
    server must continue an assistant message: vLLM, SGLang). null: the teacher's
    (`generate.backend`) when it is `vllm` or `openai`, else `transformers`."""
    model: str | None = None
    """The judge model: `embedded`, a folder or a hub id; with `openai`, the name the server knows.
    null: the teacher's (`generate.model`)."""
    base_url: str | None = None
    """`openai`: the server's base URL; null: `generate.base_url`."""
    threshold: float = Field(default=0.5, gt=0.0, lt=1.0)
    """Calibrated P(breaks) above which a principle counts as broken (0.5: no leaning)."""
    abstain_margin: float = Field(default=0.05, ge=0.0, lt=0.5)
    """Abstain when the calibrated P(breaks) is within this of `threshold` (0: only `min_mass`)."""
    min_mass: float = Field(default=0.2, ge=0.0, le=1.0)
    """Abstain when P(Yes) + P(No) of the answer token is below this: the judge meant neither."""
    reason_first: bool = False
    """Ask for reasoning first (`Reasoning: ...`), then read the verdict after `Answer:`."""
    votes: int = Field(default=1, ge=1)
    """Self-consistency: this many sampled reasonings per pair (needs `reason_first`), each with
    its own verdict; the majority verdict wins, a tie abstains."""
    temperature: float = Field(default=0.7, ge=0.0)
    """Sampling temperature of the reasoning when `votes` > 1 (one vote is greedy)."""
    max_tokens: int = Field(default=128, ge=8)
    """`reason_first`: token budget of the reasoning; 128 × pairs × votes tokens per shard."""

    @model_validator(mode="after")
    def _votes_need_reasoning(self) -> JudgeConfig:
        if self.votes > 1 and not self.reason_first:
            raise ValueError(
                "votes > 1 needs reason_first: true (without reasoning every vote reads the same "
                "next-token probabilities)"
            )
        return self


class ExportConfig(Section):
    mode: Literal["reasoning", "direct", "compact", "context"] = "reasoning"
    """`reasoning`: each kept trace in full (`<think>` kept); `direct`: the verified final answer
    alone, `\\boxed{…}`, once per problem (the System-1 target); `compact`: only the shortest kept
    trace of each problem; `context`: context distillation of `filter.constitution` — the teacher
    answers with the constitution in its prompt, the student's rows are as in `reasoning` but
    without it, and a `lora` student is kept as an adapter (docs/adapters.md)."""
    system_prompt: str = "You are a careful math assistant. Put the final answer in \\boxed{}."
    """System message of the student's training and evaluation prompts."""
    max_per_problem: int = Field(default=4, ge=1)
    """With `reasoning`: keep at most this many kept traces per problem."""


class TrainConfig(Section):
    backend: Literal["auto", "own", "trl"] = "auto"
    """`trl`: TRL's `SFTTrainer` (accelerate: DDP/FSDP/DeepSpeed under `accelerate launch`, bf16,
    gradient accumulation, warm-up, packing, `report_to`; distill/train_trl.py); `own`: the plain
    single-device PyTorch loop (distill/train_own.py); `auto`: `trl` where a GPU is present, `own`
    on CPU, where it is faster (benchmarks/distill/README.md)."""
    student: Literal["lora", "layers"] = "lora"
    """`lora`: LoRA adapters on the teacher, merged after training (kept apart, with their
    constitution, in export mode `context`; the untrained student is the teacher itself, prompted
    like the student: no worked example); `layers`: a smaller copy of the teacher keeping every
    k-th decoder layer, fully fine-tuned."""
    lora_rank: int = Field(default=16, ge=1)
    """With `lora`: adapter rank (alpha is twice the rank)."""
    keep_every: int = Field(default=2, ge=1)
    """With `layers`: keep decoder layers 0, k, 2k, … (30 layers, k=2 → 16 with the last)."""
    epochs: float = Field(default=3.0, gt=0)
    max_steps: int | None = Field(default=None, ge=1)
    """Stop after this many optimizer steps (overrides epochs)."""
    batch_size: int = Field(default=8, ge=1)
    learning_rate: float = Field(default=1e-3, gt=0)
    """1e-3 suits LoRA; full fine-tuning of `layers` wants about 1e-4."""
    max_length: int = Field(default=384, ge=16)
    """Examples longer than this (in tokens) are dropped, never cut mid-answer."""
    gradient_checkpointing: bool = False
    """Recompute activations in the backward pass: less memory for more compute."""
    checkpoint_every: int = Field(default=50, ge=0)
    """Save a resumable checkpoint every this many steps (0: never); a rerun continues from it."""
    seed: int = 0
    gradient_accumulation_steps: int = Field(default=1, ge=1)
    """Micro-batches per optimizer step: the same gradients in a fraction of the memory.
    `batch_size` stays the global batch (examples per step over all processes); under `trl`, per
    device: batch_size / (processes × this), which must divide."""
    warmup_ratio: float = Field(default=0.0, ge=0.0, lt=1.0)
    """`trl`: share of the steps with a linear warm-up (then linear decay to 0)."""
    weight_decay: float = Field(default=0.0, ge=0.0)
    """`trl`: AdamW weight decay."""
    bf16: bool | None = None
    """Train in bf16 mixed precision (fp32 weights, bf16 autocast); null: on CUDA with bf16, else
    fp32. On a CPU with AMX, `true` trains a 0.5B model ~2.5x faster (benchmarks/distill/README.md)."""
    packing: bool = False
    """`trl`: pack several examples into one sequence (padding-free, best-fit decreasing; needs a
    flash-attention model for exact attention boundaries on GPU)."""
    report_to: list[str] = Field(default_factory=list)
    """`trl`: where to log (`wandb`, `tensorboard`, `mlflow`, ...; empty: nowhere)."""
    sft_args: dict[str, Any] = Field(default_factory=dict)
    """`trl`: any other `trl.SFTConfig` field, passed through as it is (`lr_scheduler_type`,
    `deepspeed`, `fsdp`, `optim`, `eval_strategy`, ...); an unknown field is an error naming it.
    Fields that the keys above set cannot be given here."""


ModelName = Literal["teacher", "student_untrained", "student"]


def _default_models() -> list[ModelName]:
    return ["teacher", "student_untrained", "student"]


class EvaluateConfig(Section):
    models: list[ModelName] = Field(default_factory=_default_models)
    sampling: Sampling = Field(default_factory=lambda: Sampling(n=2, temperature=0.7, max_tokens=160, seed=1))
    """The students' sampling; `n` is k, the samples per held-out problem (accuracy is pass@1
    averaged over them). The teacher is sampled at its own budget: `generate.sampling` with this
    `n` and `seed`."""
    max_problems: int | None = Field(default=None, ge=1)
    backend: Literal["transformers", "vllm", "openai"] | None = None
    """Engine that samples the evaluated students: `transformers`, `vllm` (offline engine; a
    constitution adapter is served as a LoRA adapter on its base, `LoRARequest`) or `openai` (a
    server at `generate.base_url` serving the models under the names in `served`). null: the
    teacher's (`generate.backend`) when it is `vllm` or `openai`, else `transformers`."""
    served: dict[str, str] = Field(default_factory=dict)
    """`openai`: the name the server knows each model by (`teacher`, `student_untrained`,
    `student`); defaults: `generate.model` for the teacher and a LoRA student's untrained self,
    `student` for the student (`vllm serve BASE --enable-lora --lora-modules student=runs/x/student`)."""
