"""The output file of `s2s1 verify` and `s2s1 filter`: checked first, written as rows come, resumable.

`RowsOutput(output, added=...)` checks `-o` before any work (a folder, a missing permission, a
read-only disk: one UserError line), then appends each finished row to `OUT.partial` beside
`OUT` (flushed per row), and renames it to `OUT` only when every row is written. A run that was
killed (or stopped by a full disk) leaves `OUT.partial`; the next run with the same input and
output skips the rows it holds: `remaining(rows)` checks that the written rows are the input's
first rows in order (each written row, less the keys the command adds, equals its input row),
cuts away a last line the kill tore, and yields only the rest. A partial file from other input
is refused in one line naming both lines. It counts each row's `tally(row)` for the summary.

`read_rows(path)` reads the input like `s2s1.shards.read_jsonl`, except that a line that is not
UTF-8 or not a JSON object becomes the row `{"bad_line": REASON}`, which the commands give an
error verdict or a drop decision naming its line (design §5: a bad row does not stop the others).

It does not verify or filter anything, and holds no row longer than it takes to write it.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import typer

from s2s1.errors import UserError
from s2s1.shards import follow_umask, read_jsonl

__all__ = ["BAD_LINE", "RowsOutput", "read_rows"]

BAD_LINE = "bad_line"  # the one key of the row that stands for a line that is not a JSON object

Row = tuple[int, dict[str, Any]]


class RowsOutput:
    """`OUT.partial` written row by row and renamed to `OUT` by `finish()` (module docstring)."""

    def __init__(self, output: Path, added: tuple[str, ...], tally: Callable[[dict[str, Any]], str]) -> None:
        self.output = Path(output)
        self.partial = self.output.with_name(self.output.name + ".partial")
        self.added, self.tally, self.counts = added, tally, Counter[str]()
        self._file: IO[str] | None = None
        if self.output.is_dir():
            raise UserError(
                f"{self.output}: is a folder; give -o a file path such as {self.output}/rows.jsonl"
            )
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            with open(self.partial, "ab"):  # the check: can we write there at all?
                pass
            if not os.access(self.output.parent, os.W_OK):
                raise PermissionError(13, "Permission denied", str(self.output.parent))
        except OSError as e:
            where = e.filename or self.partial
            raise UserError(f"{where}: cannot write ({e.strerror}); give -o a writable path") from None

    def remaining(self, rows: Iterable[Row], source: Path) -> Iterator[Row]:
        """The input rows not yet in `OUT.partial`; the ones already there are checked and tallied."""
        data_end = _whole_lines_end(self.partial)
        os.truncate(self.partial, data_end)  # a line a killed writer left unfinished
        done = read_jsonl(self.partial) if data_end else iter(())
        resumed = 0
        for n, row in rows:
            written = next(done, None)
            if written is None:
                done = iter(())
                yield n, row
                continue
            if _strip(written[1], self.added) != _strip(row, self.added):
                raise UserError(
                    f"{self.partial}:{written[0]}: does not match {source}:{n} (left by a run on other "
                    f"rows); delete {self.partial} to start over"
                )
            self.counts[self.tally(written[1])] += 1
            resumed += 1
            if resumed == 1:
                typer.echo(f"resuming from {self.partial}", err=True)
        if next(done, None) is not None:
            raise UserError(f"{self.partial}: holds more rows than the input; delete it to start over")

    def write(self, row: dict[str, Any]) -> None:
        """Append one finished row (flushed, so a kill loses no finished row)."""
        if self._file is None:
            self._file = open(self.partial, "a", encoding="utf-8")  # noqa: SIM115 - closed in finish()
        self._file.write(json.dumps(row, ensure_ascii=False) + "\n")
        self._file.flush()
        self.counts[self.tally(row)] += 1

    def finish(self) -> None:
        """Sync `OUT.partial` and rename it to `OUT`, with the mode the umask allows."""
        if self._file is not None:
            os.fsync(self._file.fileno())
            self._file.close()
        follow_umask(self.partial)
        os.replace(self.partial, self.output)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def read_rows(path: Path) -> Iterator[Row]:
    """(line number, row) for each non-blank line; a bad line is `{BAD_LINE: why}` (module docstring)."""
    path = Path(path)
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as e:
        raise UserError(f"{path}: cannot read ({e.strerror}); check the path") from None
    with f:
        for n, raw in enumerate(f, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield n, {BAD_LINE: f"not UTF-8 text (byte {raw[e.start]:#04x} at column {e.start + 1})"}
                continue
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                yield n, {BAD_LINE: f"not valid JSON ({e.msg})"}
                continue
            yield (
                n,
                row
                if isinstance(row, dict)
                else {BAD_LINE: f"expected a JSON object, got {type(row).__name__}"},
            )


def _whole_lines_end(path: Path) -> int:
    """The length of `path` up to and including its last newline."""
    with open(path, "rb") as f:
        size = f.seek(0, os.SEEK_END)
        pos = size
        while pos > 0:
            start = max(0, pos - 65536)
            f.seek(start)
            cut = f.read(pos - start).rfind(b"\n")
            if cut >= 0:
                return start + cut + 1
            pos = start
    return 0


def _strip(row: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in keys}
