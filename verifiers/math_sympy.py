"""The sympy side of an answer: a normalized LaTeX answer → a sympy expression, safely.

`to_sympy` reads a cleaned answer (see `s2s1.verifiers.math_latex.normalize`) with a small
LaTeX converter (`\\frac`, `\\sqrt[n]`, `^`, `\\binom`, `!`, `\\cdot`, `\\times`, `\\div`, `|x|`,
`\\pi`, `\\infty`, `i` as the imaginary unit, trig and log functions) and sympy's parser with
evaluation off. Only whitelisted names reach the parser (ASCII only: Python folds look-alike
letters into names), so model text is never evaluated as Python; answers longer than
`MAX_SYMPY_CHARS`, nested deeper than 40 braces, or whose value has more than `MAX_DIGITS`
digits (`10^{10^{10}}`, `100000!`) are refused (None), so no later step can hang on them.

It does not read sets, intervals, equations or matrices (see `s2s1.verifiers.math_parse`), it
does not clean the text first, and it is not `sympy.parsing.latex` (that needs antlr and
evaluates eagerly).

Example:
    >>> to_sympy("2\\\\sqrt{2}x^2"), to_sympy("\\\\mathcal{Q}")
    (2*sqrt(2)*x**2, None)
"""

from __future__ import annotations

import builtins
import re
import types
import warnings

import sympy
from sympy.parsing.sympy_parser import (
    implicit_multiplication_application,
    parse_expr,
    standard_transformations,
)

from s2s1.verifiers.math_latex import depth, group

__all__ = ["MAX_DIGITS", "MAX_SYMPY_CHARS", "to_sympy"]

MAX_SYMPY_CHARS = 400
MAX_DIGITS = 10000
_GLOBALS: dict[str, object] = {}  # what `parse_expr` builds on each call without one (most of its time)
exec("from sympy import *", _GLOBALS)
_GLOBALS |= {k: v for k, v in vars(builtins).items() if isinstance(v, types.BuiltinFunctionType)}
_GLOBALS |= {"max": sympy.Max, "min": sympy.Min}
_COMMANDS = {
    "\\cdot": "*", "\\times": "*", "\\ast": "*", "\\div": "/", "\\pi": " pi ", "\\infty": " oo ",
    "\\sin": " sin ", "\\cos": " cos ", "\\tan": " tan ", "\\cot": " cot ", "\\sec": " sec ",
    "\\csc": " csc ", "\\arcsin": " asin ", "\\arccos": " acos ", "\\arctan": " atan ",
    "\\arccot": " acot ", "\\arcsec": " asec ", "\\arccsc": " acsc ",
    "\\log": " log ", "\\ln": " log ", "\\exp": " exp ", "\\lfloor": " floor( ", "\\rfloor": " ) ",
    "\\lceil": " ceiling( ", "\\rceil": " ) ",
}  # fmt: skip
_GREEK = {
    "alpha",
    "beta",
    "gamma",
    "delta",
    "theta",
    "phi",
    "varphi",
    "lambda",
    "mu",
    "sigma",
    "omega",
    "rho",
    "tau",
}
_FUNCTIONS = {"sqrt", "pi", "oo", "sin", "cos", "tan", "cot", "sec", "csc", "asin", "acos", "atan"}
_FUNCTIONS |= {"log", "exp", "binomial", "Abs", "floor", "ceiling", "acot", "asec", "acsc"}
_APPLIED = {"\\sin", "\\cos", "\\tan", "\\cot", "\\sec", "\\csc", "\\log", "\\ln", "\\exp"}
_APPLIED |= {"\\arcsin", "\\arccos", "\\arctan", "\\arccot", "\\arcsec", "\\arccsc"}
_SHORT_NAME = re.compile(
    r"(?<![A-Za-z_.])[A-Za-z]{2,3}(?![A-Za-z_])"
)  # `xy` in `2xy + 1`: a product of letters
_TOUCHES = set("+-*/()0123456789")


def _letters(m: re.Match[str]) -> str:
    """`xy` → `x y` where a short run of letters touches an operator or a digit (`ax+ay`, `2xy`), or
    stands as a term of a sum (`km + kn`), so it reads as a product; a word set apart by spaces
    (`5 cm`) or a known name stays."""
    name, code = m[0], m.string
    before, after = code[m.start() - 1 : m.start()], code[m.end() : m.end() + 1]
    glued = before in _TOUCHES and before or after in _TOUCHES and after and code[m.end() :][:2] != "**"
    left, right = code[: m.start()].rstrip()[-1:], code[m.end() :].lstrip()
    spaced = left in ("+", "-", "=") or right[:1] in ("+", "-", "=")  # `km + kn`: terms of a sum
    if name in _FUNCTIONS | _GREEK or not (glued or spaced):  # `4\pi cm^2`: a unit after a space, not `c m^2`
        return name
    return " ".join(name)


_TRANSFORMS = (*standard_transformations, implicit_multiplication_application)


def to_sympy(s: str) -> sympy.Expr | None:
    """A sympy expression for a normalized answer, or None when it cannot be read safely.

    Example:
        >>> to_sympy("\\\\frac{1}{2004!}") == 1 / sympy.factorial(2004), to_sympy("10^{10^{10}}")
        (True, None)
    """
    if len(s) > MAX_SYMPY_CHARS or depth(s) > 40:
        return None
    code = _latex_to_code(s)
    if (
        code is None
        or not code.isascii()
        or not code.strip()
        or re.search(r"[^\w+\-*/().,! ]", code)
        or "__" in code
    ):
        return None
    code = _SHORT_NAME.sub(_letters, code)
    names = set(re.findall(r"[A-Za-z_]\w*", code))
    if any(n not in _FUNCTIONS | _GREEK and not re.fullmatch(r"[A-Za-z](?:_\w+)?", n) for n in names):
        return None
    local: dict[str, object] = {n: sympy.Symbol(n) for n in names if n not in _FUNCTIONS}
    if "i" in local:
        local["i"] = sympy.I
    if "e" in local:
        local["e"] = sympy.E
    local["binomial"], local["Abs"] = sympy.binomial, sympy.Abs
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # sympy's deprecation notes on odd input
            expr = parse_expr(code, local, _TRANSFORMS, _GLOBALS, evaluate=False)
            if not isinstance(expr, sympy.Expr) or _too_big(expr):
                return None
            value = parse_expr(code, local, _TRANSFORMS, _GLOBALS)  # now safe to evaluate
        return value if isinstance(value, sympy.Expr) else None
    except Exception:  # sympy's parser fails in many ways (IndexError on `y)A{`…): unreadable
        return None


def _too_big(expr: sympy.Basic) -> bool:
    """Whether evaluating `expr` exactly could produce a number of more than MAX_DIGITS digits."""
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Pow) and node.exp.is_number:
            e = abs(sympy.N(node.exp, 15))
            digits = e * sympy.log(abs(sympy.N(node.base, 15)) + 2, 10) if node.base.is_number else e
            if not bool(sympy.N(digits, 15) <= MAX_DIGITS):
                return True
        elif isinstance(node, sympy.factorial) and node.args[0].is_number:
            if not bool(abs(sympy.N(node.args[0], 15)) <= 3000):
                return True
        elif isinstance(node, sympy.Integer) and node.p.bit_length() > 3.33 * MAX_DIGITS:
            return True
    return False


def _arg(s: str, i: int) -> tuple[str, int] | None:
    """One LaTeX argument at s[i:] (after spaces): a brace group, a command, or one character."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        return None
    if s[i] == "{":
        return group(s, i)
    m = re.match(r"\\[a-zA-Z]+", s[i:])
    return (m[0], i + len(m[0])) if m else (s[i], i + 1)


def _paren_end(s: str, i: int) -> int | None:
    """The index of the `)` closing a `(` that opens s[i:] after spaces, or None."""
    j = len(s) - len(s[i:].lstrip(" "))
    if not s.startswith("(", j):
        return None
    level = 0
    for k in range(j, len(s)):
        level += {"(": 1, ")": -1}.get(s[k], 0)
        if level == 0:
            return k
    return None


def _latex_to_code(s: str) -> str | None:
    """LaTeX → sympy-parsable text, or None for commands it does not know."""
    s = re.sub(r"\|([^|]+)\|", r" Abs(\1)", s)  # `a|x|` is a*Abs(x)
    out, i = [], 0
    while i < len(s):
        cmd = next((c for c in ("\\frac", "\\sqrt", "\\binom", "^", "_") if s.startswith(c, i)), None)
        if cmd is not None:
            i += len(cmd)
            index = None
            if cmd == "\\sqrt" and s.startswith("[", i) and "]" in s[i:]:
                end = s.index("]", i)
                index, i = _latex_to_code(s[i + 1 : end]), end + 1
            args, paren = [], None
            close = _paren_end(s, i) if cmd == "^" else None
            if close is not None:
                paren = _latex_to_code(s[s.index("(", i) + 1 : close])
                if paren is None:
                    return None
                args, i = ["()"], close + 1
            for _ in range(0 if close is not None else 2 if cmd in ("\\frac", "\\binom") else 1):
                arg = _arg(s, i)
                code = None if arg is None else _latex_to_code(arg[0])
                if arg is None or code is None:
                    return None
                args.append(code)
                i = arg[1]
            if cmd == "\\frac":
                out.append(f"(({args[0]})/({args[1]}))")
            elif cmd == "\\binom":
                out.append(f" binomial({args[0]},{args[1]})")
            elif cmd == "\\sqrt":
                out.append(f"(({args[0]})**(1/({index})))" if index else f" sqrt({args[0]})")  # `x\sqrt{x}`
            elif cmd == "^" and paren is not None:  # `y^(2 x)`: the exponent in parentheses
                out.append(f"**({paren})")
            elif cmd == "^":
                out.append(f"**({args[0]})")
            elif not re.fullmatch(r"\w+", args[0]):
                return None
            else:
                out.append(f"_{args[0]}")
        elif s.startswith("\\log_", i):  # \log_2 8, \log_{b}(x)
            base = _arg(s, i + 5)
            digits = re.match(r"\s*(\d+(?:\.\d+)?)", s[base[1] :]) if base else None
            value = (
                (digits[1], base[1] + digits.end()) if base and digits else _arg(s, base[1]) if base else None
            )
            if base is None or value is None:
                return None
            if value[0] == "(" and ")" in s[value[1] :]:
                end = s.index(")", value[1])
                value = (s[value[1] : end], end + 1)
            b, x = _latex_to_code(base[0]), _latex_to_code(value[0])
            if b is None or x is None:
                return None
            out.append(f" log(({x}),({b})) ")
            i = value[1]
        elif s[i] == "\\":
            m = re.match(r"\\[a-zA-Z]+", s[i:])
            if m is None or (m[0] not in _COMMANDS and m[0][1:] not in _GREEK):
                return None
            out.append(_COMMANDS.get(m[0], f" {m[0][1:]} "))
            i += len(m[0])
            if m[0] in _APPLIED:  # `\sin b \cos a`: a function takes the one token after it
                token = re.match(r"\s*(\\[a-zA-Z]+|[a-zA-Z]|\d+(?:\.\d+)?)(?![a-zA-Z])", s[i:])
                code = _latex_to_code(token[1]) if token else None
                if token and code is not None:
                    out.append(f"({code})")
                    i += token.end()
        else:
            out.append({"{": "(", "}": ")"}.get(s[i], s[i]))
            i += 1
    return "".join(out)
