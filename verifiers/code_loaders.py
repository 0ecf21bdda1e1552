"""Turn rows of the public code benchmarks into `Problem`s with tests the `code` verifier runs.

One function per format, each taking one row as the data set ships it (a dict), and
`read_code_problems(path)` for a JSON-lines file, which picks the format of each row by its keys:

- HumanEval (`task_id`, `prompt`, `test`, `entry_point`): `test_code` with `check(candidate)`;
  the prompt is the `setup_code`, so helpers it defines (`poly`, `encode_cyclic`) exist for the tests.
- MBPP, original and sanitized (`task_id`, `test_list`, `test_setup_code` or `test_imports`):
  `asserts`; the entry point is the function the first assert calls.
- APPS (`problem_id`, `input_output`): call-based (`fn_name`) becomes `test_code` that compares
  each result with the expected value or, APPS's quirk, the expected value wrapped in a list;
  otherwise stdio cases, compared ignoring trailing whitespace (as APPS's own checker does).
- LiveCodeBench (`question_id`, `public_test_cases`, `private_test_cases`, `metadata`): functional
  inputs are one JSON value per line (the arguments), outputs JSON; stdin cases are stdio.
  Compressed private tests (base64 of zlib of a pickled JSON string) are read with an unpickler
  that refuses every global.
- CodeContests (`name`, `public_tests`, `private_tests`, `generated_tests`): stdio, trailing
  whitespace ignored.

A row that fits no format, or a malformed one, raises UserError naming the file and line. This
module does not download data sets and does not run any code.

Example:
    >>> p = from_mbpp({"task_id": 2, "text": "Add.", "test_list": ["assert add(1, 2) == 3"]})
    >>> (p.id, p.tests["entry_point"], p.tests["asserts"])
    ('mbpp-2', 'add', ['assert add(1, 2) == 3'])
"""

from __future__ import annotations

import ast
import base64
import io
import json
import pickle
import zlib
from pathlib import Path
from typing import Any

from s2s1.errors import UserError
from s2s1.records import Problem
from s2s1.shards import read_jsonl

__all__ = [
    "from_apps",
    "from_codecontests",
    "from_humaneval",
    "from_livecodebench",
    "from_mbpp",
    "read_code_problems",
]

_APPS_CHECK = """
def check(candidate):
    for args, expected in CASES:
        got = candidate(*args)
        assert got == expected or [got] == expected or (type(got) is tuple and list(got) == expected)
"""


_LCB_CHECK = """
def check(candidate):
    for args, expected in CASES:
        assert candidate(*args) == expected
"""


def from_humaneval(row: dict[str, Any]) -> Problem:
    tests = {"style": "function", "entry_point": row["entry_point"], "setup_code": row["prompt"]}
    return _problem(f"humaneval-{str(row['task_id']).split('/')[-1]}", "humaneval", row["prompt"],
                    {**tests, "test_code": row["test"]})  # fmt: skip


def from_mbpp(row: dict[str, Any]) -> Problem:
    asserts = [str(a) for a in row["test_list"]]
    setup = row.get("test_setup_code") or "\n".join(row.get("test_imports") or [])
    calls = [n for n in ast.walk(ast.parse(asserts[0])) if isinstance(n, ast.Call)]
    names = [c.func.id for c in calls if isinstance(c.func, ast.Name) and c.func.id not in dir(__builtins__)]
    if not names:
        raise ValueError(f"cannot tell the entry point from {asserts[0]!r}")
    tests = {"style": "function", "entry_point": names[0], "asserts": asserts, "setup_code": setup}
    question = row.get("text") or row.get("prompt") or ""
    return _problem(f"mbpp-{row['task_id']}", "mbpp", question, tests)


def from_apps(row: dict[str, Any]) -> Problem:
    io_ = row["input_output"]
    io_ = json.loads(io_) if isinstance(io_, str) else io_
    pid, question = f"apps-{row['problem_id']}", row.get("question", "")
    if io_.get("fn_name"):
        cases = [(list(a), b) for a, b in zip(io_["inputs"], io_["outputs"], strict=True)]
        return _problem(pid, "apps", question, _check_tests(io_["fn_name"], cases, _APPS_CHECK))
    return _problem(pid, "apps", question, _stdio(io_["inputs"], io_["outputs"]))


def from_livecodebench(row: dict[str, Any]) -> Problem:
    cases = _json(row["public_test_cases"]) + _lcb_private(row.get("private_test_cases") or [])
    metadata = _json(row.get("metadata") or "{}")
    pid, question = f"lcb-{row['question_id']}", row.get("question_content", "")
    if any(c.get("testtype") == "functional" for c in cases):
        calls = [([json.loads(a) for a in c["input"].split("\n") if a.strip()], json.loads(c["output"]))
                 for c in cases]  # fmt: skip
        tests = _check_tests(metadata["func_name"], calls, _LCB_CHECK)
    else:
        tests = _stdio([c["input"] for c in cases], [c["output"] for c in cases])
    return _problem(pid, "livecodebench", question, tests)


def from_codecontests(row: dict[str, Any]) -> Problem:
    inputs, outputs = [], []
    for key in ("public_tests", "private_tests", "generated_tests"):
        part = row.get(key) or {"input": [], "output": []}
        inputs += part["input"]
        outputs += part["output"]
    return _problem(f"codecontests-{row['name']}", "codecontests", row.get("description", ""),
                    _stdio(inputs, outputs))  # fmt: skip


def read_code_problems(path: str | Path) -> list[Problem]:
    """Every row of a JSON-lines file in one of the formats above, as Problems."""
    problems = []
    for line, row in read_jsonl(Path(path)):
        keys = set(row)
        match keys:
            case _ if {"task_id", "test", "entry_point"} <= keys:
                loader = from_humaneval
            case _ if {"task_id", "test_list"} <= keys:
                loader = from_mbpp
            case _ if {"problem_id", "input_output"} <= keys:
                loader = from_apps
            case _ if {"question_id", "public_test_cases"} <= keys:
                loader = from_livecodebench
            case _ if {"name", "public_tests"} <= keys:
                loader = from_codecontests
            case _:
                raise UserError(
                    f"{path}:{line}: not a HumanEval, MBPP, APPS, LiveCodeBench or CodeContests row "
                    f"(keys: {', '.join(sorted(keys)[:8])}); see verifiers/code_loaders.py for the formats"
                )
        try:
            problems.append(loader(row))
        except (KeyError, TypeError, ValueError, SyntaxError) as e:
            raise UserError(
                f"{path}:{line}: bad {loader.__name__[5:]} row: {type(e).__name__}: {e}"
            ) from None
    return problems


def _problem(pid: str, source: str, question: str, tests: dict[str, Any]) -> Problem:
    return Problem(id=pid, source=source, domain="code", question=question, tests=tests)


def _check_tests(entry: str, cases: list[tuple[list[Any], Any]], check: str) -> dict[str, Any]:
    return {
        "style": "function",
        "entry_point": entry,
        "setup_code": f"CASES = {cases!r}\n",
        "test_code": check,
    }


def _stdio(inputs: list[str], outputs: list[Any]) -> dict[str, Any]:
    if len(inputs) != len(outputs) or not inputs:
        raise ValueError(f"{len(inputs)} inputs but {len(outputs)} outputs")
    cases = [{"input": _text(i), "output": _text(o)} for i, o in zip(inputs, outputs, strict=True)]
    return {"style": "stdio", "cases": cases, "trailing_whitespace": True}


def _text(value: Any) -> str:
    return "\n".join(map(str, value)) if isinstance(value, list) else str(value)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _lcb_private(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, str) or value.lstrip().startswith("["):
        return list(_json(value))
    data = zlib.decompress(base64.b64decode(value))
    return json.loads(_NoGlobals(io.BytesIO(data)).load())


class _NoGlobals(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a test file")
