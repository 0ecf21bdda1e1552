"""Hostile submissions: each is contained, judged `incorrect`, changes nothing on the host and
leaves no process behind.

Each submission *tries to win*: where an escape would print the expected output (a secret, a
socket reply, a file's contents), the problem expects exactly that, so a broken jail would turn
the verdict `correct`. This process is made a child subreaper, so anything a jail leaves running
would be re-parented here and show up as a descendant.
"""

from __future__ import annotations

import ctypes
import os
import socket
import threading
from pathlib import Path
from typing import ClassVar

import pytest

from s2s1.records import Problem, Trace
from s2s1.verifiers.code import CodeVerifier
from s2s1.verifiers.sandbox import Limits

SECRET = "hunter2-s2s1"


class QuickCode(CodeVerifier):
    """The code verifier with short limits, so that loops and bombs end in about two seconds."""

    limits: ClassVar[Limits] = Limits(wall_s=2.0, cpu_s=2, memory_mb=512)
    per_problem_s: ClassVar[float] = 4.0


@pytest.fixture(scope="module", autouse=True)
def subreaper():
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    yield
    libc.prctl(36, 0, 0, 0, 0)


def _descendants() -> set[int]:
    """Live processes below this one (zombies re-parented here are reaped: they have ended)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            state, ppid = stat.rsplit(")", 1)[1].split()[:2]
            if state == "Z" and int(ppid) == os.getpid():
                os.waitpid(int(entry.name), os.WNOHANG)
            elif state != "Z":
                parents[int(entry.name)] = int(ppid)
    found, frontier = set(), {os.getpid()}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier} - found
        found |= frontier
    return found


def _jail_uid_processes() -> list[int]:
    """Live processes of the host uid this process's jails run as (when root; see s2s1.verifiers.sandbox)."""
    jail_uid = 1_000_000 + os.getpid() % 1_000_000
    pids = []
    for entry in Path("/proc").glob("[0-9]*/status"):
        try:
            uid_line = next(x for x in entry.read_text().splitlines() if x.startswith("Uid:"))
        except (OSError, StopIteration):
            continue
        state = (entry.parent / "stat").read_text().rsplit(")", 1)[1].split()[0]
        if int(uid_line.split()[1]) == jail_uid and state != "Z":
            pids.append(int(entry.parent.name))
    return pids


def _stdio(expected: str) -> dict:
    return {"style": "stdio", "cases": [{"input": "1 2\n", "output": expected}]}


ADD = {
    "style": "function",
    "entry_point": "add",
    "asserts": ["assert add(1, 2) == 3", "assert add(2, 2) == 4"],
}


def _judge(code: str, tests: dict) -> str:
    before = _descendants()
    problem = Problem(id="hostile", source="test", domain="code", question="?", tests=tests)
    trace = Trace(problem_id="hostile", index=0, teacher="t", prompt=[], response=f"```python\n{code}\n```")
    verdict = QuickCode().verify(problem, trace)
    assert verdict.outcome == "incorrect", verdict
    assert _descendants() - before == set(), "a process outlived its jail"
    assert _jail_uid_processes() == [], "a jail uid still runs processes"
    return verdict.detail


HOSTILE = {
    "infinite loop": ("while True:\n    pass", _stdio("3\n"), "time limit"),
    "fork bomb": (
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass",
        _stdio("3\n"),
        "time limit",
    ),
    "memory bomb": ("x = bytearray(8 << 30)\nprint(3)", _stdio("3\n"), "MemoryError"),
    "memory bomb, growing": ("a = []\nwhile True:\n    a.append(' ' * 10**8)", _stdio("3\n"), "MemoryError"),
    "output bomb": ("while True:\n    print('3' * 100000)", _stdio("3\n"), "output limit"),
    "file bomb in /tmp": (
        "f = open('/tmp/big', 'wb')\nwhile True:\n    f.write(b'0' * 10**6)",
        _stdio("3\n"),
        "exit",
    ),
    "sys.exit(0) before the tests": (
        "import sys\nsys.exit(0)\ndef add(a, b):\n    return a + b",
        ADD,
        "SystemExit",
    ),
    "os._exit(0) in the call": ("import os\ndef add(a, b):\n    os._exit(0)", ADD, "ended"),
    "__eq__ always True": (
        "class Any:\n    def __eq__(self, other):\n        return True\ndef add(a, b):\n    return Any()",
        ADD,
        "not plain data",
    ),
    "int subclass with __eq__": (
        "class I(int):\n    def __eq__(self, other):\n        return True\ndef add(a, b):\n    return I(0)",
        ADD,
        "not plain data",
    ),
    "patched builtins": (
        "import builtins\nclass Never(Exception): pass\nbuiltins.AssertionError = Never\n"
        "builtins.isinstance = lambda *a: True\ndef add(a, b):\n    return 0",
        ADD,
        "assert 0",
    ),
    "printed pass markers": (
        "print('All tests passed'); print('{\"ok\": 3}')\nimport sys\nsys.stdout.write('PASSED\\n')\n"
        "def add(a, b):\n    print(3)\n    return None",
        ADD,
        "assert 0 failed",
    ),
    "stdio: exit 0 with a pass marker": (
        "print('passed')\nraise SystemExit(0)",
        _stdio("3\n"),
        "wrong output",
    ),
    "environment secret": ("import os\nprint(os.environ.get('S2S1_TEST_SECRET'))", _stdio(SECRET + "\n"), ""),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_submission_is_contained_and_incorrect(kind, monkeypatch):
    monkeypatch.setenv("S2S1_TEST_SECRET", SECRET)
    code, tests, reason = HOSTILE[kind]
    assert reason in _judge(code, tests)


def test_home_and_host_files_can_be_neither_read_nor_changed(tmp_path):
    secret = tmp_path / "home" / ".netrc"
    secret.parent.mkdir()
    secret.write_text(SECRET)
    victim = tmp_path / "keep.txt"
    victim.write_text("keep")
    code = f"""
import os, shutil
out = []
for path in ({str(secret)!r}, os.path.expanduser('~/.netrc'), '/root/.bash_history', '/etc/shadow'):
    try:
        out.append(open(path).read())
    except OSError:
        pass
shutil.rmtree({str(tmp_path)!r}, ignore_errors=True)
shutil.rmtree('/usr', ignore_errors=True)
for target in ({str(tmp_path / "pwned")!r}, '/usr/pwned', '/box/solution.py', '/pwned'):
    try:
        open(target, 'w').write('pwned')
    except OSError:
        pass
print(''.join(out) or '{SECRET}x')
"""
    _judge(code, _stdio(SECRET + "\n"))
    assert secret.read_text() == SECRET and victim.read_text() == "keep"
    assert (
        not (tmp_path / "pwned").exists() and not Path("/usr/pwned").exists() and not Path("/pwned").exists()
    )
    assert Path("/usr/bin/python3").exists()


def test_sockets_reach_nothing_on_the_host():
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.5)
    port = server.getsockname()[1]
    code = f"""
import socket
try:
    s = socket.create_connection(('127.0.0.1', {port}), timeout=1)
    s.sendall(b'pwned')
    print('connected')
except OSError as e:
    try:
        socket.create_connection(('1.1.1.1', 80), timeout=1)
        print('connected')
    except OSError:
        print('no network', type(e).__name__)
"""
    got: list[bytes] = []

    def accept() -> None:
        try:
            conn, _ = server.accept()
            got.append(conn.recv(10))
        except OSError:
            pass

    thread = threading.Thread(target=accept)
    thread.start()
    assert "no network" in _judge(code, _stdio("connected\n"))
    thread.join()
    server.close()
    assert got == []


def test_killing_the_parent_and_everything_else_hits_only_the_jail():
    code = f"import os, signal\nfor pid in (os.getppid(), {os.getpid()}, -1):\n"
    code += "    try:\n        os.kill(pid, signal.SIGKILL)\n    except OSError:\n        pass\nprint(3)"
    _judge(code, _stdio("4\n"))  # still alive here, and the verdict came back


def test_background_processes_are_killed_with_the_jail(tmp_path):
    code = """
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(60)
    os._exit(0)
print(4)
"""
    assert "wrong output" in _judge(code, _stdio("3\n"))
