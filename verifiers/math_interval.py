"""One-variable inequalities as the sets they describe: `|x - 1| < 2` is `(-1, 3)`.

`as_interval(rel)` reads `u op c` or `c op u` (op `<`, `<=`, `>`, `>=`; c a real constant) where u
is a variable, `a x + b` (a a nonzero real constant) or `|a x + b|`, and returns the interval, or
the union of two rays (`|x - 1| > 2` is `(-\\infty, -1) \\cup (3, \\infty)`). `chain(lo, op1, u,
op2, hi)` does the same for `lo < u < hi` (`1 < 2x < 4` is `(1/2, 2)`, `1 \\leq |x| \\leq 2` is
`[-2, -1] \\cup [1, 2]`). An open interval is a 2-tuple, as `(a, b)` is written; the end of
`x < c` is kept as written (a decimal end stays a decimal).

Only what is unambiguous is read, None otherwise: one variable; a real constant bound;
`|u| < c` and `|u| > c` only for c > 0 (else the set is empty, a point or every number); a chain
only with its ends in order. With `real=False` an absolute value of `z` or `w` is not read: by
convention those are complex numbers, and `|z - 1| < 2` is then a disc, not `(-1, 3)`. The
comparison passes `real=False` for a gold relation (nothing says the answer is real), and the
parser for chains; an answer `|z - 1| < 2` against a gold interval is read (the gold says real).

It does not solve anything else (`x^2 < 4`, two variables, `|x| + |x - 1| < 3`).

Example:
    >>> from s2s1.verifiers.math_parse import parse_answer
    >>> s = as_interval(parse_answer("|2x - 1| \\\\leq 3"))
    >>> s.kind, [v.value for v in s.items], s.brackets
    ('interval', [Fraction(-1, 1), Fraction(2, 1)], '[]')
    >>> as_interval(parse_answer("|x| > 2")).kind, as_interval(parse_answer("|z| < 1"), real=False)
    ('union', None)
"""

from __future__ import annotations

import sympy

from s2s1.verifiers.math_values import Expr, Num, Rel, Seq, Value, from_sympy

__all__ = ["as_interval", "chain", "interval"]

_MIRROR = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
_COMPLEX = ("z", "w")
Piece = tuple[sympy.Expr, sympy.Expr, bool, bool]  # (left end, right end, left closed, right closed)
Linear = tuple[sympy.Expr, sympy.Expr, bool]  # u = a x + b: (a, b, whether u is inside |…|)


def interval(a: Value, b: Value, brackets: str) -> Seq:
    """The interval between a and b; `(a, b)` is a 2-tuple, as it is written."""
    return Seq("tuple" if brackets == "()" else "interval", (a, b), brackets)


def as_interval(rel: Rel, *, real: bool = True) -> Seq | None:
    """The interval or union of rays that `rel` describes, or None (see the module docstring)."""
    op, lhs, rhs = rel.op, rel.lhs, rel.rhs
    if op not in _MIRROR:
        return None
    if _is_constant(lhs) and not _is_constant(rhs):
        op, lhs, rhs = _MIRROR[op], rhs, lhs
    if _is_symbol(lhs) and _is_constant(rhs):  # `x < 3`: the end as written
        if op in ("<", "<="):
            return interval(Expr(-sympy.oo, "-\\infty"), rhs, "(" + (")" if op == "<" else "]"))
        return interval(rhs, Expr(sympy.oo, "\\infty"), ("(" if op == ">" else "[") + ")")
    c, u = _real(rhs), _linear(lhs, real)
    if c is None or u is None:
        return None
    closed, below = op in ("<=", ">="), op in ("<", "<=")
    if not u[2]:
        return _solved([(-sympy.oo, c, False, closed)] if below else [(c, sympy.oo, closed, False)], u)
    if not c.is_positive:  # `|u| < 0`, `|u| >= 0`, `|u| > -1`
        return None
    if below:
        return _solved([(-c, c, closed, closed)], u)
    return _solved([(-sympy.oo, -c, False, closed), (c, sympy.oo, closed, False)], u)


def chain(lo: Value, op1: str, mid: Value, op2: str, hi: Value, *, real: bool = True) -> Seq | None:
    """`lo op1 mid op2 hi` (op1, op2 in `<`, `<=`) as an interval or a union, or None. A bare
    name in the middle (`a < x < b`) is the parser's: it keeps the ends as written."""
    low, high, u = _real(lo), _real(hi), _linear(mid, real)
    if low is None or high is None or u is None or not bool(low < high):
        return None
    lc, hc = op1 == "<=", op2 == "<="
    if not u[2]:
        return _solved([(low, high, lc, hc)], u)
    if low.is_negative or low == 0 and lc:  # `0 <= |x| < 2` is `|x| < 2`
        return _solved([(-high, high, hc, hc)], u)
    return _solved([(-high, -low, hc, lc), (low, high, lc, hc)], u)


def _solved(pieces: list[Piece], u: Linear) -> Seq | None:
    """The x-intervals where `u = a x + b` lies in the pieces, in order; a union for two."""
    a, b, _ = u
    if a.is_positive is None:
        return None
    out: list[Piece] = []
    for lo, hi, lc, hc in pieces:
        ends = [((lo - b) / a, lc), ((hi - b) / a, hc)]
        if a.is_negative:
            ends.reverse()
        out.append((ends[0][0], ends[1][0], ends[0][1], ends[1][1]))
    out.sort(key=lambda p: float(p[0]))
    brackets = [("[" if lc else "(") + ("]" if hc else ")") for _, _, lc, hc in out]
    seqs = [interval(from_sympy(p[0]), from_sympy(p[1]), b) for p, b in zip(out, brackets, strict=True)]
    return seqs[0] if len(seqs) == 1 else Seq("union", tuple(seqs))


def _linear(v: Value, real: bool) -> Linear | None:
    """(a, b, absolute) for `a x + b` or `|a x + b|` in one variable x, a a nonzero real constant."""
    if not isinstance(v, Expr) or len(v.expr.free_symbols) != 1:
        return None
    e, absolute = v.expr, isinstance(v.expr, sympy.Abs)
    x = next(iter(e.free_symbols))
    if absolute:
        if not real and str(x) in _COMPLEX:
            return None
        e = e.args[0]
    a, b = sympy.diff(e, x), e.subs(x, 0)
    if a.free_symbols or b.free_symbols or a == 0 or not a.is_real or sympy.expand(e - a * x - b) != 0:
        return None
    return a, b, absolute


def _real(v: Value) -> sympy.Expr | None:
    """A finite real constant's sympy value, or None."""
    if isinstance(v, Num) and not v.percent:
        return sympy.Rational(v.value.numerator, v.value.denominator)
    if isinstance(v, Expr) and not v.expr.free_symbols and v.expr.is_real and v.expr.is_finite:
        return v.expr
    return None


def _is_symbol(v: Value) -> bool:
    return isinstance(v, Expr) and isinstance(v.expr, sympy.Symbol)


def _is_constant(v: Value) -> bool:
    return isinstance(v, Num) or isinstance(v, Expr) and not v.expr.free_symbols
