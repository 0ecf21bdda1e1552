"""Equations and inequalities: whether two relations say the same.

Two relations are equal when, after writing both as `a < b` / `a <= b` / `a = b` / `a != b`
(`>` and `>=` are flipped), their differences `a - b` are proportional: by any nonzero constant
for `=` and `!=` (`y = 2x + 1` equals `2x - y + 1 = 0`), by a positive one for inequalities
(`-x > -3` equals `x < 3`). An assignment `x = 3` equals `x = 3.0` but not `y = 3`. A
one-variable inequality against an interval is read as the interval it describes by
`s2s1.verifiers.math_interval`.

It does not solve relations (`x^2 = 4` is not `x = 2, -2`) or compare systems of equations.

Example:
    >>> from s2s1.verifiers.math_compare import answers_match
    >>> answers_match(pred="2x - y + 1 = 0", gold="y = 2x + 1")
    (True, 'relation')
    >>> answers_match(pred="(-\\\\infty, 3]", gold="x \\\\le 3")
    (True, 'relation')
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import sympy

from s2s1.verifiers.math_values import Expr, Num, Rel, Value

__all__ = ["relations_equal"]

_FLIP = {">": "<", ">=": "<="}
_POINTS = ((Fraction(37, 100), Fraction(113, 100)), (Fraction(-7, 3), Fraction(5, 2)), (Fraction(29, 7), -2))


def relations_equal(p: Rel, g: Rel, equal: Callable[[Value, Value], tuple[bool, str]]) -> bool:
    """Whether two relations say the same (see the module docstring)."""
    (pop, pl, pr), (gop, gl, gr) = _flip(p), _flip(g)
    if pop != gop:
        return False
    if pop == "=" and _is_symbol(pl) and _is_symbol(gl):  # assignments: same name, equal values
        return bool(equal(pl, gl)[0] and equal(pr, gr)[0])
    if pop == "=" and _is_symbol(pr) and _is_symbol(gl):  # `3 = x` against `x = 3`
        return bool(equal(pr, gl)[0] and equal(pl, gr)[0])
    if equal(pl, gl)[0] and equal(pr, gr)[0]:
        return True
    if pop in ("=", "!=") and equal(pl, gr)[0] and equal(pr, gl)[0]:
        return True
    dp, dg = _difference(pl, pr), _difference(gl, gr)
    if dp is None or dg is None:
        return False
    return _proportional(dp, dg, positive=pop not in ("=", "!="))


def _flip(r: Rel) -> tuple[str, Value, Value]:
    return (_FLIP[r.op], r.rhs, r.lhs) if r.op in _FLIP else (r.op, r.lhs, r.rhs)


def _difference(a: Value, b: Value) -> sympy.Expr | None:
    sa, sb = _sym(a), _sym(b)
    return None if sa is None or sb is None else sa - sb


def _proportional(a: sympy.Expr, b: sympy.Expr, *, positive: bool) -> bool:
    symbols = sorted(a.free_symbols | b.free_symbols, key=str)
    ratios = []
    for point in _POINTS:
        values = {x: sympy.Rational(point[i % 2]) + i for i, x in enumerate(symbols)}
        try:
            va, vb = complex(a.subs(values).evalf(30)), complex(b.subs(values).evalf(30))
        except (TypeError, ValueError, OverflowError):
            continue
        if abs(vb) < 1e-12:
            if abs(va) > 1e-12:
                return False
            continue
        ratios.append(va / vb)
    if len(ratios) < 2 or abs(ratios[0]) < 1e-12:
        return False
    first = ratios[0]
    if any(abs(r - first) > 1e-9 * abs(first) for r in ratios):
        return False
    return not positive or (abs(first.imag) < 1e-12 and first.real > 0)


def _sym(v: Value) -> sympy.Expr | None:
    if isinstance(v, Expr):
        return v.expr
    if isinstance(v, Num) and not v.percent:
        return sympy.Rational(v.value.numerator, v.value.denominator)
    return None


def _is_symbol(v: Value) -> bool:
    return isinstance(v, Expr) and isinstance(v.expr, sympy.Symbol)
