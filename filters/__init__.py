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

from filters.rules import RulesFilter, Sample, check_rules
from filters.verified import VerifiedFilter
from s2s1.errors import UserError
from s2s1.records import Decision, Reason, Record

__all__ = ["Filter", "build_filters", "drop_counts", "filter_records", "filter_rows", "thinks_aloud"]


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


def thinks_aloud(texts: Sequence[str]) -> bool:
    """True when most texts have a `</think>`: then a text without a `<think>` block is broken."""
    return sum("</think>" in t for t in texts) * 2 > len(texts) > 0


def filter_rows(rows: Iterable[tuple[int, dict[str, Any]]], *, path: Path | str) -> Iterator[dict[str, Any]]:
    """Flat rows (problem fields + `completion`) with the rules filter's `decision` added, in order.

    A row without a string `completion` gets a drop decision with reason `bad_row` naming its line.
    A row's optional `finish_reason` ("length" marks a cut-off) is read; when most rows of the file
    think aloud, a row with no `<think>` block is `broken_think`.
    """
    rows = list(rows)
    require_think = thinks_aloud([r["completion"] for _, r in rows if isinstance(r.get("completion"), str)])
    for line, row in rows:
        completion = row.get("completion")
        if not isinstance(completion, str):
            reason = Reason(
                code="bad_row", detail=f"{path}:{line}: no `completion` string; add the model's text"
            )
            decision = Decision(filter=RulesFilter.name, keep=False, reasons=[reason])
        else:
            finish = row.get("finish_reason") if row.get("finish_reason") in ("length", "error") else "stop"
            sample = Sample(completion, finish, str(row.get("question") or ""), require_think)
            reasons = check_rules(sample)
            decision = Decision(filter=RulesFilter.name, keep=not reasons, reasons=reasons)
        yield {**row, "decision": decision.model_dump(mode="json")}
