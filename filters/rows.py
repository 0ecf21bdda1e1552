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

from s2s1.errors import UserError
from s2s1.filters.judge import JudgeFilter
from s2s1.filters.rules import RulesFilter, Sample, apply_rules
from s2s1.filters.screen import INSTALL, ScreenFilter, screen_available
from s2s1.records import Decision, Problem, Reason, Record, Trace

__all__ = ["filter_rows"]


BATCH = 64  # rows decided together (the judge batches its prompts); the rest stream


def filter_rows(
    rows: Iterable[tuple[int, dict[str, Any]]],
    *,
    path: Path | str,
    judge: JudgeFilter | None = None,
    screen: ScreenFilter | bool = False,
) -> Iterator[dict[str, Any]]:
    """Flat rows (problem fields + `completion`) with the filter's `decision` added, in order,
    `BATCH` rows at a time (memory does not grow with the file). `screen`: True runs the shipped
    learned screen (`s2s1.filters.screen`; UserError when its encoder wheel is not installed),
    False does not, or give the screen to run."""
    if screen is True:
        if not screen_available():
            raise UserError(f"the learned screen needs the encoder wheel: {INSTALL}")
        screen = ScreenFilter()
    it = iter(rows)
    while batch := list(islice(it, BATCH)):
        yield from _filter_batch(batch, path=path, judge=judge, screen=screen or None)


def _question(row: dict[str, Any]) -> str:
    """The prompt a row answers: its `question`, else its `prompt` (text or chat messages)."""
    q = row.get("question") or row.get("prompt") or ""
    if isinstance(q, list):  # chat messages: the user turns
        q = "\n".join(str(m.get("content", "")) for m in q if isinstance(m, dict) and m.get("role") == "user")
    return str(q)


def _filter_batch(
    rows: list[tuple[int, dict[str, Any]]],
    *,
    path: Path | str,
    judge: JudgeFilter | None,
    screen: ScreenFilter | None,
) -> Iterator[dict[str, Any]]:
    """One batch of `filter_rows`.

    A row without a string `completion` gets a drop decision with reason `bad_row` naming its line.
    A row's optional `finish_reason` ("length" marks a cut-off) is read. A row with no `<think>`
    block is not broken here (files mix styles); the pipeline decides that per shard. With a
    `judge`, the rows the rules keep are also judged against its constitution, and `decision`
    (filter `rules,judge`) holds both; with a `screen`, every row is also scored by it (filter
    `rules,screen`, or `rules,screen,judge`). The rules and the screen read the row's `question`
    (or `prompt`).
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
            sample = Sample(completion, finish, _question(row))
            reasons, scores = apply_rules(sample)
            decisions.append(
                Decision(filter=RulesFilter.name, keep=not reasons, reasons=reasons, scores=scores)
            )
        problem = Problem(id=str(row.get("id", line)), source=str(path), question=_question(row))
        trace = Trace(problem_id=problem.id, index=line, teacher="unknown", prompt=[], response=completion)
        records.append(Record(problem=problem, trace=trace, decisions={RulesFilter.name: decisions[-1]}))
    if screen is not None:
        for i, verdict in enumerate(screen.decide(records)):
            decisions[i] = _both(decisions[i], verdict, screen.name)
    if judge is not None:
        for i, verdict in enumerate(judge.decide(records)):
            decisions[i] = _both(decisions[i], verdict, judge.name)
    for (_, row), decision in zip(rows, decisions, strict=True):
        yield {**row, "decision": decision.model_dump(mode="json")}


def _both(first: Decision, then: Decision, name: str) -> Decision:
    """Two decisions as one: kept only when both keep; every reason and score."""
    return Decision(
        filter=f"{first.filter},{name}",
        keep=first.keep and then.keep,
        reasons=[*first.reasons, *then.reasons],
        scores={**first.scores, **then.scores},
    )
