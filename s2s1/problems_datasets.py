"""Problems from a `datasets` source: a hub id, or local parquet/JSON-lines/CSV files.

`problems.sources: [{dataset: openai/gsm8k, subset: main, split: test, fields: {...}}]` loads
with `datasets.load_dataset`; a local file or folder (`dataset: data/train.parquet`) goes through
the matching packaged builder (`parquet`, `json`, `csv`), so it works offline. `fields` maps
each Problem field to a column (`question`, `answer`, `tests`, `id`); unmapped ones are read
from columns of their own name. Every other column is kept in `Problem.metadata`; answers are
kept as strings, as in JSON-lines files (the maths verifier reads a GSM8K `#### 72` or a MATH
`\\boxed{}` down to its final answer). A missing column is one UserError naming it and the
columns that exist. This module downloads only what `datasets` fetches for a hub id, and only
where a hub is reachable (HF_HUB_OFFLINE=1 makes that a clear error).

Example:
    >>> import tempfile, pandas as pd
    >>> path = Path(tempfile.mkdtemp()) / "gsm.parquet"
    >>> pd.DataFrame({"problem": ["1+1?"], "solution": ["1+1=2 #### 2"]}).to_parquet(path)
    >>> from s2s1.config import ProblemSource
    >>> src = ProblemSource(dataset=str(path), fields={"question": "problem", "answer": "solution"})
    >>> [(p.id, p.question, p.answer) for p in read_dataset_source(src)]
    [('gsm-0', '1+1?', '1+1=2 #### 2')]
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from s2s1.config import ProblemSource
from s2s1.errors import UserError
from s2s1.records import Problem

__all__ = ["read_dataset_source"]

_BUILDERS = {".parquet": "parquet", ".jsonl": "json", ".json": "json", ".csv": "csv"}


def read_dataset_source(source: ProblemSource) -> list[Problem]:
    """The problems of one `dataset` source, in the data set's order."""
    assert source.dataset is not None
    table = _load(source)
    where = f"problems.sources dataset {source.dataset!r} (split {source.split})"
    columns = list(table.column_names)
    mapping = {field: source.fields.get(field, field) for field in ("id", "question", "answer", "tests")}
    for field in ("question",) + (
        ("answer",) if "tests" not in mapping or mapping["tests"] not in columns else ()
    ):
        if mapping[field] not in columns:
            raise UserError(
                f"{where}: no column {mapping[field]!r} for {field}; columns: {', '.join(columns)}; "
                f"map it with fields: {{{field}: COLUMN}}"
            )
    for field, column in source.fields.items():
        if column not in columns:
            raise UserError(f"{where}: fields.{field}: no column {column!r}; columns: {', '.join(columns)}")
    used = {c for c in mapping.values() if c in columns}
    stem = Path(source.dataset).stem if Path(source.dataset).exists() else source.dataset.replace("/", "-")
    problems = []
    for n, row in enumerate(table):
        if source.limit and n >= source.limit:
            break
        answer, tests = row.get(mapping["answer"]), row.get(mapping["tests"])
        try:
            problems.append(
                Problem(
                    id=str(row.get(mapping["id"], f"{stem}-{n}")),
                    source=source.dataset,
                    domain="code" if tests is not None and answer is None else "math",
                    question=str(row[mapping["question"]]),
                    answer=None if answer is None else str(answer),
                    tests=json.loads(tests) if isinstance(tests, str) else tests,
                    metadata={k: v for k, v in row.items() if k not in used},
                )
            )
        except (ValidationError, ValueError) as e:
            raise UserError(f"{where}: row {n}: {str(e).splitlines()[0]}") from None
    return problems


def _load(source: ProblemSource) -> Any:
    import datasets

    assert source.dataset is not None
    local = Path(source.dataset)
    try:
        if local.exists():
            files = (
                sorted(p for p in local.rglob("*") if p.suffix in _BUILDERS) if local.is_dir() else [local]
            )
            if not files or len({_BUILDERS.get(p.suffix) for p in files}) != 1:
                raise UserError(f"{local}: expected .parquet, .jsonl, .json or .csv files of one kind")
            builder = _BUILDERS[files[0].suffix]
            return datasets.load_dataset(builder, data_files=[str(p) for p in files], split=source.split)
        return datasets.load_dataset(source.dataset, source.subset, split=source.split)
    except UserError:
        raise
    except Exception as e:  # no network, an unknown id or split: one line with the cause
        first = (str(e).strip().splitlines() or [type(e).__name__])[0][:200]
        raise UserError(
            f"problems.sources dataset {source.dataset!r}: cannot load it ({type(e).__name__}: {first}); "
            "check the id, subset and split, or point it at local files"
        ) from None
