"""The code verifier finds the solution in the layouts models write, not just the last block.

Each layout wraps a right and a wrong solution: the right one must be `correct`, the wrong one
`incorrect`; a final block that redefines the solution wrongly stays `incorrect`; the verdict's
detail names the block that ran.
"""

from __future__ import annotations

from typing import ClassVar

import pytest

from s2s1.records import Problem, Trace
from s2s1.verifiers.code import CodeVerifier
from s2s1.verifiers.sandbox import Limits


class QuickCode(CodeVerifier):
    limits: ClassVar[Limits] = Limits(wall_s=2.0, cpu_s=2)
    per_problem_s: ClassVar[float] = 3.0


ADD = {
    "style": "function",
    "entry_point": "add",
    "asserts": ["assert add(1, 2) == 3", "assert add(2, 2) == 4"],
}
RIGHT, WRONG = "def add(a, b):\n    return a + b", "def add(a, b):\n    return a * b - 1"
SUM = {"style": "stdio", "cases": [{"input": "1 2\n", "output": "3\n"}, {"input": "2 2\n", "output": "4\n"}]}
PROGRAM = "a, b = map(int, input().split())\nprint(a + b)"
WRONG_PROGRAM = "a, b = map(int, input().split())\nprint(a * b - 1)"


def _verdict(tests, response):
    problem = Problem(id="p", source="t", domain="code", question="?", tests=tests)
    return QuickCode().verify(
        problem, Trace(problem_id="p", index=0, teacher="t", prompt=[], response=response)
    )


FUNCTION_LAYOUTS = {
    "example usage": "Here it is:\n```python\n{c}\n```\n### Example usage\n```python\nprint(add(1, 2))\n"
    "```\n",
    "printed output": "```python\n{c}\n```\nOutput:\n```\n3\n```\n",
    "usage, then output": "```python\n{c}\n```\n```python\nx = add(1, 2)\nprint(x)\n```\nprints\n```\n"
    "3\n```\n",
    "doctest session": "```python\n{c}\n```\n```python\n>>> add(1, 2)\n3\n```\n",
    "assert block": "```python\n{c}\n```\nTests:\n```python\nassert add(1, 2) == 3\nprint('ok')\n```\n",
    "unittest block": "```python\n{c}\n```\n```python\nimport unittest\n\nclass T(unittest.TestCase):\n"
    "    def test_add(self):\n        self.assertEqual(add(1, 2), 3)\n\nunittest.main()\n```\n",
    "pytest block": "```python\n{c}\n```\n```python\ndef test_add():\n    assert add(1, 2) == 3\n```\n",
    "__main__ demo": "```python\n{c}\n```\n```python\nif __name__ == '__main__':\n    print(add(1, 2))\n"
    "```\n",
    "several languages": "```cpp\nint add(int a, int b) {{ return a + b; }}\n```\n```python\n{c}\n```\n"
    "```javascript\nconst add = (a, b) => a + b;\n```\n```bash\npython3 add.py\n```\n",
    "py fences": "```py\n{c}\n```\n```python3\nprint(add(1, 2))\n```\n",
    "bare fences": "```\n{c}\n```\n```\nadd(1, 2)  # 3\n```\n",
    "unfenced": "Here is the function.\n\n{c}\n\nExample usage:\n\nprint(add(1, 2))\n\nIt prints 3.\n",
    "indented fence": "1. The solution:\n\n   ```python\n   {c_indented}\n   ```\n2. Usage:\n\n   ```python\n"
    "   print(add(1, 2))\n   ```\n",
    "unfenced with a docstring": 'Here you go.\n\n"""\nAdds two numbers\nfor the tests\n"""\n{c}\n\n'
    "Usage:\n\nprint(add(1, 2))\n",
    "markdown indented code": "Here is the solution:\n\n    {c4}\n\nCall it as add(1, 2).\n",
    "python3.11 tag": "```python3.11\n{c}\n```\n```text\n3\n```\n",
    "draft in <think>": "<think>\n```python\n{other}\n```\nno, check it again\n</think>\n```python\n"
    "{c}\n```\n"
    "```python\nprint(add(1, 2))\n```\n",
}


@pytest.mark.parametrize("layout", list(FUNCTION_LAYOUTS))
@pytest.mark.parametrize(
    ("code", "other", "outcome"), [(RIGHT, WRONG, "correct"), (WRONG, RIGHT, "incorrect")]
)
def test_function_layouts(layout, code, other, outcome):
    text = FUNCTION_LAYOUTS[layout].format(
        c=code, other=other, c_indented=code.replace("\n", "\n   "), c4=code.replace("\n", "\n    ")
    )
    verdict = _verdict(ADD, text)
    assert verdict.outcome == outcome, verdict.detail
    assert "ran " in verdict.detail and "defines add" in verdict.detail


@pytest.mark.parametrize(
    ("first", "final", "outcome"), [(RIGHT, WRONG, "incorrect"), (WRONG, RIGHT, "correct")]
)
def test_the_final_definition_wins_right_or_wrong(first, final, outcome):
    text = (
        f"First try:\n```python\n{first}\n```\nFinal version:\n```python\n{final}\n```\n"
        "```python\nprint(add(1, 2))\n```"
    )
    verdict = _verdict(ADD, text)
    assert verdict.outcome == outcome
    assert "ran block 2 of 3 (defines add; skipped example usage in block 3)" in verdict.detail


def test_the_detail_names_the_block_and_what_was_skipped():
    text = f"```python\n{RIGHT}\n```\n```python\nprint(add(1, 2))\n```\nOutput:\n```\n3\n```\n"
    verdict = _verdict(ADD, text)
    assert verdict.detail == (
        "passed 2 test(s); ran block 1 of 3 (defines add; skipped example usage in block 2, "
        "output in block 3)"
    )
    assert verdict.extracted == RIGHT + "\n"


HELPERS = (
    "```python\nimport operator\nfrom functools import reduce\n\ndef plus(a, b):\n"
    "    return operator.add(a, b)\n```\n"
)


def test_earlier_imports_and_helpers_come_with_the_solution_and_nothing_else():
    text = (
        HELPERS + "```python\ndef add(a, b):\n    return plus(a, b)\n```\n```python\nprint(add(1, 2))\n```\n"
    )
    verdict = _verdict(ADD, text)
    assert verdict.outcome == "correct", verdict.detail
    assert "ran block 2 of 3 (defines add; with operator, plus from block 1;" in verdict.detail
    assert "reduce" not in verdict.extracted and "print" not in verdict.extracted


def test_an_earlier_correct_definition_never_replaces_a_wrong_final_one():
    right_with_helper = HELPERS + "```python\ndef add(a, b):\n    return plus(a, b)\n```\n"
    verdict = _verdict(ADD, right_with_helper + "```python\ndef add(a, b):\n    return plus(a, a)\n```\n")
    assert verdict.outcome == "incorrect"
    assert "ran block 3 of 3" in verdict.detail


def test_leetcode_style_solution_class_counts_as_defining_the_entry_point():
    tests = {
        "style": "function",
        "entry_point": "add",
        "test_code": "def check(c):\n    assert c(1, 2) == 3\n",
    }
    solution = "class Solution:\n    def add(self, a, b):\n        return a + b"
    verdict = _verdict(tests, f"```python\n{solution}\n```\n```python\nprint(Solution().add(1, 2))\n```\n")
    assert verdict.outcome == "correct", verdict.detail


STDIO_LAYOUTS = {
    "sample input and output": "Input:\n```\n1 2\n```\n```python\n{c}\n```\nOutput:\n```\n3\n```\n",
    "run command": "```python\n{c}\n```\n```bash\necho '1 2' | python3 main.py\n```\n",
    "fragment after": "```python\n{c}\n```\nThe key line:\n```python\na, b = map(int, input().split())\n"
    "```\n",
    "main() in a later block": "```python\ndef main():\n    {c_indented}\n```\nThen call it:\n"
    "```python\nif __name__ == '__main__':\n    main()\n```\n",
    "test harness after": "```python\ndef main():\n    {c_indented}\n\nmain()\n```\n```python\n"
    "import io, sys\n"
    "sys.stdin = io.StringIO('1 2')\nmain()\n```\n",
    "unfenced": "The program:\n\n{c}\n\nSample output:\n\n3\n",
}


@pytest.mark.parametrize("layout", list(STDIO_LAYOUTS))
@pytest.mark.parametrize(("code", "outcome"), [(PROGRAM, "correct"), (WRONG_PROGRAM, "incorrect")])
def test_stdio_layouts_run_the_last_complete_program(layout, code, outcome):
    verdict = _verdict(SUM, STDIO_LAYOUTS[layout].format(c=code, c_indented=code.replace("\n", "\n    ")))
    assert verdict.outcome == outcome, verdict.detail
    assert "ran " in verdict.detail


@pytest.mark.parametrize(
    ("final", "outcome"),
    [(WRONG_PROGRAM, "incorrect"), ("print(3)", "incorrect"), ("print('All tests passed')\n"
        "raise SystemExit(0)", "incorrect"),
     (PROGRAM, "correct")],
)  # fmt: skip
def test_a_final_stdio_program_wins_over_an_earlier_one(final, outcome):
    verdict = _verdict(
        SUM, f"```python\n{PROGRAM}\n```\nBetter:\n```python\n{final}\n```\nOutput:\n```\n3\n```\n"
    )
    assert verdict.outcome == outcome
    assert "ran block 2 of 3 (a complete program; skipped output in block 3)" in verdict.detail


@pytest.mark.parametrize(
    ("response", "detail"),
    [
        (f"<think>\n```python\n{RIGHT}\n```\n</think>\nIt adds them.", "no code in the answer after"),
        ("The answer is to add the two numbers.", "no code in the answer"),
        (f"```python\n{RIGHT}\n```\n```python\nprint(add(1,", "ran block 1 of 1"),  # cut off: dropped
    ],
)  # fmt: skip
def test_code_in_the_reasoning_is_not_run_and_answers_without_code_are_incorrect(response, detail):
    verdict = _verdict(ADD, response)
    assert detail in verdict.detail
    assert verdict.outcome == ("correct" if "ran" in detail else "incorrect")
