"""Written matrices added, subtracted, scaled or multiplied: the one matrix they make.

`matrix_expression(s, cell)` reads a cleaned answer (`s2s1.verifiers.math_latex.normalize`) made of
matrix environments (`MATRIX`: `pmatrix`, `bmatrix`, `array`, …, each maybe inside `[…]` or `(…)`)
joined by `+` and `-`, each term a product of matrices written side by side or with `\\cdot` /
`\\times`, with a factor in front (`2`, `-\\frac{1}{2}`, `k`); `cell` reads one cell (the
parser's own reader). It returns the evaluated `Matrix`, its cells numbers or sympy
expressions (`s2s1.verifiers.math_values.from_sympy`), so that `A + B` compares with the matrix
it equals. Products keep their order (`AB` is not `BA`).

None for anything else: powers, transposes, inverses, determinants (`\\det`, and any
`vmatrix`, which may be one), parentheses around a sum, text between the matrices, a cell that
is not a number or an expression, shapes that do not fit (a 1×2 plus a 2×1), more than
`MAX_MATRICES` matrices or `MAX_SIDE` rows or columns.

It does not compare anything (see `s2s1.verifiers.math_structs.matrix_equal`).

Example:
    >>> from s2s1.verifiers.math_parse import parse_answer
    >>> row = "\\\\begin{pmatrix}1&2\\\\end{pmatrix}"
    >>> [c.value for c in parse_answer(f"{row} + 2{row}").rows[0]]
    [Fraction(3, 1), Fraction(6, 1)]
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sympy

from s2s1.verifiers.math_values import Expr, Matrix, Num, Value, from_sympy

__all__ = ["MATRIX", "MAX_MATRICES", "MAX_SIDE", "matrix_expression"]

MATRIX = re.compile(  # one environment; its body holds no other `\begin`/`\end`
    r"\\begin\{([pbvBV]?matrix|array)\}(?:\{[^{}]*\})?((?:(?!\\(?:begin|end)\{).)*)\\end\{\1\}", re.DOTALL
)
MAX_MATRICES, MAX_SIDE = 8, 10
_WRAPPED = re.compile(r"\[\s*(@\d+@)\s*\]|\(\s*(@\d+@)\s*\)")  # `[\begin{array}…\end{array}]`
_TERM = re.compile(r"(.*?)((?:@\d+@\s*(?:\\cdot|\\times)?\s*)+)", re.DOTALL)  # factor, then matrices
_TIMES = re.compile(r"\s*(?:\\cdot|\\times|\*)\s*$")


def matrix_expression(s: str, cell: Callable[[str], Value]) -> Matrix | None:
    """The matrix that `s` evaluates to, or None (see the module docstring)."""
    found = list(MATRIX.finditer(s))
    if not 0 < len(found) <= MAX_MATRICES or any(m[1] in ("vmatrix", "Vmatrix") for m in found):
        return None  # `vmatrix` is also written for a determinant, a number
    matrices, parts, last = [], [], 0
    for i, m in enumerate(found):
        matrix = _matrix(m[2], cell)
        if matrix is None:
            return None
        matrices.append(matrix)
        parts += [s[last : m.start()], f"@{i}@"]
        last = m.end()
    text = _WRAPPED.sub(lambda m: m[1] or m[2], "".join(parts) + s[last:])
    total = None
    try:
        for sign, term in _terms(text):
            parsed = _TERM.fullmatch(term)
            factor = _factor(parsed[1], cell) if parsed else None
            if parsed is None or factor is None:
                return None
            slots = re.findall(r"@(\d+)@", parsed[2])
            value = sign * factor * _product([matrices[int(k)] for k in slots])
            total = value if total is None else total + value
    except (TypeError, ValueError):  # shapes that do not fit (sympy's ShapeError is a ValueError)
        return None
    if total is None:
        return None
    return Matrix(tuple(tuple(from_sympy(sympy.sympify(v)) for v in row) for row in total.tolist()))


def _matrix(body: str, cell: Callable[[str], Value]) -> sympy.Matrix | None:
    rows = [r for r in re.split(r"\\\\", body) if r.strip()]
    cells = [[_sym(cell(c)) for c in r.split("&")] for r in rows]
    width = {len(r) for r in cells}
    if not cells or len(width) != 1 or max(len(cells), *width) > MAX_SIDE:
        return None
    if any(c is None for r in cells for c in r):
        return None
    return sympy.Matrix(cells)


def _terms(text: str) -> list[tuple[int, str]]:
    """(sign, term) for the terms of a sum, split at `+` and `-` outside brackets."""
    out, sign, depth, start = [], 1, 0, 0
    for i, c in enumerate(text + "+"):
        depth += (c in "{([") - (c in "})]")
        if depth == 0 and c in "+-":
            part = text[start:i].strip()
            if part:
                out.append((sign, part))
                sign = 1
            sign *= -1 if c == "-" else 1
            start = i + 1
    return out


def _factor(text: str, cell: Callable[[str], Value]) -> sympy.Expr | None:
    """The factor written before a term's matrices (1 when there is none)."""
    text = _TIMES.sub("", text.strip())
    return sympy.Integer(1) if not text else _sym(cell(text))


def _product(matrices: list[sympy.Matrix]) -> sympy.Matrix:
    out = matrices[0]
    for m in matrices[1:]:
        out = out * m
    return out


def _sym(v: Value) -> sympy.Expr | None:
    if isinstance(v, Num) and not v.percent:
        return sympy.Rational(v.value.numerator, v.value.denominator)
    return v.expr if isinstance(v, Expr) else None
