"""Whether a text was cut off: stopped by the token limit or an error, empty, an unclosed code
fence, a bracket left open (not one opened on whole sentences that end, whose `)` was forgotten),
or prose that stops mid-sentence.

A text that ends on a word with no answer at its end is cut, in any language, unless its form ends
so when finished: a short whole answer ("Bonjour"), a letter's signature ("Best regards,\\nSam"),
the last item of a list whose items go without full stops ("1. Luna\\n2. Max\\n3. Bella"), a line of
verse under another, a short closing line ("Good luck"), an emoji or a link. A line that ends a
sentence and starts another ("... in 1889. It attracts visitors who") is cut whatever its form;
a list item is cut when the list's other items end with punctuation ("1. Heat the pan.\\n2. Sti").
An answer counts only at the end ("The answer is 7", a box, `####`), not "the result is more
storms, and the winters". A GSM8K line ending on a number and its unit is no cut. `unfinished` is
the soft score: no sentence punctuation and no answer marker. These checks do not decide whether
an answer is right (the verifiers do).

Example:
    >>> truncated(Sample("We multiply 12 by 3 and then add the")) is not None
    True
    >>> truncated(Sample("Names:\\n1. Luna\\n2. Max\\n3. Bella")) is None
    True
"""

from __future__ import annotations

import re

from s2s1.filters.checks_sample import HASH_ANSWER, Sample, Span
from s2s1.filters.text import after_think, prose_mask

__all__ = ["truncated", "unfinished"]

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
    r"\\boxed\s*\{|" + HASH_ANSWER + r"|\banswer\b|\bresult\b|\brespuesta\b|\bréponse\b|\bantwort\b"
    r"|\bresposta\b|\brisposta\b"
    r"|ответ|答案|答え|정답|```\s*$",
    re.IGNORECASE,
)
_ANSWER_ENDS = re.compile(
    r"\\boxed\s*\{|" + HASH_ANSWER + r"|```\s*$"
    r"|(?:\b(?:answer|result|respuesta|réponse|antwort|resposta|risposta)\b|ответ"
    r"|答案|答え|정답)[^\w,;]*(?:[^\W_]+(?:[^\w,;]+|\Z)){0,7}\Z",
    re.IGNORECASE,
)
"""An answer given at the end: a box, `####`, a closing fence, or "the answer is 7" ending the text
in one clause (not "the result is more storms, while the winters")."""
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_SENTENCE_END = re.compile(r"[.!?。！？](?=\s)")
_PUNCTUATED = re.compile(r"[.!?:。！？：]\W*$")
_CLOSER_LINE = re.compile(
    r"(?:good luck|enjoy|cheers|happy \w+|thanks|thank you|take care|have fun|best of luck|all the best)\b",
    re.I,
)
"""A short closing line that needs no full stop ("Good luck", "Happy coding")."""
_ASIDE = re.compile(r"[\"'“]?[A-Z][^()\[\]{}\n]*[^\W_]{3}[.!?][\"'”]?\s*")
"""What follows a bracket opened on whole sentences that end ("(Implying that ... reproduction."):
its `)` was forgotten, nothing was cut; "(e.g." and "(interj." stop inside the aside."""


def _aside_ends(line: str) -> bool:
    """The line's last opening bracket holds at least four words that end a sentence."""
    rest = line[max(line.rfind("("), line.rfind("["), line.rfind("{")) + 1 :]
    return len(rest.split()) >= 4 and _ASIDE.fullmatch(rest) is not None


def _finished(lines: list[str], answer: str) -> bool:
    """Forms that end on a word and are finished: a short whole answer ("Bonjour"), a letter's
    signature ("Best regards,\\nSam"), the last item of a list whose items go without full stops, a
    line of verse under another, a short closing line ("Good luck"), an emoji or a link."""
    item = _LIST_ITEM.match(lines[-1])
    last = lines[-1][item.end() if item else 0 :].strip()
    words = len(last.split())
    if not last[-1:].isalnum() or "://" in last or len(answer.split()) + len(_CJK.findall(answer)) <= 3:
        return True
    if _SENTENCE_END.search(last):  # a sentence ends inside the line: the next one stops mid-way
        return False
    above = [ln.strip() for ln in lines[:-1]]
    prev = next((ln for ln in reversed(above) if ln), "")
    if words <= 4 and (prev.endswith(",") and len(prev.split()) <= 6 or _CLOSING.search(prev)):
        return last[:1].isupper()  # "Thanks for your patience,\nLee"
    if item:  # a list: finished when its other items end without punctuation too
        others = [ln for ln in above if _LIST_ITEM.match(ln)]
        if others:
            return words <= 12 and sum(bool(_PUNCTUATED.search(o)) for o in others) * 2 <= len(others)
        return prev.endswith(":") and words <= 6
    if above and not above[-1]:  # a paragraph of its own
        return words <= 5 and _CLOSER_LINE.match(last) is not None
    verse = prev and not _LIST_ITEM.match(prev) and not re.match(r"```|#|\||<|\*\*", prev)
    short = words <= 12 and len(prev.split()) <= 12  # verse lines are short, a cut paragraph is not
    return bool(verse) and short and not re.search(r"[.!?。！？,;，；、]\W*$", prev)


def _stops_mid_sentence(tail: str) -> bool:
    """The text stops on a word, with no answer at its end, in a form that is not finished."""
    answer = tail[after_think(tail) :]
    closing = tail[max(after_think(tail), len(tail) - 300) :]
    if not answer.strip() or _ENDED.search(tail) or _ANSWER_ENDS.search(closing):
        return False
    lines = answer[-2000:].splitlines()
    line = _LIST_ITEM.sub("", lines[-1])  # "8. Be Adap": the item number is no answer
    last = _WORDS.findall(re.split(r"[,;:=，、；：]", line)[-1])
    if not last or last[-1].isdigit() or (any(w.isdigit() for w in last) and not _SENTENCE_END.search(line)):
        return False  # "x = 18", "= 35 hours per week" end a GSM8K line
    return not _finished(lines, answer)


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
    unclosed = "<think>" in tail and "</think>" not in tail  # broken_think's case already
    if not unclosed and _stops_mid_sentence(tail):
        return (max(0, len(tail) - 40), len(tail))
    last = prose_mask(tail).splitlines()[-1]
    opened = last.count("(") + last.count("[") - last.count(")") - last.count("]")  # "(3, 4]" is closed
    braces = len(re.findall(r"(?<!\\)\{", last)) - len(re.findall(r"(?<!\\)\}", last))
    if (opened > 0 or braces > 0) and not (opened + braces == 1 and _aside_ends(last)):
        return (len(tail) - len(last), len(tail))  # a bracket left open
    return None


def unfinished(s: Sample) -> Span | None:
    """Soft: the text ends without sentence punctuation and has no answer marker."""
    tail = s.text.rstrip()
    if tail and not _ENDED.search(tail) and not _ANSWER_MARK.search(tail[after_think(tail) :]):
        return (max(0, len(tail) - 40), len(tail))
    return None
