"""Loaders for the public code formats, one row each as the data sets ship them, then run."""

from __future__ import annotations

import base64
import json
import pickle
import zlib

import pytest

from s2s1.errors import UserError
from s2s1.records import Trace
from s2s1.verifiers import code_loaders as L
from s2s1.verifiers.code import CodeVerifier

HUMANEVAL = {
    "task_id": "HumanEval/38",
    "prompt": 'def encode_cyclic(s):\n    return s[1:] + s[:1]\n\n\ndef decode_cyclic(s):\n    """Undo."""\n',
    "canonical_solution": "    return s[-1:] + s[:-1]\n",
    "test": "def check(candidate):\n    assert candidate(encode_cyclic('abcdef')) == 'abcdef'\n",
    "entry_point": "decode_cyclic",
}
MBPP = {
    "task_id": 11,
    "text": "Remove first and last occurrence of a given character from the string.",
    "code": "def remove_Occ(s, ch):\n    return s.replace(ch, '', 1)[::-1].replace(ch, '', 1)[::-1]",
    "test_list": ['assert remove_Occ("hello","l") == "heo"', 'assert remove_Occ("PHP","P") == "H"'],
    "test_setup_code": "",
    "challenge_test_list": [],
}
APPS_CALL = {
    "problem_id": 4184,
    "question": "Is n prime?",
    "input_output": json.dumps({"fn_name": "is_prime", "inputs": [[1], [5]], "outputs": [[False], [True]]}),
}
APPS_STDIO = {"problem_id": 1, "question": "Sum.", "input_output": {"inputs": ["1 2\n"], "outputs": ["3\n"]}}
_LCB_PRIVATE = [{"input": "[1, 2]\n3", "output": "6", "testtype": "functional"}]
LCB = {
    "question_id": "2727",
    "question_content": "Sum the list and add k.",
    "public_test_cases": json.dumps([{"input": "[1]\n2", "output": "3", "testtype": "functional"}]),
    "private_test_cases": base64.b64encode(zlib.compress(pickle.dumps(json.dumps(_LCB_PRIVATE)))).decode(),
    "metadata": json.dumps({"func_name": "total"}),
}
CODECONTESTS = {
    "name": "1110_D. Jongmah",
    "description": "Echo.",
    "public_tests": {"input": ["hi\n"], "output": ["hi\n"]},
    "private_tests": {"input": ["yo\n"], "output": ["yo\n"]},
    "generated_tests": {"input": [], "output": []},
}

RIGHT = {
    "humaneval": "def decode_cyclic(s):\n    return s[-1:] + s[:-1]",
    "mbpp": MBPP["code"],
    "apps-call": "def is_prime(n):\n    return n > 1 and all(n % d for d in range(2, n))",
    "apps-stdio": "print(sum(map(int, input().split())))",
    "lcb": "class Solution:\n    def total(self, xs, k):\n        return sum(xs) + k",
    "codecontests": "print(input())",
}
WRONG = {
    "humaneval": "def decode_cyclic(s):\n    return s",
    "mbpp": "def remove_Occ(s, ch):\n    return s.replace(ch, '', 1)",
    "apps-call": "def is_prime(n):\n    return n % 2 == 1",
    "apps-stdio": "print(int(input()[0]) + 1)",
    "lcb": "class Solution:\n    def total(self, xs, k):\n        return sum(xs)",
    "codecontests": "print('hi')",
}
ROWS = {
    "humaneval": (L.from_humaneval, HUMANEVAL),
    "mbpp": (L.from_mbpp, MBPP),
    "apps-call": (L.from_apps, APPS_CALL),
    "apps-stdio": (L.from_apps, APPS_STDIO),
    "lcb": (L.from_livecodebench, LCB),
    "codecontests": (L.from_codecontests, CODECONTESTS),
}


@pytest.mark.parametrize("kind", list(ROWS))
def test_each_format_loads_and_its_tests_separate_right_from_wrong(kind):
    loader, row = ROWS[kind]
    problem = loader(row)
    assert problem.domain == "code" and problem.tests["style"] in ("function", "stdio")
    verifier = CodeVerifier()
    for code, outcome in ((RIGHT[kind], "correct"), (WRONG[kind], "incorrect")):
        trace = Trace(
            problem_id=problem.id, index=0, teacher="t", prompt=[], response=f"```python\n{code}\n```"
        )
        verdict = verifier.verify(problem, trace)
        assert verdict.outcome == outcome, (kind, outcome, verdict.detail)


def test_loaders_keep_ids_entry_points_and_case_counts():
    assert L.from_humaneval(HUMANEVAL).id == "humaneval-38"
    assert L.from_mbpp(MBPP).tests["entry_point"] == "remove_Occ"
    assert L.from_livecodebench(LCB).tests["setup_code"] == "CASES = [([[1], 2], 3), ([[1, 2], 3], 6)]\n"
    cc = L.from_codecontests(CODECONTESTS)
    assert (cc.id, len(cc.tests["cases"]), cc.tests["trailing_whitespace"]) == (
        "codecontests-1110_D. Jongmah",
        2,
        True,
    )


def test_compressed_tests_cannot_smuggle_pickled_objects():
    class Boom:
        def __reduce__(self):
            return (print, ("pwned",))

    row = {**LCB, "private_test_cases": base64.b64encode(zlib.compress(pickle.dumps(Boom()))).decode()}
    with pytest.raises(pickle.UnpicklingError, match="refusing to load builtins.print"):
        L.from_livecodebench(row)


def test_read_code_problems_picks_the_format_per_row_and_names_bad_lines(tmp_path):
    path = tmp_path / "mixed.jsonl"
    rows = [HUMANEVAL, MBPP, APPS_CALL, LCB, CODECONTESTS]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert [p.source for p in L.read_code_problems(path)] == [
        "humaneval", "mbpp", "apps", "livecodebench", "codecontests"
    ]  # fmt: skip
    path.write_text(json.dumps(MBPP) + "\n" + json.dumps({"prompt": "x"}) + "\n")
    with pytest.raises(UserError, match=r"mixed.jsonl:2: not a HumanEval, MBPP, APPS"):
        L.read_code_problems(path)
    path.write_text(json.dumps({**APPS_STDIO, "input_output": {"inputs": ["1"], "outputs": []}}) + "\n")
    with pytest.raises(UserError, match=r"mixed.jsonl:1: bad apps row: ValueError"):
        L.read_code_problems(path)
