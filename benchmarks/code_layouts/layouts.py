"""Code answers in the layouts models write, built from the code evaluation set's known solutions.

Each problem of `benchmarks/sandbox/eval_set.py` (HumanEval, MBPP, APPS, LiveCodeBench,
Codeforces, CodeContests, TACO) gives rows: its solutions known right (`right`: must be
`correct`), known wrong (`wrong`: must be `incorrect`) and a few hostile programs (`trap`: must be
`incorrect`), each wrapped in one layout: prose around the solution, an "Example usage" block
after it, a block of printed output, a test block, a `__main__` demo, a helper in an earlier
block, an earlier version replaced by a final one (a right one replaced by a wrong one must stay
`incorrect`), a draft in `<think>`, other languages beside the Python, `python3`/`py` fences, and
no fences at all; stdio problems add sample-input/output blocks, a run command and a fragment.
The example calls and outputs come from the problem's own tests. A layout that does not apply
(no helper to move) gives no row. Each row's `half` comes from `split.py` (by problem id).

This module runs nothing.

Example:
    >>> rows = build_rows()
    >>> {r.kind for r in rows} == {"right", "wrong", "trap"} and {r.half for r in rows} == {"tune", "test"}
    True
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "sandbox"))
from eval_set import load_eval_set  # noqa: E402
from split import half  # noqa: E402

from s2s1.records import Problem  # noqa: E402

__all__ = ["Row", "build_rows"]

FUNCTION_TRAPS = [
    "import sys\nsys.exit(0)\ndef {e}(*args, **kwargs):\n    return None",
    "class Same:\n    def __eq__(self, other):\n        return True\n\ndef {e}(*args, **kwargs):\n"
    "    return Same()",
    "import builtins\nbuiltins.AssertionError = type('Never', (Exception,), {{}})\n\n"
    "def {e}(*args, **kwargs):\n    return 0",
    "print('All tests passed')\n\ndef {e}(*args, **kwargs):\n    print('passed')\n    return None",
    "import os\n\ndef {e}(*args, **kwargs):\n    os._exit(0)",
]
STDIO_TRAPS = [
    "print('All tests passed')\nraise SystemExit(0)",
    "import os\nprint(open('/etc/passwd').read() if os.path.exists('/etc/passwd') else os.environ)",
    "import sys\nsys.stdout.write(open(sys.argv[0]).read())",
]


@dataclass(frozen=True)
class Row:
    problem: Problem
    layout: str
    kind: str
    """`right` (must be correct), `wrong` or `trap` (must be incorrect)."""
    response: str
    half: str

    @property
    def expected(self) -> str:
        return "correct" if self.kind == "right" else "incorrect"


def build_rows() -> list[Row]:
    """Every (problem, solution, layout) row of the set, in a fixed order."""
    rows = []
    for case in load_eval_set():
        p = case.problem
        layouts = _function_layouts(p) if p.tests["style"] == "function" else _stdio_layouts(p)
        traps = FUNCTION_TRAPS if p.tests["style"] == "function" else STDIO_TRAPS
        trap = traps[sum(map(ord, p.id)) % len(traps)].format(e=p.tests.get("entry_point"))
        solutions = [(c, "right", (case.wrong or [""])[0]) for c in case.right]
        solutions += [(c, "wrong", (case.right or [""])[0]) for c in case.wrong]
        solutions += [(trap, "trap", (case.right or [""])[0])]
        for code, kind, other in solutions:
            for name, layout in layouts.items():
                text = layout(code.strip("\n"), other.strip("\n"))
                if name in _NEEDS_OTHER and not other:
                    continue  # no known-right (or known-wrong) solution to put beside this one
                if text is not None and (kind != "trap" or name in _TRAP_LAYOUTS):
                    rows.append(Row(p, name, kind, text, half(p.id)))
    return rows


_NEEDS_OTHER = {"earlier version, then the final", "draft in <think>"}
_TRAP_LAYOUTS = {"example usage after", "earlier version, then the final", "sample input and output blocks"}


def _function_layouts(p: Problem) -> dict:
    e = p.tests["entry_point"]
    call, out = _example(p)

    def usage(c: str) -> str:
        return f"Solution().{call}" if "class Solution" in c else call

    return {
        "single block": lambda c, o: f"Here is the solution.\n```python\n{c}\n```\n",
        "example usage after": lambda c, o: f"Here is my solution:\n\n```python\n{c}\n```\n\n"
        f"### Example usage\n\n```python\nresult = {usage(c)}\nprint(result)\n```\n\nThis prints `{out}`.\n",
        "usage, then printed output": lambda c, o: f"```python\n{c}\n```\nTry it:\n```python\n"
        f"print({usage(c)})\n```\nOutput:\n```\n{out}\n```\n",
        "printed output block after": lambda c, o: f"```python\n{c}\n```\n\n**Output:**\n```\n{out}\n```\n",
        "doctest session after": lambda c, o: f"```python\n{c}\n```\n```python\n>>> {usage(c)}\n{out}\n```\n",
        "assert block after": lambda c, o: f"Solution:\n```python\n{c}\n```\nTests:\n```python\n"
        f"assert {usage(c)} == {out}\nprint('All tests passed!')\n```\n",
        "unittest block after": lambda c, o: f"```python\n{c}\n```\n\n```python\nimport unittest\n\n\n"
        f"class Test{e.title()}(unittest.TestCase):\n    def test_example(self):\n        self.assertEqual("
        f"{usage(c)}, {out})\n\n\nif __name__ == '__main__':\n    unittest.main()\n```\n",
        "__main__ demo after": lambda c, o: f"```python\n{c}\n```\n```python\nif __name__ == \"__main__\":\n"
        f"    print({usage(c)})\n```\n",
        "helper in an earlier block": lambda c, o: _split_helpers(c, e),
        "earlier version, then the final": lambda c, o: f"A first version:\n```python\n{o}\n```\nOn second "
        f"thought, here is the final version:\n```python\n{c}\n```\nExample:\n```python\n"
        f"print({usage(c)})\n```\n",
        "draft in <think>": lambda c, o: f"<think>\nMaybe this:\n```python\n{o}\n```\nLet me check it again."
        f"\n</think>\n\n```python\n{c}\n```\n\nExample:\n```python\nprint({usage(c)})\n```\n",
        "several languages": lambda c, o: f"In C++:\n```cpp\nint {e}() {{ return 0; }}\n```\nIn Python:\n"
        f"```python\n{c}\n```\nIn JavaScript:\n```javascript\nfunction {e}(...a) {{ return null; }}\n```\n"
        "Run it with:\n```bash\npython3 solution.py\n```\n",
        "python3 / py fences": lambda c, o: f"```python3\n{c}\n```\n```py\nprint({usage(c)})\n```\n",
        "unfenced": lambda c, o: f"Here is the function.\n\n{c}\n\nExample usage:\n\nprint({usage(c)})\n\n"
        f"Output: {out}\n",
    }  # fmt: skip


def _stdio_layouts(p: Problem) -> dict:
    case = p.tests["cases"][0]
    inp, out = case["input"].rstrip("\n"), case["output"].rstrip("\n")
    return {
        "single block": lambda c, o: f"Here is the solution.\n```python\n{c}\n```\n",
        "sample input and output blocks": lambda c, o: f"Sample input:\n```\n{inp}\n```\nSolution:\n"
        f"```python\n{c}\n```\nFor the sample it prints:\n```\n{out}\n```\n",
        "program, then run command": lambda c, o: f"```python\n{c}\n```\nRun:\n```bash\npython3 main.py "
        "< input.txt\n```\n",
        "program, then a fragment": lambda c, o: f"```python\n{c}\n```\nThe key step is\n```python\n"
        f"{_fragment(c)}\n```\n",
        "helper in an earlier block": lambda c, o: _split_helpers(c, None),
        "earlier version, then the final": lambda c, o: f"A first version:\n```python\n{o}\n```\nOn second "
        f"thought, the final program:\n```python\n{c}\n```\nOutput:\n```\n{out}\n```\n",
        "draft in <think>": lambda c, o: f"<think>\n```python\n{o}\n```\nwait, check again\n</think>\n\n"
        f"```python\n{c}\n```\n",
        "several languages": lambda c, o: f"C++:\n```cpp\n#include <cstdio>\nint main() {{ return 0; }}\n"
        f"```\nPython:\n```python\n{c}\n```\nInput:\n```text\n{inp}\n```\n",
        "python3 / py fences": lambda c, o: f"```py\n{c}\n```\n```python3\n# sample\n```\n",
        "unfenced": lambda c, o: f"The program reads the input and prints the answer.\n\n{c}\n\n"
        f"Sample output:\n\n{out}\n",
    }  # fmt: skip


def _example(p: Problem) -> tuple[str, str]:
    """One call of the entry point and its expected value, read from the problem's tests."""
    e, tests = p.tests["entry_point"], p.tests
    if "CASES = " in (tests.get("setup_code") or ""):
        scope: dict = {}
        exec(tests["setup_code"], scope)
        args, expected = scope["CASES"][0]
        return f"{e}({', '.join(map(repr, args))})", repr(expected)
    source = (tests.get("asserts") or [""])[0] or tests.get("test_code", "")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Call):
            func = node.left.func
            if isinstance(func, ast.Name) and func.id in (e, "candidate"):
                node.left.func = ast.Name(e)
                return ast.unparse(node.left), ast.unparse(node.comparators[0])
    return f"{e}()", "None"


def _split_helpers(code: str, entry: str | None) -> str | None:
    """Imports and helpers in a first block, the rest in a second; None when nothing can move."""
    try:
        body = ast.parse(code).body
    except SyntaxError:
        return None
    lines = code.split("\n")

    def movable(n: ast.stmt) -> bool:
        helper = isinstance(n, ast.FunctionDef | ast.ClassDef | ast.Import | ast.ImportFrom)
        return (
            helper
            and getattr(n, "name", None) != entry
            and n.col_offset == 0
            and ";" not in lines[n.lineno - 1]
        )

    first = [n for n in body if movable(n)]
    rest = [n for n in body if not movable(n)]
    if not first or not rest:
        return None

    def text(nodes: list[ast.stmt]) -> str:
        starts = [min([n.lineno] + [d.lineno for d in getattr(n, "decorator_list", [])]) for n in nodes]
        return "\n".join("\n".join(lines[s - 1 : n.end_lineno]) for s, n in zip(starts, nodes, strict=True))

    first_block = f"First the helpers:\n```python\n{text(first)}\n```\n"
    return first_block + f"Then the main part:\n```python\n{text(rest)}\n```\n"


def _fragment(code: str) -> str:
    """A line of the program that neither reads nor prints (what a model quotes to explain a step)."""
    for line in code.split("\n"):
        s = line.strip()
        if (
            s
            and not any(w in s for w in ("input", "print", "stdin", "stdout", "#"))
            and s[-1] not in ":,([{\\"
        ):
            try:
                ast.parse(s)
                return s
            except SyntaxError:
                continue
    return "answer = 0"
