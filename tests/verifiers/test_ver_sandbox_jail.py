"""The jail's set-up: what runs inside, the limits, the missing-bwrap message, the loud opt-out,
the plain-data codec and the parallel runner."""

from __future__ import annotations

import logging
import math

import pytest

import s2s1.verifiers.code as code_module
from s2s1.errors import UserError
from s2s1.records import Problem, Trace
from s2s1.verifiers.code import CodeVerifier
from s2s1.verifiers.code_runner import check_code
from s2s1.verifiers.sandbox import OPT_OUT, Jail, Limits, sandbox_problem
from s2s1.verifiers.sandbox_harness import decode, encode

INSIDE = """
import os, socket
print(os.getuid(), os.getgid(), os.getpid())
print(sorted(os.environ))
print(sorted(os.listdir('/')))
print(sorted(os.listdir('/box')), os.getcwd())
print([name for _, name in socket.if_nameindex()])
"""


def test_the_jail_is_a_small_unprivileged_world():
    result = Jail(INSIDE, "stdio", Limits()).communicate(b"")
    assert result.returncode == 0, result.stderr
    uid_line, env, root, box, nics = result.stdout.decode().splitlines()
    assert uid_line.split()[:2] == ["65534", "65534"]
    assert int(uid_line.split()[2]) <= 3  # its own PID namespace
    assert set(eval(env)) <= {"PATH", "PWD", "LC_CTYPE"}
    assert not {"home", "root", "etc", "work", "var"} & set(eval(root))
    assert box == "['harness.py', 'solution.py'] /tmp"
    assert nics == "['lo']"


@pytest.mark.parametrize(
    ("code", "limits", "problem"),
    [
        ("open('/tmp/f', 'wb').write(b'0' * (3 << 20))", Limits(file_mb=1), "File too large"),
        ("fs = [open('/dev/null') for _ in range(100)]", Limits(open_files=16), "Too many open files"),
        ("import os\nfor _ in range(50):\n    os.fork() or os._exit(0)", Limits(processes=4), "Resource"),
        ("x = bytearray(600 << 20)", Limits(memory_mb=256), "MemoryError"),
        ("while True:\n    pass", Limits(cpu_s=1, wall_s=10), "exit 137"),  # SIGKILL at the CPU limit
    ],
)
def test_resource_limits_hold(code, limits, problem):
    result = Jail(code, "stdio", limits).communicate(b"")
    assert result.returncode != 0 and not result.timed_out
    assert problem in result.stderr.decode() + f" exit {result.returncode}"


def test_a_missing_bubblewrap_fails_loudly_with_the_fix(monkeypatch):
    monkeypatch.setattr("s2s1.verifiers.sandbox.shutil.which", lambda name: None)
    monkeypatch.setattr(code_module, "_checked", [])
    message = sandbox_problem()
    assert message and "apt-get install -y bubblewrap" in message and OPT_OUT in message
    with pytest.raises(UserError, match="bubblewrap is not installed"):
        CodeVerifier()


def test_the_opt_out_is_explicit_and_loud(monkeypatch, caplog):
    monkeypatch.setattr("s2s1.verifiers.sandbox.shutil.which", lambda name: None)
    monkeypatch.setattr(code_module, "_checked", [])
    monkeypatch.setenv(OPT_OUT, "1")
    with caplog.at_level(logging.WARNING):
        verifier = CodeVerifier()
        problem = Problem(id="p", source="t", domain="code", question="?",
                          tests={"style": "stdio", "cases": [{"input": "", "output": "1\n"}]})  # fmt: skip
        trace = Trace(problem_id="p", index=0, teacher="t", prompt=[], response="```\nprint(1)\n```")
        verdict = verifier.verify(problem, trace)
    assert verdict.outcome == "correct" and verdict.detail.startswith("UNSANDBOXED")
    assert "WITHOUT A SANDBOX" in caplog.text


@pytest.mark.parametrize(
    "value",
    [None, True, 3, -(2**70), 1.5, math.inf, "é", b"\x00", 1 + 2j, [1, (2,)], {1: {"a"}}, frozenset({()})],
)
def test_plain_data_round_trips_with_exact_types(value):
    back = decode(encode(value))
    assert back == value and type(back) is type(value)


@pytest.mark.parametrize("value", [object(), type("I", (int,), {})(3), [iter([])], {1: lambda: 0}, range(3)])
def test_anything_else_is_refused(value):
    with pytest.raises(TypeError, match="not plain data"):
        encode(value)


@pytest.mark.parametrize(
    "data", [{"$eval": "1"}, {"$tuple": 1}, {"$set": [[1]]}, {"a": 1, "b": 2}, {"$dict": [[1]]}]
)
def test_malformed_replies_are_refused(data):
    with pytest.raises(ValueError):
        decode(data)


def test_the_runner_keeps_input_order_across_workers():
    problems = [
        Problem(id=f"p{n}", source="t", domain="code", question="?",
                tests={"style": "stdio", "cases": [{"input": "", "output": f"{n}\n"}]})
        for n in range(6)
    ]  # fmt: skip
    pairs = [
        (p, Trace(problem_id=p.id, index=0, teacher="t", prompt=[], response="```\nprint(3)\n```"))
        for p in problems
    ]
    assert [v.outcome for v in check_code(pairs, workers=2)] == ["incorrect"] * 3 + ["correct"] + [
        "incorrect"
    ] * 2
