"""prefect.yaml's deployments on a real Prefect server, a process work pool and a worker.

The module starts `prefect server start` on 127.0.0.1 with its own PREFECT_HOME and SQLite
database, creates the process work pools named in prefect.yaml, runs `prefect deploy` from the
repository, starts `prefect worker start`, triggers runs with `prefect deployment run`, and
stops everything it started. The teacher is the fake one and the student a tiny random model,
so a whole pipeline run takes seconds once the server is up.

The first test is in the default run (`make test`, so CI): ~1 min on an idle 2-core machine,
most of it the server's start-up. The two `slow` ones (`make test-slow`) use the tiny model for
real, so that generation takes long enough to kill mid-way or to overlap: one kills the worker
and its flow-run process mid-generation (a node that dies), starts a new worker, triggers the
deployment again and checks that the new run finishes without rewriting any shard the killed
run had completed; the other runs two flow runs under `prefect concurrency-limit create gpu 1`
and checks that no two gpu-tagged task runs overlapped.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from s2s1.config import Config

REPO = Path(__file__).resolve().parents[2]
PREFECT = str(Path(sys.executable).parent / "prefect")
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real Prefect server on a free port; yields (api_url, env for the CLI), then stops it."""
    home = tmp_path_factory.mktemp("prefect-home")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": api,
        "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home}/prefect.db",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_WORKER_QUERY_SECONDS": "1",
    }
    cmd = [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    proc = _start(cmd, env, home / "server.log")
    try:
        _wait_until(lambda: _healthy(api), 120, f"server did not start; see {home / 'server.log'}")
        _s2s1(env, "deploy")  # the documented step: creates s2s1-gpu/s2s1-cpu, deploys to them
        yield api, env
    finally:
        _stop(proc)


@pytest.fixture
def worker(server, tmp_path):
    """A process worker on the GPU pool (where the `pipeline` deployment goes); stopped after."""
    _, env = server
    procs = [_start([PREFECT, "worker", "start", "--pool", "s2s1-gpu"], env, tmp_path / "worker-0.log")]
    yield procs
    for proc in procs:
        _stop(proc)


def test_a_deployment_run_completes_with_outputs_and_artifacts(server, worker, tiny_model_dir, tmp_path):
    api, env = server
    run_dir = tmp_path / "run"
    flow_run = _trigger(env, _config(tiny_model_dir, backend="fake"), run_dir)
    assert _wait_for_final(api, flow_run, 240) == "COMPLETED", _logs(api, flow_run)
    for path in ("manifest.json", "metrics.json", "report.md", "dataset/README.md", "eval/student.json"):
        assert (run_dir / path).exists(), path
    for stage in ("traces", "verified", "filtered", "rejected"):
        assert list((run_dir / stage).glob("shard-*.jsonl")), stage
    body = {"artifacts": {"flow_run_id": {"any_": [flow_run]}}, "limit": 200, "offset": 0}
    artifacts = httpx.post(f"{api}/artifacts/filter", json=body, timeout=30).json()
    by_key = {a["key"]: a for a in artifacts}
    assert {"s2s1-report", "s2s1-pass-rates", "s2s1-filter-drops", "s2s1-generate-progress"} <= set(by_key)
    assert by_key["s2s1-report"]["data"] == (run_dir / "report.md").read_text()
    metrics = json.loads((run_dir / "metrics.json").read_text())
    drops = {row["reason"]: row["traces"] for row in json.loads(by_key["s2s1-filter-drops"]["data"])}
    assert drops == metrics["filter"]["dropped_by_reason"]
    assert by_key["s2s1-generate-progress"]["data"] == 100.0


@pytest.mark.slow  # ~1-3 min: a real (tiny) model so that generation is slow enough to kill mid-way
def test_a_killed_run_retriggered_finishes_without_redoing_shards(server, worker, tiny_model_dir, tmp_path):
    api, env = server
    run_dir = tmp_path / "run"
    cfg = _config(tiny_model_dir, backend="transformers")
    shards = -(-len(_train_ids(cfg)) // cfg.generate.shard_size)
    killed = _trigger(env, cfg, run_dir, stages=["generate", "verify"])
    first = run_dir / "traces" / "shard-00001.jsonl"
    _wait_until(lambda: first.exists(), 180, "the first run never finished two shards")
    _kill_tree(worker[0].pid)  # the worker and its flow-run process: the node died
    done = {p: p.stat().st_mtime_ns for p in (run_dir / "traces").glob("shard-*.jsonl")}
    assert 2 <= len(done) < shards, "killed too late to show a resume"
    assert _state(api, killed) != "COMPLETED"

    worker.append(_start([PREFECT, "worker", "start", "--pool", "s2s1-gpu"], env, tmp_path / "worker-1.log"))
    again = _trigger(env, cfg, run_dir, stages=["generate", "verify"])
    assert _wait_for_final(api, again, 240) == "COMPLETED", _logs(api, again)
    assert len(list((run_dir / "traces").glob("shard-*.jsonl"))) == shards
    assert len(list((run_dir / "verified").glob("shard-*.jsonl"))) == shards
    assert {p: p.stat().st_mtime_ns for p in done} == done  # completed shards were not rewritten


def _config(model_dir: Path, backend: str) -> Config:
    return Config.model_validate(
        {
            "name": f"server-{backend}",
            "problems": {"sources": [{"builtin": "arithmetic", "limit": 24}], "eval_fraction": 0.25},
            "generate": {
                "backend": backend,
                "model": str(model_dir),
                "few_shot": False,
                "shard_size": 2,
                "batch_size": 4,
                "sampling": {"n": 2, "max_tokens": 48},
            },
            "verify": {"workers": 1},
            "train": {"max_steps": 2, "batch_size": 4},
            "evaluate": {"sampling": {"n": 1, "max_tokens": 8}, "max_problems": 3},
        }
    )


def _train_ids(cfg: Config) -> list[str]:
    from s2s1.problems import load_problems, split_problems

    train, _ = split_problems(load_problems(cfg.problems), cfg.problems.eval_fraction, cfg.problems.seed)
    return [p.id for p in train]


def _trigger(env: dict[str, str], cfg: Config, run_dir: Path, stages: list[str] | None = None) -> str:
    params = {"cfg": cfg.model_dump(mode="json"), "run_dir": str(run_dir), "stages": stages}
    out = _cli(env, "deployment", "run", "s2s1-pipeline/pipeline", "--params", json.dumps(params))
    match = re.search(r"UUID: ([0-9a-f-]{36})", out)
    assert match, out
    return match.group(1)


def _s2s1(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    s2s1 = str(Path(sys.executable).parent / "s2s1")
    return subprocess.run(
        [s2s1, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=300, check=True
    )


def test_deploy_made_the_pools_and_submit_starts_a_run_with_defaults(server, tmp_path):
    api, env = server
    pools = {p["name"]: p["type"] for p in httpx.post(f"{api}/work_pools/filter", json={}, timeout=30).json()}
    assert pools.get("s2s1-gpu") == "process" and pools.get("s2s1-cpu") == "process", pools
    names = {d["name"] for d in httpx.post(f"{api}/deployments/filter", json={}, timeout=30).json()}
    assert {"pipeline", "verify", "filter", "verify-filter-dask"} <= names
    out = _s2s1(env, "submit", str(REPO / "configs" / "quickstart.yaml"), "--out", str(tmp_path / "r")).stdout
    run_id = re.search(r"flow run ([0-9a-f-]{36})", out).group(1)
    params = httpx.get(f"{api}/flow_runs/{run_id}", timeout=30).json()["parameters"]
    assert params["cfg"]["name"] == "quickstart" and params["run_dir"] == str(tmp_path / "r")
    plain = _cli(env, "deployment", "run", "s2s1-pipeline/verify")  # no --params: the defaults do
    assert re.search(r"UUID: [0-9a-f-]{36}", plain), plain
    bad = subprocess.run(
        [str(Path(sys.executable).parent / "s2s1"), "submit", str(tmp_path / "no.yaml")],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2 and bad.stderr.strip().count("\n") == 0 and "no.yaml" in bad.stderr


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([PREFECT, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, f"prefect {' '.join(args[:3])} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "w") as out:
        return subprocess.Popen(
            cmd, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the process group we started, then SIGKILL whatever is left of the tree."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    _kill_tree(proc.pid)


def _kill_tree(pid: int) -> None:
    """SIGKILL `pid` and every process descended from it (a flow run has its own session)."""
    for child in _children(pid):
        _kill_tree(child)
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, os.WNOHANG)
    except (ProcessLookupError, ChildProcessError):
        pass


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def _healthy(api: str) -> bool:
    try:
        return httpx.get(f"{api}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _state(api: str, flow_run: str) -> str:
    return httpx.get(f"{api}/flow_runs/{flow_run}", timeout=30).json()["state"]["type"]


def _wait_for_final(api: str, flow_run: str, timeout_s: float) -> str:
    _wait_until(lambda: _state(api, flow_run) in FINAL, timeout_s, f"flow run {flow_run} did not finish")
    return _state(api, flow_run)


def _wait_until(check, timeout_s: float, message: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.05)


def _logs(api: str, flow_run: str) -> str:
    body = {"logs": {"flow_run_id": {"any_": [flow_run]}}, "limit": 200, "offset": 0}
    return "\n".join(r["message"] for r in httpx.post(f"{api}/logs/filter", json=body, timeout=30).json())


@pytest.mark.slow  # ~1-2 min: two runs of a real (tiny) model, so that GPU tasks would overlap unlimited
def test_gpu_tasks_never_overlap_under_the_gpu_concurrency_limit(server, worker, tiny_model_dir, tmp_path):
    from datetime import datetime

    api, env = server
    _cli(env, "concurrency-limit", "create", "gpu", "1")
    try:
        cfg = _config(tiny_model_dir, backend="transformers")
        runs = [_trigger(env, cfg, tmp_path / f"run-{i}", stages=["generate"]) for i in range(2)]
        for flow_run in runs:
            assert _wait_for_final(api, flow_run, 300) == "COMPLETED", _logs(api, flow_run)
    finally:
        _cli(env, "concurrency-limit", "delete", "gpu")
    body = {
        "flow_runs": {"id": {"any_": runs}},
        "task_runs": {"tags": {"all_": ["gpu"]}},
        "limit": 200,
        "offset": 0,
    }
    task_runs = httpx.post(f"{api}/task_runs/filter", json=body, timeout=30).json()
    spans = sorted(
        (datetime.fromisoformat(t["start_time"]), datetime.fromisoformat(t["end_time"])) for t in task_runs
    )
    assert len(spans) == 2 * -(-len(_train_ids(cfg)) // cfg.generate.shard_size)
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert start >= end, "two gpu-tagged tasks ran at once"
