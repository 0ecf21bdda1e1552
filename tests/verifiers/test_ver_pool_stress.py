"""The hostile-check batch, hundreds of times, with every core busy (slow: `make test-slow`).

Each run mixes ordinary checks with two hostile ones drawn from every kind the pool must survive
(a hang, a hang in C holding the GIL, os._exit, SIGKILL, a segfault, closed file descriptors,
an exception), so a race between a dying worker and the parent's writes gets many chances to
show. Every run must give every ordinary check its real verdict, the hostile ones `unverifiable`,
never raise, and leave no scratch folder behind. S2S1_STRESS_RUNS sets the number of runs.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import tempfile

import pytest
from scripted_verifier import Scripted

from s2s1.records import Problem, Trace
from s2s1.verifiers import VerifierPool

KINDS = ["sleep", "hang_c", "exit", "kill", "segv", "closefds", "raise"]


def _job(pid: str) -> tuple[int, Problem, Trace]:
    problem = Problem(id=pid, source="t", domain="toy", question="?", answer="1")
    return 0, problem, Trace(problem_id=pid, index=0, teacher="t", prompt=[], response="1")


def _busy() -> None:
    while True:
        pass


@pytest.mark.slow
def test_the_pool_survives_hostile_batches_under_load(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    runs = int(os.environ.get("S2S1_STRESS_RUNS", "300"))
    load = [mp.get_context("spawn").Process(target=_busy, daemon=True) for _ in range(os.cpu_count() or 2)]
    for p in load:
        p.start()
    rng, failures = random.Random(0), []
    try:
        with VerifierPool([Scripted()], workers=2, timeout_s=0.5) as pool:
            for run in range(runs):
                bad = dict(zip(rng.sample(range(40), 2), rng.sample(KINDS, 2), strict=True))
                items = [[_job(bad.get(i, f"p{i}"))] for i in range(40)]
                out = [vs[0] for vs in pool.map(items)]
                expected = [("unverifiable" if i in bad else f"p{i}") for i in range(40)]
                got = [(v.outcome if i in bad else v.detail) for i, v in enumerate(out)]
                wrong = [(i, v.outcome, v.detail) for i, v in enumerate(out) if got[i] != expected[i]]
                if wrong:
                    failures.append((run, bad, wrong))
        assert failures == [], failures[:3]
        assert list(tmp_path.iterdir()) == []
    finally:
        for p in load:
            p.kill()
