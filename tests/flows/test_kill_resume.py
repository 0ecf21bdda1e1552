"""Kill a real generation process mid-shard with SIGKILL, rerun it, and count every sample.

Contract (design §7): exactly one trace per (problem, sample index); samples finished before the
kill are kept as they were, never drawn again. The process is `python -m s2s1.flows.generation` (the
generate stage, journal included) running the transformers backend on a tiny random model.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from s2s1.journal import Journal
from s2s1.records import Record
from s2s1.shards import read_models

N_SAMPLES = 2


def _start(config: Path, out: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "s2s1.flows.generation", str(config), "--out", str(out)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def test_sigkill_mid_shard_loses_and_duplicates_nothing(tmp_path: Path, tiny_model_dir: Path) -> None:
    config = tmp_path / "kill.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "name": "kill",
                "problems": {"sources": [{"builtin": "arithmetic", "limit": 24}], "eval_fraction": 0.25},
                "generate": {
                    "backend": "transformers",
                    "model": str(tiny_model_dir),
                    "sampling": {"n": N_SAMPLES, "max_tokens": 16, "temperature": 1.0},
                    "batch_size": 2,
                    "shard_size": 100,  # one shard: the kill lands inside it
                },
            }
        )
    )
    out = tmp_path / "run"
    journal = out / "traces" / "shard-00000.jsonl.partial"
    proc = _start(config, out)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and journal.read_text().count("\n") >= 6:
            break
        time.sleep(0.02)
    assert proc.poll() is None, f"generation ended before the kill: {proc.stderr.read().decode()[-2000:]}"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = time.time()

    shard = out / "traces" / "shard-00000.jsonl"
    assert not shard.exists()
    before = {r.key: r for r in Journal(journal).read()}
    assert 6 <= len(before) < 18 * N_SAMPLES

    rerun = _start(config, out)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()[-2000:]

    records = read_models(shard, Record)
    train = read_models(out / "problems" / "train.jsonl", Record.model_fields["problem"].annotation)
    expected = {f"{p.id}#{i}" for p in train for i in range(N_SAMPLES)}
    keys = [r.key for r in records]
    assert len(keys) == len(set(keys)) == len(expected) and set(keys) == expected
    final = {r.key: r for r in records}
    assert all(final[k] == r for k, r in before.items())  # kept as they were, not redrawn
    redrawn = [r for r in records if r.trace.created_at.timestamp() > killed_at]
    assert len(redrawn) == len(expected) - len(before)
    assert not journal.exists()
