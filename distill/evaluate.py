"""Evaluate a model on held-out problems with the same verifiers that built its training data.

`evaluate_model` samples k answers per problem (k = `sampling.n`) and verifies them. Accuracy is
pass@1 averaged over the k samples and then over problems; its 95% interval is a percentile
bootstrap over problems (2,000 resamples, fixed seed), so the k samples of one problem count as
one unit. Tokens per answer is the mean number of generated tokens per sample; tokens per solved
problem divides all generated tokens by the number of correct samples, and accuracy per 1,000
tokens is its inverse scaled to 1,000 (correct samples per 1,000 generated tokens). The sampling
settings, seed included, are recorded, and a rerun with them gives the same numbers. Per-problem
accuracies are kept too, so two models can be compared problem by problem
(`s2s1.stats.paired_difference`; the interval helpers live in `s2s1/stats.py`).

Students are sampled on `evaluate_backend(cfg)` (`student_generator`): `transformers`, vLLM's
offline engine (a constitution adapter served as a LoRA adapter on its base) or an
OpenAI-compatible server. It does not pick checkpoints and never sees the training data.

Example:
    >>> evaluate_backend(__import__("s2s1.config").config.Config())
    'transformers'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from s2s1.records import Problem, Record, Sampling
from s2s1.stats import accuracy_ci

__all__ = [
    "close_engine",
    "evaluate_backend",
    "evaluate_model",
    "judge_pass_rate",
    "sample_records",
    "student_generator",
    "summarize",
    "teacher_sampling",
]


def evaluate_model(
    generator: Any,
    problems: Sequence[Problem],
    sampling: Sampling,
    verifiers: Sequence[Any],
    *,
    timeout_s: float,
    workers: int,
    judge: Any = None,
) -> dict[str, Any]:
    """Generate k samples per problem, verify them, and summarise (see the module docstring)."""
    records = sample_records(generator, problems, sampling, verifiers, timeout_s=timeout_s, workers=workers)
    return summarize(records, sampling) | (judge_pass_rate(records, judge) if judge is not None else {})


def sample_records(
    generator: Any,
    problems: Sequence[Problem],
    sampling: Sampling,
    verifiers: Sequence[Any],
    *,
    timeout_s: float,
    workers: int,
) -> list[Record]:
    """k samples per problem (k = `sampling.n`), verified."""
    from s2s1.generators import generate
    from s2s1.verifiers import verify

    return list(
        verify(generate(problems, generator, sampling), verifiers, timeout_s=timeout_s, workers=workers)
    )


def summarize(records: Sequence[Record], sampling: Sampling) -> dict[str, Any]:
    """Accuracy, its interval and token counts of verified samples (see the module docstring)."""
    by_problem: dict[str, list[bool]] = defaultdict(list)
    for r in records:
        by_problem[r.problem.id].append(r.correct)
    accuracy, ci = accuracy_ci([sum(v) / len(v) for v in by_problem.values()])
    tokens = sum(r.trace.num_tokens for r in records)
    correct = sum(r.correct for r in records)
    return {
        "accuracy": accuracy,
        "ci95": ci,
        "tokens_per_answer": round(tokens / len(records), 2) if records else 0.0,
        "tokens_per_solved": round(tokens / correct, 2) if correct else None,
        "accuracy_per_1k_tokens": round(1000 * correct / tokens, 3) if tokens else 0.0,
        "n_problems": len(by_problem),
        "k": sampling.n,
        "samples": len(records),
        "correct_samples": correct,
        "sampling": sampling.model_dump(),
        "teacher_or_model": records[0].trace.teacher if records else None,
        "per_problem": {pid: round(sum(v) / len(v), 4) for pid, v in by_problem.items()},
    }


def judge_pass_rate(records: Sequence[Record], judge: Any) -> dict[str, Any]:
    """The share of samples `judge` keeps: per problem, then over problems, with its 95% interval."""
    by_problem: dict[str, list[bool]] = defaultdict(list)
    for record, decision in zip(records, judge.decide(records), strict=True):
        by_problem[record.problem.id].append(decision.keep)
    rate, ci = accuracy_ci([sum(v) / len(v) for v in by_problem.values()])
    return {
        "judge_pass_rate": rate,
        "judge_ci95": ci,
        "judge_per_problem": {pid: round(sum(v) / len(v), 4) for pid, v in by_problem.items()},
    }


def close_engine(generator: Any) -> None:
    """Stop a vLLM generator's engine now (its processes outlive the object and hold the KV cache,
    so the next model's engine would not fit beside it on a GPU); other generators need nothing."""
    from s2s1.generators.vllm_backend import VLLMGenerator

    if isinstance(generator, VLLMGenerator):
        generator.close()


def teacher_sampling(cfg: Any) -> Sampling:
    """The teacher's sampling when it is evaluated: generation's settings (its System 2 budget) with
    evaluation's k and seed; in export mode `context`, evaluation's own (the teacher is the base
    model with the constitution in its prompt, compared with its students at one budget)."""
    if cfg.export.mode == "context":
        return cfg.evaluate.sampling  # type: ignore[no-any-return]
    update = {"n": cfg.evaluate.sampling.n, "seed": cfg.evaluate.sampling.seed}
    return cfg.generate.sampling.model_copy(update=update)  # type: ignore[no-any-return]


def evaluate_backend(cfg: Any) -> str:
    """The engine that samples students: `evaluate.backend`, else the teacher's where it is an
    engine (`vllm`, `openai`), else `transformers`.

    Example:
        >>> from s2s1.config import Config
        >>> evaluate_backend(Config.model_validate({"generate": {"backend": "vllm"}}))
        'vllm'
    """
    if cfg.evaluate.backend is not None:
        return str(cfg.evaluate.backend)
    return str(cfg.generate.backend) if cfg.generate.backend in ("vllm", "openai") else "transformers"


def student_generator(cfg: Any, folder: Path, name: str, engines: dict[str, Any] | None = None) -> Any:
    """The generator of model `name` (`student` or `student_untrained`) saved in `folder`, on
    `evaluate_backend(cfg)`, prompted as the student's rows were (export's system prompt, no example).

    On `vllm` a peft adapter folder (a constitution adapter) is served on its base model through a
    `LoRARequest`; `engines` (base model → VLLMGenerator) lets models on one base share one engine.
    """
    system = cfg.export.system_prompt
    match evaluate_backend(cfg):
        case "vllm":
            from s2s1.generators.vllm_backend import VLLMGenerator

            engines = {} if engines is None else engines
            adapter = (Path(folder) / "adapter_config.json").is_file()
            base = _adapter_base(folder) if adapter else str(folder)
            if base not in engines:
                args = dict(cfg.generate.engine_args)
                gen = VLLMGenerator(
                    base, system, False, engine_args=args, adapter=folder if adapter else None
                )
                if cfg.export.mode == "context":  # the student is an adapter on this base: LoRA on
                    gen._enable_lora(cfg.train.lora_rank)
                engines[base] = gen
                return gen
            return engines[base].with_adapter(folder if adapter else None, system, False)
        case "openai":
            from s2s1.generators.openai_backend import OpenAIGenerator

            default = cfg.generate.model if name == "student_untrained" else "student"
            g = cfg.generate
            return OpenAIGenerator(
                cfg.evaluate.served.get(name, default),
                g.base_url,
                system,
                False,
                max_concurrency=g.max_concurrency,
                timeout_s=g.request_timeout_s,
            )
        case _:
            from s2s1.generators.transformers_backend import TransformersGenerator

            return TransformersGenerator(str(folder), system, False, batch_size=cfg.generate.batch_size)


def _adapter_base(folder: Path) -> str:
    """The base model of a peft adapter folder: adapter.json's `base` (ours), else peft's own record."""
    import json

    ours = Path(folder) / "adapter.json"
    if ours.is_file():
        return str(json.loads(ours.read_text())["base"])
    return str(json.loads((Path(folder) / "adapter_config.json").read_text())["base_model_name_or_path"])
