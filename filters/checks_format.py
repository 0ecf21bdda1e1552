"""Structure checks: a broken `<think>` block, final answers that disagree (a truncated text:
`s2s1.filters.checks_cut`, re-exported here).

`broken_think` reads the raw text; `conflicting_answers` reads the answer after the last `</think>`
with code and quotations blanked. These checks do not decide whether an answer is right (the
verifiers do).

Example:
    >>> broken_think(Sample("<think>a</think>")) is not None
    True
    >>> conflicting_answers(Sample("So \\\\boxed{4}. Wait, no: \\\\boxed{5}.")) is not None
    True
"""

from __future__ import annotations

import re

from s2s1.filters.checks_cut import truncated, unfinished
from s2s1.filters.checks_sample import HASH_ANSWER, Sample, Span
from s2s1.filters.text import after_think, prose_mask

__all__ = ["broken_think", "conflicting_answers", "truncated", "unfinished"]


def broken_think(s: Sample) -> Span | None:
    t = s.text
    opens, closes = t.count("<think>"), t.count("</think>")
    whole = (0, len(t))
    if opens > 1 or closes > 1:  # repeated blocks
        return whole
    if opens == 1 and closes == 0:  # unclosed
        return (t.find("<think>"), len(t))
    if opens == 1 and t.find("</think>") < t.find("<think>"):  # closed before it opened
        return whole
    if re.search(r"<think>\s*</think>", t):  # empty
        return whole
    if closes == 1 and not t[after_think(t) :].strip():  # nothing after it
        return (t.find("</think>"), len(t))
    if s.require_think and opens == 0 and closes == 0:  # missing
        return whole
    return None


_BOXED = re.compile(r"\\boxed\s*\{")
_STATED = re.compile(
    r"(?:final answer\W{0,3}\s*(?:is|:|=)|^[^\w\n]*answer[^\w\n]*:)(?![\s:*]*\$?\\boxed)[\s:*]*"
    r"(\S[^\n]{0,59}?)(?:\.\s|\.?$|\n|,\s|;)"
    r"|^" + HASH_ANSWER + r"\s*(\S[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
_SAID = re.compile(
    r"\bthe (?:correct |right |final )?answer (?:is|would be|should be|must be)\s*:?\s*(\S[^\n]{0,59}?)"
    r"(?:\.\s|\.?$|\n|,\s|;)",
    re.IGNORECASE | re.MULTILINE,
)
"""An answer said in a sentence: a conflict only with a different one after a correction."""
_CORRECTION = re.compile(
    r"\b(?:actually|wait|hmm+|however|mistake|correction|oops|re-?calculat\w*|re-?comput\w*|re-?check\w*"
    r"|double[- ]check\w*|on second thought|or maybe|maybe it|instead|let me re\w*)\b",
    re.IGNORECASE,
)
_MULTIPART = re.compile(r"\((?:a|b|ii|2)\)|\bpart\s*(?:\(?[ab2]\)?|two|ii)\b|\b[ab]\)\s", re.IGNORECASE)


def _boxed_matches(text: str) -> list[tuple[re.Match[str], str]]:
    out = []
    for m in _BOXED.finditer(text):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        out.append((m, text[m.end() : i - 1]))
    return out


def _norm(answer: str) -> str:
    a = re.sub(r"\\text\{([^}]*)\}|\\mathrm\{([^}]*)\}", r"\1\2", answer)
    a = re.sub(
        r"\\[,!;: ]|\\left|\\right|\\dfrac|\\tfrac|\$|\*|\s",
        lambda m: "\\frac" if "frac" in m.group() else "",
        a,
    )
    a = re.sub(r"(?<=\d),(?=\d{3}\b)", "", a).rstrip(".").lower()
    a = re.sub(r"^[a-z]=", "", a)
    number = re.match(r"-?\d+(?:\.\d+)?", a)
    if number and not re.match(r"[\d.]*[/^\\a-z(]", a[number.end() :]):  # "12apples" -> "12"
        return str(float(number.group()))
    return a


_OPTION = re.compile(r"\(?[a-e]\)?")
"""A lettered option ("(B)" normalised to "(b)"): answers that are options, not parts."""


def _finals(answer: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]], list[tuple[int, str]], str]:
    """(boxed, declared, said) answers with their offsets, and the answer with their values blanked
    (so a value such as "(B)" is not read as the label of a part)."""
    blanked = list(answer)
    out: list[list[tuple[int, str]]] = [[], [], []]
    values = [(0, m.start(), m.end(), b) for m, b in _boxed_matches(answer)]
    values += [
        (1, m.start(), m.start(g), m.group(g)) for m in _STATED.finditer(answer) for g in (1, 2) if m.group(g)
    ]
    values += [(2, m.start(), m.start(1), m.group(1)) for m in _SAID.finditer(answer)]
    for kind, i, v, raw in values:
        if (a := _norm(raw)) and "\\boxed" not in a:
            out[kind].append((i, a))
            blanked[v : v + len(raw)] = " " * len(raw)
    return out[0], out[1], out[2], "".join(blanked)


def conflicting_answers(s: Sample) -> Span | None:
    """Final answers in the answer part that disagree: two different declared final answers
    ("Final answer:", "Answer:", "####" but not a markdown heading), a declared final number after
    boxes that all say another, or a boxed/declared answer followed, after a correction ("actually",
    "wait", "double-check"...), by a different one. Boxes side by side ("x = \\boxed{2} or
    \\boxed{-2}", a width and a length) and multi-part questions are not conflicts; lettered options
    ("(B)", "(D)") are answers, not parts."""
    start = after_think(s.text)
    answer = prose_mask(s.text)[start:]
    boxed, stated, said, blanked = _finals(answer)
    found = sorted(boxed + stated + said)
    options = bool(found) and all(_OPTION.fullmatch(a) for _, a in found)
    if _MULTIPART.search(blanked) or (not options and _MULTIPART.search(s.question)):
        return None
    if len({a for _, a in stated}) >= 2:
        return (start + stated[0][0], start + stated[-1][0] + 1)
    numbers = {a for _, a in boxed}
    if stated and len(numbers) == 1 and stated[-1][0] > boxed[-1][0] and _is_number(stated[-1][1]):
        if _is_number(next(iter(numbers))) and stated[-1][1] not in numbers:
            return (start + boxed[-1][0], start + stated[-1][0] + 1)
    for (i, a), (j, b) in zip(found, found[1:], strict=False):
        if a != b and _CORRECTION.search(answer[i:j]):
            return (start + i, start + j + 1)
    return None


def _is_number(a: str) -> bool:
    return re.fullmatch(r"-?\d+\.\d+", a) is not None
