"""Text views the rules look at: prose without code or quotations, sentences, and languages.

Every view keeps the length of the text it came from (masked characters become spaces), so a match
in a view is a span in the original completion. Language guesses are deliberately coarse: the
writing system (Han, kana, Hangul, Cyrillic, Arabic, ...) and, for Latin script, a vote of common
function words in six languages. This module does not tokenize for a model, detect dialects, or
treat Greek as a language (Greek letters are maths here).

Example:
    >>> prose_mask('Say "As an AI" with `code`.')
    'Say            with       .'
    >>> language("Sea x el número que buscamos y entonces tenemos que x es 5.")
    'es'
    >>> language("设 x 为所求的数，则 x = 5。")
    'zh'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

__all__ = ["LIST_ITEM", "after_think", "language", "latin_language", "prose_mask", "scripts", "sentences"]

_FENCE = re.compile(r"^[ \t]*(```|~~~).*?(?:^[ \t]*\1[^\n]*$|\Z)", re.DOTALL | re.MULTILINE)
_INLINE = re.compile(r"`[^`\n]+`|\[asy\].*?(?:\[/asy\]|\Z)", re.DOTALL)  # inline code, Asymptote figures
_QUOTE = re.compile(r'"[^"\n]{1,300}"|“[^”\n]{1,300}”|«[^»\n]{1,300}»|「[^」\n]{1,300}」|『[^』\n]{1,300}』')
_BLOCKQUOTE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
_MATH = re.compile(
    r"\$\$.*?\$\$|\$[^$]{1,400}?\$|\\\(.*?\\\)|\\\[.*?\\\]|\\b"
    r"egin\{(align|equation|gather|multline|eqnarray)(\*?)\}"
    r".*?\\end\{\1\2\}",
    re.DOTALL,
)
_SENTENCE = re.compile(r"(?:[^.!?。！？\n]|[.!?](?=[^\s.!?]))+[.!?。！？]*")  # "3.5" does not end one
LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,2}[.)])[ \t]+", re.MULTILINE)
"""The marker of a list item at the start of a line ("- ", "* ", "3. ", "2) ")."""

_SCRIPTS = [
    ("ja", "\u3040-\u30ff"),  # kana first: Japanese uses Han too
    ("zh", "\u3400-\u4dbf\u4e00-\u9fff"),
    ("ko", "\uac00-\ud7af\u1100-\u11ff"),
    ("ru", "\u0400-\u04ff"),
    ("ar", "\u0600-\u06ff"),
    ("he", "\u0590-\u05ff"),
    ("hi", "\u0900-\u097f"),
    ("th", "\u0e00-\u0e7f"),
    ("latin", "A-Za-z\u00c0-\u024f"),
]
_SCRIPT_RE = {name: re.compile(f"[{chars}]") for name, chars in _SCRIPTS}

_STOPWORDS = {
    "en": """the and is are we of to this that so then with for it be let which have since each me by us our
             if or but not can will there these you""".split(),
    "es": """el la los las que es para por una con del entonces tenemos como pero su cada así hay tiene
             ñ ¿ ¡""".split(),
    "fr": """le la les des est et que pour une nous avec donc dans du sont chaque puis combien quelle
             è ê à œ""".split(),
    "de": """der das und ist wir mit für nicht ein eine dem von zu auf sich dann wie viele hat sind weil
             ß ä ö ü""".split(),
    "pt": "os que é para com uma não então temos em por cada são quanto tem ã õ".split(),
    "it": "il la gli che è con una non quindi abbiamo della sono ogni poi quanto fa ha".split(),
}
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


@lru_cache(maxsize=2)
def prose_mask(text: str, *, math: bool = False) -> str:
    """`text` with fenced and inline code and quotations blanked (and LaTeX maths too, if asked).

    An unclosed fence is code to the end of the text. Curly apostrophes become straight ones. The
    last two views are kept: a dozen rules ask for the same text's view in a row.
    """
    out = _blank(text, _FENCE)
    out = _blank(out, _INLINE)
    out = _blank(out, _QUOTE)
    out = _blank(out, _BLOCKQUOTE)
    if math:
        out = _blank(out, _MATH)
    return out.replace("\u2019", "'")


def after_think(text: str) -> int:
    """Offset where the answer starts: just after the last `</think>`, or 0 when there is none."""
    end = text.rfind("</think>")
    return 0 if end < 0 else end + len("</think>")


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the sentences of `text` (split at . ! ? 。 ！ ？ and newlines), blank ones skipped."""
    for m in _SENTENCE.finditer(text):
        if m.group().strip():
            yield m.span()


def scripts(text: str) -> Counter[str]:
    """Letters per writing system (Greek is not counted: it is maths here)."""
    counts: Counter[str] = Counter()
    for name, pattern in _SCRIPT_RE.items():
        n = len(pattern.findall(text))
        if n:
            counts[name] = n
    return counts


def latin_language(text: str) -> str | None:
    """The Latin-script language whose function words clearly dominate `text`, or None."""
    words = Counter(w.lower() for w in _WORD.findall(text))
    words.update(c for c in text.lower() if c in "ñ¿¡èêàœßäöüãõ")
    votes = {lang: sum(words[w] for w in stop) for lang, stop in _STOPWORDS.items()}
    best = max(votes, key=lambda k: votes[k])
    runner_up = max(v for k, v in votes.items() if k != best)
    return best if votes[best] >= 2 and votes[best] > runner_up else None


def language(text: str) -> str | None:
    """A coarse language code for `text` ("en", "zh", "ru", ...), or None when it cannot tell."""
    counts = scripts(text)
    if not counts:
        return None
    if counts.get("ja") and counts["ja"] >= counts.get("zh", 0) // 4:  # kana among Han: Japanese
        return "ja"
    script, _ = max(counts.items(), key=lambda kv: kv[1] + (kv[0] != "latin") * 2 * kv[1])
    return latin_language(text) if script == "latin" else script
