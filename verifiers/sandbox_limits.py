"""What a jail may use and what a run returned: `Limits`, `RunResult`, and the unsafe opt-out.

`Limits` are one jail's limits (the wall clock is kept by `s2s1.verifiers.sandbox.Jail`, the
rest are set with setrlimit inside the jail by `s2s1.verifiers.sandbox_harness`); `RunResult` is
what a stdio run did; `unsandboxed()` says whether the user opted out of the jail with
`S2S1_UNSAFE_NO_SANDBOX=1`. Nothing here starts a process.

Example:
    >>> Limits(cpu_s=2).rlimits()["RLIMIT_CPU"], unsandboxed() in (True, False)
    (2, True)
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["OPT_OUT", "Limits", "RunResult", "SandboxError", "unsandboxed"]

OPT_OUT = "S2S1_UNSAFE_NO_SANDBOX"


class SandboxError(RuntimeError):
    """The jail itself could not be set up (not the candidate's fault)."""


@dataclass(frozen=True)
class Limits:
    """Limits of one jail; `wall_s` is enforced by the verifier, the rest by setrlimit inside."""

    wall_s: float = 6.0
    cpu_s: int = 6
    memory_mb: int = 1024
    file_mb: int = 8
    processes: int = 32
    open_files: int = 64
    output_bytes: int = 1 << 20
    tmp_mb: int = 16

    def rlimits(self) -> dict[str, int]:
        return {
            "RLIMIT_CPU": self.cpu_s,
            "RLIMIT_AS": self.memory_mb << 20,
            "RLIMIT_FSIZE": self.file_mb << 20,
            "RLIMIT_NPROC": self.processes,
            "RLIMIT_NOFILE": self.open_files,
            "RLIMIT_CORE": 0,
        }


@dataclass
class RunResult:
    """What a stdio run did; `returncode` is None when the verifier killed it."""

    returncode: int | None
    stdout: bytes
    stderr: bytes = b""
    timed_out: bool = False
    output_capped: bool = False
    elapsed_s: float = 0.0


def unsandboxed() -> bool:
    """True when the user opted out of the jail with S2S1_UNSAFE_NO_SANDBOX=1."""
    return os.environ.get(OPT_OUT, "") == "1"
