"""Leak checks beyond the first phrasings (issue 24, graders' kinds): cutoff remarks, template tokens
and repetition loops.

- `knowledge_cutoff` is `checks.knowledge_cutoff` plus the remarks a good answer ends with in other
  words ("I don't have data beyond 2023", "since I was last trained", "the most recent figures I
  have are from 2022", "the latest release I'm aware of", "I'm not aware of any ... released after
  October 2023", "information available to me up to early 2024", "my info might be somewhat out
  of date", "I can only go by data up to then"). A date in the answer ("As of December 2023 the Fed ...") or
  the cutoff as the question's topic ("a model's training cutoff") is no remark: the patterns need
  the model speaking of itself. Beside the phrasings, a sentence that speaks of the model's own
  knowledge or training ("what I know", "the material I was trained on", "I have no way to pull
  live data") and of its staleness ("a year or more behind", "a snapshot", "as far as", "newer")
  is a remark in whatever words ("what I know about sales figures comes from a fixed snapshot");
  "to my knowledge" and "from what I know" are hedges, not remarks.
- `template_tokens` is `checks.template_tokens` plus a token glued to a fence line ("```<|im_end|>",
  which the code view hides as part of the fence) or inside a blockquote.
- `repetition` is `checks.repetition` on the text with ruler runs (three or more of one symbol or
  of a short unit of symbols: "▬▬▬", "————", "◆◆◆", "• • •", "<><><>") drawn as box-drawing
  lines, which it already reads as no words: a divider between sections is no loop, whatever
  characters draw it.

These checks do not decide whether a hit the prompt asked for drops (`s2s1.filters.rules` does).

Example:
    >>> knowledge_cutoff(Sample("Paris. I don't have data beyond 2023, so check.")) is not None
    True
    >>> text = "".join(f"————————————\\nShelf {c}: books.\\n" for c in "ABCDEF")
    >>> cut = Sample(text, finish_reason="length")  # a cut text: the loop check reads 12-grams
    >>> checks.repetition(cut) is not None, repetition(cut) is None
    (True, True)
"""

from __future__ import annotations

import re

from s2s1.filters import checks, phrases
from s2s1.filters.checks_sample import Sample, Span, find, leftmost
from s2s1.filters.text import prose_mask, sentences

__all__ = ["CUTOFF", "knowledge_cutoff", "repetition", "template_tokens"]

_WHEN = (
    r"(?:(?:early |mid-?|late |the end of )?(?:19|20)\d\d\b|(?:January|February|March|April|May|June|July"
    r"|August|September|October|November|December)\b|my\b|that date\b|then\b)"
)
_RECENT = r"(?:most recent|latest|newest|last|most up-to-date)"
_THING = (
    r"(?:information|data|figures|numbers|statistics|stats|updates?|news|versions?|releases?|models?"
    r"|reports?|estimates?|counts?|census|rankings?|records?)"
)
_CUTOFF_SHAPES = [
    r"\bI (?:do not|don't|did not|didn't) have (?:any )?(?:data|information|knowledge|details|updates|figures"
    rf"|news|records)(?: [\w-]+){{0,3}}? (?:beyond|after|past|since|later than) {_WHEN}",
    r"\bsince I was (?:last )?trained\b",
    rf"\bI was (?:last )?trained (?:on (?:data|information|text)(?: [\w-]+){{0,3}}? )?(?:up to|until|through"
    rf"|as of|in {_WHEN})",
    rf"\b(?:the )?{_RECENT} (?:[\w-]+ )?{_THING} (?:that )?I(?: have| know of| am aware of|'m aware of"
    r"| have access to)\b",
    rf"\b{_RECENT}(?: [\w-]+){{0,2}}? (?:that )?I(?: know (?:of|about)| am aware of|'m aware of"
    r"| have (?:heard|read) (?:of|about))\b",
    rf"\bI(?:'m| am) not aware of (?:any )?(?:[\w-]+ ){{0,4}}?(?:after|since|beyond|past) {_WHEN}",
    r"\b(?:information|data|knowledge) (?:available to me|I (?:was given|had access to|have access to)"
    r"|I was trained on) (?:up to|until|through|as of|from)\b",
    r"\bduring my training\b|\bat the time (?:I was trained|of my (?:last )?(?:training|update))\b",
    r"\bmy (?:information|knowledge|data|info|figures|numbers|sources) (?:may|might|could|is likely to"
    r"|is probably|are likely to|are probably) (?:be )?(?:a bit |slightly |somewhat |a little |rather"
    r" |quite )?(?:dated|outdated|out of date|out-of-date|stale|old|behind|incomplete)\b",
    r"\bI can only (?:speak to|tell you about|go by|report|vouch for|share|use) (?:what|information|data"
    r"|things|figures)\b[^.!?\n]{0,60}?\b(?:as of|up to|until|through|before|from) ",
]
CUTOFF = re.compile("|".join(_CUTOFF_SHAPES), re.IGNORECASE)
"""Cutoff remarks in other words than `phrases.CUTOFF` and `rules_lexicon.CUTOFF`."""
_SELF_KNOWS = re.compile(
    r"\b(?:I was (?:\w+ )?trained|I(?:'ve| have) been trained|my (?:own )?training\b|trained me\b"
    r"|(?<!from )what I (?:know|learned|was shown|have seen)\b"
    r"|(?<!to )(?<!of )my (?:own )?(?:knowledge|information|sense|picture)\b"
    r"|I (?:have no way to|can't|cannot|am unable to|don't have a way to)"
    r" (?:pull|check|browse|access|see|verify|look up|fetch|retrieve) (?:\w+ )?(?:live|real-time|current"
    r"|today's|up-to-date|new|recent)"
    r"|(?:releases?|events?|versions?|contenders?|tools?|models?) I(?:'ve| have)?"
    r" (?:never|not yet|not) (?:seen|heard of|come across))",
    re.IGNORECASE,
)
_STALE = re.compile(
    r"\b(?:behind|out of date|out-of-date|outdated|dated|stale|snapshot|frozen|recent(?:ly)?|newer|newest"
    r"|latest|live|real-time|since then|by now|as far as|only (?:goes|reaches|extends|covers|runs)"
    r"|(?:may|might|could|will) have (?:changed|shuffled|moved|shifted)|older|ends? (?:wherever|where|at))\b",
    re.IGNORECASE,
)


def _stale_self(view: str) -> Span | None:
    """The first sentence that speaks of the model's own knowledge and of its staleness."""
    for a, b in sentences(view):
        own = _SELF_KNOWS.search(view, a, b)
        if own and _STALE.search(view, a, b):
            return own.start(), b
    return None


def knowledge_cutoff(s: Sample) -> Span | None:
    """`checks.knowledge_cutoff`, or a cutoff remark of `CUTOFF` or in other words in prose."""
    view = prose_mask(s.text)
    return leftmost(checks.knowledge_cutoff(s), find(CUTOFF, view), _stale_self(view))


_FENCE_TOKEN = re.compile(r"^[ \t]*(?:```|~~~)[^\n]*?(" + phrases.TEMPLATE.pattern + r")", re.MULTILINE)


_QUOTED_TOKEN = re.compile(r"^[ \t]*>[^\n]*?(" + phrases.TEMPLATE.pattern + r")", re.MULTILINE)


def template_tokens(s: Sample) -> Span | None:
    """`checks.template_tokens`, or a template token on a fence line ("```<|im_end|>") or in a
    blockquote ("> To be, or not to be.<|eot_id|>"), which the prose view hides."""
    glued = _FENCE_TOKEN.search(s.text) or _QUOTED_TOKEN.search(s.text)
    return leftmost(checks.template_tokens(s), glued.span(1) if glued else None)


_RULER = re.compile(r"([^\w\s`~]{1,3}?)(?:[ \t]?\1){2,}")
"""Three or more of one symbol, or of a unit of two or three ("<><><>", "·:·:·:"), in a row or spaced
("• • •"): a ruler, not words (fences excepted)."""


def repetition(s: Sample) -> Span | None:
    """`checks.repetition` with ruler runs drawn as box-drawing lines ("─", which the loop check
    already reads as no words; offsets kept)."""
    span = checks.repetition(s)
    if span is None or not _RULER.search(s.text):  # a ruler only ever made a loop out of nothing
        return span
    ruled = _RULER.sub(lambda m: re.sub(r"\S", "─", m.group()), s.text)
    return checks.repetition(Sample(ruled, s.finish_reason, s.question, s.require_think))
