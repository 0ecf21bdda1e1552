"""Code the prompt asked for, left out in words (issue 24, graders' kind "elided requested code in
words without a pattern"): the rule `left_out_code`.

In a code answer (one with a fence), a sentence or comment that leaves part of the code out or to
the user:

- "I've left out `remove` and `reverse` since they're straightforward" (left out, omitted, skipped);
- "The update and delete endpoints follow the same pattern, so I'll leave those to you", "Tests for
  `sub` and `mul` would look exactly the same", "The remaining functions translate the same way",
  "Apply the same change to the other three functions";
- a comment: "<!-- Features grid and footer go here -->", "# and the same for /home and /var/www",
  "# Book and Review models are defined the same way", "// equals: TODO";
- "The `PUT` and `DELETE` routes aren't included above" (not included, shown, written out; in
  prose or a comment), "I
  didn't write them out" (a pronoun names what the sentence before named), "transfer() and
  getStatement() are placeholders", "-- members and loans would slot in here", "The orders and
  payments triggers are identical ..., so I didn't repeat them";
- a Python function whose body is only a docstring and a comment that describes the code
  ("# standard hashlib chunked-read loop"): the code is described, not written (methods of a
  `Protocol` or `ABC`, and `@abstractmethod` or `@overload` ones, pass).

The words drop only when what is left out is named in the prompt (a word of it other than generic code
words: "update", "footer", "/var/www") or is "the rest", "the other ..." or "the remaining ...":
"I've left out type checks since the annotation documents the input" (not asked for) and "Other
endpoints you add later follow the same pattern" (nothing asked is missing) pass, and so does an
extension the user may want later ("If you ever onboard non-US users, a variant of
`normalize_phone` could follow the same shape"). Unlike
`elided_code`'s "rest of your code unchanged", the user's own code in the prompt does not excuse
it: the work asked for is undone. This module does not run code.

Example:
    >>> q = "Write a linked list with add, remove and reverse."
    >>> left_out("```java\\nclass L {}\\n```\\nI've left out `remove` since it is easy.", q) is not None
    True
    >>> left_out("```java\\nclass L {}\\n```\\nI've left out type checks since they add noise.", q) is None
    True
"""

from __future__ import annotations

import ast
import re

from s2s1.filters.checks_sample import Span
from s2s1.filters.text import prose_mask

__all__ = ["GENERIC", "left_out"]

_I = re.IGNORECASE
_LEFT = re.compile(
    r"\bI(?:'ve| have|'ll| will|'m going to| am going to)? (?:left|leave|omitted|omit|skipped|skip|excluded"
    r"|held back|hold back|held off on|hold off on"
    r"|(?:didn't|did not|haven't|have not) (?:write|written|include|included|implement|implemented|add|added"
    r"|show|shown|cover|covered|spell|spelled))"
    r"(?: out)? (?P<what>[^.;:!?\n]{1,80}?)(?= since\b| because\b| as\b| for (?:you|now|brevity)\b| to you\b"
    r"|,|[.;:!?]|\n|$)",
    _I,
)
_SAME = re.compile(
    r"\b(?:follows? the same (?:pattern|approach|structure|logic|steps|idea|format|shape|template)"
    r"|would look (?:exactly |much |pretty much |almost )?(?:the same|similar|alike|identical)"
    r"|(?:can|could|would|should) be (?:implemented|written|done|added|handled|tested|translated|converted"
    r"|built) (?:similarly|the same way|in the same way|analogously|likewise)"
    r"|(?:are|is) (?:set up|built|created|defined|implemented|written|handled|done|structured|configured"
    r"|wired up|added|declared) (?:the same way|similarly|in the same way|likewise|analogously|identically)"
    r"|translate (?:the same way|similarly)|(?:are|is) left (?:as an exercise|to you|for you)"
    r"|\b(?:apply|repeat|do|make) the same(?: \w+)? (?:for|to|with)\b"
    r"|I(?:'ll| will) leave (?:those|them|these|that|it|the rest)(?: \w+)? (?:to|for) you"
    r"|(?:can|could) be (?:dropped|added|filled|slotted|plugged|wired)(?: in| up)?\b[^.\n]{0,60}?"
    r"\b(?:whenever|later|once you|when you|as needed)"
    r"|(?:(?:are|is) identical|(?:are|is) the same|only differ|differ only)\b[^.\n]{0,120}?\bso I"
    r" (?:didn't|did not|won't|haven't|have not) (?:repeat|duplicate|copy|write out)\w*)",
    _I,
)
"""Saying the rest is like what was shown, in prose or in a code comment."""
_COMMENT = re.compile(
    r"(?:#|//|/\*|<!--|--)[ \t]*(?:\.{2,}[ \t]*)?(?:(?P<here>[^\n]{1,60}?)\b(?:(?:would|will|should|can)"
    r" )?(?:go(?:es)?|belongs?|slots? in|fits?|comes?|be added|be defined) here\b"
    r"|(?:and |then )?(?:do |repeat (?:this |that )?)?(?:the )?same (?:for|with)"
    r" (?P<for>[^\n]{1,60}))",
    _I,
)
_ABSENT = re.compile(
    r"(?P<what>[^.;:!?\n]{1,80}?) (?:is|are)(?:n't| not) (?:included|shown|written(?: out)?|implemented"
    r"|covered|listed)\b(?! (?:in the prompt|in your question))",
    _I,
)
"""Named code said to be missing from the answer ("The update route isn't included above")."""
_STUB = re.compile(
    r"(?P<what>[^.;:!?\n]{1,80}?) (?:(?:is|are) (?:just |only |still |left as )?"
    r"(?:placeholders?|stubs?|stubbed(?: out)?|empty shells?|left (?:empty|blank)|empty for now)"
    r"|still needs? (?:bodies|a body|implementing|to be (?:written|implemented|filled in)))\b",
    _I,
)
"""Named code said to be a stub, in prose or a comment ("transfer() and getStatement() are
placeholders that still need bodies", "// Home and Settings are empty shells for now")."""
_EXTRA = re.compile(
    r"[\s*_-]*(?:if you (?:ever|later|also|want|need|decide|plan)|should you|later on|in the future)\b", _I
)
"""A sentence about an extension the user may add later, not about code left out."""
_PRONOUN = re.compile(r"\s*(?:them|those|these|it|that|they|the (?:others?|rest))\b", _I)
_TODO = re.compile(r"(?:#|//|/\*|<!--|--)(?P<what>[^\n]{0,60}?)\b(?:TODO|FIXME)\b(?P<after>[^\n]{0,60})")
"""A TODO comment: code left undone where it stands."""
_REST = re.compile(r"\bthe (?:rest|remaining|other)\b|\bremaining\b", _I)
_MARKER = re.compile(r"#|//|/\*|<!--|--")
_YOURS = re.compile(r"\byou(?:r|rs)?\b", _I)
_WORD = re.compile(r"[\w/.-]*\w")

GENERIC = frozenset(
    """a an the and or of to in on for with by as at is are be it its this that these those them they
    you your i we our my me so then than but not no all any each other others rest remaining same way
    similar similarly pattern like just only also here there up out since because code function
    functions method methods class classes test tests endpoint endpoints route routes handler handlers
    file files page pages section sections part parts piece pieces logic implementation implementations
    step steps one ones thing things case cases component components field fields line lines example
    examples add write implement create make use build show give get set new later now more simple
    straightforward easy trivial look looks would could should can will follow follows go goes""".split()
)
"""Words that name nothing the prompt asked for in particular."""


def _named(fragment: str, question: str) -> bool:
    """Whether `fragment` names something the prompt names (a non-generic word of both)."""

    asked = _words(question)
    return any(w not in GENERIC and len(w) > 2 and w in asked for w in _words(fragment))


def _words(s: str) -> set[str]:
    """Lower-cased words, a plural "s" taken off ("tables" → "table", not "class" → "clas")."""
    out = set()
    for w in _WORD.findall(s.replace("`", " ").lower()):
        w = w.strip(".")
        out.add(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return out


def _undone(what: str, question: str) -> bool:
    return bool(_REST.search(what)) or _named(what, question)


def _around(text: str, prose: str, m: re.Match[str]) -> tuple[int, int]:
    """The sentence of prose around `m` (at most 200 characters each side), or the comment it ends in
    code (from its marker to the end of the line); (-1, -1) for code that is not a comment."""
    line_end = text.find("\n", m.end())
    line_end = len(text) if line_end < 0 else line_end
    if prose[m.start()] == " ":  # in code: only a comment says something
        marker = _MARKER.search(text, text.rfind("\n", 0, m.start()) + 1, m.start())
        return (marker.end(), line_end) if marker else (-1, -1)
    start = max(prose.rfind(c, max(0, m.start() - 200), m.start()) for c in ".!?\n") + 1
    ends = [i for c in ".!?\n" if (i := prose.find(c, m.end(), m.end() + 200)) >= 0]
    return max(start, m.start() - 200), min(ends, default=min(len(text), m.end() + 200))


def _what(text: str, m: re.Match[str]) -> str:
    """What `m` leaves out; for a pronoun ("I didn't write them out"), the 250 characters before."""
    what = text[m.start("what") : m.end("what")]
    return text[max(0, m.start() - 250) : m.start()] + what if _PRONOUN.match(what) else what


_PY_BLOCK = re.compile(r"^[ \t]*```(?:python|py|python3)[ \t]*\n(.*?)^[ \t]*```", re.M | re.S)
_ABSTRACT = re.compile(r"\b(?:Protocol|ABC|ABCMeta|abstractmethod|overload)\b")


def _described_only(text: str) -> Span | None:
    """The comment of the first Python function (in a fenced block that parses) whose body is only a
    docstring and that comment; abstract, overload and `Protocol`/`ABC` methods pass."""
    for block in _PY_BLOCK.finditer(text):
        code = block.group(1)
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        lines = code.splitlines(keepends=True)
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line))
        skip = {
            id(f)
            for c in ast.walk(tree)
            if isinstance(c, ast.ClassDef) and _ABSTRACT.search(" ".join(ast.unparse(b) for b in c.bases))
            for f in c.body
        }
        for f in ast.walk(tree):
            if not isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef) or id(f) in skip:
                continue
            body = f.body[0]
            doc = len(f.body) == 1 and isinstance(body, ast.Expr) and isinstance(body.value, ast.Constant)
            if not doc or any(_ABSTRACT.search(ast.unparse(d)) for d in f.decorator_list):
                continue
            for i in range(f.end_lineno, len(lines)):  # the lines after the docstring, still indented
                line = lines[i]
                if line.strip() and len(line) - len(line.lstrip()) <= f.col_offset:
                    break
                if line.lstrip().startswith("#") and len(line.strip()) > 3:
                    at = block.start(1) + offsets[i] + len(line) - len(line.lstrip())
                    return at, block.start(1) + offsets[i] + len(line.rstrip())
    return None


def left_out(text: str, question: str) -> Span | None:
    """The first sentence or comment of a code answer that leaves out code the prompt asked for."""
    if "```" not in text:
        return None
    prose = prose_mask(text)
    spans = [m.span() for m in _LEFT.finditer(prose) if _named(_what(text, m), question)]
    spans += [m.span() for m in _STUB.finditer(text) if _named(_what(text, m), question)]
    for m in _SAME.finditer(text):
        start, end = _around(text, prose, m)
        if m.group().lower().endswith(("for", "to", "with")):  # "apply the same to <what>"
            said = re.split(r"[,;:.!?\n]", text[m.end() : end], maxsplit=1)[0]
        else:  # "<what> follows the same pattern"
            said = text[start : m.start()]
        extra = _EXTRA.match(text, start) is not None  # "If you ever need X, it could follow the same shape"
        if start >= 0 and not extra and _undone(said, question):
            spans.append(
                (start + len(text[start : m.start()]) - len(text[start : m.start()].lstrip()), m.end())
            )
    for view in (prose, text):  # in prose, or in a comment ("# export_csv isn't written out here")
        for m in _ABSENT.finditer(view):
            line = text[text.rfind("\n", 0, m.start()) + 1 : m.end()]
            said = view is prose or (prose[m.end() - 1] == " " and _MARKER.search(line) is not None)
            if said and _undone(text[m.start("what") : m.end("what")], question):
                spans.append(m.span())
    for m in _TODO.finditer(text):
        what = m.group("what") + " " + m.group("after")
        if prose[m.start()] == " " and not _YOURS.search(what) and _named(what, question):
            spans.append(m.span())
    for m in _COMMENT.finditer(text):
        what = m.group("here") or m.group("for") or ""
        if prose[m.start()] == " " and not _YOURS.search(what) and _undone(what, question):
            spans.append(m.span())
    described = _described_only(text)
    return min(spans + ([described] if described else []), default=None)
