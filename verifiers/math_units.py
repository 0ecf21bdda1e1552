"""A number and a unit symbol that one side writes as a product: `12.0 m` against `12\\,\\text{m}`.

`unit_reading(p, g)` returns the answer and the gold, re-read where a number with a unit meets
an expression `number × letter(s)` (`s2s1.verifiers.math_number` reads a lone letter as a
variable, except a spaced SI symbol: `12 N`):

- when one side is a number whose unit is those letters (`12\\,\\text{m}`, `12 N`), the product
  on the other side (`12.0 m`, `12.0N`) is that number with that unit: the unit is declared;
- otherwise, when one side is an expression in which the letter is a variable (`\\frac{N}{2}`),
  a number with that one-letter unit on the other side (`\\frac12 N`) is the product again.

A letter that the other side does not name as a unit stays a variable: `12 x` is not
`12\\,\\text{N}`, and `2x` is not `2`. It does not compare anything (see
`s2s1.verifiers.math_compare`) or convert units.

Example:
    >>> from s2s1.verifiers.math_parse import parse_answer
    >>> unit_reading(parse_answer("12.0 m"), parse_answer("12\\\\,\\\\text{m}"))[0].value
    Fraction(12, 1)
    >>> unit_reading(parse_answer("\\\\frac{1}{2} N"), parse_answer("\\\\frac{N}{2}"))[0].expr
    N/2
"""

from __future__ import annotations

import sympy

from s2s1.verifiers.math_number import Num, to_number
from s2s1.verifiers.math_values import Expr, Value

__all__ = ["unit_reading"]


def unit_reading(p: Value, g: Value) -> tuple[Value, Value]:
    """(answer, gold), each re-read as the other side's unit makes it (see the module docstring)."""
    if isinstance(p, Expr) and isinstance(g, Num):
        number = _as_number(p, g.unit)
        return (number, g) if number is not None else (p, _as_product(g, p) or g)
    if isinstance(p, Num) and isinstance(g, Expr):
        number = _as_number(g, p.unit)
        return (p, number) if number is not None else (_as_product(p, g) or p, g)
    return p, g


def _as_number(e: Expr, unit: str) -> Num | None:
    """`12.0n` (canonical text) as the number 12.0 in `unit` (`n`), when that is all it writes."""
    letters = unit.replace(" ", "")
    if not letters.isalpha() or not e.text.endswith(letters) or not e.expr.free_symbols:
        return None
    if "".join(sorted(str(s).casefold() for s in e.expr.free_symbols)) != "".join(sorted(letters)):
        return None
    n = to_number(e.text[: -len(letters)])
    if n is None or n.unit or n.percent:
        return None
    return Num(n.value, n.decimals, False, e.text, unit)


def _as_product(n: Num, e: Expr) -> Expr | None:
    """`2 N` as the product `2N`, where `e` uses `N` as a variable."""
    if len(n.unit) != 1:
        return None
    symbol = next((s for s in e.expr.free_symbols if str(s).casefold() == n.unit), None)
    if symbol is None:
        return None
    value = sympy.Rational(n.value.numerator, n.value.denominator) * symbol
    return Expr(value, n.text.replace(" ", "").replace("\u2009", "").casefold())
