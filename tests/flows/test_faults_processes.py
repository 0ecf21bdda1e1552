"""Issue 25's process faults, on real `s2s1 run` processes with the fake teacher.

No process outlives `s2s1` (kill -9 leaves no Prefect server) (case 2); a machine slower than
Prefect's 20 s start-up limit still runs (3); SIGTERM to the process group ends the run promptly
with one line and no traceback (4); a `PREFECT_API_URL` that does not answer is one line (7).
Each run has its own PREFECT_HOME, which is how its server process is found. The bounds below
are limits on hanging, not timings.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

TEMP = re.compile(r"^\.[^.].*\.[a-z0-9_]{8}(\.tmp)?$")  # a temporary file or folder of s2s1.shards


def _config(tmp_path: Path, problems: int = 40) -> Path:
    path = tmp_path / "c.yaml"
    data = {
        "name": "faults",
        "problems": {"sources": [{"builtin": "arithmetic", "limit": problems}], "eval_fraction": 0.25},
        "generate": {"backend": "fake", "model": "fake", "shard_size": 3, "sampling": {"n": 2}},
    }
    path.write_text(yaml.safe_dump(data))
    return path


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), **extra}
    env.pop("PREFECT_API_URL", None)
    return {**env, **extra}


def _start(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "s2s1.flows", "run", str(_config(tmp_path)), "--out", str(tmp_path / "run")]
    err = (tmp_path / "stderr.txt").open("w")
    return subprocess.Popen(
        [*cmd, *args], env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True
    )


def _servers(prefect_home: Path) -> list[int]:
    """Pids of live processes (other than this one) whose environment has our PREFECT_HOME."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            environ = (proc / "environ").read_bytes().split(b"\0")
            state = (proc / "stat").read_text().split(") ")[-1][0]
        except OSError:
            continue
        if f"PREFECT_HOME={prefect_home}".encode() in environ and state != "Z":
            found.append(int(proc.name))
    return found


def _wait_for_flow(proc: subprocess.Popen[str], run: Path) -> None:
    deadline = time.monotonic() + 240
    while not (run / "traces" / "shard-00000.jsonl").exists():
        assert proc.poll() is None, "the run ended before the flow started"
        assert time.monotonic() < deadline, "the flow did not start"
        time.sleep(0.1)


def _kill_all(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.mark.slow
def test_kill_9_of_s2s1_run_leaves_no_prefect_server(tmp_path):
    proc = _start(tmp_path, _env(tmp_path))
    try:
        _wait_for_flow(proc, tmp_path / "run")
        assert _servers(tmp_path / "prefect"), "the test must see the run's server while it runs"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 20
        while _servers(tmp_path / "prefect") and time.monotonic() < deadline:
            time.sleep(0.2)
        left = _servers(tmp_path / "prefect")
        assert not left, f"processes outlived s2s1: {left}"
    finally:
        _kill_all([proc.pid, *_servers(tmp_path / "prefect")])


@pytest.mark.slow
def test_sigterm_to_the_group_ends_the_run_with_one_line_and_nothing_half_written(tmp_path):
    proc = _start(tmp_path, _env(tmp_path))
    try:
        _wait_for_flow(proc, tmp_path / "run")
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)  # a bound on hanging (before the fix: 140-150 s), not a timing
        err = (tmp_path / "stderr.txt").read_text()
        assert proc.returncode == 130 and "Traceback" not in err, err[-3000:]
        assert err.rstrip().splitlines()[-1].startswith("stopped;"), err[-3000:]
        assert not [p for p in (tmp_path / "run").rglob("*") if TEMP.match(p.name)]
        time.sleep(1)
        assert not _servers(tmp_path / "prefect")
    finally:
        _kill_all([proc.pid, *_servers(tmp_path / "prefect")])


@pytest.mark.slow
def test_a_machine_slower_than_prefects_startup_limit_still_runs(tmp_path):
    # 1 s stands for a machine 20 times slower than Prefect's default 20 s assumes
    env = _env(tmp_path, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="1")
    proc = _start(tmp_path, env, "--stages", "generate")
    try:
        proc.wait(timeout=400)
        err = (tmp_path / "stderr.txt").read_text()
        assert proc.returncode == 0, err[-3000:]
        assert "starting a temporary Prefect server" in err
    finally:
        _kill_all([proc.pid, *_servers(tmp_path / "prefect")])


@pytest.mark.parametrize("listening", [False, True], ids=["closed-port", "never-answers"])
def test_a_prefect_api_url_that_does_not_answer_is_one_line_exit_2(tmp_path, listening):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/api"
    if listening:
        sock.listen(8)  # the kernel accepts connections; nothing ever reads or answers
    else:
        sock.close()
    try:
        cmd = [
            sys.executable,
            "-m",
            "s2s1.flows",
            "run",
            str(_config(tmp_path, 8)),
            "--out",
            str(tmp_path / "r"),
        ]
        env = {**_env(tmp_path), "PREFECT_API_URL": url}
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    finally:
        sock.close()
    assert result.returncode == 2, result.stderr[-3000:]
    assert result.stderr.count("\n") == 1 and f"PREFECT_API_URL={url}" in result.stderr, result.stderr
