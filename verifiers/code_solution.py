"""Which block of a code answer is the solution, and the earlier code it needs.

Python's `ast` decides what each block (`s2s1.verifiers.code_blocks`) defines and does:

- function problems (`entry_point`): the LAST block that defines the entry point (a top-level
  function or assignment, or a method of `class Solution`). Later blocks that only call it
  (example usage), test it (asserts, unittest, pytest), demo it under `if __name__ ==
  "__main__"`, show printed output or are not Python are skipped. A final block that redefines
  the entry point wins, right or wrong: an earlier version is never run instead.
- stdio problems: the LAST program: a block that runs something at top level and reads input or
  prints (standing alone; a wrong final program too), or that reads and prints through earlier
  blocks it needs (`main()` after `def main`). Sample input/output, run commands, quoted lines
  of an earlier program and harnesses that feed a sample input are skipped.

The chosen block gets the earlier top-level statements it needs and does not define itself
(imports, helper functions and classes, constants), nearest definition first, and those they
need in turn; nothing else of the earlier blocks runs. With no such block it falls back to the
last block that is Python (else the last block), so the verdict says what failed. `Found.detail`
says which block ran, what came with it and what was skipped.

This module runs no code (it only parses it) and does not judge it (`s2s1.verifiers.code`).

Example:
    >>> text = "```python\\ndef add(a, b):\\n    return a + b\\n```\\nUsage:\\n```\\nprint(add(1, 2))\\n```"
    >>> found = find_solution(text, "add")
    >>> found.code
    'def add(a, b):\\n    return a + b\\n'
    >>> found.detail
    'ran block 1 of 2 (defines add; skipped example usage in block 2)'
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass

from s2s1.verifiers.code_blocks import Block, answer_blocks, kind

__all__ = ["Found", "find_solution"]

_BUILTINS = set(dir(builtins))


@dataclass(frozen=True)
class Found:
    code: str | None
    """What to run (None: the answer has no code)."""
    detail: str


def find_solution(response: str, entry_point: str | None) -> Found:
    """The code to run for `entry_point` (None: a stdin/stdout program), and which block it was."""
    blocks, unfenced = answer_blocks(response)
    if not blocks:
        return Found(None, "no code in the answer" + (" after </think>" if "</think>" in response else ""))
    python = [b for b in blocks if b.tree is not None]
    if entry_point:
        pick = next((b for b in reversed(python) if entry_point in _defined(b.tree.body, methods=True)), None)
    else:
        pick = next((b for b in reversed(python) if _program(b, blocks)), None)
    fallback = pick is None
    pick = pick or (python or blocks)[-1]
    needed = _needs(pick, blocks) if pick.tree else []
    code = "".join(_source(b, s) for b, s in needed) + pick.text
    return Found(code, _describe(pick, blocks, needed, entry_point, fallback, unfenced))


def _defined(body: list[ast.stmt], methods: bool = False) -> set[str]:
    """Names the top-level statements bind (looking into if/try/with), and with `methods` the
    methods of `class Solution`."""
    names: set[str] = set()
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
            if methods and isinstance(node, ast.ClassDef) and node.name == "Solution":
                names |= _defined(node.body)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {a.asname or a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.If | ast.Try | ast.With):
            inner = node.body + getattr(node, "orelse", []) + getattr(node, "finalbody", [])
            names |= _defined(inner + [s for h in getattr(node, "handlers", []) for s in h.body])
    return names


def _free(node: ast.AST) -> set[str]:
    """Names `node` reads but binds nowhere inside (and that are not builtins)."""
    loaded, bound = set(), set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            (loaded if isinstance(n.ctx, ast.Load) else bound).add(n.id)
        elif isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(n.name)
        elif isinstance(n, ast.arg):
            bound.add(n.arg)
        elif isinstance(n, ast.alias):
            bound.add(n.asname or n.name.split(".")[0])
        elif isinstance(n, ast.ExceptHandler) and n.name:
            bound.add(n.name)
    return loaded - bound - _BUILTINS


def _needs(pick: Block, blocks: list[Block]) -> list[tuple[Block, ast.stmt]]:
    """The earlier top-level statements `pick` needs, nearest definition first, in source order."""
    earlier = [(b, s) for b in blocks if b.number < pick.number and b.tree for s in b.tree.body]
    chosen: list[tuple[Block, ast.stmt]] = []
    wanted = list(_free(pick.tree))
    while wanted:
        name = wanted.pop()
        found = next(((b, s) for b, s in reversed(earlier) if name in _defined([s])), None)
        if found and all(found[1] is not s for _, s in chosen):
            chosen.append(found)
            wanted += _free(found[1])
    return sorted(chosen, key=lambda bs: (bs[0].number, bs[1].lineno))


def _source(block: Block, stmt: ast.stmt) -> str:
    """The lines of one top-level statement, decorators included."""
    start = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])])
    return "\n".join(block.text.split("\n")[start - 1 : stmt.end_lineno]) + "\n"


def _io(node: ast.AST) -> tuple[bool, bool, bool]:
    """(reads input, prints, replaces sys.stdin) anywhere in `node`."""
    reads = prints = feeds = False
    for n in ast.walk(node):
        name = n.id if isinstance(n, ast.Name) else n.attr if isinstance(n, ast.Attribute) else ""
        reads |= name in ("input", "stdin", "fileinput") or (
            isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "open"
            and bool(n.args) and isinstance(n.args[0], ast.Constant) and n.args[0].value == 0
        )  # fmt: skip
        prints |= name in ("print", "stdout")
        feeds |= isinstance(n, ast.Attribute) and n.attr == "stdin" and isinstance(n.ctx, ast.Store)
    return reads, prints, feeds


def _program(block: Block, blocks: list[Block]) -> bool:
    """Whether `block` is a stdin/stdout program (not a fragment, sample or usage of one).

    It must run something at top level. Standing alone, it must read input or print, and not
    only repeat lines of earlier blocks (a quoted step): then it is the answer, right or wrong.
    Built on earlier blocks (`main()` after `def main`), it must read and print through them
    without feeding itself a sample input (`sys.stdin = io.StringIO(...)`, a test).
    """
    if all(
        isinstance(s, ast.FunctionDef | ast.ClassDef | ast.Import | ast.ImportFrom) for s in block.tree.body
    ):
        return False
    needed = _needs(block, blocks)
    reads, prints, feeds = (
        any(f) for f in zip(*map(_io, [block.tree, *(s for _, s in needed)]), strict=True)
    )
    if needed:
        return reads and prints and not feeds
    return (reads or prints) and not any(_quotes(block, b) for b in blocks if b.number < block.number)


def _quotes(block: Block, earlier: Block) -> bool:
    """Whether `block`'s lines are a shorter, unchanged run of `earlier`'s lines (a quoted step)."""
    mine, theirs = ([x.strip() for x in b.text.split("\n") if x.strip()] for b in (block, earlier))
    return len(mine) < len(theirs) and any(theirs[i : i + len(mine)] == mine for i in range(len(theirs)))


def _describe(
    pick: Block, blocks: list[Block], needed: list, entry: str | None, fallback: bool, unfenced: bool
) -> str:
    what = "unfenced part" if unfenced else "block"
    if fallback:
        why = f"no block defines {entry}" if entry else "no block is a complete program"
        return f"{why}; ran {what} {pick.number} of {len(blocks)}"
    notes = [f"defines {entry}" if entry else "a complete program"]
    helpers: dict[int, list[str]] = {}
    for b, s in needed:
        helpers.setdefault(b.number, []).extend(sorted(_defined([s])))
    notes += [f"with {', '.join(names)} from {what} {n}" for n, names in helpers.items()]
    skipped = [f"{kind(b, entry)} in {what} {b.number}" for b in blocks if b.number > pick.number]
    if skipped:
        notes.append("skipped " + ", ".join(skipped))
    text = f"ran {what} {pick.number} of {len(blocks)} ({'; '.join(notes)})"
    return text if len(text) <= 200 else text[:197] + "…)"
