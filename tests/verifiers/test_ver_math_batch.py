"""The batch API under hostile input: every check ends within its limit and the batch goes on.

These run real worker processes (spawn), so they take a few seconds.
"""

from __future__ import annotations

import pytest
from scripted_verifier import Scripted

from s2s1.records import Problem, Trace
from s2s1.verifiers import VerifierPool
from s2s1.verifiers.math_batch import verify_answers

HOSTILE = [
    "\\boxed{10^{10^{10}}}",
    "\\boxed{100000!}",
    "\\boxed{(10^{10})!}",
    "\\boxed{2^{2^{2^{2^{2^{2}}}}}}",
    "\\boxed{" + "{" * 3000 + "4" + "}" * 3000 + "}",
    "\\boxed{" + "\\frac{1}{" * 500 + "2" + "}" * 500 + "}",
    "\\boxed{" + "1+" * 500_000 + "1}",  # a megabyte
    "\\boxed{" + "9" * 1_000_000 + "}",
    "The final answer is " + "x" * 1_000_000,
    "\\boxed{\\begin{pmatrix}" + " & ".join(["1"] * 2000) + "\\end{pmatrix}}",
]


def test_hostile_answers_never_hang_or_crash_the_batch():
    pairs = [("4", h) for h in HOSTILE] + [("4", "so \\boxed{4}")]
    verdicts = list(verify_answers(pairs, workers=2, timeout_s=10.0))
    assert len(verdicts) == len(pairs)
    assert all(v.outcome != "correct" for v in verdicts[:-1]), [v.detail for v in verdicts]
    assert verdicts[-1].outcome == "correct"
    assert not any("TimeoutError" in v.detail for v in verdicts)  # refused by the parser, not killed


def test_verdicts_keep_input_order_and_gold_types():
    pairs = [(str(n), f"#### {n if n % 3 else n + 1}") for n in range(200)] + [(None, "4")]
    verdicts = list(verify_answers(pairs, workers=2))
    assert [v.outcome for v in verdicts[:-1]] == ["correct" if n % 3 else "incorrect" for n in range(200)]
    assert verdicts[-1].outcome == "unverifiable"


def _job(pid: str) -> tuple[int, Problem, Trace]:
    problem = Problem(id=pid, source="t", domain="toy", question="?", answer="1")
    return 0, problem, Trace(problem_id=pid, index=0, teacher="t", prompt=[], response="1")


BAD = ["sleep", "exit", "raise", "kill", "segv", "closefds", "hang_c"]
CAUSE = {"sleep": "TimeoutError", "hang_c": "TimeoutError", "raise": "ZeroDivisionError"}


@pytest.mark.parametrize("bad", BAD)
def test_a_bad_check_inside_a_batch_costs_only_itself(bad):
    items = [[_job(f"p{i}")] for i in range(150)]
    items[70] = [_job(bad)]
    with VerifierPool([Scripted()], workers=2, timeout_s=2.0) as pool:
        out = [vs[0] for vs in pool.map(items)]
    assert [v.detail for i, v in enumerate(out) if i != 70] == [f"p{i}" for i in range(150) if i != 70]
    assert all(v.outcome == "correct" for i, v in enumerate(out) if i != 70)
    assert out[70].outcome == "unverifiable"
    assert out[70].detail.startswith(CAUSE.get(bad, "WorkerCrash")), out[70].detail
