"""Clock times as answers: `20:34`, `20:34:00`, `8:34 p.m.` are one time of day.

`same_time(a, b)` reads both (canonical text: no spaces, lower case) as seconds after midnight
and compares them; `12 a.m.` is midnight, `12 p.m.` noon. Anything else is not a time (None,
never equal), so a ratio `1:2` against `1:2:00` is not read as a time (the minutes need two
digits).

It does not read durations (`1 h 30 min`) or dates.

Example:
    >>> same_time("20:34", "08:34p.m."), same_time("20:34", "20:34:00"), same_time("8:34", "20:34")
    (True, True, False)
"""

from __future__ import annotations

import re

__all__ = ["same_time"]

_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?(a\.?m\.?|p\.?m\.?)?")


def _seconds(text: str | None) -> int | None:
    m = _TIME.fullmatch(text or "")
    if m is None:
        return None
    hours, minutes, seconds = int(m[1]), int(m[2]), int(m[3] or 0)
    if m[4]:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if m[4].startswith("p") else 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        return None
    return hours * 3600 + minutes * 60 + seconds


def same_time(a: str | None, b: str | None) -> bool:
    """Whether both texts are clock times and the same time of day."""
    sa, sb = _seconds(a), _seconds(b)
    return sa is not None and sa == sb
