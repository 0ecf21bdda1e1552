"""The rows of an export: which kept records become rows in each `export.mode`, and each row's
chat and provenance columns (distill/export.py writes them and says what each column holds).

It reads records only; it does not write files, trim traces or deduplicate.

Example:
    >>> select_rows([], ExportConfig())
    []
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import Any

from s2s1.config import ExportConfig
from s2s1.records import Record, Sampling

__all__ = ["SAMPLING_FIELDS", "iter_rows", "select_rows", "to_row"]

SAMPLING_FIELDS = {
    "n": "int64",
    "temperature": "float64",
    "top_p": "float64",
    "max_tokens": "int64",
    "seed": "int64",
    "top_k": "int64",
    "min_p": "float64",
    "repetition_penalty": "float64",
    "chat_template_kwargs": "string",
}


def to_row(record: Record, system_prompt: str, answer: str | None = None) -> dict[str, Any]:
    """One training row: the chat plus the sample's provenance.

    The assistant turn is the full completion, or `answer` when it is given.
    """
    t = record.trace
    prompt = [
        {"role": "system", "content": system_prompt},
        {"role": "user", "content": record.problem.question},
    ]
    completion = [{"role": "assistant", "content": t.completion if answer is None else answer}]
    verdicts = [v.model_dump(mode="json", exclude={"elapsed_s"}) for v in record.verdicts.values()]
    return {
        "messages": prompt + completion,
        "prompt": prompt,
        "completion": completion,
        "question": record.problem.question,
        "problem_id": record.problem.id,
        "answer": record.problem.answer or "",
        "source": record.problem.source,
        "teacher": t.teacher,
        "num_tokens": t.num_tokens,
        "sampling": _sampling(t.sampling),
        "seed": t.seed,
        "verdicts": verdicts,
        "filter_reasons": [
            {"filter": k, "code": r.code} for k, d in record.decisions.items() for r in d.reasons
        ],
        "created_at": t.created_at.isoformat(),
    }


def _sampling(s: Sampling) -> dict[str, Any]:
    kwargs = s.chat_template_kwargs
    return {k: getattr(s, k) for k in SAMPLING_FIELDS} | {
        "chat_template_kwargs": None if kwargs is None else json.dumps(kwargs, sort_keys=True)
    }


def select_rows(kept: Iterable[Record], cfg: ExportConfig) -> list[dict[str, Any]]:
    """The rows of `cfg.mode` (see the module docstring) from kept records, in record order."""
    return list(iter_rows(kept, cfg))


def iter_rows(kept: Iterable[Record], cfg: ExportConfig) -> Iterator[dict[str, Any]]:
    """`select_rows`, one problem's records at a time.

    A problem's records are taken as a group when they are consecutive (as the run's shards
    hold them); what is remembered across groups is per problem id only (rows given, or done),
    so a problem met again later never gets more rows than its mode allows.
    """
    given: dict[str, int] = {}
    for pid, records in groupby(kept, key=lambda r: r.problem.id):
        group, done = list(records), given.get(pid, 0)
        match cfg.mode:
            case "reasoning" | "context":
                chosen = [to_row(r, cfg.system_prompt) for r in group[: max(0, cfg.max_per_problem - done)]]
            case "compact":
                shortest = min(group, key=lambda r: (r.trace.num_tokens, len(r.trace.completion)))
                chosen = [to_row(shortest, cfg.system_prompt)] if not done else []
            case "direct":
                answered = [(r, a) for r in group if (a := _extracted(r))][:1]
                chosen = [to_row(r, cfg.system_prompt, f"\\boxed{{{a}}}") for r, a in answered if not done]
        given[pid] = done + len(chosen)
        yield from chosen


def _extracted(record: Record) -> str | None:
    """The final answer a verifier extracted and judged correct, if any."""
    for verdict in record.verdicts.values():
        if verdict.outcome == "correct" and verdict.extracted:
            return verdict.extracted
    return None
