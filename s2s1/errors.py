"""User-facing errors.

A `UserError` is a mistake the user can fix (a bad config key, an unreadable file, a bad JSON
line). The CLI prints its message as one line and exits with code 2, without a traceback. Every
message names the file, line or key at fault and says what to do.

Example:
    >>> raise UserError("configs/x.yaml: generate.n: must be >= 1; set it to 1 or more")
"""

from __future__ import annotations

__all__ = ["UserError"]


class UserError(Exception):
    """A problem with the user's input, reported as one clear line (exit code 2)."""
