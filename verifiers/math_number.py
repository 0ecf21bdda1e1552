"""Read a plain number exactly, without sympy: integers, decimals, fractions, percentages, units.

`to_number(text)` understands `-12`, `0.50`, `1,000`, `1 000`, `1.5e3`, `1.5 \\times 10^{3}`,
`3/4`, `\\frac{3}{4}`, `\\frac34`, mixed numbers (`2\\frac{1}{2}`, `2 1/2`, `4 4/9`: a slash
fraction needs the space, so `40/9` is not `4 0/9`), repeating decimals (`0.\\overline{3}`),
number words `zero` to `twenty`, a currency sign (`$`, `€`, `£`, `USD`), a percent sign
(`50\\%`, `50 percent`; remembered, not divided away), a decimal comma where it cannot be a
thousands separator or a list (`2,74`, `0,111`), and a trailing unit word (`18 dollars`,
`5 cm^2`, `3 km/h`; one letter is a variable: `3R^2`, and so are one or two lower-case letters
glued to the number: `10cm` is not read, as MARIO_EVAL's tests grade it; `10weeks` is `10`; but
an SI symbol set apart by a space, `12 N`, `12 J` (`SYMBOLS`), is a unit, and letters that are all
variables are a product: `12 x y` is not read).
The value is an exact `Fraction`; `decimals` is how many digits followed the decimal point
(None for integers and fractions; `2.31 \\times 10^{-3}` has 5), so that a comparison can tell a
rounded gold from an exact one.

It does not read expressions (`2\\sqrt{3}`, `2^{10}`; see `s2s1.verifiers.math_sympy`), ratios
or times (`1:2`, `12:30` stay text), and it does not convert units (`1 km` is not `1000 m`).

Example:
    >>> to_number("\\\\$1,234.50")
    Num(value=Fraction(2469, 2), decimals=2, percent=False, text='\\\\$1,234.50', unit='')
    >>> to_number("2\\\\frac{1}{2}").value, to_number("50\\\\%").percent, to_number("x")
    (Fraction(5, 2), True, None)
    >>> to_number("40/9").value, to_number("4 4/9").value, to_number("0.\\\\overline{3}").value
    (Fraction(40, 9), Fraction(40, 9), Fraction(1, 3))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["SYMBOLS", "Num", "to_number"]


@dataclass(frozen=True)
class Num:
    value: Fraction
    decimals: int | None
    percent: bool
    text: str
    unit: str = ""  # the unit word(s) read off after the number, canonical (`cm^2`, `dollars`)


_D = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)(?:\.\d*)?|\.\d+"
_REAL = re.compile(
    rf"([+-]?)({_D})(?:\s*(?:[eE]|\\times\s*10\s*\^|\\cdot\s*10\s*\^|\*\s*10\s*\*\*)\s*\{{?([+-]?\d{{1,4}})\}}?)?"
)
_DECIMAL_COMMA = re.compile(r"[+-]?(?:0,\d+|[1-9]\d*,(?:\d\d|\d{4,}))")
_FRAC = re.compile(r"\\frac\s*(?:\{\s*([+-]?\d+)\s*\}|(\d))(?:\{\s*([+-]?\d+)\s*\}|(\d))")
_MIXED = re.compile(r"(\d{1,3}(?: \d{3})+|\d+)(?:\s*(?=\\frac)|[ \t]+(?=\d+\s*/))")
_REPEATING = re.compile(r"([+-]?)(\d*)\.(\d*)\\overline\{?(\d+)\}?")
_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split()
)
_WORDS += "sixteen seventeen eighteen nineteen twenty".split()
_SLASH = re.compile(r"([+-]?\d+)\s*/\s*(\d+)")
_WORD = r"[a-zA-Z][a-zA-Z.]*(?:\^\{?[23]\}?)?(?:\s*/\s*[a-zA-Z]+(?:\^\{?[23]\}?)?)?"  # `cm^2`, `km/h`
_UNIT = re.compile(
    rf"(?<=[\d}}.%\s])\s*{_WORD}(?:\s+{_WORD})*$"
)  # a trailing unit, after a number, a closing brace or a space
_NOT_UNITS = {"pi", "i", "e", "sqrt", "x", "y", "z", "n", "k", "a", "b", "c", "d", "t", "r", "m", "s"}
SYMBOLS = frozenset("N J W V K".split())  # one-letter SI units that a space sets apart: `12 N`, not `12N`
_CURRENCY = ("\\$", "$", "€", "£", "¥", "\\euro", "\\pounds", "USD", "usd", "Rs.", "Rs", "₹")


def to_number(text: str) -> Num | None:
    """The exact value of a plain number (see the module docstring), or None."""
    s = text.strip()
    percent = False
    for sign in ("\\%", "%", "percentage", "percent", "pct"):
        if s.endswith(sign):
            s, percent = s[: -len(sign)].strip(), True
            break
    for c in _CURRENCY:
        s = s.replace(c, "")
    s = s.strip()
    unit = _UNIT.search(s)
    glued = unit if unit and unit.start() > 0 and s[unit.start() - 1].isdigit() else None
    if glued and re.fullmatch(r"[a-z]{1,2}", glued[0]):  # `10cm`, `10m`: letters glued on are variables
        return None
    unit_text = ""
    marked = unit is not None and unit[0].startswith("\u2009")  # a thin space: `\text{N}` was a unit
    if unit and unit.start() > 0 and (marked or _is_unit(unit[0], unit[0][:1].isspace())):
        s, unit_text = s[: unit.start()].strip(), " ".join(unit[0].split()).casefold()
        if s.endswith("\\%") or s.endswith("%"):
            s, percent = s.rstrip("%").removesuffix("\\").strip(), True
    try:
        value, decimals = _read(s)
    except (ValueError, ZeroDivisionError, OverflowError):  # e.g. more digits than int() accepts
        return None
    if value is None:
        return None
    return Num(value, decimals, percent, text.strip(), unit_text)


def _read(s: str) -> tuple[Fraction | None, int | None]:
    if s.lower() in _WORDS:  # `five`
        return Fraction(_WORDS.index(s.lower())), None
    m = _REPEATING.fullmatch(s)
    if m:  # `0.\overline{3}` is 1/3, `1.2\overline{45}` is 1.2454545…
        head, rep = m[2] + m[3], m[4]
        value = Fraction(int(head + rep) - int(head or "0"), 10 ** len(m[3]) * (10 ** len(rep) - 1))
        return (-value if m[1] == "-" else value), None
    m = _DECIMAL_COMMA.fullmatch(s)
    if m:  # `2,74`, `1000,99`, `0,111`: a decimal comma (`1,234` is thousands, `1,2` a list)
        s = s.replace(",", ".")
    m = _REAL.fullmatch(s)
    if m:
        mantissa = m[2].replace(",", "").replace(" ", "")
        value = Fraction(mantissa) * (10 ** int(m[3]) if m[3] else 1)
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else None
        if decimals is not None and m[3]:  # `2.31 \times 10^{-3}` is given to 5 decimals
            decimals = max(0, decimals - int(m[3]))
        return (-value if m[1] == "-" else value), decimals
    sign = -1 if s.startswith("-") else 1
    body = s[1:].strip() if s[:1] in "+-" else s
    whole = _MIXED.match(body)  # a mixed number: 2\frac{1}{2}, 2 1/2 (a space before a slash fraction)
    rest = body[whole.end() :] if whole else body
    m = _FRAC.fullmatch(rest)
    pair = (m[1] or m[2], m[3] or m[4]) if m else None
    m2 = _SLASH.fullmatch(rest) if pair is None else None
    if m2:
        pair = (m2[1], m2[2])
    if pair is None:
        return None, None
    frac = Fraction(int(pair[0]), int(pair[1]))
    if whole:
        whole_value = int(whole[1].replace(" ", ""))
        if frac < 0 or frac >= 1:
            return None, None
        frac += whole_value
    return sign * frac, None


def _is_unit(tail: str, spaced: bool) -> bool:
    """A trailing word that names a unit or a thing (`cm`, `dollars`, `N m`, a spaced `N`), not
    variables or constants (`3R^2`, `5x`, `2 pi`, `12 x y`)."""
    words = re.findall(r"[a-zA-Z]+", tail)
    if len(words) == 1 and len(words[0]) == 1:  # `12 N`, but `3R^2`, `12N`, `5 x`
        return spaced and words[0] in SYMBOLS
    if all(len(w) == 1 and w not in SYMBOLS or w in _NOT_UNITS for w in words):  # maths: `3R^2`, `12 x y`
        return False
    return bool(words) and "e" not in words[:1]
