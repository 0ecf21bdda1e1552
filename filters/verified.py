"""The `verified` filter: keep only traces the verifiers judged correct.

A record is kept when at least one verifier said `correct` and none said `incorrect`
(`Record.correct`). The reason for a drop copies the verifiers' own detail, so `rejected/` shows
why an answer was judged wrong or could not be checked. It does not verify anything itself.

Example:
    >>> VerifiedFilter.name
    'verified'
"""

from __future__ import annotations

from typing import ClassVar

from s2s1.records import Decision, Reason, Record

__all__ = ["VerifiedFilter"]


class VerifiedFilter:
    """Drops records that are not verified correct, with the verifiers' reasons."""

    name: ClassVar[str] = "verified"

    def __call__(self, record: Record) -> Decision:
        if record.correct:
            return Decision(filter=self.name, keep=True)
        if not record.verdicts:
            reasons = [Reason(code="not_verified", detail="no verifier applies to this problem's domain")]
        else:
            reasons = [
                Reason(code=v.outcome, detail=f"{name}: {v.detail}")
                for name, v in record.verdicts.items()
                if v.outcome != "correct"
            ]
        return Decision(filter=self.name, keep=False, reasons=reasons)
