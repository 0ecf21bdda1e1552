"""Read a final answer into a typed value: number, expression, relation, sequence, interval, …

`parse_answer(text)` cleans the text (`s2s1.verifiers.math_latex.normalize`) and tries, in order:
a multiple-choice letter (`C`, `(C)`), a matrix (`\\begin{pmatrix}`), a sum or product of written
matrices (evaluated: `s2s1.verifiers.math_matrix`), a set in plain braces (`{1, 2}`), solutions
that each assign the same names (`p=5,q=2;p=7,q=2`: a list of two), a bare list (`1, -2`,
`a and b`, `x = 1 or x = 2`, `(1,2)or(2,1)`), a relation (`x = 3`, `y \\leq 2x`, with `x \\in`
dropped; a chain `1 < x < 3` or `0 < f(x) < 1` is the interval between its ends, `1 < 2x < 4`
or `1 \\leq |x| \\leq 2` the interval or union it describes, `s2s1.verifiers.math_interval`, or
else text), a union of intervals (`\\cup`), a
bracketed sequence (`(1, 2)` tuple, `[1, 2)` interval, `\\{1, 2\\}` set), `1 \\pm \\sqrt{2}` as two
answers, a plain number (`s2s1.verifiers.math_number`), a sympy expression, and finally text. An
answer longer than `MAX_CHARS` or nested deeper than `MAX_DEPTH` is only text. `parse_gold`
is the same with a cache, because one gold meets many predictions.

It does not compare anything (see `s2s1.verifiers.math_compare`) and does not find the answer in a
longer text (see `s2s1.verifiers.math_extract`).

Example:
    >>> parse_answer("\\\\left( 3, \\\\frac{\\\\pi}{2} \\\\right)").kind, parse_answer("[2, 5)").kind
    ('tuple', 'interval')
    >>> rel = parse_answer("x \\\\geq 2")
    >>> rel.op, rel.lhs, rel.rhs.value
    ('>=', Expr(expr=x, text='x'), Fraction(2, 1))
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

from s2s1.verifiers.math_interval import chain, interval
from s2s1.verifiers.math_latex import depth, group, normalize
from s2s1.verifiers.math_matrix import MATRIX, matrix_expression
from s2s1.verifiers.math_number import Num, to_number
from s2s1.verifiers.math_sympy import to_sympy
from s2s1.verifiers.math_values import Choice, Expr, Matrix, Rel, Seq, Text, Value

__all__ = ["Choice", "Expr", "Matrix", "Num", "Rel", "Seq", "Text", "Value", "parse_answer", "parse_gold"]
__all__ += ["parse_recent"]


_OPS: tuple[tuple[str, str], ...] = (("\\leq", "<="), ("\\geq", ">="), ("\\neq", "!="), ("!=", "!="))
_OPS += (("<=", "<="), (">=", ">="), ("<", "<"), (">", ">"), ("=", "="))
MAX_CHARS, MAX_DEPTH = 20_000, 50
_INTEGER = re.compile(r"[+-]?\d{1,300}")
_LIST = ((",", ","), (";", ";"), (" and ", ","), (" or ", ","))
_CASES = re.compile(r"\\begin\{cases\}(.*?)\\end\{cases\}", re.DOTALL)
_CLOSE = {"(": ")", "[": "]", "\\{": "\\}"}
_FLIPPED = {">": "<", ">=": "<="}
_UNIT_TAIL = re.compile(  # a thin space marks a `\text{}` unit (`s2s1.verifiers.math_latex`)
    r"(.*?[\w})])\s+((?:(?<=\u2009)[a-zA-Z]{1,3}|[a-zA-Z]{2,})(?:\^\{?[23]\}?)?(?:\s*/\s*[a-zA-Z]+)?"
    r"(?:\s+[a-zA-Z]{2,})*)"
)
_FUNCTION_WORD = re.compile(r"\b(?:sin|cos|tan|cot|sec|csc|log|ln|exp|sqrt|pi|or|and|if|for|when|where)\b")
_CHOICE_VALUE = re.compile(r"\(([A-J])\)\s*[^\s,;].*")
_SET_BUILDER = re.compile(r"\\\{\s*[a-z]\s*(?:\\mid|\||:)(.+?)(?:\\\})?")
_NAME = re.compile(r"[a-z](?:_\w+)?(?:\([\w,+\-.]*\))?|[a-z]{2,20}")  # `x`, `a_1`, `f(x)`, `f(1)`, `area`
_JOINED = re.compile(r"(?<=[)\]])\s*(or|and)\s*(?=[(\[])")  # `(11,7)or(7,11)`: a word between brackets
_ASSIGN = re.compile(r"\s*([a-zA-Z](?:_\{?\w+\}?)?)\s*=[^=<>]+")  # `p=5`


def parse_answer(text: str) -> Value | None:
    """The typed value of one final answer, or None when nothing is left after cleaning."""
    s = normalize(text)
    if not s:
        return None
    if len(s) > MAX_CHARS or depth(s) > MAX_DEPTH:  # hostile or garbled: compared as text only
        return Text(re.sub(r"\s+", "", s).casefold())
    return _parse(s)


@lru_cache(maxsize=8192)
def parse_gold(text: str) -> Value | None:
    """`parse_answer` with a cache (golds repeat across many traces)."""
    return parse_answer(text)


@lru_cache(maxsize=64)
def parse_recent(text: str) -> Value | None:
    """`parse_answer` with a small cache: extraction and comparison read the same answer twice."""
    return parse_answer(text)


def _parse(s: str) -> Value:
    s = s.strip()
    if _INTEGER.fullmatch(s):  # the common case, fast
        return Num(Fraction(s), None, False, s)
    m = re.fullmatch(r"\(?([A-J])\)", s) or re.fullmatch(r"([A-J])", s) or _CHOICE_VALUE.fullmatch(s)
    if m:  # `C`, `(C)`, and an AMC gold `(C) 12` (the letter with its option's value)
        return Choice(m[1])
    m = _CASES.fullmatch(s)
    if m:  # a system `\begin{cases} a+b=1 \\ a-b=2 \end{cases}`: its equations, in any order
        rows = [r.replace("&", " ").strip() for r in re.split(r"\\\\", m[1]) if r.strip()]
        return Seq("list", tuple(_parse(r) for r in rows)) if len(rows) > 1 else _parse(rows[0])
    m = MATRIX.fullmatch(s) or MATRIX.fullmatch(s[1:-1].strip())  # maybe inside `[…]` or `(…)`
    if m:
        rows = [r for r in re.split(r"\\\\", m[2]) if r.strip()]
        return Matrix(tuple(tuple(_parse(c) for c in r.split("&")) for r in rows))
    if "\\begin{" in s:  # `A + B`, `2A`, `AB` of written matrices: the matrix they make
        made = matrix_expression(s, _parse)
        if made is not None:
            return made
    s = re.sub(r"^[a-zA-Z]\s*\\in\s*", "", s)
    if s == "\\emptyset":
        return Seq("set", ())
    m = _SET_BUILDER.fullmatch(s)
    if m:  # `\{x \mid x > 0\}` (or its `\right.` form, cut short): the condition
        s = m[1].strip()
    if s.startswith("{") and group(s, 0) == (s[1:-1], len(s)):  # `{1, 2}`: a set written without `\{`
        inner = _split_top(s[1:-1], _LIST)[::2]
        return Seq("set", _members(inner)) if len(inner) > 1 else _parse(s[1:-1])
    s = _JOINED.sub(r" \1 ", s)
    groups = _split_top(s, ((";", ";"), (" or ", ";")))[::2]
    if len(groups) > 1 and _solutions(groups):  # `p=5,q=2;p=7,q=2`: solutions, each in order
        return Seq("list", tuple(_parse(g) for g in groups))
    items = _split_top(s, _LIST)[::2]
    last = len(items) - 1  # `7, -2, and -5` drops the empty item; `1, 2, ...` (an open end) keeps it
    items = [i for k, i in enumerate(items) if i or k == last]
    if len(items) > 1 and to_number(s) is None:
        return Seq("list", _members(items))
    if "\\approx" in s:  # `x = 1/3 \approx 0.33` is `x = 1/3`; `x \approx 11` is `x = 11`
        head, tail = s.split("\\approx", 1)[0], s.rsplit("\\approx", 1)[1]
        exact = _parse(head) if "=" not in head else None
        if isinstance(exact, Num) or isinstance(exact, Expr) and not exact.expr.free_symbols:
            return Rel("~", exact, _parse(tail))  # `2\sqrt2 \approx 2.83`: a value and its rounding
        s = head if "=" in head else s.replace("\\approx", "=")
    parts = _split_top(s, _OPS)
    if len(parts) > 3 and set(parts[1::2]) == {"="}:  # a chain: `x = 5 + 6 = 11`, `1 = y = x = 0`
        names = [p for p in parts[:-1:2] if _NAME.fullmatch(_canon(p))]  # the last value counts, named
        parts = [names[0] if names else parts[0], "=", parts[-1]]  # by the first variable in it
    if len(parts) == 3:
        return Rel(parts[1], _parse(parts[0]), _parse(parts[2]))
    if len(parts) == 5 and parts[1] in (">", ">=") and parts[3] in (">", ">="):  # b > x > a
        parts = [parts[4], _FLIPPED[parts[3]], parts[2], _FLIPPED[parts[1]], parts[0]]
    if len(parts) == 5 and parts[1] in ("<", "<=") and parts[3] in ("<", "<="):  # a < x < b, 1 < 2x < 4
        lo, hi = _parse(parts[0]), _parse(parts[4])
        if _NAME.fullmatch(_canon(parts[2])):  # `a < x < b`, `0 < f(x) < 1`: the ends as written
            return interval(lo, hi, ("(" if parts[1] == "<" else "[") + (")" if parts[3] == "<" else "]"))
        return chain(lo, parts[1], _parse(parts[2]), parts[3], hi, real=False) or Text(_canon(s))
    if len(parts) > 1:
        return Text(_canon(s))
    unions = _split_top(s, (("\\cup", "u"),))[::2]
    if len(unions) > 1:
        return Seq("union", tuple(_parse(u) for u in unions))
    bracketed = _bracketed(s)
    if bracketed is not None:
        return bracketed
    if "\\pm" in s and s.count("\\pm") == 1:
        return Seq("list", (_parse(s.replace("\\pm", "+")), _parse(s.replace("\\pm", "-"))))
    num = to_number(s)
    if num is not None:
        return num
    expr = to_sympy(s)
    if expr is not None:
        return Expr(expr, _canon(s))
    m = _UNIT_TAIL.fullmatch(s)  # `4\pi cm^2`: an expression with a unit after it
    if m and not _FUNCTION_WORD.search(m[2]):
        expr = to_sympy(m[1])
        if expr is not None:
            return Expr(expr, _canon(m[1]))
    return Text(_canon(s))


def _solutions(groups: list[str]) -> bool:
    """Whether each group assigns the same two or more names, in the same order: `p=5,q=2`."""
    names = []
    for g in groups:
        items = [_ASSIGN.fullmatch(i) for i in _split_top(g, ((",", ","),))[::2]]
        names.append(tuple(m[1] for m in items if m) if all(items) else ())
    return len(names[0]) == len(set(names[0])) > 1 and len(set(names)) == 1


def _members(items: list[str]) -> tuple[Value, ...]:
    """The members of a set or list; `1 \\pm \\sqrt{5}` among them counts as two."""
    out: list[Value] = []
    for item in items:
        if item.count("\\pm") == 1:
            out += [_parse(item.replace("\\pm", "+")), _parse(item.replace("\\pm", "-"))]
        else:
            out.append(_parse(item))
    return tuple(out)


def _bracketed(s: str) -> Seq | None:
    """`(a, b)`, `[a, b)`, `\\{a, b\\}` covering all of `s`; a single `(a)` is read as `a`."""
    opener = "\\{" if s.startswith("\\{") else s[:1]
    if opener not in _CLOSE or len(s) < 2:
        return None
    closer = s[-2:] if s.endswith("\\}") else s[-1]
    if closer not in (")", "]", "\\}") or (opener == "\\{") != (closer == "\\}"):
        return None
    inner = s[len(opener) : len(s) - len(closer)]
    if _depth_ok(inner) is False:
        return None
    items = _split_top(inner, ((",", ","), (";", ";")))[::2]
    if opener == "\\{":
        return Seq("set", _members(items) if inner.strip() else ())  # `\{\}` is the empty set
    if len(items) == 1:
        return _parse(inner) if (opener, closer) == ("(", ")") else None  # type: ignore[return-value]
    if len(items) == 2 and (opener, closer) != ("(", ")"):
        return Seq("interval", tuple(_parse(i) for i in items), opener + closer)
    if len(items) == 2:
        return Seq("tuple", tuple(_parse(i) for i in items), "()")  # a point or an open interval
    return Seq("tuple", tuple(_parse(i) for i in items), opener + closer)


def _depth_ok(s: str) -> bool:
    """Whether every bracket opened in `s` closes inside it (so the outer pair spans all of it)."""
    depth = 0
    for c in s:
        depth += 1 if c in "([{" else -1 if c in ")]}" else 0
        if depth < 0:
            return False
    return depth == 0


def _split_top(s: str, seps: tuple[tuple[str, str], ...]) -> list[str]:
    """[part, sep, part, sep, part…] splitting at separators outside any brackets."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(s):
        c = s[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0 or (depth < 0):
            for sep, name in seps:
                if s.startswith(sep, i) and not (sep in "<>" and s.startswith("=", i + 1)):
                    out += [s[start:i].strip(), name]
                    i += len(sep)
                    start = i
                    break
            else:
                i += 1
                continue
            continue
        i += 1
    return [*out, s[start:].strip()]


def _canon(s: str) -> str:
    s = re.sub(r"\s+", "", s).casefold()
    s = re.sub(r"_\{(\w+)\}", r"_\1", s)
    while s.startswith("{") and s.endswith("}") and group(s, 0) == (s[1:-1], len(s)):
        s = s[1:-1]
    return s
