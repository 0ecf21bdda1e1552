"""Shard and file I/O that never leaves a half-written file.

Every file is written to a temporary name in the same folder and renamed into place, so a shard
file exists only when it is complete, and a crash never damages what was already written.
JSON-lines readers name the file and line of a bad row.

This module does not decide what goes in a shard or when a stage is done; the flows do.

Example:
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.jsonl"
    >>> write_jsonl(p, [{"a": 1}])
    >>> [row for _, row in read_jsonl(p)]
    [{'a': 1}]
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from s2s1.errors import UserError

__all__ = [
    "atomic_folder",
    "atomic_write_text",
    "chunks",
    "read_jsonl",
    "read_models",
    "shard_path",
    "write_json",
    "write_jsonl",
    "write_models",
]

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


def shard_path(run_dir: Path, stage: str, index: int) -> Path:
    """`run_dir/stage/shard-00003.jsonl`."""
    return Path(run_dir) / stage / f"shard-{index:05d}.jsonl"


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_folder(out: Path) -> Iterator[Path]:
    """A temporary folder beside `out` to fill; when the block ends, it replaces `out`.

    If the block raises, the temporary folder is removed and `out` is left as it was.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    try:
        yield tmp
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    """Write dicts as JSON lines, atomically."""
    atomic_write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def write_models(path: Path, models: Iterable[BaseModel]) -> None:
    """Write pydantic models as JSON lines, atomically."""
    atomic_write_text(path, "".join(m.model_dump_json() + "\n" for m in models))


def write_json(path: Path, obj: Any) -> None:
    """Write one JSON document, indented, atomically."""
    atomic_write_text(path, json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n")


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line.

    Raises UserError naming the file and line when a line is not a JSON object.
    """
    path = Path(path)
    try:
        f = path.open(encoding="utf-8")
    except OSError as e:
        raise UserError(f"{path}: cannot read ({e.strerror}); check the path") from None
    with f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise UserError(f"{path}:{n}: not valid JSON ({e.msg}); fix or remove the line") from None
            if not isinstance(row, dict):
                raise UserError(f"{path}:{n}: expected a JSON object, got {type(row).__name__}")
            yield n, row


def read_models(path: Path, model: type[M]) -> list[M]:
    """Read JSON lines into `model` instances; a bad row raises UserError with its line."""
    out = []
    for n, row in read_jsonl(path):
        try:
            out.append(model.model_validate(row))
        except ValidationError as e:
            err = e.errors()[0]
            where = ".".join(str(x) for x in err["loc"]) or "row"
            raise UserError(f"{path}:{n}: {where}: {err['msg']}") from None
    return out


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """Split `items` into consecutive slices of at most `size`."""
    return [items[i : i + size] for i in range(0, len(items), size)]
