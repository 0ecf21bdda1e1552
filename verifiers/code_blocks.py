"""The blocks of a code answer: fenced, or the code between prose lines, and what each one is.

The answer is the response after the last `</think>` (code in the reasoning is never looked
at). Its blocks are the fenced ones (```` ``` ````, ```` ```python ````, ```` ```py ````…,
`~~~`, indented fences too; a block that never closes is dropped, the response was cut off), or,
when the answer has no fence at all, the runs of lines between prose lines (a line at column 0
that is no Python statement by itself), dedented. A block is Python when its tag is one of
`PYTHON_TAGS` (none, `python`, `py`, `python3`…) and it parses; `kind` names what a block that
is not the solution is (output, tests, example usage…) for the verdict's detail.

This module only parses text; which block is the solution is `s2s1.verifiers.code_solution`'s
decision.

Example:
    >>> text = "<think>```x```</think>Hi.\\n```python\\nprint(1)\\n```\\nOutput:\\n```\\n1\\n```"
    >>> blocks, unfenced = answer_blocks(text)
    >>> [(b.number, b.tag, b.text, kind(b, None)) for b in blocks], unfenced
    ([(1, 'python', 'print(1)\\n', 'example usage'), (2, '', '1\\n', 'output')], False)
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass

__all__ = ["PYTHON_TAGS", "Block", "answer_blocks", "kind"]

PYTHON_TAGS = {"", "python"}
"""Tags of Python blocks; `python3`, `py`, `py3`, `python3.11`… are read as `python`."""
_TEXT_TAGS = ("text", "txt", "output", "console", "plaintext")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*([\w+#.-]*)")
_OUTPUT = re.compile(r"\b(output|outputs|prints?|printed|result|results|returns|console|gives)\b", re.I)


@dataclass(frozen=True)
class Block:
    number: int
    """1-based, in the order of the answer."""
    tag: str
    """The fence's language tag, lower case ("" for none or unfenced)."""
    text: str
    before: str
    """The last prose line before the block (to tell an "Output:" block)."""
    tree: ast.Module | None
    """None when the block is not Python (another language, or it does not parse)."""


def answer_blocks(response: str) -> tuple[list[Block], bool]:
    """The blocks of the answer after `</think>`, and whether they are unfenced."""
    answer = response.rpartition("</think>")[2]
    unfenced = not any(_FENCE.match(line) for line in answer.split("\n"))
    return (_unfenced(answer) if unfenced else _fenced(answer)), unfenced


def _fenced(text: str) -> list[Block]:
    blocks, lines, prose = [], text.split("\n"), ""
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            prose = lines[i].strip() or prose
            i += 1
            continue
        fence, tag = m.group(1), m.group(2).lower()
        tag = "python" if re.fullmatch(r"(python|py)[\d.]*", tag) else tag  # python3.11, py3
        end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == fence), None)
        if end is None:
            break  # a block that never closes: the response was cut off
        indent = len(lines[i]) - len(lines[i].lstrip())
        body = "".join(
            line[indent:] if line[:indent].isspace() else line for line in _keep(lines[i + 1 : end])
        )
        blocks.append(_block(len(blocks) + 1, tag, body, prose))
        prose, i = "", end + 1
    return blocks


def _unfenced(text: str) -> list[Block]:
    blocks: list[Block] = []
    run: list[str] = []
    prose = ""
    for line in [*text.split("\n"), None]:  # None: the end, which closes the last run
        in_string = any(_triple_quotes(x) % 2 for x in ["\n".join(run), line or ""])  # a docstring's lines
        if line is not None and (in_string or not _is_prose(line)):
            run.append(line)
            continue
        if "".join(run).strip():
            code = textwrap.dedent("\n".join(run)).strip("\n") + "\n"  # dedented: markdown's indented code
            blocks.append(_block(len(blocks) + 1, "", code, prose))
        run, prose = [], (line or "").strip() or prose
    return blocks


def _triple_quotes(text: str) -> int:
    return text.count('"""') + text.count("'''")


def _keep(lines: list[str]) -> list[str]:
    return [line + "\n" for line in lines]


def _is_prose(line: str) -> bool:
    """A line at column 0 that is no Python statement, clause header or decorator by itself."""
    s = line.rstrip()
    if not s or s[0] in " \t)]}" or s.split()[0].rstrip(":") in ("else", "elif", "except", "finally", "case"):
        return False
    for attempt in (s, s + "\n    pass", s + "\ndef _():\n    pass"):
        try:
            ast.parse(attempt)
            return False
        except (SyntaxError, ValueError):
            continue
    return True


def _block(number: int, tag: str, text: str, before: str) -> Block:
    tree = None
    if tag in PYTHON_TAGS:
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            tree = None
    return Block(number, tag, text, before, tree)


def kind(block: Block, entry: str | None) -> str:
    """What a block that is not the solution is, in a few words (`entry`: the entry point, if any)."""
    if block.tag not in PYTHON_TAGS:
        return "output" if block.tag in _TEXT_TAGS else f"{block.tag} code"
    if block.tree is None:
        if block.text.lstrip().startswith(">>>"):
            return "a doctest session"
        if re.search(r"\binput\b", block.before, re.I):
            return "sample input"
        return "output" if block.tag == "" or _OUTPUT.search(block.before) else "code that does not parse"
    nodes, body = list(ast.walk(block.tree)), block.tree.body
    if (
        body
        and all(isinstance(s, ast.Expr) for s in body)
        and not any(isinstance(n, ast.Call) for n in nodes)
    ):
        return "output"
    imports = {a.name for n in nodes if isinstance(n, ast.Import | ast.ImportFrom) for a in n.names}
    imports |= {n.module for n in nodes if isinstance(n, ast.ImportFrom)}
    tests = {n.name for n in nodes if isinstance(n, ast.FunctionDef) and n.name.startswith("test")}
    if tests or {"unittest", "pytest"} & imports or any(isinstance(n, ast.Assert) for n in nodes):
        return "tests"
    if any(isinstance(s, ast.If) and "__name__" in ast.unparse(s.test) for s in body):
        return "a __main__ demo"
    called = {ast.unparse(n.func).split(".")[-1] for n in nodes if isinstance(n, ast.Call)}
    return "example usage" if {entry, "print"} & called else "a fragment"
