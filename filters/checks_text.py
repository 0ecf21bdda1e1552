"""Checks on the prose as a whole: repetition loops and sentences in another language.

Both read prose only (code, inline code and quotations blanked, `s2s1.filters.text`); they do not
look for phrases (`s2s1.filters.checks`) or structure (`s2s1.filters.checks_format`).

Example:
    >>> repetition(Sample("the the the the the the the \\\\boxed{2}")) is not None
    True
"""

from __future__ import annotations

import re
from collections import Counter

from s2s1.filters.checks_sample import Sample, Span
from s2s1.filters.text import language, latin_language, prose_mask, scripts, sentences

__all__ = ["language_mixing", "repetition"]

_SYMBOL = re.compile(r"[\u2500-\u259f\u2190-\u21ff=*_~#+|.\-]")
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
        if not re.search(r"[^\W\d_]", key):  # a divider ("────", "====") is no sentence
            continue
        if len(key.split()) >= 5 or (len(key) >= 12 and not scripts(key).get("latin")):
            seen[key] += 1
            if seen[key] >= 5 or (seen[key] >= 3 and seen[key] * len(key.split()) >= 0.15 * prose_words):
                return (a, b)
    for stutter in re.finditer(r"(\S.{0,40}?)(?:\s*\1){5,}", view):
        if re.search(r"[^\W\d_]", stutter.group(1)):
            return stutter.span()
    tokens = [
        (m.start(), m.group().lower())
        for m in _TOKEN.finditer(prose_mask(s.text, math=True))
        if not _SYMBOL.fullmatch(m.group())  # box-drawing and ruler characters repeat by design
    ]
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


_CODE_LINE = re.compile(
    r"^[ \t]*(?:FROM|RUN|CMD|COPY|ADD|ENV|ARG|WORKDIR|EXPOSE|ENTRYPOINT|USER|VOLUME|LABEL|HEALTHCHECK)\s"
    r"|\w/\w|--\w|\w_\w|\w\.\w+\(",
    re.MULTILINE,
)
"""A line of code or a command left outside a fence (a Dockerfile, a shell line): not a language."""


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
        if _foreign(view[a:b], ref) and not _CODE_LINE.search(view[a:b]):
            return (a, b)
    return None
