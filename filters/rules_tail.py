"""How an answer ends (issue 24, graders' kinds): `truncated` and `conflicting_answers` beyond the
first checks.

`truncated` is `checks.truncated` with one false reject fixed and one miss:

- a letter signed after a closing line that ends with a comma is finished, however long that line
  ("Thanks for giving us the chance to make it right,\\nThe GreenLeaf Team");
- a number does not finish a table row, an item of a list whose items end with full stops, or a
  line that started a new sentence and then stops on a word or on a one- or two-digit number after
  a preposition ("| 4 | US | 9,525", "4. **Keep it cool.** Around 18 °C is ideal for most", "...
  It was completed in March of 18"); a line with arithmetic ("12 × 35 = 420"), a sentence ending on
  a year ("... The tower was built in 1889") or a one-sentence answer still ends on its number.

`conflicting_answers` is `checks.conflicting_answers` plus a final answer that differs from an
answer given before it without a correction word ("The answer is 80 km/h. ... **Final answer:
75 km/h**", "so the answer is (B) ... **Final answer: (A)**"), two "Final Answer" headings over
different boxes, and a closing "Final answer" (or "TL;DR", "Bottom line") line whose value the
answer never reached (not even rounded), where the working's last result of the same kind (bolded,
or after "=") differs ("... gives **11:36 a.m.** ... **Final answer: they
meet at 11:24 a.m.**"; times, money, percentages or numbers with the same unit; a closing line
with more values conflicts only with a result within a tenth of its answer; one with arithmetic is
left alone), or whose value the working passed through on its way to a new result it states
twice. Multi-part questions are left alone; lettered options ("(B)") are answers, not parts.
These checks do not decide whether an answer is right (the verifiers do).

Example:
    >>> truncated(Sample("| Country | km² |\\n| Russia | 17,098,246 |\\n| Canada | 9,98")) is not None
    True
    >>> conflicting_answers(Sample("The answer is 12.\\n\\n**Final answer: 15**")) is not None
    True
"""

from __future__ import annotations

import re

from s2s1.filters import checks
from s2s1.filters.checks_sample import Sample, Span
from s2s1.filters.text import LIST_ITEM, after_think, prose_mask

__all__ = ["conflicting_answers", "truncated"]

_NAME = re.compile(r"(?:[A-Z][\w.'&-]*|&|-|of|the|and)(?:\s+(?:[A-Z][\w.'&-]*|&|-|of|the|and)){0,4}")
_ARITH = re.compile(r"[=×÷+<>]|\d\s*[-/x*]\s*\d")
_NEW_SENTENCE = re.compile(r"[.!?][\"'*_)\]]*\s+\S")
_SMALL_AFTER_PREPOSITION = r"\b(?:of|in|to|by|about|around|from|at|than|with|and|over|under)\s+\d{1,2}\W*$"


def _signed(lines: list[str]) -> bool:
    """A letter's signature: a short capitalised last line under a line that ends with a comma."""
    rest = [ln.strip() for ln in lines if ln.strip()]
    return len(rest) >= 3 and rest[-2].endswith(",") and _NAME.fullmatch(rest[-1]) is not None


def _number_ends_nothing(lines: list[str]) -> bool:
    """The last line holds a number but started a new sentence, is a table row, or is an item of
    a list whose other items end with full stops; and it holds no arithmetic."""
    last = lines[-1]
    if _ARITH.search(last) or not re.search(r"\d", last):
        return False
    if last.lstrip().startswith("|"):
        return True
    if _NEW_SENTENCE.search(LIST_ITEM.sub("", last)):  # "... in 1889" ends; "... of 18", "... for most" not
        return not re.search(r"\d\W*$", last) or re.search(_SMALL_AFTER_PREPOSITION, last) is not None
    others = [ln.rstrip() for ln in lines[:-1] if LIST_ITEM.match(ln)]
    return (
        bool(LIST_ITEM.match(last))
        and len(others) >= 2
        and sum(o[-1:] in ".!?" for o in others) * 2 > len(others)
    )


def truncated(s: Sample) -> Span | None:
    """`checks.truncated`, less signed letters, plus a number that finishes no sentence."""
    tail = s.text.rstrip()
    cut = checks.truncated(s)
    lines = tail[-4000:].splitlines() or [""]  # the last lines are all these rules read
    if cut is not None:
        plain = s.finish_reason not in ("length", "error") and tail.count("```") % 2 == 0
        return None if plain and _signed(lines) else cut
    if _number_ends_nothing(lines):
        marker = LIST_ITEM.match(lines[-1])
        at = marker.end() if marker else 0  # the same line as words (its item number kept): usual rules
        letters = lines[-1][:at] + re.sub(r"\d", "n", lines[-1][at:])
        cut = checks.truncated(
            Sample(tail[: len(tail) - len(lines[-1])] + letters, s.finish_reason, s.question)
        )
    return cut


_VALUE = (
    r"(\\boxed\{(?:[^{}\n]|\{[^{}\n]*\})*\}|\([A-Ea-e]\)|(?-i:\b[A-E]\b)(?![\w'])|[-−]?\$?\d[\d,]*(?:\.\d+)?"
    r"(?:\s?(?:%|°\w?|[a-zA-Z]+(?:/[a-zA-Z]+)?))?|\b(?:yes|no|true|false)\b(?=\s*[.,;!*\n]|\s*$))"
)
_SAID = re.compile(
    r"\bthe (?:correct |right )?answer (?:is|would be|should be|must be)\W{0,3}?" + _VALUE, re.I
)
_FINAL = re.compile(r"\bfinal answer\b[^\w\n\\(]{0,6}(?:is\W{0,3})?\n?\s*" + _VALUE, re.I)
_PARTS = re.compile(r"\((?:a|b|i|ii|1|2)\)|\bpart\s*(?:\(?[ab12]\)?|one|two|ii?)\b|\b[ab]\)\s", re.I)


def _norm(value: str) -> str:
    v = re.sub(r"^\\boxed\{(.*)\}$", r"\1", value.strip()).replace("$", "").replace("−", "-")
    v = v.strip("*. ").lower().strip("()")
    number = re.match(r"-?\d[\d,]*(?:\.\d+)?", v)
    return str(float(number.group().replace(",", ""))) if number else re.sub(r"\s+", "", v)


_QUANTITY = re.compile(
    r"(?P<time>\b\d{1,2}:\d{2}\b)|(?P<money>\$\s?\d[\d,]*(?:\.\d+)?)|(?P<num>\b\d[\d,]*(?:\.\d+)?)"
    r"(?P<unit>\s?%|\s?[a-zA-Z]+\b)?"
)
_CLOSING = re.compile(r"^\W*(?:final answer|answer|tl;?dr|bottom line|in short|result)\b.*$", re.I | re.M)
_RESULT = re.compile(r"\*\*[^*\n]{1,80}\*\*|=[ \t]*[^=\n]{1,40}?(?=,\s|\.\s|\.?$|;)", re.M)
"""A result in the working: a bolded phrase, or what follows an equals sign."""


def _quantities(text: str) -> list[tuple[int, str, str]]:
    """(offset, kind, value) of each time, sum of money or number (with its unit word) in `text`; a
    sum of money is of the kind of a bare number ("$5,624.32" and "= 5,624.32")."""
    out = []
    for m in _QUANTITY.finditer(text):
        kind = "time" if m["time"] else "" if m["money"] else (m["unit"] or "").strip().lower()
        value = re.sub(r"[$,\s]", "", m["time"] or m["money"] or m["num"])
        out.append((m.start(), kind, value.rstrip("0").rstrip(".") if "." in value else value))
    return out


def _same(a: str, b: str) -> bool:
    """Whether value `b` is value `a` (as written, or `a` rounded to `b`'s decimals: 5.333 → 5.33)."""
    places = len(b.split(".")[1]) if "." in b else 0
    try:
        return a == b or round(float(a), places) == float(b)
    except ValueError:  # a time
        return False


def _unreached_final(answer: str, question: str) -> Span | None:
    """A closing "Final answer" (or "TL;DR", "Bottom line") line among the last three whose answer
    (its first value that the question does not give) appears nowhere before it, while the
    working's last result of the same kind (bolded, or after "=") differs. A closing line with
    other values too ("after 3 years ..., meaning $642.32 of interest", "3 crates hold 36 apples")
    may state a new result, so it conflicts only with a result within a tenth of its answer (a
    slip: $5,624.32 → $5,642.32). A closing answer the working did reach conflicts when it holds
    one value and the working went on from it to a new result that it states twice at its end
    ("= **$23.80** ... = **$20.23**. Double-check: ... = $20.23. **Final Answer: $23.80**")."""
    lines = list(_CLOSING.finditer(answer))
    closing = lines[-1] if lines else None
    if closing is None or answer[closing.end() :].strip().count("\n") > 2 or _ARITH.search(closing.group()):
        return None
    given = {v for _, _, v in _quantities(question)}
    stated = _quantities(closing.group())
    final = [q for q in stated if q[2] not in given]
    body = answer[: closing.start()]
    if not final:
        return None
    kind, value = final[0][1:]
    results = [(r.start() + at, k, v) for r in _RESULT.finditer(body) for at, k, v in _quantities(r.group())]
    same = [(at, v) for at, k, v in results if k == kind]
    if not same or _same(same[-1][1], value):
        return None
    quantities = _quantities(body)
    seen = [at for at, _, v in quantities if _same(v, value)]
    if seen:  # reached: a conflict only if the working went on from it to a new result, twice its last
        first = min(at for at, _, v in quantities if v == same[-1][1])
        twice = len(same) > 1 and same[-2][1] == same[-1][1]
        return (same[-1][0], closing.end()) if len(stated) == 1 and twice and first > seen[0] else None
    near = len(stated) == 1 or _near(same[-1][1], value)  # "3 crates hold 36": a new result
    return (same[-1][0], closing.end()) if near else None


def _near(a: str, b: str) -> bool:
    """Whether two values differ by at most a tenth (a slip in copying, not a new quantity)."""
    try:
        return abs(float(a) - float(b)) <= 0.1 * max(abs(float(a)), abs(float(b)))
    except ValueError:  # a time
        return True


def conflicting_answers(s: Sample) -> Span | None:
    """`checks.conflicting_answers`, or a declared final answer that differs from an answer given
    before it (said or declared), outside multi-part questions."""
    base = checks.conflicting_answers(s)
    start = after_think(s.text)
    answer = prose_mask(s.text)[start:]
    finals = [(m.start(), m.start(1), _norm(m.group(1))) for m in _FINAL.finditer(answer)]
    said = [(m.start(), m.start(1), _norm(m.group(1))) for m in _SAID.finditer(answer)]
    options = all(re.fullmatch(r"[a-e]", v) for _, _, v in finals + said)  # "(B)": options, not parts
    if base is not None or not options and (_PARTS.search(answer) or _PARTS.search(s.question)):
        return base
    for at, value_at, value in finals:
        before = [x for x in said + finals if x[1] < value_at and x[2] and x[2] != value]
        if value and before:
            first = min(before)
            return (start + first[0], start + at + len("final answer"))
    unreached = _unreached_final(s.text[start:], s.question or "")
    return None if unreached is None else (start + unreached[0], start + unreached[1])
