"""The typed values an answer is read into: number, expression, text, choice, relation, sequence, matrix.

`Num` (an exact number, `s2s1.verifiers.math_number`), `Expr` (a sympy expression and its
canonical text), `Text` (canonical text), `Choice` (a letter), `Rel` (`lhs op rhs`), `Seq`
(tuple, interval, set, unordered list or union) and `Matrix`; `Value` is any of them. All are
frozen, so a parsed gold can be cached and shared. `from_sympy` turns a computed sympy value back
into a `Num` (a rational) or an `Expr` (`\\infty` for infinity).

It does not parse or compare (see `s2s1.verifiers.math_parse`, `s2s1.verifiers.math_compare`).

Example:
    >>> Seq("interval", (Choice("A"), Text("b")), "[)").brackets
    '[)'
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TypeAlias

import sympy

from s2s1.verifiers.math_number import Num

__all__ = ["Choice", "Expr", "Matrix", "Num", "Rel", "Seq", "Text", "Value", "from_sympy"]


@dataclass(frozen=True)
class Choice:
    letter: str


@dataclass(frozen=True)
class Expr:
    expr: sympy.Expr
    text: str


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Rel:
    op: str  # "=", "!=", "<", "<=", ">", ">="
    lhs: Value
    rhs: Value


@dataclass(frozen=True)
class Seq:
    kind: str  # "tuple" (ordered), "interval" (two ends, brackets kept), "set", "list" (unordered), "union"
    items: tuple[Value, ...]
    brackets: str = ""


@dataclass(frozen=True)
class Matrix:
    rows: tuple[tuple[Value, ...], ...]


Value: TypeAlias = Num | Expr | Text | Choice | Rel | Seq | Matrix


def from_sympy(v: sympy.Expr) -> Num | Expr:
    """A computed value as a `Num` when it is rational, else an `Expr` (its text is sympy's).

    Example:
        >>> from_sympy(sympy.Rational(1, 2)).value, from_sympy(-sympy.oo).text
        (Fraction(1, 2), '-\\\\infty')
    """
    if v.is_Rational:
        return Num(Fraction(int(v.p), int(v.q)), None, False, str(v))
    if v.is_infinite:
        return Expr(v, "\\infty" if v.is_positive else "-\\infty")
    return Expr(v, str(v))
