"""The `Verifier` protocol: the one plugin seam of s2s1 (design §4).

A verifier reads one `Problem` and one teacher `Trace` and says `correct`, `incorrect` or
`unverifiable` in a `Verdict`. Verifiers are found through the entry-point group
`s2s1.verifiers` (see `s2s1.verifiers.registry`) and run in worker processes (`s2s1.verifiers.pool`), so
an implementation must be:

- pure: the same inputs give the same verdict; no network, no shared state between calls;
- picklable and importable many times in many processes (a plain class with a no-argument
  constructor is enough);
- honest: a verifier that cannot check says `unverifiable` with the reason, and never turns an
  exception into `incorrect` — let it propagate; the pool records it as `unverifiable`.

A verifier whose checks run long (code under tests) may also define `time_limit_s(problem)`:
the pool's hard limit for one check of that problem, derived from its own finer limits (a
candidate that runs past those is `incorrect`, which only the verifier can say). Without it, a
check gets the pool's `DEFAULT_TIMEOUT_S`; a limit the user sets explicitly overrides both.

This module defines the contract only; it does not load, run or time verifiers.

Example:
    >>> from s2s1.records import Problem, Trace, Verdict
    >>> class Echo:
    ...     name = "echo"; version = "1"; domains = frozenset({"math"})
    ...     def verify(self, problem, trace):
    ...         ok = trace.response.strip() == problem.answer
    ...         return Verdict(verifier=self.name, version=self.version,
    ...                        outcome="correct" if ok else "incorrect", score=float(ok))
    >>> isinstance(Echo(), Verifier)
    True
    >>> protocol_problems(Echo)
    []
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, runtime_checkable

from s2s1.records import Problem, Trace, Verdict

__all__ = ["Verifier", "protocol_problems"]


@runtime_checkable
class Verifier(Protocol):
    """Checks one trace of one problem.

    `name` is the key of its verdicts in `Record.verdicts` and must equal its entry-point name;
    `version` goes into every Verdict (bump it when outcomes may change); `domains` are the
    `Problem.domain` values it applies to.

    Example:
        >>> from s2s1.verifiers.math import MathVerifier
        >>> isinstance(MathVerifier(), Verifier)
        True
    """

    name: ClassVar[str]
    version: ClassVar[str]
    domains: ClassVar[frozenset[str]]

    def verify(self, problem: Problem, trace: Trace) -> Verdict:
        """The verdict on `trace` as an answer to `problem`; raises when the check itself fails."""
        ...


def protocol_problems(obj: Any) -> list[str]:
    """What keeps a class or instance from meeting the protocol, as short phrases ([] when fine).

    Example:
        >>> protocol_problems(object)
        ['no `name` (str)', 'no `version` (str)', 'no `domains` (frozenset of str)', 'no verify() method']
    """
    problems = []
    name, version = getattr(obj, "name", None), getattr(obj, "version", None)
    domains = getattr(obj, "domains", None)
    if not isinstance(name, str) or not name:
        problems.append("no `name` (str)")
    if not isinstance(version, str) or not version:
        problems.append("no `version` (str)")
    if not (isinstance(domains, frozenset | set) and domains and all(isinstance(d, str) for d in domains)):
        problems.append("no `domains` (frozenset of str)")
    if not callable(getattr(obj, "verify", None)):
        problems.append("no verify() method")
    return problems
