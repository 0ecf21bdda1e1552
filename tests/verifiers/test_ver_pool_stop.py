"""Stopping a verifier worker that is still starting: it dies at once, quietly (issue 25).

A shard with fewer checks than workers used to stop its pool before the second worker was up;
the stop then waited out a 5 s join and the worker printed a `ConnectionResetError` traceback.
"""

from __future__ import annotations

import multiprocessing as mp
import pickle

from s2s1.verifiers.math import MathVerifier
from s2s1.verifiers.pool import VerifierPool
from s2s1.verifiers.pool_worker import Worker


def test_a_worker_stopped_while_starting_is_dead_when_stop_returns(capfd):
    worker = Worker(mp.get_context("spawn"), pickle.dumps([MathVerifier()]))
    worker.stop()  # long before it has imported anything or said ready
    assert worker.process.exitcode is not None  # joined, not left running past a timed-out join
    assert "Error" not in capfd.readouterr().err


def test_a_pool_reused_for_several_maps_keeps_its_workers(capfd):
    from s2s1.records import Problem, Trace

    p = Problem(id="p", source="t", question="1+1?", answer="2")
    t = Trace(problem_id="p", index=0, teacher="m", prompt=[], response="\\boxed{2}")
    with VerifierPool([MathVerifier()], workers=2, timeout_s=30) as pool:
        first = [[v.outcome for v in vs] for vs in pool.map([[(0, p, t)]] * 3)]
        started = list(pool._workers)
        second = [[v.outcome for v in vs] for vs in pool.map([[(0, p, t)]] * 3)]
        assert pool._workers == started  # the second map (shard) started no process
    assert first == second == [["correct"]] * 3
    assert "Traceback" not in capfd.readouterr().err
