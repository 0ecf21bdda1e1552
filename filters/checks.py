"""The checks behind the rules: each takes a `Sample` and returns the offending span, or None.

Phrase checks look at prose only (code, inline code and quotations blanked, `s2s1.filters.text`).
Structure checks (`<think>`, truncation, elided code) read the raw text; answer checks read the
answer after the last `</think>`; loops and language read prose. These checks do not judge
whether an answer is right (verifiers do) or whether content breaks the constitution (the judge).

Example:
    >>> span = boilerplate(Sample("Sure. As an AI language model, I say \\\\boxed{2}."))
    >>> span is not None
    True
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from s2s1.filters import phrases
from s2s1.filters.text import after_think, language, latin_language, prose_mask, scripts, sentences

__all__ = ["Sample", "Span"]

Span = tuple[int, int]


@dataclass(frozen=True)
class Sample:
    """What the rules see: the model's full text and what is known around it."""

    text: str
    finish_reason: str = "stop"
    question: str = ""
    require_think: bool = False
    """True when the teacher is expected to think aloud in a `<think>` block."""


def _search(pattern: re.Pattern[str], view: str) -> Span | None:
    m = pattern.search(view)
    return m.span() if m else None


def boilerplate(s: Sample) -> Span | None:
    return _search(phrases.BOILERPLATE, prose_mask(s.text))


def refusal(s: Sample) -> Span | None:
    return _search(phrases.REFUSAL, prose_mask(s.text))


def model_identity(s: Sample) -> Span | None:
    return _search(phrases.IDENTITY, prose_mask(s.text))


def knowledge_cutoff(s: Sample) -> Span | None:
    return _search(phrases.CUTOFF, prose_mask(s.text))


def template_tokens(s: Sample) -> Span | None:
    return _search(phrases.TEMPLATE, prose_mask(s.text))


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
    r"(?:[,;:+/=(\[{&]|\b(?:the|an|of|to|is|are|and|or|with|for|by|we|that|then|"
    r"so|be|from|as|into|get|gives|which|if|let|this|its|finally|thus|therefore|hence|because|"
    r"since|where|when|while|equals|becomes|yields|obtain|compute"
    r"|calculate|multiply|add|subtract|divide)|\\boxed\{[^}]*)\s*$",
    re.IGNORECASE,
)
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
    last = prose_mask(tail).splitlines()[-1]
    opened = last.count("(") + last.count("[") - last.count(")") - last.count("]")  # "(3, 4]" is closed
    braces = len(re.findall(r"(?<!\\)\{", last)) - len(re.findall(r"(?<!\\)\}", last))
    if opened > 0 or braces > 0:  # a bracket left open
        return (len(tail) - len(last), len(tail))
    return None


_BOXED = re.compile(r"\\boxed\s*\{")
_STATED = re.compile(
    r"(?:final answer\s*(?:is|:|=)|^\W*answer\W*:)(?![\s:*]*\$?\\boxed)[\s:*]*"
    r"(\S[^\n]{0,59}?)(?:\.\s|\.?$|\n|,\s|;)"
    r"|^####\s*(\S[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
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
    found = sorted([(i, a) for i, a in ((i, _norm(b)) for i, b in _boxed(answer)) if a] + stated)
    if len({a for _, a in stated}) >= 2:
        return (start + stated[0][0], start + stated[-1][0] + 1)
    for (i, a), (j, b) in zip(found, found[1:], strict=False):
        if a != b and _CORRECTION.search(answer[i:j]):
            return (start + i, start + j + 1)
    return None


_TOKEN = re.compile(r"[A-Za-z0-9_\u00c0-\u024f\u0400-\u04ff]+|\S")


def repetition(s: Sample) -> Span | None:
    """A loop: a sentence said five times, or three times over 15% of the text; a phrase stuttered;
    or 12-grams repeating over 40% of it. Long reasoning may say "Wait, let me check that again."
    thrice; that alone is not a loop."""
    view = prose_mask(s.text)
    seen: Counter[str] = Counter()
    prose_words = max(1, len(view.split()))
    for a, b in sentences(view):
        key = " ".join(view[a:b].lower().split())
        if len(key.split()) >= 5 or (len(key) >= 12 and not scripts(key).get("latin")):
            seen[key] += 1
            if seen[key] >= 5 or (seen[key] >= 3 and seen[key] * len(key.split()) >= 0.15 * prose_words):
                return (a, b)
    for stutter in re.finditer(r"(\S.{0,40}?)(?:\s*\1){5,}", view):
        if re.search(r"[^\W\d_]", stutter.group(1)):
            return stutter.span()
    tokens = [(m.start(), m.group().lower()) for m in _TOKEN.finditer(prose_mask(s.text, math=True))]
    n = 12  # loops repeat long stretches verbatim; tables of steps differ in their numbers
    if len(tokens) < 40:
        return None
    grams = Counter(tuple(w for _, w in tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    covered = set()
    for i in range(len(tokens) - n + 1):
        if grams[tuple(w for _, w in tokens[i : i + n])] >= 3:
            covered.update(range(i, i + n))
    if len(covered) >= 0.4 * len(tokens):
        first = min(covered)
        return (tokens[first][0], len(s.text))
    return None


def elided_code(s: Sample) -> Span | None:
    """'Rest of the code remains the same', `# ... existing code`, or a bare `...` line in code."""
    span = _search(phrases.ELIDED, s.text.replace("\u2019", "'"))
    if span:
        return span
    prose = prose_mask(s.text)
    code_only = "".join(
        c if p == " " and c != " " else (" " if c != "\n" else "\n")
        for c, p in zip(s.text, prose, strict=True)
    )
    return _search(phrases.ELIDED_LINE, code_only)


_ENGLISH = {
    "the",
    "and",
    "is",
    "are",
    "we",
    "of",
    "to",
    "this",
    "that",
    "so",
    "then",
    "with",
    "for",
    "it",
    "let",
}


def _foreign(sentence: str, ref: str) -> bool:
    counts = scripts(sentence)
    if ref == "latin" or ref in ("en", "es", "fr", "de", "pt", "it"):
        other = sum(v for k, v in counts.items() if k != "latin")
        han_or_kana = counts.get("zh", 0) + counts.get("ja", 0) + counts.get("ko", 0)
        if han_or_kana >= 2 or other >= 4:
            return True
        lang = language(sentence) if counts.get("latin", 0) >= 20 and ref != "latin" else None
        return lang is not None and lang != ref and len(sentence.split()) >= 5
    words = [w.lower() for w in re.findall(r"\b[A-Za-z]{2,}\b", sentence)]
    if len(words) >= 5 and _ENGLISH & set(words):  # English prose in a non-Latin answer (not identifiers)
        return True
    lang = language(sentence)
    if lang is None or lang == ref or (ref == "ja" and lang == "zh"):  # kanji-only Japanese reads as Han
        return False
    return lang != "zh" or counts.get("zh", 0) >= 4


def _non_latin(text: str) -> bool:
    counts = scripts(text)
    return sum(v for k, v in counts.items() if k != "latin") * 3 > counts.get("latin", 0)


def language_mixing(s: Sample) -> Span | None:
    """A sentence in another language than the prompt's (or, with no prompt, than the answer's own)."""
    view = prose_mask(s.text, math=True)
    ref = language(s.question)
    if ref is None and scripts(
        s.question
    ):  # a short prompt: its writing system, its language from the answer
        script = language(re.sub(r"[A-Za-z]", "", s.question)) if _non_latin(s.question) else "latin"
        ref = script if script != "latin" else (latin_language(view) or "latin")
    ref = ref or language(view)
    if ref is None:
        return None
    for a, b in sentences(view):
        if _foreign(view[a:b], ref):
            return (a, b)
    return None
