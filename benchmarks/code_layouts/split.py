"""Which half a code problem belongs to: `tune` (layouts looked at while building) or `test` (held out).

The half is fixed by a hash of the problem id, decided before the block finder was written, so
that a problem's layouts all fall in the same half. This module runs nothing.

Example:
    >>> half("humaneval-0") in ("tune", "test")
    True
"""

from __future__ import annotations

import hashlib

__all__ = ["half"]


def half(problem_id: str) -> str:
    """`tune` or `test` for one problem id (sha256 of the id: an even first byte is `tune`)."""
    return "tune" if hashlib.sha256(problem_id.encode()).digest()[0] % 2 == 0 else "test"
