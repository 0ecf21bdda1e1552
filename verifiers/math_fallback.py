"""The final answer of a text that has no box, phrase or `####`: the last number, span or letter.

`fallback(text, mode)` reads the last item of a text, from its end:
- `"last number"` (a plain-number gold): the last number outside maths spans (`-3`, `.5`,
  `1,234.50`, `4 4/9`, `28%`, `25 percent`), unless a maths span ends after it and reads as a
  number, an expression or an assignment (`…is $\\frac{10}{9}$` is `\\frac{10}{9}`, not `9`);
  a span that reads as something else gives its own last number when it is plain text (GSM8K's
  `$2 = $` between two dollar signs), and is the answer when it has structure (`$D = (0, 1)$`);
- `"last maths span"`: the content of the last `$…$`, `$$…$$`, `\\[…\\]` or `\\(…\\)`; but a
  last sentence written without `$` that ends on "is"/"equals"/"=" and plain maths ("The
  derivative is 2x.", "So f'(x) = 3 cos x") gives that maths (`last sentence`), after a span
  only when it is an expression, not a bare number ("… is $2x$. Its degree is 1." is `2x`);
- `"choice"` (a letter gold): a letter that opens the text (`A. because …`, `(B) since …`),
  or the last "option C" / "choice C"; else the last maths span.
With `skip_unreadable`, a span whose LaTeX cannot be read (`\\sum_{k=0}^n\\bigl(k\\bigr)`,
`\\mathcal{Q}`) is passed over for the item before it, and so are the numbers inside it.
A condition that ends the text after the answer is not read in either mode: "… is $2x$ for
every real $x$", "… is $\\frac{1}{2}$, since there are $2$ outcomes" (the first "since",
"because", "when", "if", "for all/every" … after a maths span in the last sentence, unless
"so", "thus", "hence", "therefore" or "then" follows it there).
`unreadable(answer)` is that test. Returns (answer, how) or None.

It does not look for boxes or phrases (see `s2s1.verifiers.math_extract`) and never reads a
letter out of prose unless asked to.

Example:
    >>> fallback("So the ratio is $\\\\frac{10}{9}$.", "last number")
    ('\\\\frac{10}{9}', 'last maths span')
    >>> fallback("$\\\\sum_{k=0}^n\\\\bigl(k\\\\bigr)$, so 42 in all", "last number")
    ('42', 'last number')
    >>> fallback("A. since x > 0", "choice"), fallback("Option (C) is the one.", "choice")
    (('A', 'choice'), ('C', 'choice'))
"""

from __future__ import annotations

import re

from s2s1.verifiers.math_parse import Choice, Expr, Matrix, Num, Rel, Seq, Text, Value, parse_recent

__all__ = ["MATH_SPAN", "NUMBER", "fallback", "span_content", "unreadable"]

MATH_SPAN = re.compile(
    r"\$\$(.+?)\$\$|(?<!\\)\$((?:\\\$|[^$\n])+?)(?<!\\)\$|\\\(([^\n]+?)\\\)|\\\[(.+?)\\\]", re.DOTALL
)
NUMBER = re.compile(
    r"(?<![A-Za-z_\d.])-?(?:\d[\d,]*(?:\.\d+)?(?:[ \t]+\d+[ \t]*/[ \t]*\d+|[ \t]*/[ \t]*\d+)?|\.\d+)"
    r"(?:[ \t]*(?:\\?%|percent\b|pct\b))?"
)
_DIGITS = re.compile(r"-?\d[\d,]{0,300}(?:\.\d{1,300})?")
_STRUCTURE = re.compile(r"[\\()\[\]{}^_&<>]")
_LEADING_LETTER = re.compile(r"\W{0,4}(?:\(([A-J])\)|([A-J])(?:[.:)]|\s*$|\s+(?:because|since|as)\b))")
_OPTION = re.compile(r"\b(?:option|choice)\s*\(?([A-J])\)?(?![\w(])", re.IGNORECASE)
_CONDITION = re.compile(  # "…, since …", "… for every real $x$", unless "so"/"then" … follows it
    r"(?:,\s*|\s+)(?:since|because|when|whenever|if|unless|provided|assuming|given that"
    r"|for (?:all|every|each|any))\b(?![^.\n]*\b(?:so|thus|hence|therefore|then)\b)",
    re.IGNORECASE,
)
_BREAK = re.compile(r"[.!?](?=\s)|\n")
_FUNCTION = re.compile(r"(?<![A-Za-z])(sin|cos|tan|ln|log|exp)(?![A-Za-z])")
_SAYS = re.compile(r".*(?:\s(?:is|are|equals|be)\s|=)", re.DOTALL)  # up to the last "is" or "="
_PLAIN = re.compile(  # digits, operators and one-letter variables or a few function names, no words
    r"(?:\d+(?:\.\d+)?|(?<![A-Za-z])(?:sin|cos|tan|ln|log|exp|sqrt|pi|[A-Za-z])(?![A-Za-z])|[-+*/^()' ])+"
)
Span = tuple[int, int, str]  # (start, end, content)


def span_content(m: re.Match[str]) -> str:
    return next(g for g in m.groups() if g is not None).strip()


def unreadable(answer: str) -> bool:
    """Whether the answer's LaTeX cannot be read: it parses only as text with commands left in."""
    if _DIGITS.fullmatch(answer):  # a plain number (GSM8K's answers) is read: no need to parse it
        return False
    value = parse_recent(answer)
    return value is None or isinstance(value, Text) and "\\" in value.text


def fallback(text: str, mode: str, *, skip_unreadable: bool = True) -> tuple[str, str] | None:
    """(answer, how) for the last item of `text` in this mode, or None; see the module docstring."""
    if mode == "choice":
        lead = _LEADING_LETTER.match(text.lstrip())
        options = _OPTION.findall(text)
        if lead or options:
            return (lead[1] or lead[2]) if lead else options[-1].upper(), "choice"
        mode = "last maths span"
    spans = [(m.start(), m.end(), span_content(m)) for m in MATH_SPAN.finditer(text)]
    spans = [s for s in spans if s[2]]
    cut = _before_condition(text, spans)  # "$2x$ for every real $x$": the condition is no answer
    text, spans = text[:cut], [s for s in spans if s[1] <= cut]
    whole = text.strip()
    if not spans and "\n" not in whole and len(whole) <= 200:  # the text is just the answer: `(1, 2)`
        value = parse_recent(whole)
        if _no_text(value) and (mode != "last number" or _a_value(value, whole)):  # `4 4/9 2` is 2
            return whole, "whole text"
    if mode == "last maths span":
        plain = _plain_sentence(text[spans[-1][1] if spans else 0 :], after_span=bool(spans))
        if plain:
            return plain, "last sentence"
        for _, _, content in reversed(spans):
            if not (skip_unreadable and unreadable(content)):
                return content, "last maths span"
        return None
    return _last_number(text, spans, skip_unreadable)


def _before_condition(text: str, spans: list[Span]) -> int:
    """Where a condition after the answer begins, or len(text): in the last sentence, the first
    "since", "because", "when", "if", "for every" … that follows a maths span, unless "so",
    "thus", "then" … come after it in that sentence (the answer is then still to come)."""

    def inside(i: int) -> bool:
        return any(a <= i < b for a, b, _ in spans)

    end = len(text.rstrip().rstrip(".!").rstrip())
    breaks = [m.end() for m in _BREAK.finditer(text, 0, end) if not inside(m.start())]
    start = breaks[-1] if breaks else 0
    for m in _CONDITION.finditer(text, start, end):
        if not inside(m.start()) and any(start <= b <= m.start() for _, b, _ in spans):
            return m.start()
    return len(text)


def _plain_sentence(text: str, *, after_span: bool) -> str | None:
    """The plain maths a last sentence without `$` ends on after "is"/"equals"/"=", or None."""
    line = text.rstrip().rsplit("\n", 1)[-1].rstrip().rstrip(".!").rstrip()
    breaks = [m.end() for m in _BREAK.finditer(line)]
    sentence = line[breaks[-1] :] if breaks else line
    if not (says := _SAYS.match(sentence)):
        return None
    tail = sentence[says.end() :]
    tail = tail[: m.start()] if (m := _CONDITION.search(tail)) else tail  # "2x for every real x"
    tail = tail.strip()
    if not tail or not _PLAIN.fullmatch(tail) or after_span and not re.search(r"[A-Za-z+*/^-]", tail):
        return None
    tail = _FUNCTION.sub(r"\\\1", tail)  # `3 cos x` as `3 \cos x`, not 3 with a unit
    return tail if _no_text(parse_recent(tail)) else None


def _a_value(v: Value | None, text: str) -> bool:
    """Not an expression, or one without variables or numbers side by side: `11 + 4/9`, not `4 4/9 2`."""
    return not isinstance(v, Expr) or not v.expr.free_symbols and not re.search(r"\d\s+\d", text)


def _no_text(v: Value | None) -> bool:
    """Whether a parsed answer is maths all through, with no prose (`Text`) anywhere in it."""
    if isinstance(v, Seq):
        return all(_no_text(i) for i in v.items)
    if isinstance(v, Rel):
        return _no_text(v.lhs) and _no_text(v.rhs)
    if isinstance(v, Matrix):
        return all(_no_text(c) for row in v.rows for c in row)
    return isinstance(v, Num | Expr | Choice)


def _last_number(text: str, spans: list[tuple[int, int, str]], skip: bool) -> tuple[str, str] | None:
    numbers = [(m.end(), m[0].rstrip(", \t")) for m in NUMBER.finditer(text)]
    inside = [any(a <= end - 1 < b for a, b, _ in spans) for end, _ in numbers]
    outside = [n for n, i in zip(numbers, inside, strict=True) if not i]
    n, s = len(outside) - 1, len(spans) - 1
    while n >= 0 or s >= 0:
        if s < 0 or n >= 0 and outside[n][0] > spans[s][1]:
            return outside[n][1], "last number"
        start, end, content = spans[s]
        s -= 1
        if skip and unreadable(content):
            continue
        value = parse_recent(content)
        if isinstance(value, Rel) and value.op in ("=", "~"):  # `x = \frac{10}{9}`: the value it ends on
            value = value.rhs
        if isinstance(value, Num) or isinstance(value, Expr) and not value.expr.free_symbols:
            return content, "last maths span"
        if _STRUCTURE.search(content):  # a tuple, matrix or inequality: that is the answer, not a number
            return content, "last maths span"
        inner = [m[0].rstrip(", \t") for m in NUMBER.finditer(content)]  # prose between two dollar signs
        if inner:
            return inner[-1], "last number"
    return None
