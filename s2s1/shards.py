"""Shard and file I/O that never leaves a half-written file.

Every file is written to a temporary name in the same folder and renamed into place, so a shard
file exists only when it is complete, and a crash never damages what was already written.
Files and folders get the modes the umask allows (as `open` and `mkdir` would give), not the
0600/0700 of a temporary file, so a run folder shared with a team stays readable.
JSON-lines readers name the file and line of a bad row (bad JSON or bytes that are not UTF-8).

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
import re
import secrets
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
    "follow_umask",
    "read_jsonl",
    "read_models",
    "remove_stale_temps",
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


def umask() -> int:
    """The process's umask, read without changing it where Linux allows (/proc), else via os.umask."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def follow_umask(path: Path) -> None:
    """Give a file made by mkstemp (0600) or a folder made by mkdtemp (0700) the mode `open` or
    `mkdir` would have given it: 0666 or 0777 less the umask. Only `path` itself, not its contents."""
    base = 0o777 if Path(path).is_dir() else 0o666
    os.chmod(path, base & ~umask())


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _new_temp(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _new_temp(path: Path) -> tuple[int, str]:
    """A new file `.NAME.xxxxxxxx.tmp` beside `path`, open for writing: `tempfile.mkstemp` with mode
    0666 less the umask, as `open` gives (a chmod and reading the umask cost ~0.14 ms a file)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    for _ in range(100):
        tmp = str(path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{path.parent}: no free temporary name for {path.name}")


@contextmanager
def atomic_folder(out: Path) -> Iterator[Path]:
    """A temporary folder beside `out` to fill; when the block ends, it replaces `out`.

    If the block raises, the temporary folder is removed and `out` is left as it was. A folder
    left by a killed process (`.NAME.xxxx` beside `out`) is removed by `remove_stale_temps`. An
    existing `out` is first renamed aside, so `out` is always either the old or the new folder.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    try:
        yield tmp
        follow_umask(tmp)
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
            out.rename(old / out.name)
        tmp.rename(out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


_TEMP = re.compile(r"^\.[^.].*\.[a-z0-9_]{8}(\.tmp)?$")  # names of temporaries made above


def remove_stale_temps(folder: Path) -> list[Path]:
    """Remove the temporary files and folders that killed writers left anywhere under `folder`.

    Only names this module makes (`.NAME.xxxxxxxx` folders, `.NAME.xxxxxxxx.tmp` files) are
    removed; call it only while no other process writes `folder` (the run-folder lock). Returns
    what was removed.
    """
    removed = []
    for root, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            if _TEMP.match(name):
                path = Path(root) / name
                shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
                removed.append(path)
        dirs[:] = [d for d in dirs if not _TEMP.match(d)]
    return removed


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
    for n, raw in _raw_lines(path):
        row = _row(path, n, raw)
        if row is not None:
            yield n, row


def _raw_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) of each line of `path`; UserError when it cannot be opened."""
    path = Path(path)
    try:
        f = path.open("rb")
    except OSError as e:
        raise UserError(f"{path}: cannot read ({e.strerror}); check the path") from None
    with f:
        yield from enumerate(f, start=1)


def _row(path: Path, n: int, raw: bytes) -> dict[str, Any] | None:
    """Line `n` as a JSON object, None when blank; UserError naming the line when it is not one."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UserError(
            f"{path}:{n}: not UTF-8 text (byte {raw[e.start]:#04x} at column {e.start + 1}); "
            "re-encode the file as UTF-8"
        ) from None
    if not line.strip():
        return None
    try:
        row = json.loads(line)
    except json.JSONDecodeError as e:
        raise UserError(f"{path}:{n}: not valid JSON ({e.msg}); {_fix(path)}") from None
    if not isinstance(row, dict):
        raise UserError(f"{path}:{n}: expected a JSON object, got {type(row).__name__}")
    return row


def _fix(path: Path) -> str:
    """What to do about a bad line: a run's shard is redone whole (removing only the line would
    lose its sample without a word); any other file is the user's to fix."""
    if path.name.startswith("shard-") and path.parent.name in ("traces", "verified", "filtered", "rejected"):
        return "move the shard out of the run folder and rerun: the stage redoes it whole"
    return "fix or remove the line"


def read_models(path: Path, model: type[M]) -> list[M]:
    """Read JSON lines into `model` instances; a bad row raises UserError with its line.

    Each line is parsed and validated in one step by pydantic's own JSON parser
    (`model_validate_json`: no intermediate dicts; the verify stage's reading took half the
    time). A line it rejects is read again as `read_jsonl` reads it, then validated, so a bad
    line gets the same message as before and a line only Python's json module accepts (a lone
    surrogate escape) is still read; the models are the same either way.
    """
    out = []
    for n, raw in _raw_lines(path):
        if not raw.strip():
            continue
        try:
            out.append(model.model_validate_json(raw))
            continue
        except ValidationError:
            row = _row(path, n, raw)  # the slow path: its error, or a row the json module accepts
        if row is None:
            continue
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
