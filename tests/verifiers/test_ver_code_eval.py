"""The code evaluation set (benchmarks/sandbox/data): reference solutions `correct`, wrong ones
`incorrect`. The default run takes one problem of each kind; the whole set is `slow`."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from s2s1.verifiers.code_runner import check_code

_PATH = Path(__file__).parents[2] / "benchmarks" / "sandbox" / "eval_set.py"
_spec = importlib.util.spec_from_file_location("code_eval_set", _PATH)
assert _spec and _spec.loader
eval_set = importlib.util.module_from_spec(_spec)
sys.modules["code_eval_set"] = eval_set
_spec.loader.exec_module(eval_set)


def _kinds(cases):
    seen = {}
    for case in cases:
        kind = case.problem.id.rsplit("-", 1)[0]
        if case.right and kind not in seen and "codecontests-sf" not in kind:
            seen[kind] = case
    return list(seen.values())


def _check(cases) -> list[str]:
    pairs, wanted = [], []
    for case in cases:
        for code, outcome in [(c, "correct") for c in case.right] + [(c, "incorrect") for c in case.wrong]:
            pairs.append((case.problem, eval_set.trace_for(case.problem, code)))
            wanted.append(outcome)
    verdicts = check_code(pairs, workers=2)
    return [
        f"{p.id}: expected {want}, got {v.outcome} ({v.detail})"
        for (p, _), want, v in zip(pairs, wanted, verdicts, strict=True)
        if v.outcome != want
    ]


def test_one_problem_of_each_kind():
    cases = _kinds(eval_set.load_eval_set())
    assert len(cases) >= 9  # humaneval, mbpp, mbpp-sanitized, apps, lcb ×3, codeforces, codecontests…
    assert _check(cases) == []


@pytest.mark.slow
def test_the_whole_code_eval_set():
    cases = eval_set.load_eval_set()
    assert sum(len(c.right) for c in cases) == 75 and sum(len(c.wrong) for c in cases) == 189
    assert _check(cases) == []
