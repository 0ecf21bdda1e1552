"""Run untrusted Python in a fresh bubblewrap jail, with limits and a wall clock kept from outside.

Each `Jail` is one `bwrap` process tree running `s2s1.verifiers.sandbox_harness` on one candidate
file. The jail's file system and namespaces are laid out by `s2s1.verifiers.sandbox_bwrap`; its
`Limits`, the `RunResult` of a stdio run and the opt-out live in `s2s1.verifiers.sandbox_limits`
(and are importable from here); this module starts, feeds, times and kills jails.

What it isolates:
- network: its own network namespace, loopback only (no route out, nothing on the host's ports);
- processes: its own PID namespace (it sees and signals only itself) and a new session; when the
  jail's first process or its parent (the verifier) dies, every process in it is killed;
- files: read-only /usr (and the /bin, /lib… links to it), a fresh /proc and minimal /dev, a private
  16 MiB /tmp, the candidate's own folder read-only at /box; nothing else of the host (no /etc,
  /home, /root, /work, no sockets);
- identity: an empty environment, uid/gid 65534 inside, no capabilities, its own user, IPC, UTS
  and cgroup namespaces; run as root, bwrap itself is started as an unused host uid so that the
  process limit is enforced (the kernel exempts root from it);
- resources: CPU seconds, address space, file size, processes and open files (setrlimit, set
  before the candidate runs); a wall clock enforced by the verifier, which kills the whole tree;
  output beyond `Limits.output_bytes` stops the run.

What it does not isolate: CPU and memory *bandwidth* (a jail can slow its neighbours), kernel
bugs (it shares the host kernel; no seccomp filter is installed), reading the world-readable
files under /usr, and the disk and memory used by its /tmp (bounded by the tmpfs size). It does
not decide verdicts (see `s2s1.verifiers.code_function` and `s2s1.verifiers.code`).

Running without a jail is possible only through the explicit opt-out `S2S1_UNSAFE_NO_SANDBOX=1`
(trusted code only; a warning is logged every time a Jail starts). Then only the limits and the
wall clock apply.

Example:
    >>> jail = Jail("print(input()[::-1])", "stdio", Limits())
    >>> jail.communicate(b"abc\\n").stdout
    b'cba\\n'
"""

from __future__ import annotations

import json
import logging
import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Literal

from s2s1.verifiers.sandbox_bwrap import alive, bwrap_args, die_with_parent, init_pid
from s2s1.verifiers.sandbox_limits import OPT_OUT, Limits, RunResult, SandboxError, unsandboxed

__all__ = ["OPT_OUT", "Jail", "Limits", "RunResult", "SandboxError", "sandbox_problem", "unsandboxed"]

log = logging.getLogger(__name__)
_HARNESS = Path(__file__).with_name("sandbox_harness.py")
_PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3")


def sandbox_problem() -> str | None:
    """Why jails cannot run here (with the fix), or None when they can."""
    if not any(os.access(p, os.X_OK) for p in _PYTHONS):
        return f"no system Python for the jail ({' or '.join(_PYTHONS)}): apt-get install -y python3"
    if unsandboxed():
        return None
    if shutil.which("bwrap") is None:
        return (
            "bubblewrap is not installed, so untrusted code cannot be sandboxed: apt-get install -y "
            f"bubblewrap (or, for trusted code only, set {OPT_OUT}=1 to run it unsandboxed)"
        )
    probe = Jail("print('ok')", "stdio", Limits())
    result = probe.communicate(b"")
    if result.stdout != b"ok\n":
        err = result.stderr.decode(errors="replace").strip()[:300]
        return f"bubblewrap cannot start a jail here ({err or result.returncode}); check user namespaces"
    return None


class Jail:
    """One candidate file running in a fresh jail; talk to it with `communicate` or `request`."""

    def __init__(self, code: str, mode: Literal["stdio", "function"], limits: Limits) -> None:
        self.limits = limits
        self.dir = tempfile.mkdtemp(prefix="s2s1-jail-")
        os.chmod(self.dir, 0o755)
        for name, text in (("solution.py", code), ("harness.py", _HARNESS.read_text())):
            (Path(self.dir) / name).write_text(text)
            os.chmod(Path(self.dir) / name, 0o644)
        python = next(p for p in _PYTHONS if os.access(p, os.X_OK))
        box = self.dir if unsandboxed() else "/box"
        argv = [
            python,
            "-I",
            "-S",
            f"{box}/harness.py",
            json.dumps(limits.rlimits()),
            mode,
            f"{box}/solution.py",
        ]
        kwargs: dict[str, Any] = {}
        self._info = -1
        if unsandboxed():
            log.warning("RUNNING CANDIDATE CODE WITHOUT A SANDBOX (%s=1): trusted code only", OPT_OUT)
            env = {"PATH": "/usr/bin:/bin"}
            kwargs["preexec_fn"] = die_with_parent  # bwrap's --die-with-parent does this in a jail
        else:
            self._info, info_w = os.pipe()  # bwrap writes {"child-pid": N} here: the jail's init
            argv = [*bwrap_args(limits, self.dir), "--info-fd", str(info_w), *argv]
            kwargs["pass_fds"] = (info_w,)
            env = {}
            if os.geteuid() == 0:  # root is exempt from RLIMIT_NPROC: start bwrap as an unused uid
                uid = 1_000_000 + os.getpid() % 1_000_000
                kwargs.update(user=uid, group=uid, extra_groups=[])
        self.started = time.monotonic()
        try:
            self.proc = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                start_new_session=True, env=env, cwd="/", **kwargs,
            )  # fmt: skip
        finally:
            if self._info >= 0:
                os.close(info_w)
        self._sel = selectors.DefaultSelector()
        for stream in (self.proc.stdout, self.proc.stderr):
            assert stream is not None
            os.set_blocking(stream.fileno(), False)
            self._sel.register(stream, selectors.EVENT_READ)
        assert self.proc.stdin is not None
        os.set_blocking(self.proc.stdin.fileno(), False)
        self.out, self.err = bytearray(), bytearray()
        self.open_streams = 2
        self.capped = False

    def communicate(self, data: bytes) -> RunResult:
        """Feed `data` to stdin, then collect output until the program ends or a limit stops it."""
        deadline = self.started + self.limits.wall_s
        finished = self._pump(data, deadline, lambda: self.open_streams == 0, close_stdin=True)
        if finished:
            try:
                self.proc.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                finished = False
        timed_out = not finished and not self.capped
        self.close()
        return RunResult(
            returncode=self.proc.returncode if finished else None,
            stdout=bytes(self.out), stderr=bytes(self.err[:4096]), timed_out=timed_out,
            output_capped=self.capped, elapsed_s=time.monotonic() - self.started,
        )  # fmt: skip

    def request(self, line: bytes, deadline: float) -> bytes | None:
        """Send one protocol line and return the reply line, or None if the jail ended or timed out."""
        if not self._pump(line, deadline, lambda: b"\n" in self.out or self.open_streams == 0):
            return None
        reply, sep, rest = bytes(self.out).partition(b"\n")
        self.out = bytearray(rest)
        return reply if sep else None

    def _pump(self, data: bytes, deadline: float, done: Any, close_stdin: bool = False) -> bool:
        """Write `data`, read until `done()`; False when the deadline passed or output was capped."""
        pending = memoryview(data)
        stdin = self.proc.stdin
        assert stdin is not None
        if pending:
            self._sel.register(stdin, selectors.EVENT_WRITE)
        elif close_stdin:
            stdin.close()
        while not done():
            left = deadline - time.monotonic()
            if left <= 0 or self.capped:
                break
            for key, _ in self._sel.select(left):
                if key.fileobj is stdin:
                    try:
                        pending = pending[os.write(stdin.fileno(), pending[:65536]) :]
                    except OSError:  # the program closed its stdin or ended
                        pending = pending[:0]
                    if not pending:
                        self._sel.unregister(stdin)
                        if close_stdin:
                            stdin.close()
                    continue
                chunk = os.read(key.fileobj.fileno(), 65536)  # type: ignore[union-attr]
                if not chunk:
                    self._sel.unregister(key.fileobj)
                    self.open_streams -= 1
                elif key.fileobj is self.proc.stdout:
                    self.out += chunk
                    self.capped = len(self.out) > self.limits.output_bytes
                elif len(self.err) < 65536:
                    self.err += chunk
        if pending:
            self._sel.unregister(stdin)
        return done() and not self.capped

    def close(self) -> None:
        """Kill whatever still runs in the jail, wait until its processes are gone, delete its folder.

        The jail's init (bwrap's child, pid 1 inside) is killed first: the kernel then kills every
        process in the jail's PID namespace, and the init ends only after all of them have. bwrap is
        never killed before it has reported that init: killed mid-set-up, it would leave its child
        waiting forever for the user-namespace handshake.
        """
        init = self._init_pid()
        if self.proc.poll() is None or alive(init):
            for pid in (init, self.proc.pid):
                try:
                    if pid > 0:
                        os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        self.proc.wait()
        give_up = time.monotonic() + 5.0
        while alive(init) and time.monotonic() < give_up:
            time.sleep(0.002)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        self._sel.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _init_pid(self) -> int:
        """The host pid of the jail's init (asked once); -1 if unknown or unsandboxed."""
        if self._info < 0:
            return -1
        pid, self._info = init_pid(self._info, self.proc), -1
        return pid
