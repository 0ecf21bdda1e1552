"""The filter stage: screen verified records and say, for every record, why it was kept or dropped.

Filters are chosen by name from the config with a plain `match` (no registry): `verified` keeps
only correct traces, `rules` applies the cheap rules of `filters.rules`. Every filter runs on
every record, even after another dropped it, so `rejected/` lists all the reasons. The stage
yields every record with its decisions; the caller writes kept ones to `filtered/` and dropped
ones to `rejected/`.

Example:
    >>> [f.name for f in build_filters(["verified", "rules"])]
    ['verified', 'rules']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar, Protocol

from filters.rules import RulesFilter
from filters.verified import VerifiedFilter
from generators.prompts import split_think
from s2s1.errors import UserError
from s2s1.records import Decision, Problem, Reason, Record, Trace

__all__ = ["Filter", "build_filters", "drop_counts", "filter_records", "filter_rows"]


class Filter(Protocol):
    """Decides keep or drop for one record, and why (design §4)."""

    name: ClassVar[str]

    def __call__(self, record: Record) -> Decision: ...


def build_filters(names: Sequence[str]) -> list[Filter]:
    """The filters named in the config, in order."""
    filters: list[Filter] = []
    for name in names:
        match name:
            case "verified":
                filters.append(VerifiedFilter())
            case "rules":
                filters.append(RulesFilter())
            case _:
                raise UserError(f"filter.filters: unknown filter {name!r}; choose from verified, rules")
    return filters


def filter_records(records: Iterable[Record], filters: Sequence[Filter]) -> Iterator[Record]:
    """Every record, with each filter's decision added under its name."""
    for record in records:
        decisions = {**record.decisions, **{f.name: f(record) for f in filters}}
        yield record.model_copy(update={"decisions": decisions})


def drop_counts(records: Iterable[Record]) -> dict[str, int]:
    """Dropped records per reason code (a record dropped for two reasons counts under both)."""
    counts = Counter(
        reason.code for r in records for d in r.decisions.values() if not d.keep for reason in d.reasons
    )
    return dict(counts.most_common())


def filter_rows(rows: Iterable[tuple[int, dict[str, Any]]], *, path: Path | str) -> Iterator[dict[str, Any]]:
    """Flat rows (problem fields + `completion`) with the rules filter's `decision` added, in order.

    A row without a string `completion` gets a drop decision with reason `bad_row` naming its line.
    """
    rules = RulesFilter()
    for line, row in rows:
        completion = row.get("completion")
        if not isinstance(completion, str):
            reason = Reason(
                code="bad_row", detail=f"{path}:{line}: no `completion` string; add the model's text"
            )
            decision = Decision(filter=rules.name, keep=False, reasons=[reason])
        else:
            reasoning, response = split_think(completion)
            trace = Trace(
                problem_id=str(row.get("id", line)),
                index=0,
                teacher="unknown",
                prompt=[],
                reasoning=reasoning,
                response=response,
            )
            problem = Problem(id=trace.problem_id, source=str(path), question=str(row.get("question", "")))
            decision = rules(Record(problem=problem, trace=trace))
        yield {**row, "decision": decision.model_dump(mode="json")}
