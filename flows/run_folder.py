"""What `s2s1 run` checks and tidies in a run folder before any stage starts (design §7).

- `preflight(cfg)`: config problems found before Prefect starts and before the run folder is
  made: a `generate.model` that names a local path which is not a folder.
- `lock(run_dir)`: an exclusive `fcntl.flock` on `RUN_DIR/.lock`, held while the run lasts; a
  second run on the same folder is refused in one line naming the other process's pid.
- `tidy(run_dir)`: under the lock, removes the temporary files and folders of writers that were
  killed (`.dataset.*`, `.student.*`, `.NAME.*.tmp`; `s2s1.shards.remove_stale_temps`), and
  turns a finished traces shard whose last line is torn (cut off by a full disk or a broken
  copy) back into an unfinished one: its whole lines become the shard's journal
  (`shard-N.jsonl.partial`, s2s1/journal.py), so the generate stage draws the missing samples
  again; it says so on stderr, naming file:line. A traces shard already verified is left alone.
  A torn verified, filtered or rejected shard is removed (with the shards made from it: they are
  derived, and the stage redoes them), also naming file:line.

This module does not run stages and does not import Prefect.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from s2s1.config import Config
from s2s1.errors import UserError
from s2s1.shards import atomic_write_text, remove_stale_temps

__all__ = ["lock", "preflight", "tidy", "torn_line"]

_DERIVED = {  # a torn shard here is removed with the shards made from it; its stage redoes them
    "verified": ("verify", ("verified", "filtered", "rejected")),
    "filtered": ("filter", ("filtered", "rejected")),
    "rejected": ("filter", ("filtered", "rejected")),
}


def preflight(cfg: Config) -> None:
    """UserError (one line) for a config that would fail only after the run started."""
    name = cfg.generate.model
    if cfg.generate.backend == "openai" or name == "embedded":
        return
    path = Path(name).expanduser()
    looks_local = name.startswith(("/", "./", "../", "~")) or path.exists()
    if looks_local and not path.is_dir():
        what = "is a file, not a model folder" if path.exists() else "no such folder"
        raise UserError(
            f"generate.model: {name}: {what}; give a model folder, `embedded`, or a hub id (org/name)"
        )


@contextmanager
def lock(run_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on `run_dir` (created if missing) for the block."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / ".lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise UserError(
                f"{run_dir}: another s2s1 run (pid {other}) is using this run folder; "
                "wait for it to end, or pass another --out"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock


def tidy(run_dir: Path) -> None:
    """Remove killed writers' temporaries; reopen torn finished traces shards (module docstring)."""
    run_dir = Path(run_dir)
    for path in remove_stale_temps(run_dir):
        typer.echo(f"removed {path} (left by a run that was stopped)", err=True)
    for folder, (stage, redo) in _DERIVED.items():
        for shard in sorted((run_dir / folder).glob("shard-*.jsonl")):
            if (line := torn_line(shard)) is not None:
                for name in redo:
                    (run_dir / name / shard.name).unlink(missing_ok=True)
                typer.echo(
                    f"{shard}:{line}: last line torn (cut off mid-write); removed, {stage} redoes it",
                    err=True,
                )
    for shard in sorted((run_dir / "traces").glob("shard-*.jsonl")):
        line = torn_line(shard)
        if line is None or (run_dir / "verified" / shard.name).exists():
            continue
        data = shard.read_bytes()
        journal = shard.with_name(shard.name + ".partial")
        whole = data.rstrip(b"\n")
        atomic_write_text(journal, whole[: whole.rfind(b"\n") + 1].decode("utf-8", errors="replace"))
        shard.unlink()
        typer.echo(
            f"{shard}:{line}: last line torn (cut off mid-write); kept the {line - 1} lines before it "
            f"in {journal.name}, and the generate stage draws the missing samples again",
            err=True,
        )


def torn_line(path: Path) -> int | None:
    """The number of `path`'s last line when it is cut off (no newline, or not JSON), else None."""
    with open(path, "rb") as f:
        size = f.seek(0, os.SEEK_END)
        if size == 0:
            return None
        step, tail = 65536, b""
        while True:  # read back from the end until the last line is whole
            start = max(0, size - len(tail) - step)
            f.seek(start)
            tail = f.read(size - start)
            if start == 0 or tail.rstrip(b"\n").rfind(b"\n") >= 0:
                break
        last = tail.rstrip(b"\n").rsplit(b"\n", 1)[-1]
        whole = tail.endswith(b"\n")
        try:
            ok = whole and isinstance(json.loads(last), dict)
        except ValueError:
            ok = False
        if ok:
            return None
        f.seek(0)
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) + (not whole)
