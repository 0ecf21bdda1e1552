"""The verify stage and its worker pool: order, time limits, crashes, domains.

`Scripted` is a verifier whose behaviour is picked by the problem id, so that one shared pool
meets a hang, an exception and a dying worker between ordinary checks.
"""

from __future__ import annotations

import pickle

import pytest
from pydantic import BaseModel, PrivateAttr
from scripted_verifier import PatientScripted, Scripted

from s2s1.records import Problem, Record, Sampling, Trace
from s2s1.verifiers import VerifierPool, load_verifiers, verify
from s2s1.verifiers.pool_worker import dumps


def _job(pid: str, response: str = "1", domain: str = "toy") -> tuple[int, Problem, Trace]:
    problem = Problem(id=pid, source="t", domain=domain, question="?", answer="1")
    return 0, problem, Trace(problem_id=pid, index=0, teacher="t", prompt=[], response=response)


def _record(pid: str, response: str = "1", domain: str = "toy") -> Record:
    _, problem, trace = _job(pid, response, domain)
    return Record(problem=problem, trace=trace)


@pytest.fixture(scope="module")
def pool():
    with VerifierPool([Scripted()], workers=2, timeout_s=2.0) as p:
        yield p


def test_a_hanging_check_times_out_and_the_next_one_is_verified(pool):
    out = [vs[0] for vs in pool.map([[_job("a")], [_job("sleep")], [_job("b", "2")], [_job("c")]])]
    assert [v.outcome for v in out] == ["correct", "unverifiable", "incorrect", "correct"]
    assert out[1].detail == "TimeoutError after 2s"
    assert out[1].score == 0.0 and out[1].verifier == "scripted"
    assert [out[0].detail, out[2].detail, out[3].detail] == ["a", "b", "c"]


def test_an_exception_is_unverifiable_with_its_class(pool):
    out = [vs[0] for vs in pool.map([[_job("raise")], [_job("after")]])]
    assert out[0].outcome == "unverifiable"
    assert out[0].detail.startswith("ZeroDivisionError")
    assert (out[1].outcome, out[1].detail) == ("correct", "after")


def test_a_dying_worker_is_replaced(pool):
    out = [vs[0] for vs in pool.map([[_job("exit")], [_job("after")], [_job("again")]])]
    assert out[0].outcome == "unverifiable"
    assert out[0].detail.startswith("WorkerCrash")
    assert [v.outcome for v in out[1:]] == ["correct", "correct"]


def test_many_items_keep_their_order_and_empty_items_pass(pool):
    items = [[_job(f"p{i}", str(i % 2))] if i % 3 else [] for i in range(30)]
    out = list(pool.map(items))
    assert len(out) == 30
    for i, vs in enumerate(out):
        assert [v.detail for v in vs] == ([f"p{i}"] if i % 3 else [])


def test_a_long_run_of_items_without_checks_does_not_stall_the_pool(pool):
    # more check-less items than the pool reads ahead (8 x 128 per worker): once they were all
    # yielded the pool waited for a worker message that could never come (seen at 128k rows)
    import threading

    items = [[] for _ in range(3000)] + [[_job("last")]]
    out: list = []
    reader = threading.Thread(target=lambda: out.extend(pool.map(items)), daemon=True)
    reader.start()
    reader.join(60)
    assert not reader.is_alive(), "the pool stalled"
    assert len(out) == 3001 and out[-1][0].detail == "last"


def test_verify_stage_adds_verdicts_by_domain_in_order():
    records = [
        _record("m1", "1", "math"),
        _record("c1", "x", "code"),
        _record("m2", "\\boxed{2}", "math"),
    ]
    verifiers = [*load_verifiers(["math"]), Scripted()]
    out = list(verify(records, verifiers, timeout_s=30, workers=2))
    assert [r.problem.id for r in out] == ["m1", "c1", "m2"]
    assert out[1] == records[1]  # no verifier handles "code"
    assert set(out[0].verdicts) == {"math", "scripted"}
    assert out[0].verdicts["math"].detail == "text match (whole text)"  # a bare answer is read whole
    assert out[0].verdicts["scripted"].outcome == "correct"
    assert out[2].verdicts["math"].detail == "numeric mismatch (boxed)"


def test_verify_stage_turns_a_hang_into_unverifiable_and_goes_on():
    records = [_record("sleep"), _record("next")]
    out = list(verify(records, [Scripted()], timeout_s=1, workers=1))
    assert out[0].verdicts["scripted"].outcome == "unverifiable"
    assert "TimeoutError" in out[0].verdicts["scripted"].detail
    assert out[1].verdicts["scripted"].outcome == "correct"


def test_a_verifier_with_its_own_limit_gets_the_time_it_declares_unless_the_user_sets_one():
    out = list(verify([_record("nap")], [PatientScripted()], workers=1))
    assert out[0].verdicts["patient"].outcome == "correct"  # 1.5 s > the 1 s a user may set below
    out = list(verify([_record("nap")], [PatientScripted()], timeout_s=1, workers=1))
    assert out[0].verdicts["patient"].detail == "TimeoutError after 1s"


def test_no_worker_starts_when_nothing_needs_checking():
    records = [_record("c1", domain="code")]
    with VerifierPool([Scripted()], workers=2) as p:
        assert list(p.map([[], []])) == [[], []]
        assert p._workers == []
    assert list(verify(records, [Scripted()])) == records


def _alive_with_argv(argv: list[str]) -> list[int]:
    """Pids of live processes whose command line is exactly `argv`."""
    import os

    wanted, pids = "\0".join(argv) + "\0", []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline") as f:
                cmdline = f.read()
            with open(f"/proc/{pid}/stat") as f:
                zombie = f.read().rsplit(")", 1)[1].split()[0] == "Z"
        except OSError:
            continue
        if cmdline == wanted and not zombie:
            pids.append(int(pid))
    return pids


def test_a_killed_check_leaves_no_files_or_processes(tmp_path, monkeypatch):
    import tempfile
    import time

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the workers' scratch folders go here
    seconds = f"{time.time() % 1000 + 1000:.6f}"  # a sleep no one else runs
    problem = Problem(id="litter", source="t", domain="toy", question=seconds, answer="1")
    job = (0, problem, Trace(problem_id="litter", index=0, teacher="t", prompt=[], response="1"))
    with VerifierPool([Scripted()], workers=1, timeout_s=1.5) as pool:
        (verdict,), (after,) = pool.map([[job], [_job("a")]])
        assert verdict.detail == "TimeoutError after 1.5s" and after.outcome == "correct"
        assert not _alive_with_argv(["sleep", seconds])  # killed with the worker, before the next check
        assert [p.name for p in tmp_path.iterdir()] == [p.name for p in tmp_path.glob("s2s1-worker-*")]
        assert len(list(tmp_path.iterdir())) == 1  # the killed worker's folder (its litter inside) is gone
    assert list(tmp_path.iterdir()) == []


class _Private(BaseModel):  # not a plain model: `dumps` leaves it to pydantic's own pickling
    x: int = 0
    _seen: int = PrivateAttr(default=5)


def test_models_cross_the_pipe_as_they_were_and_the_worker_times_each_check(pool):
    vi, problem, _ = _job("p")
    trace = Trace(problem_id="p", index=0, teacher="t", prompt=[{"role": "user", "content": "?"}],
                  sampling=Sampling(top_k=20), strategy={"name": "fixed"})  # fmt: skip
    back = pickle.loads(dumps([(vi, problem, trace)]))
    assert back == [(vi, problem, trace)] and back[0][2].model_dump_json() == trace.model_dump_json()
    assert back[0][2].model_fields_set == trace.model_fields_set
    assert back[0][2].sampling.model_fields_set == {"top_k"}
    private = _Private(x=1)
    private._seen = 7
    assert pickle.loads(dumps(private))._seen == 7
    out = next(pool.map([[_job("p")]]))[0]
    assert out.detail == "p" and "elapsed_s" in out.model_fields_set  # the worker set it, not the check
