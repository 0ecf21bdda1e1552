"""The records that flow through every stage (design §3).

One `Record` type moves from stage to stage: a `Problem`, one teacher `Trace` of it, the
`Verdict` of each verifier and the `Decision` of each filter. All models are frozen and reject
unknown fields, because they cross file and process boundaries and their field names are a
contract: files written by one version are read by the next.

These models hold data only; they do not load, verify or filter anything.

Example:
    >>> p = Problem(id="add-1", source="arithmetic", domain="math", question="1+2?", answer="3")
    >>> Problem.model_validate_json(p.model_dump_json()) == p
    True
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

__all__ = [
    "Decision",
    "FinishReason",
    "Outcome",
    "Problem",
    "Reason",
    "Record",
    "Sampling",
    "Trace",
    "Verdict",
    "utc_now",
]

Outcome = Literal["correct", "incorrect", "unverifiable"]
FinishReason = Literal["stop", "length", "error"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Problem(_Frozen):
    """A task for the teacher: a maths question with a gold answer, or code with tests."""

    id: str
    source: str
    """Where it came from: a data set name or a file."""
    domain: str = "math"
    """`math`, `code`, or a plugin's domain; picks the verifiers that apply."""
    question: str
    answer: str | None = None
    """Gold final answer (math). None when there is no gold."""
    tests: dict[str, Any] | None = None
    """Code tests in one of the styles of design §3 (function asserts, check(), stdio)."""
    metadata: dict[str, Any] = Field(default_factory=dict)


class Sampling(_Frozen):
    """Sampling parameters, named as in vLLM's `SamplingParams`."""

    n: int = Field(default=1, ge=1)
    """Samples per problem."""
    temperature: float = Field(default=0.7, ge=0.0)
    top_p: float = Field(default=0.95, gt=0.0, le=1.0)
    max_tokens: int = Field(default=256, ge=1)
    """New tokens per sample, thinking included."""
    seed: int = 0
    """Base seed; sample i of problem p uses a seed derived from (seed, p, i)."""
    top_k: int | None = Field(default=None, ge=-1)
    """Sample from the k likeliest tokens only (null: the backend's default; 0 or -1: all tokens)."""
    min_p: float | None = Field(default=None, ge=0.0, le=1.0)
    """Drop tokens less likely than min_p × the likeliest one's probability (null: off)."""
    repetition_penalty: float | None = Field(default=None, gt=0.0)
    """Penalise tokens already in the prompt or output (>1 discourages repeats; null: off)."""
    chat_template_kwargs: dict[str, Any] | None = None
    """Extra variables for the model's chat template, e.g. `{enable_thinking: false}` (Qwen3);
    vLLM, servers (as the request's `chat_template_kwargs`) and transformers pass them on."""

    @model_serializer(mode="wrap")
    def _drop_unset_extras(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """The pass-through fields are written only when set, so older files keep their form."""
        extras = ("top_k", "min_p", "repetition_penalty", "chat_template_kwargs")
        return {k: v for k, v in handler(self).items() if k not in extras or v is not None}

    def extras(self) -> dict[str, Any]:
        """The set pass-through sampling fields (top_k, min_p, repetition_penalty), by vLLM's names.

        Example:
            >>> Sampling(top_k=20).extras()
            {'top_k': 20}
        """
        values = {"top_k": self.top_k, "min_p": self.min_p, "repetition_penalty": self.repetition_penalty}
        return {k: v for k, v in values.items() if v is not None}


class Trace(_Frozen):
    """One teacher sample for one problem."""

    problem_id: str
    index: int
    """Sample index within the problem, 0..n-1."""
    teacher: str
    """Model id, with `@revision` where one is known."""
    prompt: list[dict[str, str]]
    """Chat messages sent to the model."""
    reasoning: str = ""
    """Text inside <think>…</think>; empty when the model did not think aloud."""
    response: str = ""
    """Text after the thinking (the whole output when there was no <think>)."""
    finish_reason: FinishReason = "stop"
    num_tokens: int = 0
    """Generated tokens."""
    sampling: Sampling = Field(default_factory=Sampling)
    seed: int = 0
    """The seed this sample was drawn with."""
    created_at: datetime = Field(default_factory=lambda: utc_now())
    error: str = ""
    """What went wrong when finish_reason is `error`."""
    strategy: dict[str, Any] = Field(default_factory=dict)
    """How the sample was drawn: `{"name": "fixed"}`, `{"name": "adaptive", "round": 2}`,
    with `budget_forcing` details (`waits`, `forced_answer`) when that was on."""
    logprob: float | None = None
    """Sum of the sampled tokens' log-probabilities, where the backend reports it."""

    @property
    def completion(self) -> str:
        """The model's full text, `<think>` block included."""
        if not self.reasoning:
            return self.response
        return f"<think>\n{self.reasoning}\n</think>\n{self.response}"


class Verdict(_Frozen):
    """What one verifier concluded about one trace. Three outcomes, never two."""

    verifier: str
    version: str
    outcome: Outcome
    score: float = Field(ge=0.0, le=1.0)
    extracted: str | None = None
    """What was read as the answer (None when nothing was found)."""
    detail: str = ""
    """Short reason, e.g. `no \\boxed{} answer` or `TimeoutError`."""
    elapsed_s: float = 0.0


class Reason(_Frozen):
    """Why a filter decided what it did."""

    code: str
    """Stable machine-readable code, e.g. `truncated`, `boilerplate`."""
    detail: str = ""
    span: tuple[int, int] | None = None
    """Character offsets in the trace's completion that triggered it."""


class Decision(_Frozen):
    """One filter's keep/drop decision for one record, with its reasons."""

    filter: str
    keep: bool
    reasons: list[Reason] = Field(default_factory=list)
    scores: dict[str, float] = Field(default_factory=dict)


class Record(_Frozen):
    """A problem, one trace of it, and what verifiers and filters said about it."""

    problem: Problem
    trace: Trace
    verdicts: dict[str, Verdict] = Field(default_factory=dict)
    decisions: dict[str, Decision] = Field(default_factory=dict)

    @property
    def key(self) -> str:
        """Unique id of the sample: `problem_id#index`."""
        return f"{self.trace.problem_id}#{self.trace.index}"

    @property
    def kept(self) -> bool:
        """True when every filter that ran kept it."""
        return all(d.keep for d in self.decisions.values())

    @property
    def correct(self) -> bool:
        """True when at least one verifier said correct and none said incorrect."""
        outcomes = [v.outcome for v in self.verdicts.values()]
        return "correct" in outcomes and "incorrect" not in outcomes


def utc_now() -> datetime:
    """The current time in UTC (timezone-aware)."""
    return datetime.now(UTC)
