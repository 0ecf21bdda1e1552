"""Structure checks: a broken `<think>` block, a truncated text, final answers that disagree.

`broken_think` and `truncated` read the raw text (and the finish reason); `conflicting_answers`
reads the answer after the last `</think>` with code and quotations blanked. A text that stops
mid-sentence without any answer marker (no box, no "answer", no `####`) is truncated, in any
language (an answer marker counts only in the last 300 characters, and a list item's number is not
an answer: "7. Remove" stops mid-list; a letter's signature after "Best regards," ends it).
These checks do not decide whether an answer is right (the verifiers do).

Example:
    >>> truncated(Sample("We multiply 12 by 3 and then add the")) is not None
    True
    >>> conflicting_answers(Sample("So \\\\boxed{4}. Wait, no: \\\\boxed{5}.")) is not None
    True
"""

from __future__ import annotations

import re

from s2s1.filters.checks_sample import Sample, Span
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


_TAIL_CUT = re.compile(
    r"(?:[,;:+/=(\[{&×·−÷]|\\(?:times|cdot|div)|\b(?:the|an|of|to|is|are|and|or|with|for|by|we|that|then|"
    r"so|be|from|as|into|get|gives|which|if|let|this|its|finally|thus|therefore|hence|because|"
    r"since|where|when|while|equals|becomes|yields|obtain|compute"
    r"|calculate|multiply|add|subtract|divide)|\\boxed\{[^}]*)\s*$",
    re.IGNORECASE,
)
_ENDED = re.compile(r"[.!?。！？…)\]}$`'\"»”*:>|]\s*\Z")
"""How a finished text ends: sentence punctuation, a closing bracket, maths, code, a quote."""
_CLOSING = re.compile(
    r"\b(?:regards|wishes|sincerely|faithfully|truly|thanks|thank you|cheers|best|love|warmly|respectfully"
    r"|yours|gratitude|appreciation)\s*,?\s*$",
    re.IGNORECASE,
)
"""A letter's closing line: the signature after it ends the text."""
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,2}[.)])[ \t]+(?:\*\*)?")
_WORDS = re.compile(r"[^\W\d_]+|\d+|[\u3040-\u30ff\u3400-\u9fff]")
_ANSWER_MARK = re.compile(
    r"\\boxed\s*\{|####|\banswer\b|\bresult\b|\brespuesta\b|\bréponse\b|\bantwort\b|\bresposta\b|\brisposta\b"
    r"|ответ|答案|答え|정답|```\s*$",
    re.IGNORECASE,
)


def truncated(s: Sample) -> Span | None:
    """Stopped by a limit or an error, empty, an unclosed code fence, or text that stops mid-sentence."""
    t = s.text
    if s.finish_reason in ("length", "error"):
        return (0, len(t))
    if len(re.findall(r"^[ \t]*```", t, re.MULTILINE)) % 2:
        return (t.rfind("```"), len(t))
    tail = t.rstrip()
    if not tail:  # nothing at all: cut before it began
        return (0, len(t))
    if _TAIL_CUT.search(tail[-200:]):
        return (max(0, len(tail) - 40), len(tail))
    lines = tail.splitlines()
    if len(lines) >= 2 and _CLOSING.search(lines[-2]) and len(lines[-1].split()) <= 4:  # "Best regards,\nSam"
        return None
    unclosed = "<think>" in tail and "</think>" not in tail  # broken_think's case already
    closing = tail[max(after_think(tail), len(tail) - 300) :]  # an answer marker near the end only
    if not unclosed and not _ENDED.search(tail) and not _ANSWER_MARK.search(closing):
        line = _LIST_ITEM.sub("", tail.splitlines()[-1])  # "8. Be Adap": the item number is no answer
        clause = re.split(r"[,;:=，、；：]", line)[-1]  # "= 35 hours per week" ends GSM8K
        last = _WORDS.findall(clause)
        if last and not any(w.isdigit() for w in last):
            return (max(0, len(tail) - 40), len(tail))  # stops on a word, no answer given
    last = prose_mask(tail).splitlines()[-1]
    opened = last.count("(") + last.count("[") - last.count(")") - last.count("]")  # "(3, 4]" is closed
    braces = len(re.findall(r"(?<!\\)\{", last)) - len(re.findall(r"(?<!\\)\}", last))
    if opened > 0 or braces > 0:  # a bracket left open
        return (len(tail) - len(last), len(tail))
    return None


def unfinished(s: Sample) -> Span | None:
    """Soft: the text ends without sentence punctuation and has no answer marker."""
    tail = s.text.rstrip()
    if tail and not _ENDED.search(tail) and not _ANSWER_MARK.search(tail[after_think(tail) :]):
        return (max(0, len(tail) - 40), len(tail))
    return None


_BOXED = re.compile(r"\\boxed\s*\{")
_STATED = re.compile(
    r"(?:final answer\W{0,3}\s*(?:is|:|=)|^[^\w\n]*answer[^\w\n]*:)(?![\s:*]*\$?\\boxed)[\s:*]*"
    r"(\S[^\n]{0,59}?)(?:\.\s|\.?$|\n|,\s|;)"
    r"|^####\s*(\S[^\n]*)$",
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


def _boxed(text: str) -> list[tuple[int, str]]:
    out = []
    for m in _BOXED.finditer(text):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        out.append((m.start(), text[m.end() : i - 1]))
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


def conflicting_answers(s: Sample) -> Span | None:
    """Final answers in the answer part that disagree: two different declared final answers
    ("Final answer:", "Answer:", "####"), or a boxed/declared answer followed, after a correction
    ("actually", "wait", "double-check"...), by a different one. Boxes side by side ("x = \\boxed{2}
    or \\boxed{-2}", a width and a length) and multi-part questions are not conflicts."""
    start = after_think(s.text)
    answer = prose_mask(s.text)[start:]
    if _MULTIPART.search(answer) or _MULTIPART.search(s.question):
        return None
    stated = [(m.start(), _norm(m.group(1) or m.group(2))) for m in _STATED.finditer(answer)]
    stated = [(i, a) for i, a in stated if a and "\\boxed" not in a]
    said = [(m.start(), _norm(m.group(1))) for m in _SAID.finditer(answer)]
    said = [(i, a) for i, a in said if a and "\\boxed" not in a]
    found = sorted([(i, a) for i, a in ((i, _norm(b)) for i, b in _boxed(answer)) if a] + stated + said)
    if len({a for _, a in stated}) >= 2:
        return (start + stated[0][0], start + stated[-1][0] + 1)
    for (i, a), (j, b) in zip(found, found[1:], strict=False):
        if a != b and _CORRECTION.search(answer[i:j]):
            return (start + i, start + j + 1)
    return None
