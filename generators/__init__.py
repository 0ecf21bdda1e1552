"""Teacher backends and the generate stage.

`Generator` is the seam (design §4): `generate(problems, sampling)` takes many problems at once,
like vLLM's `LLM.generate`, and yields one `Trace` per sample. Backends build on
`s2s1.generators.backend.Backend` (requests in, completions out, as they finish). `build_generator`
picks a backend from config with a plain `match`; `generate` pairs each Trace with its Problem in
a `Record`; `generate_shard_file` draws one shard with the configured strategy through a journal
(generators/strategies.py, s2s1/journal.py), so a killed run resumes inside the shard.

Backends: `transformers` (`TransformersGenerator`, CPU or GPU), `vllm` (`VLLMGenerator`, vLLM's
offline engine), `openai` (`OpenAIGenerator`, any OpenAI-compatible server) and `fake`
(`FakeGeneratorForTests`, deterministic, no model). The embedded default teacher and model names
are in `s2s1.generators.embedded`, prompts and `<think>` splitting in `s2s1.generators.prompts`, budget
forcing in `s2s1.generators.budget`.

This package does not verify or filter (strategies that need verdicts are handed a `check`
function), and does not decide which shards exist: `flows/` does.

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
from pathlib import Path
from typing import Protocol, runtime_checkable

from s2s1.config import GenerateConfig
from s2s1.generators.backend import Backend
from s2s1.generators.embedded import embedded_model_dir, model_id, resolve_model
from s2s1.generators.fake import FakeGeneratorForTests
from s2s1.generators.prompts import FEW_SHOT, SYSTEM_PROMPT, FewShot, build_messages, split_think
from s2s1.generators.strategies import Check, Vote, run_strategy
from s2s1.generators.transformers_backend import TransformersGenerator
from s2s1.journal import Journal
from s2s1.records import Problem, Record, Sampling, Trace
from s2s1.shards import write_models

__all__ = [
    "FEW_SHOT",
    "SYSTEM_PROMPT",
    "Backend",
    "FakeGeneratorForTests",
    "Generator",
    "TransformersGenerator",
    "build_generator",
    "build_messages",
    "embedded_model_dir",
    "generate",
    "generate_shard_file",
    "model_id",
    "resolve_model",
    "split_think",
]


@runtime_checkable
class Generator(Protocol):
    """A teacher backend: many problems in, one Trace per (problem, sample index) out.

    Implementations yield one Trace per (problem, index 0..n-1), in any order (backends that
    stream yield samples as they finish), and turn a failed sample into a Trace with
    `finish_reason="error"` rather than raising.

    Example:
        >>> isinstance(FakeGeneratorForTests(), Generator)
        True
    """

    def generate(self, problems: Sequence[Problem], sampling: Sampling) -> Iterator[Trace]: ...


def build_generator(
    cfg: GenerateConfig,
    *,
    system_prompt: str | None = None,
    few_shot: FewShot | None = None,
    model: str | None = None,
) -> Backend:
    """The backend that `cfg.backend` names; keyword arguments override the config's values.

    `model` overrides `cfg.model` (evaluation reuses this for students); `system_prompt`
    defaults to `SYSTEM_PROMPT` and `few_shot` to `cfg.few_shot`. Nothing loads and nothing is
    contacted here: models load, and servers are called, on first use.

    Example:
        >>> build_generator(GenerateConfig(backend="transformers")).teacher
        'HuggingFaceTB/SmolLM2-135M-Instruct@Q4_1-gguf'
    """
    model = model if model is not None else cfg.model
    system = system_prompt if system_prompt is not None else SYSTEM_PROMPT
    shot = few_shot if few_shot is not None else cfg.few_shot
    match cfg.backend:
        case "transformers":
            return TransformersGenerator(model, system, shot, batch_size=cfg.batch_size)
        case "vllm":
            from s2s1.generators.vllm_backend import VLLMGenerator

            return VLLMGenerator(model, system, shot, engine_args=cfg.engine_args)
        case "openai":
            from s2s1.generators.openai_backend import OpenAIGenerator

            return OpenAIGenerator(
                model,
                cfg.base_url,
                system,
                shot,
                max_concurrency=cfg.max_concurrency,
                timeout_s=cfg.request_timeout_s,
            )
        case "fake":
            return FakeGeneratorForTests(teacher=model if model != "embedded" else "fake-teacher")
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


def generate_shard_file(
    path: Path,
    problems: Sequence[Problem],
    backend: Backend,
    cfg: GenerateConfig,
    check: Check | None = None,
    vote: Vote | None = None,
) -> list[Record]:
    """Draw one shard with `cfg.strategy`, journaling each sample, then write `path` (write, then
    rename) and delete the journal. A journal left by a killed run is resumed, never redrawn.

    Example:
        >>> import tempfile
        >>> p = Problem(id="p1", source="demo", question="What is $2 + 2$?", answer="4")
        >>> path = Path(tempfile.mkdtemp()) / "shard-00000.jsonl"
        >>> cfg = GenerateConfig(backend="fake")
        >>> len(generate_shard_file(path, [p], build_generator(cfg), cfg)), path.exists()
        (4, True)
    """
    journal = Journal(path.with_name(path.name + ".partial"))
    with journal:
        records = run_strategy(problems, backend, cfg, journal, check, vote)
    write_models(path, records)
    journal.remove()
    return records
