"""`s2s1 filter` on flat rows: the rules (and optionally the judge) on JSON-lines rows from any tool.

A flat row is a problem's fields plus the model's `completion`; no run folder, trace ids or
verifier verdicts are needed. Each row gets one `decision`. This module does not run the
pipeline's other filters (verified, decontam, dedup, probe, quality): they need a run.

Example:
    >>> [r["decision"]["keep"] for r in filter_rows([(1, {"completion": "The answer is 4."})], path="x")]
    [True]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from s2s1.filters.judge import JudgeFilter
from s2s1.filters.rules import RulesFilter, Sample, check_rules, rule_scores
from s2s1.records import Decision, Problem, Reason, Record, Trace

__all__ = ["filter_rows"]


BATCH = 64  # rows decided together (the judge batches its prompts); the rest stream


def filter_rows(
    rows: Iterable[tuple[int, dict[str, Any]]], *, path: Path | str, judge: JudgeFilter | None = None
) -> Iterator[dict[str, Any]]:
    """Flat rows (problem fields + `completion`) with the filter's `decision` added, in order,
    `BATCH` rows at a time (memory does not grow with the file)."""
    it = iter(rows)
    while batch := list(islice(it, BATCH)):
        yield from _filter_batch(batch, path=path, judge=judge)


def _filter_batch(
    rows: list[tuple[int, dict[str, Any]]], *, path: Path | str, judge: JudgeFilter | None
) -> Iterator[dict[str, Any]]:
    """One batch of `filter_rows`.

    A row without a string `completion` gets a drop decision with reason `bad_row` naming its line.
    A row's optional `finish_reason` ("length" marks a cut-off) is read. A row with no `<think>`
    block is not broken here (files mix styles); the pipeline decides that per shard. With a
    `judge`, the rows the rules keep are also judged against its constitution, and `decision`
    (filter `rules,judge`) holds both.
    """
    decisions, records = [], []
    for line, row in rows:
        completion = row.get("completion")
        if not isinstance(completion, str):
            reason = Reason(
                code="bad_row", detail=f"{path}:{line}: no `completion` string; add the model's text"
            )
            decisions.append(Decision(filter=RulesFilter.name, keep=False, reasons=[reason]))
            completion = ""
        else:
            finish = row.get("finish_reason") if row.get("finish_reason") in ("length", "error") else "stop"
            sample = Sample(completion, finish, str(row.get("question") or ""))
            reasons = check_rules(sample)
            decisions.append(
                Decision(
                    filter=RulesFilter.name, keep=not reasons, reasons=reasons, scores=rule_scores(sample)
                )
            )
        problem = Problem(
            id=str(row.get("id", line)), source=str(path), question=str(row.get("question") or "")
        )
        trace = Trace(problem_id=problem.id, index=line, teacher="unknown", prompt=[], response=completion)
        records.append(Record(problem=problem, trace=trace, decisions={RulesFilter.name: decisions[-1]}))
    if judge is not None:
        for i, verdict in enumerate(judge.decide(records)):
            rules = decisions[i]
            decisions[i] = Decision(
                filter=f"{RulesFilter.name},{judge.name}",
                keep=rules.keep and verdict.keep,
                reasons=[*rules.reasons, *verdict.reasons],
                scores={**rules.scores, **verdict.scores},
            )
    for (_, row), decision in zip(rows, decisions, strict=True):
        yield {**row, "decision": decision.model_dump(mode="json")}
