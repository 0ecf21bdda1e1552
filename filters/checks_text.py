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
from s2s1.filters.text import LIST_ITEM, language, latin_language, prose_mask, scripts, sentences

__all__ = ["language_mixing", "repetition"]

_SYMBOL = re.compile(r"[\u2500-\u259f\u2190-\u21ff=*_~#+|.\-]")
_TOKEN = re.compile(r"[A-Za-z0-9_\u00c0-\u024f\u0400-\u04ff]+|\S")


def repetition(s: Sample) -> Span | None:
    """A loop: the text says the same thing again instead of going on. In any text: a sentence said
    five times, a run of one to eight sentences or of 12 or more tokens said three times back to
    back, or a phrase stuttered. In a text cut at the token limit (where loops end up), also a
    sentence said three times over 15% of the text, or 12-grams repeating over 40% of it. A
    finished answer that walks through parallel cases in the same words ("the number of scarves
    made using red yarns is ...", "... using blue yarns is ...") is no loop: two of the 0.5B
    teacher's correct GSM8K traces read so, and so is a list item that each section of a finished
    answer repeats ("- Warm-up: 5 min brisk walk" under every day of a plan) unless back to back.
    Long reasoning may say "Wait, let me check that again." thrice; that alone is not a loop."""
    view = prose_mask(s.text)
    cut = s.finish_reason == "length"
    spans, keys, long, items = [], [], [], []
    for a, b in sentences(view):
        key = " ".join(view[a:b].lower().split())
        if not re.search(r"[^\W\d_]", key):  # a divider ("────", "====") is no sentence
            continue
        spans.append((a, b))
        keys.append(key)
        long.append(len(key.split()) >= 5 or (len(key) >= 12 and not scripts(key).get("latin")))
        items.append(LIST_ITEM.match(view, view.rfind("\n", 0, a) + 1) is not None)
    seen: Counter[str] = Counter()
    prose_words = max(1, len(view.split()))
    for i, key in enumerate(keys):
        if not long[i]:
            continue
        seen[key] += 1
        if (seen[key] >= 5 and (cut or not items[i])) or (
            cut and seen[key] >= 3 and seen[key] * len(key.split()) >= 0.15 * prose_words
        ):
            return spans[i]
        for k in range(1, min(8, (i + 1) // 3) + 1):  # keys[i-3k+1 : i+1]: k sentences said thrice
            run = keys[i - 3 * k + 1 : i + 1]
            if run[:k] == run[k : 2 * k] == run[2 * k :]:
                return (spans[i - 3 * k + 1][0], spans[i][1])
    for stutter in re.finditer(r"(\S.{0,40}?)(?:\s*\1){5,}", view):
        if re.search(r"[^\W\d_]", stutter.group(1)):
            return stutter.span()
    return _ngram_loop(s.text, cut)


def _ngram_loop(text: str, cut: bool) -> Span | None:
    """A stretch of 12 or more tokens said three times back to back ("and to find 15 percent of 80
    we multiply 80 by 15, and to find ..."); in a cut text, also 12-grams repeating (three times or
    more, anywhere) over 40% of the tokens. Maths is blanked, box-drawing and ruler characters are
    skipped. The span runs from the loop's first token to the end of the text."""
    tokens = [
        (m.start(), m.group().lower())
        for m in _TOKEN.finditer(prose_mask(text, math=True))
        if not _SYMBOL.fullmatch(m.group())
    ]
    n = 12  # loops repeat long stretches verbatim; tables of steps differ in their numbers
    if len(tokens) < 3 * n:
        return None
    words = [w for _, w in tokens]
    where: dict[tuple[str, ...], list[int]] = {}
    for i in range(len(words) - n + 1):
        where.setdefault(tuple(words[i : i + n]), []).append(i)
    covered: set[int] = set()
    for starts in where.values():
        for a, b, c in zip(starts, starts[1:], starts[2:], strict=False):
            p = b - a
            if c - b == p and words[a : a + 2 * p] == words[b : b + 2 * p]:  # three copies in a row
                return (tokens[a][0], len(text))
        if cut and len(starts) >= 3:
            covered.update(i + k for i in starts for k in range(n))
    if cut and len(covered) >= 0.4 * len(tokens):
        return (tokens[min(covered)][0], len(text))
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


_NAMES = re.compile(
    r"(?<=[\w,’'\"] )[A-ZÀ-Þ][\w'’-]*"
    r"(?:\s+(?:(?:de|da|do|dos|das|del|della|di|la|le|van|von|y|e)\s+)?[A-ZÀ-Þ][\w'’-]*)*"
)
"""Capitalised words inside a sentence, and the particles between them: names of places and people
("at Miradouro de São Pedro de Alcântara"), which are no sentence in another language. A
capitalised word that opens a sentence or a clause ("If", "La") is kept: it is the language."""


def _foreign(sentence: str, ref: str) -> bool:
    counts = scripts(sentence)
    if ref == "latin" or ref in ("en", "es", "fr", "de", "pt", "it"):
        other = sum(v for k, v in counts.items() if k != "latin")
        han_or_kana = counts.get("zh", 0) + counts.get("ja", 0) + counts.get("ko", 0)
        if han_or_kana >= 2 or other >= 4:
            return True
        words = _NAMES.sub(" ", sentence)  # a place's name is no language
        lang = language(words) if scripts(words).get("latin", 0) >= 20 and ref != "latin" else None
        return lang is not None and lang != ref and len(words.split()) >= 5
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
    """A sentence in another language than the prompt's (or, with no prompt, than the answer's own);
    names of places and people (capitalised words) do not count as another language."""
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
