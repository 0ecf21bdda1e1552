"""The code evaluation set: real problems of each public format, with solutions known right or wrong.

`data/problems.jsonl` and `data/stdio_tests_only.jsonl` hold HumanEval, MBPP (original and
sanitized), APPS (stdio and call-based), LiveCodeBench (Codeforces, AtCoder, LeetCode),
Codeforces, CodeContests and TACO problems, each with a `reference_solution` (may be null),
`alternative_references`, and `wrong_solutions` / `public_wrong_solutions` (mutants, hard-coded
outputs, empty output, `return None`), copied from the sources each row names.

Each row is turned back into its public format (the row's `test_format` says which) and read with
`s2s1.verifiers.code_loaders`, so this also exercises the loaders. This module runs nothing.

Example:
    >>> cases = load_eval_set()
    >>> len(cases) > 90 and all(c.problem.domain == "code" for c in cases)
    True
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from s2s1.records import Problem, Trace
from s2s1.verifiers import code_loaders as L

__all__ = ["EvalCase", "load_eval_set", "trace_for"]

DATA = Path(__file__).with_name("data")


@dataclass(frozen=True)
class EvalCase:
    problem: Problem
    right: list[str]
    """Solutions that must be `correct`."""
    wrong: list[str]
    """Solutions that must be `incorrect`."""


def load_eval_set() -> list[EvalCase]:
    cases = []
    for name in ("problems.jsonl", "stdio_tests_only.jsonl"):
        for line in (DATA / name).read_text().splitlines():
            row = json.loads(line)
            right = [row["reference_solution"], *row.get("alternative_references", [])]
            wrong = [w["code"] for w in row["wrong_solutions"] + row.get("public_wrong_solutions", [])]
            cases.append(EvalCase(_problem(row), [r for r in right if r], wrong))
    return cases


def trace_for(problem: Problem, code: str) -> Trace:
    """A trace whose answer is `code` in a fenced block after some thinking."""
    response = f"Here is my solution.\n```python\n{code}\n```\n"
    return Trace(
        problem_id=problem.id, index=0, teacher="eval-set", prompt=[], reasoning="...", response=response
    )


def _problem(row: dict[str, Any]) -> Problem:
    fmt, tests, rid = row["test_format"], row["tests"], row["id"]
    if fmt.startswith("humaneval"):
        public = {"task_id": "HumanEval/" + rid.split("-")[-1], "prompt": row["prompt"], "test": tests}
        problem = L.from_humaneval({**public, "entry_point": row["entry_point"]})
    elif fmt.startswith("mbpp"):
        setup = {"test_setup_code": row["test_setup_code"]} if "test_setup_code" in row else {}
        setup = setup or {"test_imports": row.get("test_imports", [])}
        problem = L.from_mbpp({"task_id": rid[5:], "text": row["prompt"], "test_list": tests, **setup})
    elif fmt.startswith("livecodebench"):
        kind = "functional" if tests.get("fn_name") else "stdin"
        pairs = zip(tests["inputs"], tests["outputs"], strict=True)
        cases = [{"input": i, "output": o, "testtype": kind} for i, o in pairs]
        meta = {"func_name": tests.get("fn_name")}
        problem = L.from_livecodebench(
            {"question_id": rid[4:], "question_content": row["prompt"],
             "public_test_cases": json.dumps(cases), "private_test_cases": "[]", "metadata": json.dumps(meta)}
        )  # fmt: skip
    elif fmt.startswith("apps"):
        problem = L.from_apps(
            {"problem_id": rid, "question": row["prompt"], "input_output": json.dumps(tests)}
        )
    else:  # lists of {input, output}: CodeContests' shape
        public = {"input": [t["input"] for t in tests], "output": [t["output"] for t in tests]}
        problem = L.from_codecontests({"name": rid, "description": row["prompt"], "public_tests": public})
    return problem.model_copy(update={"id": rid, "metadata": {"test_format": fmt, "source": row["source"]}})
