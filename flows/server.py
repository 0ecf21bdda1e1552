"""The Prefect server a run talks to: the user's (`PREFECT_API_URL`), checked first, or a temporary one.

`prefect_server()` is a context manager around a flow call:

- with `PREFECT_API_URL` set (in the environment or the Prefect profile), it asks that
  server's `/health` with a short timeout and raises one UserError line naming the URL when it
  does not answer (a closed port, a port that accepts and never answers), before any flow starts;
- without it, it starts a temporary server (Prefect's own ASGI app under uvicorn, the command
  Prefect's ephemeral mode runs, no UI) as a child process, says so on stderr, waits until it
  answers (`STARTUP_S`, long enough for a busy machine; it stops waiting early if the child
  exits), points Prefect at it for the block, and stops it when the block ends. The child runs
  in its own process group (a SIGTERM or Ctrl-C to the `s2s1` group does not kill it under the
  flow's feet) and is sent SIGKILL by the kernel when `s2s1` dies, even by SIGKILL
  (PR_SET_PDEATHSIG), so no server outlives the command.

Prefect's console log shows a UserError or OSError raised inside the flow without its traceback.

It does not run flows and does not manage a long-lived server (`s2s1 deploy` does).
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import typer

from s2s1.errors import UserError

__all__ = ["STARTUP_S", "check_api", "prefect_server"]

STARTUP_S = 300.0  # Prefect's own limit is 20 s, which a busy machine misses
_PR_SET_PDEATHSIG = 1


@contextmanager
def prefect_server() -> Iterator[str]:
    """Yield the API URL the flow should use (see the module docstring)."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    url = PREFECT_API_URL.value()  # the environment's, else the Prefect profile's
    if url:
        check_api(url)
        _quiet_tracebacks()
        yield url
        return
    _quiet_tracebacks()
    proc, url = _start()
    try:
        _wait(proc, url)
        with temporary_settings({PREFECT_API_URL: url}):
            yield url
    finally:
        _stop(proc)


def check_api(url: str, timeout_s: float = 10.0) -> None:
    """UserError (one line naming `url`) unless `url`/health answers 200 within `timeout_s`."""
    try:
        response = httpx.get(f"{url.rstrip('/')}/health", timeout=timeout_s)
        response.raise_for_status()
    except httpx.HTTPError as e:
        why = f"no answer in {timeout_s:.0f} s" if isinstance(e, httpx.TimeoutException) else str(e)
        raise UserError(
            f"PREFECT_API_URL={url}: the Prefect server does not answer ({why}); start it "
            "(`prefect server start`), fix the URL, or unset PREFECT_API_URL to use a temporary server"
        ) from None


def _quiet_tracebacks() -> None:
    """Prefect's console log prints a UserError or OSError raised in a flow as one line, not with
    its traceback: the message names the file and the fix, and the CLI repeats it at the end."""
    import logging

    def strip(record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], UserError | OSError):
            record.exc_info, record.exc_text = None, None
        return True

    for name in ("prefect", "prefect.flow_runs", "prefect.task_runs"):
        for handler in logging.getLogger(name).handlers:
            if strip not in handler.filters:
                handler.addFilter(strip)


def _start() -> tuple[subprocess.Popen[bytes], str]:
    import prefect
    from prefect.settings import get_current_settings

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        **get_current_settings().to_environment_variables(exclude_unset=True),
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
    }
    env.pop("PREFECT_API_URL", None)
    cmd = [
        sys.executable, "-m", "uvicorn", "--app-dir", str(prefect.__module_path__.parent),
        "--factory", "prefect.server.api.server:create_app",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on",
    ]  # fmt: skip
    typer.echo("starting a temporary Prefect server (set PREFECT_API_URL to use your own)…", err=True)
    proc = subprocess.Popen(cmd, env=env, preexec_fn=_die_with_parent, start_new_session=True)  # noqa: PLW1509
    return proc, f"http://127.0.0.1:{port}/api"


def _die_with_parent() -> None:
    """In the child, before exec: ask the kernel for SIGKILL when the parent dies."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _wait(proc: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + STARTUP_S
    with httpx.Client(timeout=5) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise UserError(
                    f"the temporary Prefect server exited with code {proc.returncode} (its error is above); "
                    "check PREFECT_HOME's database, or set PREFECT_API_URL to a server you run"
                )
            try:
                if client.get(f"{url}/health").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
    raise UserError(
        f"the temporary Prefect server did not answer in {STARTUP_S:.0f} s; the machine may be "
        "overloaded: try again, or run `prefect server start` and set PREFECT_API_URL"
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Send Prefect's queued logs and events (a few seconds at most), then stop the server."""
    try:
        from prefect.events.worker import EventsWorker
        from prefect.logging.handlers import APILogWorker

        for worker in (APILogWorker, EventsWorker):
            worker.drain_all(timeout=3)
    except Exception:  # noqa: BLE001 - losing a log line must not hide the run's own result
        pass
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
