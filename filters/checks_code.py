"""The code checks: code left out where the answer should hold it, and two soft signals.

`elided_code` finds an elided body in code or prose ("# ... rest of the code unchanged", "the rest
of the function stays the same", "// same as discussed", code left out "for brevity");
`placeholder_code` a placeholder or a bare `...` line inside code; `user_placeholder` (soft) a
comment standing for the user's own code ("// your code here"); `todo_in_code` (soft) a TODO. Each
returns the offending span or None; patterns live in `s2s1.filters.code_phrases`. Whether a hit is
what the prompt asked for (a template, the user's own code) is `s2s1.filters.rules`' call, except
that `elided_code` skips hits about *your* code when the prompt names the user's app or config
(`own_named`). These checks do not run code (the code verifier does).

Example:
    >>> elided_code(Sample("```python\\n# ... rest of the code unchanged\\n```")) is not None
    True
    >>> elided_code(Sample("After return, the rest of the function is not executed.")) is None
    True
"""

from __future__ import annotations

import re

from s2s1.filters import code_phrases
from s2s1.filters.checks_prompt import asks
from s2s1.filters.checks_sample import Sample, Span, find
from s2s1.filters.text import prose_mask

__all__ = ["elided_code", "placeholder_code", "todo_in_code", "user_placeholder"]


def _code_only(text: str) -> str:
    prose = prose_mask(text)
    return "".join(
        c if p == " " and c != " " else (" " if c != "\n" else "\n") for c, p in zip(text, prose, strict=True)
    )


_YOURS = re.compile(r"\byou(?:r|rs)?\b", re.IGNORECASE)


def _first_kept(pattern: re.Pattern[str], view: str, mine: bool) -> Span | None:
    """The first match, skipping those on a line that speaks of *your* code when the prompt names its own."""
    for m in pattern.finditer(view):
        end = view.find("\n", m.end())
        line = view[view.rfind("\n", 0, m.start()) + 1 : end if end >= 0 else len(view)]
        if not (mine and _YOURS.search(line)):
            return m.span()
    return None


def elided_code(s: Sample) -> Span | None:
    """'Rest of the code remains the same', `# ... existing code`, '(implementation omitted)', a
    comment pointing back ('// same steps as discussed'), or a code answer's prose leaving code out
    'for brevity'. When the prompt names the user's own code or config ('my .bashrc', 'my Express
    app'), a hit that speaks of *your* code stands for it (`user_placeholder` scores it)."""
    text = s.text.replace("\u2019", "'")
    wanted = asks(s.question)
    mine = "own_named" in wanted and "own_code" not in wanted  # shown code makes every hit soft
    spans = [_first_kept(p, text, mine) for p in (code_phrases.ELIDED, code_phrases.ELIDED_SHAPES)]
    spans.append(_first_kept(code_phrases.ELIDED_REF, _code_only(text), mine))
    if "```" in text:
        spans.append(find(code_phrases.BREVITY, prose_mask(text)))
    return min((x for x in spans if x is not None), default=None)


_OUTPUT_BLOCK = re.compile(
    r"^[ \t]*```[ \t]*(?:text|txt|output|console|plaintext|log|shell-session)[ \t]*\n.*?^[ \t]*```",
    re.MULTILINE | re.DOTALL | re.IGNORECASE,
)
"""A fenced block of printed output: a `...` line there elides output, not code."""


def placeholder_code(s: Sample) -> Span | None:
    """A bare `...` line in code, or a placeholder for code left out ("# other methods go here"):
    elided requested code unless the prompt brought its own code or asked for a template or config
    (`Rule.asked`). A comment for the user's own code ("// your code here") is `user_placeholder`."""
    code = _code_only(_OUTPUT_BLOCK.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), s.text))
    return min(
        (x for x in (find(code_phrases.PLACEHOLDER, code), find(code_phrases.ELIDED_LINE, code)) if x),
        default=None,
    )


def user_placeholder(s: Sample) -> Span | None:
    """Soft: a comment standing for the user's own code or config ("// your code here")."""
    return find(code_phrases.YOURS, _code_only(s.text))


def todo_in_code(s: Sample) -> Span | None:
    """Soft: a TODO or FIXME comment left in the code."""
    return find(code_phrases.TODO, s.text)
