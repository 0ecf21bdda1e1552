"""Shard tasks (cache, retries), run artifacts, and the Dask path against the local one.

One run folder is made by the pipeline's local path (generate, verify, filter on the fake
teacher); a second one gets the same traces and is verified and filtered on a local Dask
cluster. The two must agree verdict for verdict and decision for decision.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from prefect import flow
from prefect.states import Completed, Failed

from s2s1.config import Config
from s2s1.errors import UserError
from s2s1.flows.shard_tasks import transient, verify_shard
from s2s1.records import Record
from s2s1.shards import read_models

CFG = Config.model_validate(
    {
        "name": "dask",
        "problems": {"sources": [{"builtin": "arithmetic", "limit": 16}], "eval_fraction": 0.25},
        "generate": {"backend": "fake", "model": "fake", "shard_size": 3, "sampling": {"n": 4}},
        "verify": {"workers": 1},
    }
)


@pytest.fixture(scope="module")
def runs(prefect_harness, tmp_path_factory):
    from s2s1.flows.dask_stages import verify_filter_dask
    from s2s1.flows.pipeline import pipeline

    local, distributed = tmp_path_factory.mktemp("local"), tmp_path_factory.mktemp("dask")
    local_metrics = pipeline(CFG, run_dir=local, stages=["generate", "verify", "filter"])
    for name in ("traces", "problems"):
        shutil.copytree(local / name, distributed / name)
    shutil.copy(local / "manifest.json", distributed / "manifest.json")
    dask_metrics = verify_filter_dask(CFG, distributed, workers=2)
    return local, distributed, local_metrics, dask_metrics


def _by_key(run_dir: Path, stage: str) -> dict[str, Record]:
    return {r.key: r for p in sorted((run_dir / stage).glob("shard-*.jsonl")) for r in read_models(p, Record)}


def test_dask_gives_the_local_verdicts_and_decisions(runs):
    local, distributed, local_metrics, dask_metrics = runs
    assert len(list((local / "traces").glob("shard-*.jsonl"))) >= 3
    for stage in ("verified", "filtered", "rejected"):
        a, b = _by_key(local, stage), _by_key(distributed, stage)
        assert a.keys() == b.keys() and a, stage
        for key in a:
            for name, verdict in a[key].verdicts.items():
                assert verdict.model_dump(exclude={"elapsed_s"}) == b[key].verdicts[name].model_dump(
                    exclude={"elapsed_s"}
                )
            assert a[key].decisions == b[key].decisions
    assert {v.outcome for r in _by_key(distributed, "verified").values() for v in r.verdicts.values()} >= {
        "correct",
        "incorrect",
    }
    assert dask_metrics["filter"] == local_metrics["filter"]


def test_dask_rerun_skips_every_finished_shard(runs):
    from s2s1.flows.dask_stages import verify_filter_dask

    _, distributed, _, _ = runs
    before = {p: p.stat().st_mtime_ns for p in distributed.rglob("shard-*.jsonl")}
    metrics = verify_filter_dask(CFG, distributed, workers=1)
    assert {p: p.stat().st_mtime_ns for p in distributed.rglob("shard-*.jsonl")} == before
    shards = len(list((distributed / "traces").glob("shard-*.jsonl")))
    assert sorted(metrics["skipped"]) == sorted(
        f"{s} shard-{i:05d}.jsonl" for s in ("verify", "filter") for i in range(shards)
    )


def test_artifacts_hold_the_run_pass_rates_and_drops(runs, read_artifacts):
    from prefect.settings import PREFECT_API_URL

    from s2s1.flows.artifacts import filter_drops, pass_rates

    _, distributed, _, dask_metrics = runs
    latest = read_artifacts(PREFECT_API_URL.value(), ["s2s1-report", "s2s1-pass-rates", "s2s1-filter-drops"])
    rates = json.loads(latest["s2s1-pass-rates"]["data"])
    assert rates == pass_rates(distributed) and rates[0]["verifier"] == "math"
    assert 0 < rates[0]["pass_rate"] < 1
    drops = json.loads(latest["s2s1-filter-drops"]["data"])
    assert drops == filter_drops(dask_metrics) and {d["reason"] for d in drops} >= {"incorrect", "truncated"}
    assert f"kept {dask_metrics['filter']['kept']}" in latest["s2s1-report"]["data"]


def test_a_finished_shard_is_cached_across_flow_runs_and_a_lost_one_redone(runs, tmp_path):
    from s2s1.flows.pipeline import verify_traces

    local, *_ = runs
    shutil.copytree(local / "traces", tmp_path / "traces")
    name = "shard-00000.jsonl"

    @flow
    def verify_once(refresh: bool) -> str:
        state = verify_shard.with_options(refresh_cache=refresh)(CFG, tmp_path, name, return_state=True)
        return state.name

    assert verify_once(True) == "Completed"
    assert verify_once(False) == "Cached"  # a later flow run, same inputs and task source
    (tmp_path / "verified" / name).unlink()  # the file says what is done, not the cache
    flow(verify_traces.fn)(CFG, tmp_path)  # the stage is a task now; run its body in a flow
    assert (tmp_path / "verified" / name).exists()


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (ConnectionResetError("peer reset"), True),
        (TimeoutError("read timed out"), True),
        (OSError(5, "Input/output error"), True),
        (FileNotFoundError(2, "No such file"), False),
        (UserError("bad config key"), False),
        (ValueError("a bug"), False),
    ],
)
def test_only_transient_failures_are_retried(error, retried):
    from prefect.task_engine import TaskRunTimeoutError

    assert transient(verify_shard, None, Failed(data=error)) is retried  # type: ignore[arg-type]
    assert transient(verify_shard, None, Failed(data=TaskRunTimeoutError("4 h"))) is False  # type: ignore[arg-type]
    assert transient(verify_shard, None, Completed(data=1)) is False  # type: ignore[arg-type]
