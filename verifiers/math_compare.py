"""Compare a final maths answer with the gold one: numbers, then sympy, then text.

`answers_match(pred, gold)` runs three checks in order and stops at the first that applies:

1. numeric — both sides read as exact rationals: integers, decimals, `1,000`, `$5`, `50\\%`
   (the sign is dropped, not divided by 100: `50\\%` equals `50`, never `0.5`), `a/b`,
   `\\frac{a}{b}`, `\\frac12`; equal within a relative tolerance of 1e-6 of the gold's magnitude;
2. symbolic — both sides convert (by the small LaTeX converter below) to sympy expressions: a
   numeric probe at fixed points rejects cheaply, then `simplify(a - b) == 0` decides (an answer
   written with decimals is decided by the probe alone);
3. text — normalized string equality (`\\text{Evelyn}` equals `Evelyn`; case and spaces ignored).

The LaTeX converter knows `\\frac`, `\\sqrt` (and `\\sqrt[n]`), `^`, `_`, `\\cdot`, `\\times`,
`\\div`, `\\left`/`\\right`, `\\pi`, `\\infty` and `\\sin \\cos \\tan \\log \\ln \\exp`; anything
else leaves the answer to the text check. It is not `sympy.parsing.latex` (that needs antlr).
Only whitelisted identifiers reach sympy's parser, so model text is never evaluated as Python.

It does not handle sets, intervals, tuples, equations, matrices, units or multiple-choice
letters beyond text equality. sympy may hang on hostile input: run it under `verifiers.pool`.

Example:
    >>> answers_match("0.5", "\\\\frac{1}{2}")
    (True, 'numeric')
    >>> answers_match("\\\\frac{\\\\sqrt{2}}{2}", "\\\\frac{1}{\\\\sqrt{2}}")
    (True, 'symbolic')
    >>> answers_match("500", "5")
    (False, 'numeric')
"""

from __future__ import annotations

import re
from fractions import Fraction

import sympy
from sympy.parsing.sympy_parser import (
    TokenError,
    implicit_multiplication_application,
    parse_expr,
    standard_transformations,
)

__all__ = ["REL_TOL", "answers_match", "normalize", "to_number", "to_sympy"]

REL_TOL = 1e-6
_WRAPPERS = ("\\text", "\\textbf", "\\textit", "\\mathrm", "\\mathbf", "\\mbox", "\\operatorname")
_DROP = (
    "\\!",
    "\\,",
    "\\;",
    "\\:",
    "\\ ",
    "~",
    "^{\\circ}",
    "^\\circ",
    "°",
    "\\$",
    "$",
    "\\(",
    "\\)",
    "\\[",
    "\\]",
)
_NUM = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_FRAC = re.compile(r"([+-]?)\\frac(?:\{([^{}]+)\}\{([^{}]+)\}|(\d)(\d))")
_COMMANDS = {
    "\\cdot": "*",
    "\\times": "*",
    "\\div": "/",
    "\\pi": " pi ",
    "\\infty": " oo ",
    "\\sin": " sin ",
    "\\cos": " cos ",
    "\\tan": " tan ",
    "\\log": " log ",
    "\\ln": " log ",
    "\\exp": " exp ",
}
_FUNCTIONS = {"sqrt", "pi", "oo", "sin", "cos", "tan", "log", "exp"}
_TRANSFORMS = (*standard_transformations, implicit_multiplication_application)


def answers_match(pred: str, gold: str) -> tuple[bool, str]:
    """(equal?, which check decided: `numeric`, `symbolic` or `text`)."""
    g, p = normalize(gold), normalize(pred)
    if ("=" in g) != ("=" in p):  # `x = 3` against `3`: compare the right-hand side
        g, p = (re.sub(r"^[a-zA-Z]\s*=\s*", "", s) for s in (g, p))
    gn, pn = to_number(g), to_number(p)
    if gn is not None and pn is not None:
        return abs(pn - gn) <= Fraction(REL_TOL) * abs(gn), "numeric"
    if _canon(p) == _canon(g):
        return True, "text"
    ge, pe = to_sympy(g), to_sympy(p)
    if ge is not None and pe is not None:
        return _symbolic_equal(pe, ge), "symbolic"
    return False, "text"


def normalize(s: str) -> str:
    """Strip delimiters, `\\text{}`-like wrappers, spacing commands, degrees, a trailing period.

    Example:
        >>> normalize("$\\\\text{Evelyn}$.")
        'Evelyn'
    """
    s = s.strip().replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac").replace("−", "-")
    s = s.replace("{,}", ",")
    for w in _WRAPPERS:
        s = _unwrap(s, w)
    s = re.sub(r"\\(?:left|right|displaystyle)(?![a-zA-Z])", "", s)
    for d in _DROP:
        s = s.replace(d, "")
    return s.strip().rstrip(".").strip()


def to_number(s: str) -> Fraction | None:
    """The exact value of a plain number, `a/b` or `\\frac{a}{b}`, or None.

    Example:
        >>> to_number("1,000"), to_number("-\\\\frac{3}{4}"), to_number("x")
        (Fraction(1000, 1), Fraction(-3, 4), None)
    """
    s = s.replace("\\%", "").replace("\\$", "").rstrip("%").strip().lstrip("$").replace(" ", "")
    if _THOUSANDS.fullmatch(s):
        s = s.replace(",", "")
    try:
        if _NUM.fullmatch(s):
            return Fraction(s)
        if "/" in s and s.count("/") == 1:
            a, b = s.split("/")
            return _ratio(a, b)
        m = _FRAC.fullmatch(s)
        if m:
            value = _ratio(m[2] or m[4], m[3] or m[5])
            return -value if value is not None and m[1] == "-" else value
    except ValueError:  # more digits than int() accepts
        return None
    return None


def to_sympy(s: str) -> sympy.Basic | None:
    """A sympy object for a normalized LaTeX answer, or None when it cannot be read.

    Example:
        >>> to_sympy("2\\\\sqrt{2}x^2")
        2*sqrt(2)*x**2
    """
    code = _latex_to_code(s)
    if code is None or not code.strip() or re.search(r"[^\w+\-*/(). ]", code) or "__" in code:
        return None
    names = set(re.findall(r"[A-Za-z_]\w*", code))
    if any(n not in _FUNCTIONS and not re.fullmatch(r"[A-Za-z](?:_\w+)?", n) for n in names):
        return None
    local = {n: sympy.Symbol(n) for n in names if n not in _FUNCTIONS}
    try:
        return parse_expr(code, local_dict=local, transformations=_TRANSFORMS)
    except (SyntaxError, TokenError, TypeError, ValueError, ZeroDivisionError, sympy.SympifyError):
        return None


def _symbolic_equal(a: sympy.Basic, b: sympy.Basic) -> bool:
    if not (isinstance(a, sympy.Expr) and isinstance(b, sympy.Expr)):
        return False
    symbols = sorted(a.free_symbols | b.free_symbols, key=str)
    agreed = 0
    for point in ((Fraction(37, 100), Fraction(113, 100)), (Fraction(-7, 3), Fraction(5, 2))):
        values = {
            x: sympy.Rational(point[i % 2].numerator, point[i % 2].denominator) + i
            for i, x in enumerate(symbols)
        }
        va, vb = _value(a, values), _value(b, values)
        if va is None or vb is None:
            continue
        if abs(va - vb) > REL_TOL * abs(vb) + 1e-12:
            return False
        agreed += 1
    if a.has(sympy.Float) or b.has(sympy.Float):
        return agreed > 0
    return bool(sympy.simplify(a - b) == 0)


def _value(e: sympy.Expr, values: dict) -> complex | None:
    """The expression's value at a point, or None where it is not a finite number there."""
    v = e.subs(values).evalf(30)
    if not v.is_number or v.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return None
    z = complex(v)
    return z if z == z and abs(z) != float("inf") else None


def _ratio(a: str, b: str) -> Fraction | None:
    a, b = a.strip(), b.strip()
    if not (_NUM.fullmatch(a) and _NUM.fullmatch(b)) or Fraction(b) == 0:
        return None
    return Fraction(a) / Fraction(b)


def _canon(s: str) -> str:
    s = re.sub(r"\s+", "", s).casefold()
    return s[1:-1] if s.startswith("{") and s.endswith("}") and _group(s, 0) == (s[1:-1], len(s)) else s


def _unwrap(s: str, command: str) -> str:
    """`\\text{abc}` → `abc` for every occurrence of `command` followed by a brace group."""
    i = s.find(command + "{")
    while i >= 0:
        inner = _group(s, i + len(command))
        if inner is None:
            break
        s = s[:i] + inner[0] + s[inner[1] :]
        i = s.find(command + "{", i)
    return s


def _group(s: str, i: int) -> tuple[str, int] | None:
    """(content, end) of the brace group starting at s[i] == "{", or None if it never closes."""
    depth = 0
    for j in range(i, len(s)):
        depth += {"{": 1, "}": -1}.get(s[j], 0)
        if depth == 0:
            return s[i + 1 : j], j + 1
    return None


def _arg(s: str, i: int) -> tuple[str, int] | None:
    """One LaTeX argument at s[i:] (after spaces): a brace group, a command, or one character."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        return None
    if s[i] == "{":
        return _group(s, i)
    m = re.match(r"\\[a-zA-Z]+", s[i:])
    return (m[0], i + len(m[0])) if m else (s[i], i + 1)


def _latex_to_code(s: str) -> str | None:
    """LaTeX → sympy-parsable text, or None for commands it does not know."""
    out, i = [], 0
    while i < len(s):
        if s.startswith("\\frac", i) or s.startswith("\\sqrt", i) or s[i] in "^_":
            cmd = s[i] if s[i] in "^_" else s[i : i + 5]
            i += len(cmd)
            index = None
            if cmd == "\\sqrt" and s.startswith("[", i) and "]" in s[i:]:
                end = s.index("]", i)
                index, i = _latex_to_code(s[i + 1 : end]), end + 1
            args = []
            for _ in range(2 if cmd == "\\frac" else 1):
                arg = _arg(s, i)
                if arg is None:
                    return None
                code = _latex_to_code(arg[0])
                if code is None:
                    return None
                args.append(code)
                i = arg[1]
            if cmd == "\\frac":
                out.append(f"(({args[0]})/({args[1]}))")
            elif cmd == "\\sqrt":
                out.append(f"(({args[0]})**(1/({index})))" if index else f"sqrt({args[0]})")
            elif cmd == "^":
                out.append(f"**({args[0]})")
            elif not re.fullmatch(r"\w+", args[0]):
                return None
            else:
                out.append(f"_{args[0]}")
        elif s[i] == "\\":
            m = re.match(r"\\[a-zA-Z]+", s[i:])
            if m is None or m[0] not in _COMMANDS:
                return None
            out.append(_COMMANDS[m[0]])
            i += len(m[0])
        else:
            out.append({"{": "(", "}": ")"}.get(s[i], s[i]))
            i += 1
    return "".join(out)
