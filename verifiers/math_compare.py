"""Compare a final answer with the gold one, routed by the type of the gold.

`answers_match(pred=…, gold=…)` compares two plain integers at once, else parses both
(`s2s1.verifiers.math_parse`; the gold through a cache) and compares by what the gold is:

- number: exact rationals; a decimal within `REL_TOL`; a rounded gold takes a more precise
  answer; a decimal written for an exact value whose decimal never ends (`1.732` for
  `\\sqrt3`) per `MathOptions.approx` (`s2s1.verifiers.math_approx`). A percent sign may be read
  either way (`50\\%` is `50` and `0.5`), but a bare `500` never equals `5`. An answer `x = 3` is
  read as `3`; `a \\approx b` is `a`, or `b` against a decimal. A unit is dropped per
  `MathOptions.units` (`12 N` is `12\\,\\text{N}` and `12`; `s2s1.verifiers.math_units`).
- expression: sympy, with a numeric probe at fixed points first (any disagreement rejects; a point
  where a power of a negative number makes a value complex is skipped, unless the answers use
  `i`) and `simplify` only when the probe cannot decide; an answer with decimals is decided by the
  probe; a variable on one side only must cancel (`\\cos^2 x + \\sin^2 x + y` is `y + 1`).
- relation (`y = 2x + 1`, `x \\leq 3`): the same relation, sides swapped or scaled; an
  assignment `x = 3` against a bare `3` compares the right-hand side; `x \\leq 3` equals
  `(-\\infty, 3]`, a gold `|x - 1| < 2` the answer `(-1, 3)` (a gold `|z - 1| < 2` does not:
  `s2s1.verifiers.math_interval`).
- tuple, interval (brackets must agree), set, unordered list, union, matrix: in full, element by
  element; order only where it matters; a set's repeated members count once; a matrix sum or
  product was evaluated by the parser (`A + B = C` gives C). A partial answer is never correct.
- multiple-choice letter: the answer's letter (`(C)`, `C.`, `\\text{C}`, `option C`).
- text: case- and space-insensitive equality after removing `\\text{}` and the like; `52_8` also
  takes `52`.

Returns `(equal, check)`, `check` naming the comparison that decided. It does not extract answers
from longer text; sympy may still be slow on hostile input: run it under `s2s1.verifiers.pool`.

Example:
    >>> answers_match(pred="0.5", gold="\\\\frac{1}{2}"), answers_match(pred="500", gold="5")
    ((True, 'numeric'), (False, 'numeric'))
    >>> answers_match(pred="\\\\frac{\\\\sqrt{2}}{2}", gold="\\\\frac{1}{\\\\sqrt{2}}")
    (True, 'symbolic')
    >>> answers_match(pred="1331", gold="1331 and 1728"), answers_match(pred="[1, 2)", gold="[1,2)")
    ((False, 'list'), (True, 'interval'))
"""

from __future__ import annotations

import re
from fractions import Fraction

import sympy

from s2s1.verifiers.math_approx import ANSWER_DIGITS, GOLD_DIGITS, REL_TOL, num_equal, snap, written_as
from s2s1.verifiers.math_interval import as_interval
from s2s1.verifiers.math_latex import normalize
from s2s1.verifiers.math_number import to_number
from s2s1.verifiers.math_options import DEFAULT, MathOptions
from s2s1.verifiers.math_parse import parse_gold, parse_recent
from s2s1.verifiers.math_relation import relations_equal
from s2s1.verifiers.math_structs import matrix_equal, seq_equal
from s2s1.verifiers.math_sympy import to_sympy
from s2s1.verifiers.math_time import same_time
from s2s1.verifiers.math_units import unit_reading
from s2s1.verifiers.math_values import Choice, Expr, Matrix, Num, Rel, Seq, Text, Value

__all__ = ["REL_TOL", "answers_match", "equal", "normalize", "to_number", "to_sympy"]

_PLAIN_INTEGER = re.compile(r"-?\d{1,300}")
_POINTS = ((Fraction(37, 100), Fraction(113, 100)), (Fraction(-7, 3), Fraction(5, 2)), (Fraction(29, 7), -2))
_LABEL = re.compile(  # `\\deltap`, `f_net`, `v_0`, `f'(x)`, `\\frac{dy}{dx}` (canonical text)
    r"(?:\\[a-z]+)?[a-z]{1,3}(?:_\{?\w+\}?)?'*(?:\([a-z0-9,]*\))?|\\frac\{d\^?\{?\d?\}?[a-z]*\}\{d[a-z]\^?\{?\d?\}?\}"
)
_NAMES = re.compile(r"(?:\\[a-z]+|[a-z']|[|:/()])*[a-z](?:\\[a-z]+|[a-z']|[|:/()])*")  # no digits, no + - ^
_NAME = re.compile(r"[a-z](?:_\w+)?(?:\([\w,+\-.]*\))?|[a-z]{2,20}")  # `x`, `a_1`, `f(x)`, `f(1)`, `area`


def answers_match(*, pred: str, gold: str, options: MathOptions = DEFAULT) -> tuple[bool, str]:
    """(equal?, which check decided). Keyword-only: the gold decides the comparison, so the two
    must not be swapped by accident. A gold that parses to nothing never matches."""
    if _PLAIN_INTEGER.fullmatch(pred) and _PLAIN_INTEGER.fullmatch(gold):  # GSM8K's common case, unparsed
        return int(pred) == int(gold), "text" if pred == gold else "numeric"
    g, p = parse_gold(gold), parse_recent(pred)
    if g is None or p is None:
        return False, "empty"
    return equal(p, g, options)


def equal(p: Value, g: Value, options: MathOptions = DEFAULT) -> tuple[bool, str]:
    """Compare parsed values; see the module docstring."""

    def same(a: Value, b: Value) -> bool:
        return equal(a, b, options)[0]

    text = _text(p)
    if text is not None and text == _text(g):
        return True, "text"
    if isinstance(g, Rel) and g.op == "~":  # gold `\frac{\sqrt3}{3} \approx 0.577`: either form
        return same(p, g.lhs) or same(p, g.rhs), "relation"
    if isinstance(p, Rel) and p.op == "~":  # answer `2\sqrt2 \approx 2.83`: the exact value (the rounding
        decimal = isinstance(g, Num) and g.decimals is not None  # for a decimal gold)
        return same(p.lhs, g) or decimal and same(p.rhs, g), "relation"
    if isinstance(g, Choice):
        return _letter(p) == g.letter, "choice"
    if isinstance(g, Rel):
        if isinstance(p, Rel):
            if p.op == g.op == "=" and _dependent(p.lhs) and _dependent(g.lhs) and same(p.rhs, g.rhs):
                return True, "relation"  # `y = 2x + 3` and `f(x) = 2x + 3`
            return relations_equal(p, g, lambda a, b: equal(a, b, options)), "relation"
        if g.op == "=" and _is_label(g.lhs):  # gold `x = 3` or `\Delta p \approx 3`, answer `3`
            return same(p, g.rhs), "relation"
        interval = as_interval(g, real=False)  # `|z - 1| < 2` may be a disc
        return (interval is not None and same(p, interval)), "relation"
    if isinstance(p, Rel) and p.op == "=" and _ends_on_value(p, g):
        return same(p.rhs, g), "relation"  # answer `x = 3`, `10 - 7 = 3`, `a^2 + b^2 = 3`, gold `3`
    if isinstance(g, Seq):
        return seq_equal(p, g, same, options), g.kind
    if isinstance(g, Matrix):
        return matrix_equal(p, g, same), "matrix"
    p, g = unit_reading(p, g)  # `12.0 N` against `12\,\text{N}`; `2 N` against `2N`
    if isinstance(g, Num) and isinstance(p, Num):
        if options.units == "required" and g.unit and p.unit != g.unit:
            return False, "unit"
        return num_equal(p, g, options), "numeric"
    if options.form == "as gold" and isinstance(g, Expr) and isinstance(p, Num | Expr) and _shape(g.text):
        if g.expr.free_symbols and _shape(p.text) != _shape(g.text):
            return False, "symbolic"  # the question asks for the gold's form: factored or expanded
    if isinstance(g, Num | Expr) and isinstance(p, Num | Expr):
        if options.approx == "digits" and _approximates(p, g):
            return True, "symbolic"
        return _expr_equal(_sym(p), _sym(g), isinstance(p, Num) and p.decimals is not None), "symbolic"
    if isinstance(g, Text) and isinstance(p, Num | Expr | Text):
        m = re.fullmatch(r"([0-9a-f]+)_\{?\d+\}?", g.text)  # a number in a base: `52_8` takes `52`
        return m is not None and _text(p) == m[1] or same_time(_text(p), g.text), "text"
    return False, "numeric" if isinstance(g, Num) else type(g).__name__.lower()


def _approximates(p: Num | Expr, g: Num | Expr) -> bool:
    """A decimal written for an exact value, either way round (`s2s1.verifiers.math_approx`)."""
    if isinstance(p, Num) and p.decimals and not p.percent and isinstance(g, Expr):
        return written_as(p.value, p.decimals, g.expr)  # `125.663` for `40\pi`
    if isinstance(g, Num) and g.decimals and not g.percent and isinstance(p, Expr):
        return written_as(g.value, g.decimals, p.expr, cut=False, least=GOLD_DIGITS)  # `2.83` for `2\sqrt2`
    for a, b, answer in ((p, g, True), (g, p, False)):  # `x + 1.414i` for `x + \sqrt2 i`
        if isinstance(a, Expr) and a.expr.has(sympy.Float) and not _sym(b).has(sympy.Float):
            least = ANSWER_DIGITS if answer else GOLD_DIGITS
            snapped = snap(a.expr, a.text, _sym(b), cut=answer, least=least)
            if snapped is not None and _expr_equal(snapped, _sym(b), snapped.has(sympy.Float)):
                return True
    return False


def _expr_equal(a: sympy.Expr, b: sympy.Expr, approximate: bool) -> bool:
    if a == b:
        return True
    symbols = sorted(a.free_symbols | b.free_symbols, key=str)
    differ = a.free_symbols != b.free_symbols and not (a.has(sympy.I) or b.has(sympy.I))
    if differ and not (a.atoms(sympy.Function) or b.atoms(sympy.Function)):
        return False  # a variable on one side only cancels through a function's identity, if at all
    if not symbols and a.is_Rational and b.is_Rational:
        return False  # exact numbers that differ (a == b was checked)
    agreed, complex_ = 0, a.has(sympy.I) or b.has(sympy.I)
    for point in _POINTS:
        values = {x: sympy.Rational(point[i % 2]) + i for i, x in enumerate(symbols)}
        va, vb = _value(a, values), _value(b, values)
        if va is None or vb is None or not complex_ and not (va.is_real and vb.is_real):
            continue  # a power of a negative number: `(r_0/(r+r_0))^{1/2}` holds for positive values
        tol = REL_TOL if approximate or a.has(sympy.Float) or b.has(sympy.Float) else 1e-20
        if bool(abs(va) > 1e-20) if vb == 0 else bool(abs(va - vb) > tol * abs(vb)):
            return False  # (`-0.e-165` against an exact 0 is 0)
        agreed += 1
    if differ:  # a variable on one side only must cancel: `cos^2 x + sin^2 x + y` is `y + 1`
        small = sympy.count_ops(a) + sympy.count_ops(b) <= 200
        return agreed == len(_POINTS) and small and bool(sympy.simplify(a - b) == 0)
    if agreed >= 2 or (agreed and (approximate or not symbols)):
        return True
    if sympy.count_ops(a) + sympy.count_ops(b) > 200:
        return False
    return bool(sympy.simplify(a - b) == 0)


def _value(e: sympy.Expr, values: dict) -> sympy.Expr | None:
    """The expression's value at a point (30 digits, any exponent), or None where it is not finite."""
    try:
        v = e.subs(values).evalf(30) if values else e.evalf(30)
    except (TypeError, ValueError, OverflowError):
        return None
    if not v.is_number or v.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or not v.is_finite:
        return None
    return v


def _sym(v: Num | Expr) -> sympy.Expr:
    if isinstance(v, Expr):
        return v.expr
    return sympy.Rational(v.value.numerator, v.value.denominator)


def _letter(p: Value) -> str | None:
    if isinstance(p, Choice):
        return p.letter
    t = (_text(p) or "").replace("*", "")
    m = re.fullmatch(r"(?:option|choice|answer)?(?:\(([a-j])\).*|([a-j])(?:[.:),;(].*)?)", t)
    return (m[1] or m[2]).upper() if m else None


def _shape(text: str) -> str:
    """`factored` (a product with parentheses, no `+`/`-` outside them), `expanded` (no
    parentheses), or "" for anything else; used by `MathOptions(form="as gold")`."""
    level, top_sign = 0, False
    for i, c in enumerate(text):
        level += 1 if c in "([{" else -1 if c in ")]}" else 0
        top_sign = top_sign or (level == 0 and c in "+-" and i > 0 and text[i - 1] not in "^(")
    return "expanded" if "(" not in text else "" if top_sign else "factored"


def _is_label(v: Value) -> bool:
    """A name on the left of an equation: `x`, `f(x)`, `\\Delta p`, `F_{net}`, `v_0`, `F`, names
    that only divide or multiply (`|AB|`, `BD:DC`, `\\frac{NO}{BO}`), or a tuple of names: `(a, b)`."""
    if isinstance(v, Seq) and v.kind == "tuple":
        return all(_is_label(item) for item in v.items)
    text = _text(v) or ""
    names = re.sub(r"_\{?\w+\}?|[{}]", "", text)  # `|AB|`, `V_1:V_2`, `\\frac{NO}{BO}`, `m\\angle ABC`
    return isinstance(v, Choice) or _is_name(v) or bool(_LABEL.fullmatch(text) or _NAMES.fullmatch(names))


def _dependent(v: Value) -> bool:
    """`y` or `f(x)`: the left side of a function's equation, either spelling."""
    return bool(re.fullmatch(r"y|[a-z]\([a-z]\)", _text(v) or ""))


def _ends_on_value(p: Rel, g: Value) -> bool:
    """Whether an answer `lhs = rhs` gives its value on the right: a labelled or computed value
    (a matrix too), or a constant right side other than 0 against a constant gold (`a^2 + b^2 = 3`
    against `3`)."""
    if _is_label(p.lhs) or _is_constant(p.lhs) or isinstance(p.rhs, Matrix) and isinstance(g, Matrix):
        return True  # a matrix on the right of `A + B = C` against a matrix gold: C
    zero = isinstance(p.rhs, Num) and p.rhs.value == 0  # `x^2 - 9 = 0` is a condition, not a value
    return _is_constant(p.rhs) and _is_constant(g) and not zero


def _is_name(v: Value) -> bool:
    """A variable or function being assigned: `x`, `a_1`, `f(x)`, `\\text{area}`."""
    text = _text(v)
    return text is not None and bool(_NAME.fullmatch(text))


def _is_constant(v: Value) -> bool:
    """A number or an expression without variables (`10 - 7`, `2\\sqrt{3}`)."""
    return isinstance(v, Num) and not v.percent or isinstance(v, Expr) and not v.expr.free_symbols


def _text(v: Value) -> str | None:
    if isinstance(v, Text | Expr):
        return v.text
    if isinstance(v, Num):  # `1 000` is `1000`, but `4 0/9` is not `40/9`
        return re.sub(r"(?<!\d)\s+|\s+(?!\d)", "", v.text).casefold()
    return None
