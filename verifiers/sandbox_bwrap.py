"""How a bubblewrap jail is laid out and how its init is found (used by `s2s1.verifiers.sandbox`).

`bwrap_args` is the jail's file system and namespaces; `init_pid` reads the host pid of the
jail's first process, which bwrap reports on an info pipe; `alive` tells a running process from a
finished one. Nothing here starts or kills a process.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import time

from s2s1.verifiers.sandbox_limits import Limits


def bwrap_args(limits: Limits, folder: str) -> list[str]:
    """bwrap's options for one jail: new namespaces, read-only /usr, `folder` read-only at /box."""
    args = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    args += ["--uid", "65534", "--gid", "65534", "--clearenv", "--setenv", "PATH", "/usr/bin:/bin"]
    args += ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    args += ["--proc", "/proc", "--dev", "/dev", "--size", str(limits.tmp_mb << 20), "--tmpfs", "/tmp"]
    return [*args, "--ro-bind", folder, "/box", "--chdir", "/tmp"]


def init_pid(info: int, proc: subprocess.Popen[bytes]) -> int:
    """The host pid of the jail's init, which bwrap writes to fd `info` (then closed); -1 if unknown."""
    data, pid, give_up = b"", -1, time.monotonic() + 30.0
    while time.monotonic() < give_up:  # bwrap writes the JSON in pieces
        ready, _, _ = select.select([info], [], [], 0.05)
        chunk = os.read(info, 4096) if ready else b""
        data += chunk
        try:
            pid = int(json.loads(data)["child-pid"])
            break
        except (ValueError, KeyError, TypeError):
            pid = -1
        if (ready and not chunk) or (not ready and proc.poll() is not None):
            break  # bwrap ended without saying
    os.close(info)
    return pid


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie has finished)."""
    if pid <= 0:
        return False
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def die_with_parent() -> None:
    """For `Popen(preexec_fn=...)`: the child gets SIGKILL when the thread that started it ends."""
    import ctypes
    import signal

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
