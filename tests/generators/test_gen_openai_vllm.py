"""OpenAIGenerator against a real vLLM server (CPU build) serving the embedded teacher.

The server runs from its own virtualenv, `.venv-vllm` at the repository root (`make test`
creates it) or the python named by `S2S1_VLLM_PYTHON`; without it the module is skipped, or fails
when `S2S1_REQUIRE_VLLM=1`. It starts once per module in eager mode (`--enforce-eager`: torch.compile's
warm-up takes minutes on 2 cores, eager starts in well under a minute) and is killed with its
process group afterwards; its log is printed when it does not come up.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from operator import attrgetter
from pathlib import Path

import httpx
import pytest

from s2s1.generators.backend import requests_for, to_trace
from s2s1.generators.openai_backend import OpenAIGenerator
from s2s1.records import Problem, Sampling

pytestmark = pytest.mark.vllm

STARTUP_LIMIT_S = 240
PROBLEMS = [
    Problem(id="a", source="t", question="What is $3 + 4$?", answer="7"),
    Problem(id="b", source="t", question="What is $5 \\times 6$?", answer="30"),
]
SAMPLING = Sampling(n=2, temperature=0.8, top_p=0.95, max_tokens=32, seed=1)


@pytest.fixture(scope="session")
def vllm_python() -> Path:
    """The python of the vLLM virtualenv: `$S2S1_VLLM_PYTHON`, else `.venv-vllm/bin/python`."""
    python = Path(os.environ.get("S2S1_VLLM_PYTHON") or Path(__file__).parents[2] / ".venv-vllm/bin/python")
    if not python.exists():
        message = f"no vLLM virtualenv at {python}: `make test` creates it (or set S2S1_VLLM_PYTHON)"
        if os.environ.get("S2S1_REQUIRE_VLLM") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return python


@pytest.fixture(scope="session")
def embedded_dir() -> str:
    """The embedded teacher as a model folder (converted once per session into $S2S1_HOME)."""
    from s2s1.generators.embedded import resolve_model

    return resolve_model("embedded")


@pytest.fixture(scope="module")
def vllm_url(vllm_python: Path, embedded_dir: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a vLLM server serving the embedded teacher as `embedded`."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tmp = tmp_path_factory.mktemp("vllm")
    log = tmp / "server.log"
    env = os.environ | {
        "VLLM_CPU_KVCACHE_SPACE": "1",
        "VLLM_CPU_NUM_OF_RESERVED_CPU": "0",
        "VLLM_NO_USAGE_STATS": "1",
        "VLLM_CACHE_ROOT": str(tmp / "cache"),
        "HF_HUB_OFFLINE": "1",
    }
    command = [str(vllm_python), "-m", "vllm.entrypoints.openai.api_server", "--model", embedded_dir]
    command += ["--served-model-name", "embedded", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--max-model-len", "1024", "--dtype", "bfloat16", "--enforce-eager"]
    start = time.monotonic()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    try:
        while not _healthy(port):
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
            if proc.poll() is not None:
                pytest.fail(f"the vLLM server exited with code {proc.returncode}; its log ends:\n{tail}")
            if time.monotonic() - start > STARTUP_LIMIT_S:
                pytest.fail(
                    f"the vLLM server did not answer within {STARTUP_LIMIT_S} s; its log ends:\n{tail}"
                )
            time.sleep(1)
        print(f"vLLM server up in {time.monotonic() - start:.0f} s")
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        _kill(proc)


def _healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server and the engine processes it started (one process group)."""
    for sig, wait_s in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


def test_samples_with_per_request_seeds(vllm_url: str) -> None:
    gen = OpenAIGenerator("embedded", vllm_url, max_concurrency=1)  # one at a time: same batches, same text
    key = attrgetter("problem_id", "index")
    first = sorted(gen.generate(PROBLEMS, SAMPLING), key=key)
    assert [key(t) for t in first] == [("a", 0), ("a", 1), ("b", 0), ("b", 1)]
    for t in first:
        assert t.error == "" and t.finish_reason in ("stop", "length"), t.error
        assert t.completion.strip() and 0 < t.num_tokens <= 32
        assert t.teacher == "embedded" and t.logprob is not None and t.logprob <= 0
        assert t.finish_reason == "stop" or t.num_tokens == 32
    again = sorted(gen.generate(PROBLEMS, SAMPLING), key=key)
    assert [t.completion for t in again] == [t.completion for t in first]
    other = sorted(gen.generate(PROBLEMS, SAMPLING.model_copy(update={"seed": 2})), key=key)
    assert [t.completion for t in other] != [t.completion for t in first]


def test_continuation_and_stop(vllm_url: str) -> None:
    gen = OpenAIGenerator("embedded", vllm_url)
    (request,) = requests_for(PROBLEMS[:1], [0], SAMPLING)
    prefix = "We add 3 and 4:"
    cont = dataclasses.replace(request, prefix=prefix, max_tokens=24)
    stop = dataclasses.replace(request, index=1, stop=("\n",))
    out = {c.request.index: c for c in gen.complete([cont, stop], SAMPLING)}
    assert out[0].error == "" and out[0].text.strip() and not out[0].text.startswith(prefix)
    assert to_trace(out[0], gen.teacher, SAMPLING).response.startswith(prefix)
    assert out[1].error == "" and out[1].finish_reason in ("stop", "length") and "\n" not in out[1].text


def test_generate_stage_against_the_server_with_adaptive_sampling_and_budget_forcing(
    vllm_url: str, tmp_path: Path
) -> None:
    """The generate stage as a user runs it (no Prefect): config → journaled shard files."""
    from s2s1.config import Config
    from s2s1.flows.generation import generate_all
    from s2s1.records import Record
    from s2s1.shards import read_models

    cfg = Config.model_validate(
        {
            "name": "served",
            "problems": {"sources": [{"builtin": "arithmetic", "limit": 8}], "eval_fraction": 0.25},
            "generate": {
                "backend": "openai",
                "model": "embedded",
                "base_url": vllm_url,
                "sampling": {"n": 2, "max_tokens": 24, "seed": 0},
                "strategy": {"name": "adaptive", "k": 1, "max_samples": 4},
                "budget_forcing": {"min_tokens": 8, "answer_tokens": 8},
                "shard_size": 3,
            },
        }
    )
    drawn = generate_all(cfg, tmp_path)
    train = read_models(tmp_path / "problems" / "train.jsonl", Problem)
    assert len(train) > 3 and drawn == ["shard-00000.jsonl", "shard-00001.jsonl"]
    records = [r for p in sorted((tmp_path / "traces").glob("shard-*.jsonl")) for r in read_models(p, Record)]
    assert records and all(r.trace.finish_reason != "error" for r in records), records[0].trace.error
    assert {r.problem.id for r in records} == {p.id for p in train}
    assert 2 * len(train) <= len(records) <= 4 * len(train)  # 2 to 4 samples per problem
    assert all(
        r.trace.strategy["name"] == "adaptive" and "budget_forcing" in r.trace.strategy for r in records
    )
    assert generate_all(cfg, tmp_path) == []  # finished shards are not redrawn
