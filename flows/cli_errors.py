"""`user_errors`: the CLI's one wrapper that turns a UserError or an OSError into one line and exit 2.

Every `s2s1` command module wraps its commands with it, so the rule (no traceback for bad input,
exit 2) lives in one place. An OSError (a read-only or full disk, a file where a folder should
be) is printed as `PATH: REASON`, since the path is what the user can fix. A SIGTERM (what
`timeout`, systemd and `docker stop` send) is turned into the same KeyboardInterrupt as Ctrl-C,
so `finally` blocks run and the command ends with one line, exit 130. It does not catch any other
exception.
"""

from __future__ import annotations

import functools
import signal
import threading
from collections.abc import Callable
from typing import Any

import typer

from s2s1.errors import UserError

__all__ = ["user_errors"]


def user_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Print a UserError or an OSError as one line and exit 2; Ctrl-C or SIGTERM: one line, exit 130."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        main = threading.current_thread() is threading.main_thread()
        before = signal.signal(signal.SIGTERM, _interrupt) if main else None
        try:
            return fn(*args, **kwargs)
        except UserError as e:
            _fail(str(e))
        except OSError as e:
            path = " → ".join(str(p) for p in (e.filename, e.filename2) if p is not None)
            where = f"{path}: {e.strerror or e}; check the path, its permissions and free space"
            _fail(where if path else f"{type(e).__name__}: {e}")
        except KeyboardInterrupt:
            typer.secho("stopped; run the same command again to continue", err=True, fg=typer.colors.YELLOW)
            raise typer.Exit(130) from None
        finally:
            if main:
                signal.signal(signal.SIGTERM, before)

    return wrapper


def _fail(message: str) -> None:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(2) from None


def _interrupt(signum: int, frame: Any) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not break the clean-up
    raise KeyboardInterrupt
