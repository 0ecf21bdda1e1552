"""How close is equal for numbers: exact values, rounded golds, and decimals written for exact values.

`num_equal(p, g, options)` compares two plain numbers: exact rationals are equal only when equal;
a decimal is equal within `REL_TOL` of the gold's magnitude (never looser than half the gold's
last digit); a gold written as a rounded decimal (three or more significant digits) takes a
more precise answer that rounds to it; a percent sign may be read either way (`50\\%` is `50` and
`0.5`, per `MathOptions.percent`), but a bare `500` never equals `5`.

With `MathOptions(approx="digits")` (the default) a decimal is also read to the digits it shows
against an exact value whose decimal never ends (`written_as`):

- an answer with four or more significant digits equals an exact gold when it is the gold
  rounded or cut off at its last digit: `1.732` is `\\sqrt3`, `125.663` is `40\\pi`, `0.3333` is
  `1/3`, but `0.333` (three digits), `1.733` (neither) and `0.5` against `0.499…` are not;
- a gold decimal with three or more significant digits takes an exact answer that rounds to it
  (`2.83` takes `2\\sqrt2`, `0.333` takes `1/3`): the question asked for that rounding;
- inside an expression (`snap`): each decimal the answer writes is replaced by the constant of
  the gold it stands for under the same rule (`x + 1.414i` against `x + \\sqrt2 i`, `1.732x`
  against `\\sqrt3 x`), and the result is compared exactly.

A terminating exact value (`1/2`, `5`, `2.2`) is never approximated: `5.001` is not `5`.

It does not parse (see `s2s1.verifiers.math_parse`) or compare expressions with variables (see
`s2s1.verifiers.math_compare`).

Example:
    >>> import sympy
    >>> written_as(Fraction("1.732"), 4, sympy.sqrt(3)), written_as(Fraction("0.333"), 3, Fraction(1, 3))
    (True, False)
    >>> snap(sympy.Float("1.414") * sympy.Symbol("x"), "1.414x", sympy.sqrt(2) * sympy.Symbol("x"))
    sqrt(2)*x
"""

from __future__ import annotations

import re
from fractions import Fraction

import sympy

from s2s1.verifiers.math_number import Num
from s2s1.verifiers.math_options import MathOptions

__all__ = ["REL_TOL", "num_equal", "snap", "written_as"]

REL_TOL = 1e-6
ANSWER_DIGITS, GOLD_DIGITS = 4, 3  # significant digits a decimal needs to stand for an exact value
_LITERAL = re.compile(r"(?<![\d.])(\d+)\.(\d+)")
_MAX_CONSTANTS = 40


def num_equal(p: Num, g: Num, options: MathOptions) -> bool:
    """Whether two plain numbers are equal (see the module docstring)."""
    either = options.percent == "either" and not (p.percent and g.percent)  # `0.4\%` is not `40\%`
    gvalues = [g.value, g.value / 100] if g.percent and either else [g.value]
    pvalues = [p.value, p.value / 100] if p.percent and either else [p.value]
    exact = p.decimals is None and g.decimals is None
    digits = len(re.sub(r"\D", "", g.text.split("e")[0].split("E")[0]).lstrip("0"))
    for gv in gvalues:
        tol = Fraction(REL_TOL) * abs(gv)
        if g.decimals is not None:  # never looser than the gold's own last digit: 1000000.5 is not 1000000
            tol = min(tol, Fraction(1, 2 * 10**g.decimals))
        for pv in pvalues:
            if pv == gv or not exact and abs(pv - gv) <= tol:
                return True
            if g.decimals and (p.decimals or 0) > g.decimals and digits >= 3:
                if abs(pv - gv) <= Fraction(1, 2 * 10**g.decimals):  # gold rounded: 2.24 takes 2.2361
                    return True
            if options.approx == "digits" and _approximates(pv, p.decimals, gv, g.decimals):
                return True
    return False


def _approximates(pv: Fraction, pd: int | None, gv: Fraction, gd: int | None) -> bool:
    """A decimal answer for an exact gold (`0.3333`, `1/3`), or a decimal gold for an exact answer."""
    if pd is not None and gd is None:
        return written_as(pv, pd, gv, cut=True)
    if gd is not None and pd is None:
        return written_as(gv, gd, pv, cut=False, least=GOLD_DIGITS)
    return False


def written_as(
    dec: Fraction, digits: int, exact: Fraction | sympy.Expr, *, cut: bool = True, least: int = ANSWER_DIGITS
) -> bool:
    """Whether `dec`, written with `digits` decimals and at least `least` significant digits, is
    `exact` rounded at its last digit (or cut off there, when `cut`), where `exact` is a real
    constant whose decimal never ends."""
    if not 0 < digits <= 30 or len(str(abs(int(dec * 10**digits)))) < least or dec == 0:
        return False
    value = _exact_value(exact, digits + 20)
    if value is None:
        return False
    unit = Fraction(1, 10**digits)
    diff = value - dec
    if abs(diff) <= unit / 2:
        return True
    return cut and (diff > 0) == (dec > 0) and abs(diff) < unit  # cut off: `125.663` for 125.6637…


def _exact_value(exact: Fraction | sympy.Expr, precision: int) -> Fraction | None:
    """The value of a real constant whose decimal never ends, to `precision` digits; None otherwise."""
    if isinstance(exact, sympy.Basic):
        if not exact.is_number or exact.has(sympy.Float) or exact.has(sympy.oo, sympy.zoo, sympy.nan):
            return None
        if exact.is_Rational:
            exact = Fraction(int(exact.p), int(exact.q))
    if isinstance(exact, Fraction):
        q = exact.denominator
        for f in (2, 5):
            while q % f == 0:
                q //= f
        return exact if q > 1 else None  # 1/2 and 2.2 end: they are written exactly or not at all
    try:
        value = sympy.N(exact, precision)
    except (TypeError, ValueError, OverflowError):
        return None
    if not value.is_real or not value.is_finite:
        return None
    return Fraction(str(value))


def snap(
    approx: sympy.Expr, text: str, exact: sympy.Expr, *, cut: bool = True, least: int = ANSWER_DIGITS
) -> sympy.Expr | None:
    """`approx` with every decimal that `text` writes replaced by the constant of `exact` it stands
    for (`written_as`), or None when none is replaced."""
    literals = {Fraction(m[0]): len(m[2]) for m in _LITERAL.finditer(text)}
    constants = _constants(exact)
    if not literals or not constants:
        return None
    subs = {}
    for f in approx.atoms(sympy.Float):
        dec = Fraction(str(f))
        close = abs(dec) * Fraction(1, 10**12)
        digits = next((d for v, d in literals.items() if abs(v - abs(dec)) <= close), None)
        if digits is None:
            continue
        dec = Fraction(round(dec * 10**digits), 10**digits)
        match = next((c for c in constants if written_as(dec, digits, c, cut=cut, least=least)), None)
        if match is not None:
            subs[f] = match
    return approx.xreplace(subs) if subs else None


def _constants(e: sympy.Expr) -> list[sympy.Expr]:
    """The constants in an exact expression that a decimal could stand for: its constant
    subterms (`\\sqrt2`, `40\\pi`, `-\\sqrt3/3`) and the constant part of each sum and product."""
    out: list[sympy.Expr] = []
    for node in sympy.preorder_traversal(e):
        if len(out) >= _MAX_CONSTANTS:
            break
        if node.free_symbols and isinstance(node, sympy.Add | sympy.Mul):
            node = node.as_independent(*node.free_symbols)[0]
        if node.is_number and not node.is_Integer and node not in out:
            out.append(node)
    return out
