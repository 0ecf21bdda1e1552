"""`user_errors`: the CLI's one wrapper that turns a UserError into one line and exit 2.

Every `s2s1` command module wraps its commands with it, so the rule (no traceback for bad input,
exit 2) lives in one place. It does not catch any other exception.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import typer

from s2s1.errors import UserError

__all__ = ["user_errors"]


def user_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Print a UserError as one line and exit 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except UserError as e:
            typer.secho(f"error: {e}", err=True, fg=typer.colors.RED)
            raise typer.Exit(2) from None

    return wrapper
