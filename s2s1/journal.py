"""The journal of an unfinished shard: finished records, appended one line at a time.

A generation shard can take hours. While it runs, every finished sample is appended to
`<shard>.partial` (a JSON line, flushed at once, so a killed process loses nothing it had
finished; fsynced at most every `sync_s` seconds, so a machine crash loses at most that long).
A rerun reads the journal back, draws only the samples it lacks, then writes the shard file
(write, then rename) and deletes the journal. So each (problem, sample index) is drawn once and
written once, however often the process dies.

Reading tolerates what a kill can leave: a last line cut off mid-write (no newline) is ignored,
and cut away before the next append, so its sample is drawn again; a key already seen keeps its
first record. A bad whole line is not a crash artefact and raises UserError with file and line.

This module does not decide which samples a shard needs (generators/strategies.py does).

Example:
    >>> import tempfile, pathlib
    >>> from s2s1.records import Problem, Record, Trace
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "shard-00000.jsonl.partial"
    >>> p = Problem(id="p", source="demo", question="1+1?", answer="2")
    >>> with Journal(path) as j:
    ...     j.append(Record(problem=p, trace=Trace(problem_id="p", index=0, teacher="t", prompt=[])))
    >>> [r.key for r in Journal(path).read()]
    ['p#0']
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from s2s1.errors import UserError
from s2s1.records import Record

__all__ = ["Journal"]


class Journal:
    """Append-only record log of one unfinished shard (see the module docstring)."""

    def __init__(self, path: Path, sync_s: float = 2.0) -> None:
        self.path = Path(path)
        self.sync_s = sync_s
        self._file: IO[str] | None = None
        self._synced = time.monotonic()

    def read(self) -> list[Record]:
        """The records already journaled, first one per key; [] when there is no journal."""
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").split("\n")
        complete = lines[:-1]  # the part after the last newline is "" unless a write was cut off
        out: dict[str, Record] = {}
        for n, line in enumerate(complete, start=1):
            if not line.strip():
                continue
            try:
                record = Record.model_validate_json(line)
            except ValidationError as e:
                raise UserError(
                    f"{self.path}:{n}: not a record ({e.errors()[0]['msg']}); "
                    "delete the file to redo the shard"
                ) from None
            out.setdefault(record.key, record)
        return list(out.values())

    def append(self, record: Record) -> None:
        """Write one record as a line and flush it to the operating system."""
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists():  # cut away a line a killed writer left unfinished
                data = self.path.read_bytes()
                os.truncate(self.path, data.rfind(b"\n") + 1)
            self._file = self.path.open("a", encoding="utf-8")
        self._file.write(record.model_dump_json() + "\n")
        self._file.flush()
        if time.monotonic() - self._synced >= self.sync_s:
            os.fsync(self._file.fileno())
            self._synced = time.monotonic()

    def close(self) -> None:
        """Sync and close the file (appending again reopens it)."""
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self._file = None

    def remove(self) -> None:
        """Close and delete the journal (once the shard file is written)."""
        self.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
