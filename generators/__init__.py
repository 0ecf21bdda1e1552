"""Teacher backends and the generate stage.

`Generator` is the seam (design §4): `generate(problems, sampling)` takes many problems at once,
like vLLM's `LLM.generate`, and yields one `Trace` per sample. `build_generator` picks a backend
from config with a plain `match`; `generate` is the stage, pairing each Trace with its Problem
in a `Record`.

Backends: `transformers` (`TransformersGenerator`, CPU or GPU) and `fake`
(`FakeGeneratorForTests`, deterministic, no model). The embedded default teacher and model names
are in `generators.embedded`, prompts and `<think>` splitting in `generators.prompts`.

This package does not verify, filter, shard or resume: those are other stages and `flows/`.

Example:
    >>> from s2s1.config import GenerateConfig
    >>> from s2s1.records import Problem
    >>> gen = build_generator(GenerateConfig(backend="fake"))
    >>> p = Problem(id="p1", source="demo", question="What is $2 + 2$?", answer="4")
    >>> [r.key for r in generate([p], gen, GenerateConfig().sampling)]
    ['p1#0', 'p1#1', 'p1#2', 'p1#3']
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol, runtime_checkable

from generators.embedded import embedded_model_dir, model_id, resolve_model
from generators.fake import FakeGeneratorForTests
from generators.prompts import FEW_SHOT, SYSTEM_PROMPT, build_messages, split_think
from generators.transformers_backend import TransformersGenerator
from s2s1.config import GenerateConfig
from s2s1.records import Problem, Record, Sampling, Trace

__all__ = [
    "FEW_SHOT",
    "SYSTEM_PROMPT",
    "FakeGeneratorForTests",
    "Generator",
    "TransformersGenerator",
    "build_generator",
    "build_messages",
    "embedded_model_dir",
    "generate",
    "model_id",
    "resolve_model",
    "split_think",
]


@runtime_checkable
class Generator(Protocol):
    """A teacher backend: many problems in, one Trace per (problem, sample index) out.

    Implementations yield Traces problem by problem with indices 0..n-1, and turn a failed
    sample into a Trace with `finish_reason="error"` rather than raising.

    Example:
        >>> isinstance(FakeGeneratorForTests(), Generator)
        True
    """

    def generate(self, problems: Sequence[Problem], sampling: Sampling) -> Iterator[Trace]: ...


def build_generator(
    cfg: GenerateConfig,
    *,
    system_prompt: str | None = None,
    few_shot: bool | None = None,
    model: str | None = None,
) -> Generator:
    """The backend that `cfg.backend` names; keyword arguments override the config's values.

    `model` overrides `cfg.model` (evaluation reuses this for students); `system_prompt`
    defaults to `SYSTEM_PROMPT` and `few_shot` to `cfg.few_shot`. Nothing loads here: the
    transformers backend loads its model on first use.

    Example:
        >>> build_generator(GenerateConfig(backend="transformers")).teacher
        'HuggingFaceTB/SmolLM2-135M-Instruct@Q4_1-gguf'
    """
    match cfg.backend:
        case "transformers":
            return TransformersGenerator(
                model if model is not None else cfg.model,
                system_prompt=system_prompt if system_prompt is not None else SYSTEM_PROMPT,
                few_shot=few_shot if few_shot is not None else cfg.few_shot,
                batch_size=cfg.batch_size,
            )
        case "fake":
            return FakeGeneratorForTests(teacher=model or "fake-teacher")
        case other:
            raise ValueError(f"generate.backend: unknown backend {other!r}")


def generate(problems: Sequence[Problem], generator: Generator, sampling: Sampling) -> Iterator[Record]:
    """The generate stage: one Record (problem + trace, no verdicts yet) per sample.

    Example:
        >>> p = Problem(id="p1", source="demo", question="What is $2 + 2$?", answer="4")
        >>> next(generate([p], FakeGeneratorForTests(), Sampling(n=1))).trace.response
        'The answer is $\\\\boxed{4}$.'
    """
    by_id = {p.id: p for p in problems}
    for trace in generator.generate(problems, sampling):
        yield Record(problem=by_id[trace.problem_id], trace=trace)
