"""LaTeX text of a final answer → cleaned text: what never changes an answer's value goes.

`normalize` strips math delimiters, `\\left`/`\\right`, spacing commands, `\\text{}`-like wrappers,
`\\dfrac`, a trailing period, comma or semicolon, degree signs (inside a trigonometric function
they become radians: `\\sin 30^\\circ` is `\\sin (30\\pi/180)`), quotes around the whole answer
(`"5"`) and a stray trailing backslash (`185\\`); it spells `\\sin^{-1}` as `\\arcsin`; it undoes
doubled backslashes written by an extra escape (`\\\\frac` → `\\frac`, but a matrix's `\\\\` row
break stays), joins thousands groups written `12,\\!345`, marks a one-to-three-letter `\\text{}`
after a number as a unit (`12\\,\\text{N}` → `12` and a thin space before `N`, which
`s2s1.verifiers.math_number` reads as a unit), and maps full-width punctuation (`（42）`, `：`) to ASCII.
`group` and `depth` are the brace helpers the readers share.

It does not evaluate anything (see `s2s1.verifiers.math_sympy.to_sympy`) or read the
structure of an answer (see `s2s1.verifiers.math_parse`).

Example:
    >>> normalize("$\\\\text{Evelyn}$."), normalize("\\\\\\\\left( 1, 2 \\\\\\\\right)")
    ('Evelyn', '( 1, 2 )')
    >>> normalize("32,\\\\! 349"), normalize("（42）")
    ('32,349', '(42)')
"""

from __future__ import annotations

import re

__all__ = ["depth", "group", "normalize"]

_WRAPPERS: tuple[str, ...] = ("\\text", "\\textbf", "\\textit", "\\textrm", "\\mathrm", "\\mathbf", "\\mbox")
_WRAPPERS += ("\\boxed", "\\operatorname", "\\mathit", "\\textnormal", "\\hbox", "\\fbox")
_DROP = ("\\!", "\\,", "\\;", "\\:", "\\ ", "~", "\\quad", "\\qquad", "\\$", "$", "\\(", "\\)", "\\[", "\\]")
_DEGREES = re.compile(r"\^\s*\{?\\circ\}?|°|\\degree|\^\s*\{\\text\{o\}\}")
_TRIG = re.compile(r"\\(?:sin|cos|tan|cot|sec|csc)(?![a-z])|(?<![a-z\\])(?:sin|cos|tan)(?=\s*\()")
_TEXT_UNIT = re.compile(  # a short unit in `\text{}` right after a number: `12\,\text{N}`, `5\text{cm}`
    r"(?<=[\d}])\s*(?:\\[,;:! ]|~|\\quad)*\s*\\(?:text|mathrm|textrm|rm)\{\s*"
    r"(?!(?:and|or|to|for|if|of|is|at|by)\s*\})([a-zA-Z]{1,3}(?:/[a-zA-Z]{1,3})?)\s*\}"
)
_TRAILING = re.compile(r"\s*[,;]\s*$")
_POWER_OF_FUNCTION = re.compile(
    r"\\(sin|cos|tan|cot|sec|csc|log|ln)\^\{?(\d)\}?\s*(\([^()]*\)|\{[^{}]*\}|\\?[a-zA-Z0-9]+)"
)
_INVERSE_TRIG = re.compile(r"\\(sin|cos|tan|cot|sec|csc)\s*\^\s*\{?\s*-\s*1\s*\}?")  # \sin^{-1} is \arcsin
_ARC_WORD = re.compile(r"(?<![\\a-zA-Z])arc(sin|cos|tan|cot|sec|csc)(?![a-zA-Z])")  # `\operatorname{arcsin}`
_QUOTED = re.compile(r"\"([^\"]+)\"|'([^']+)'|“([^”]+)”|‘([^’]+)’|``([^']+)''")
_UNICODE = {"√": "\\sqrt", "π": "\\pi ", "∞": "\\infty ", "×": "\\times ", "·": "\\cdot ", "\\langle": "("}
_UNICODE |= {"\\rangle": ")", "⟨": "(", "⟩": ")"}
_PLAIN = re.compile(r"[\w ,+\-]*\.?", re.ASCII)
_FULL_WIDTH = str.maketrans("（）［］：，．；！", "()[]:,.;!")
_DOUBLED = re.compile(
    r"(?<!\\)\\\\(?=(?:[dtc]?frac|sqrt|left|right|le|leq|ge|geq|lt|gt|ne|neq|cdot|times|div|pi|infty|"
    r"text|textbf|mathrm|mbox|boxed|in|cup|cap|pm|mp|circ|degree|sin|cos|tan|log|ln|exp|binom|"
    r"alpha|beta|gamma|theta|lambda|mu|sigma|omega|phi|approx|emptyset|varnothing|dots|ldots|"
    r"begin|end|mathbb|mathcal|sum|prod|int|\{|\}|%|\$)(?![a-zA-Z]))"
)


def normalize(s: str) -> str:
    """Strip delimiters, wrappers, spacing commands, degrees, a trailing period.

    Example:
        >>> normalize("\\\\left( 3, \\\\dfrac{\\\\pi}{2} \\\\right)."), normalize("90^\\\\circ")
        ('( 3, \\\\frac{\\\\pi}{2} )', '90')
    """
    if _PLAIN.fullmatch(s):  # nothing to clean: digits, letters, signs, commas
        return s.strip().rstrip(",;").rstrip().rstrip(".").strip()
    s = _DOUBLED.sub(r"\\", s.translate(_FULL_WIDTH))  # `\\frac` written with an extra escape
    s = re.sub(r"(\d),\\!\s*(?=\d{3})", r"\1,", s)  # `12,\! 345` is one number
    s = s.strip().replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac").replace("\\cfrac", "\\frac")
    s = s.replace("−", "-").replace("\\lt", "<").replace("\\gt", ">")
    for plain, latex in _UNICODE.items():
        s = s.replace(plain, latex)
    s = s.replace("{,}", ",").replace("\\{", "\u27e8").replace("\\}", "\u27e9")  # keep set braces apart
    s = _TEXT_UNIT.sub(lambda m: "\u2009" + m[1], s)  # `12\,\text{N}`: a unit, even of one letter
    for w in _WRAPPERS:
        s = _unwrap(s, w)
    s = re.sub(r"\\(?:left|right|big|Big|bigg|Bigg|displaystyle)(?![a-zA-Z])\s*", "", s)
    if _TRIG.search(s):  # `\sin(90^\circ - x)`: degrees inside a trigonometric function are radians
        s = re.sub(rf"(\d+(?:\.\d+)?)\s*(?:{_DEGREES.pattern})", r"(\1\\pi/180)", s)
    s = _DEGREES.sub("", s)
    s = s.replace("\\\\", "\u2063")  # keep a matrix's row breaks apart from `\ `
    for d in _DROP:
        s = s.replace(d, "")
    s = s.replace("\u2063", "\\\\")
    s = re.sub(r"\\(?:le|leqslant)(?![a-zA-Z])", "\\\\leq", s)
    s = re.sub(r"\\(?:ge|geqslant)(?![a-zA-Z])", "\\\\geq", s)
    s = re.sub(r"\\(?:varnothing|O)(?![a-zA-Z])|∅", "\\\\emptyset", s)
    s = s.replace("≤", "\\leq").replace("≥", "\\geq").replace("\\ne ", "\\neq ").replace("≠", "\\neq")
    s = _INVERSE_TRIG.sub(r"\\arc\1 ", s)
    s = _ARC_WORD.sub(r"\\arc\1 ", s)
    s = _POWER_OF_FUNCTION.sub(r"(\\\1 \3)^{\2}", s)  # \sin^2 x → (\sin x)^{2}
    s = s.replace("\u27e8", "\\{").replace("\u27e9", "\\}")
    s = _TRAILING.sub("", s).rstrip(".").strip()  # `\frac{1}{3},` (but `1, 2, \ldots` keeps its comma)
    if s.endswith("\\") and not s.endswith("\\\\"):  # `185\`: a stray backslash left by a cut escape
        s = s[:-1].strip()
    quoted = _QUOTED.fullmatch(s)  # a gold written in quotes: `"5"`, `“x^2+1”`
    return next(g for g in quoted.groups() if g is not None).strip() if quoted else s


def group(s: str, i: int) -> tuple[str, int] | None:
    """(content, end) of the brace group starting at s[i] == "{", or None if it never closes."""
    depth = 0
    for j in range(i, len(s)):
        depth += {"{": 1, "}": -1}.get(s[j], 0)
        if depth == 0:
            return s[i + 1 : j], j + 1
    return None


def depth(s: str) -> int:
    """How deeply braces and parentheses nest in `s`."""
    level = best = 0
    for c in s:
        level += {"{": 1, "(": 1, "}": -1, ")": -1}.get(c, 0)
        best = max(best, level)
    return best


def _unwrap(s: str, command: str) -> str:
    """`\\text{abc}` → `abc` for every occurrence of `command` followed by a brace group."""
    i = s.find(command + "{")
    while i >= 0:
        inner = group(s, i + len(command))
        if inner is None:
            break
        s = s[:i] + inner[0] + s[inner[1] :]
        i = s.find(command + "{", i)
    return s
