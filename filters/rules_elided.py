"""Code left out, read against the prompt (issue 24, graders' kinds): `elided_code`,
`placeholder_code` and the soft `config_ellipsis`.

`elided_code` is `checks_code.elided_code` without two false rejects and with one miss fixed:

- prose about control flow is no elision: "the rest of the function is skipped, and the same value
  is returned", "the rest of the function remains suspended until the promise settles" (after
  "remains"/"stays" only a sameness word counts: "the same", "unchanged", "as is");
- a comment about data is no elision: "# remaining items stay in the queue" (after "remaining",
  "existing" or "previous" a code noun must follow: code, methods, config, routes ...);
- code left out in words, in the prose or comments of a code answer, when what is left out is
  what the prompt asked for: "I've left out `remove` and `reverse` since ...", "The update and
  delete endpoints follow the same pattern, so I'll leave those to you", "<!-- Features grid and
  footer go here -->", "# and the same for /home and /var/www", or "the remaining functions
  translate the same way". The thing left out must be named in the prompt or be "the rest / the
  other / the remaining" part; "I've left out type checks since ..." (not asked for) passes.

`placeholder_code` is `checks_code.placeholder_code` except for a bare `...`, `# ...` or `// ...`
line that stands for the user's own config: it is followed by the entries the answer adds, in a
config language (JSON, YAML, TOML, nginx ...), a shell rc file, or a data literal of code
(`INSTALLED_APPS = [`, `defineConfig({`). So is every bare ellipsis line when the prompt names or
shows the user's own file and the answer says the ellipsis stands for it ("everything marked
`# ...` is your existing configuration"), unless the prompt asks for the full or complete thing.
That line is the soft score `config_ellipsis`; a bare `...` at the end of a block or in a function
body stays a drop. These checks do not run code.

Example:
    >>> placeholder_code(Sample("```json\\n{\\n  ...\\n  \\"proxy\\": \\"http://x\\"\\n}\\n```")) is None
    True
    >>> config_ellipsis(Sample("```json\\n{\\n  ...\\n  \\"proxy\\": \\"http://x\\"\\n}\\n```")) is not None
    True
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from functools import lru_cache

from s2s1.filters import checks_code, code_phrases
from s2s1.filters.checks_sample import Sample, Span, find
from s2s1.filters.rules_asks import wanted
from s2s1.filters.text import prose_mask

__all__ = ["config_ellipsis", "elided_code", "placeholder_code"]

_FLOW = re.compile(
    r"\b(?:skipped|skips|executed|executes|run|runs|reached|ignored|suspended|paused|blocked|jumps?|exits?"
    r"|stops?|never|not|bypassed|unreachable)\b",
    re.IGNORECASE,
)
_SAME = re.compile(
    r"\s*(?:the same|unchanged|as[- ]is|as before|as (?:it|they) (?:is|are|was|were)|identical|intact"
    r"|untouched|exactly|as (?:above|shown)|[.:;,)]|\n|\Z)",
    re.IGNORECASE,
)
_CODE_WORD = re.compile(
    r"(?:remaining|existing|previous)\s+(?!(?:code|implementation|functions?|program|methods?|logic|script"
    r"|config\w*|settings?|lines?|imports?|routes?|handlers?|fields?|props|properties|options|keys"
    r"|middleware|plugins?|rules?|stuff|parts?|sections?|blocks?|body|content|definitions?|declarations?"
    r"|steps|tests?|cases?|components?|classes|endpoints?|views?|html|css|markup|styles?|\.{2,}|…)\b)\w",
    re.IGNORECASE,
)
"""A comment about data ("# remaining items stay"), not code: what follows is no code noun."""


def _elision(m: re.Match[str], view: str) -> bool:
    """Whether an `ELIDED` / `ELIDED_SHAPES` match speaks of code left out (not of control flow or
    of data)."""
    said = m.group()
    if _CODE_WORD.search(said) or (
        said.lower().startswith(("the rest", "rest", "the remainder")) and _FLOW.search(said)
    ):
        return False
    if re.search(r"\b(?:remains?|stays?)$", said, re.IGNORECASE):
        return _SAME.match(view, m.end()) is not None
    return True


def _first(pattern: re.Pattern[str], view: str, keep: Callable[[re.Match[str]], bool]) -> Span | None:
    return next((m.span() for m in pattern.finditer(view) if keep(m)), None)


_YOURS = re.compile(r"\byou(?:r|rs)?\b", re.IGNORECASE)


def _line(view: str, m: re.Match[str]) -> str:
    end = view.find("\n", m.end())
    return view[view.rfind("\n", 0, m.start()) + 1 : end if end >= 0 else len(view)]


def elided_code(s: Sample) -> Span | None:
    """Code left out: `checks_code.elided_code`'s phrasings less control flow and data comments,
    and code the prompt asked for left out in words (`rules_elided_words.left_out`)."""
    text = s.text.replace("\u2019", "'")
    asked = wanted(s.question)
    mine = "own_named" in asked and "own_code" not in asked  # "# ... rest of your .bashrc"

    def keep(m: re.Match[str]) -> bool:
        return _elision(m, text) and not (mine and _YOURS.search(_line(text, m)))

    spans = [_first(p, text, keep) for p in (code_phrases.ELIDED, code_phrases.ELIDED_SHAPES)]
    code = _code_only(text)
    spans.append(
        _first(code_phrases.ELIDED_REF, code, lambda m: not (mine and _YOURS.search(_line(code, m))))
    )
    if "```" in text:
        spans.append(find(code_phrases.BREVITY, prose_mask(text)))
    return min((x for x in spans if x is not None), default=None)


@lru_cache(maxsize=2)
def _code_only(text: str) -> str:
    """The code of `text`: prose blanked, offsets kept (the rules ask for it more than once)."""
    prose = prose_mask(text)
    return "".join(
        c if p == " " and c != " " else (" " if c != "\n" else "\n") for c, p in zip(text, prose, strict=True)
    )


_CONFIG_LANGS = {
    "json", "jsonc", "json5", "yaml", "yml", "toml", "ini", "cfg", "conf", "nginx", "apache", "apacheconf",
    "xml", "properties", "env", "dotenv", "hcl", "terraform", "tf", "editorconfig", "gitconfig", "ssh-config",
}  # fmt: skip
_SHELL_LANGS = {"", "bash", "sh", "zsh", "shell", "fish"}
_OUTPUT_LANGS = {"text", "txt", "output", "console", "plaintext", "log", "shell-session"}
"""Printed output: a `...` line there elides output, not code (as in `checks_code`)."""
_RC_ENTRY = re.compile(r"\s*(?:alias|export|source|set|setopt|bindkey|eval|unset|PATH=|\w+=)\b")
_ITEM = re.compile(r"""\s*(?:["'][^"'\n]*["']\s*[:,=]?|[\w.@$\[\]-]+\s*[:=]|[\w.]+\(|- )""")
_OPENER = re.compile(r"(?:[=:(,]\s*|^\s*)[\[{(]\s*$|,\s*$")
_CLOSER = re.compile(r"\s*[}\])]+[;,]?\s*$")
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)[ \t]*([\w+-]*)", re.MULTILINE)


def _config(lang: str, before: list[str], after: list[str]) -> bool:
    """Whether a bare ellipsis line between these code lines stands for the user's own config: the
    entries the answer adds follow it, in a config language, a shell rc file or a data literal."""
    before = [ln for ln in before if ln.strip()]
    nxt = next((ln for ln in after if ln.strip()), "")
    if not nxt or _CLOSER.match(nxt):
        return False  # nothing added after it: the ellipsis ends the block, code left out
    if lang in _CONFIG_LANGS or (lang in _SHELL_LANGS and _RC_ENTRY.match(nxt)):
        return True
    return (not before or _OPENER.search(before[-1]) is not None) and _ITEM.match(nxt) is not None


_MARK = r"(?:`[ \t]*(?:#|//|--|/\*)?[ \t]*(?:\.{3}|…)[^`\n]{0,12}`|\.{3}|…|ellips[ie]s)"
_THEIRS = r"(?:your (?:existing|current|own|other|original)|(?:the|what's) (?:existing|current)|unchanged)"
_SAYS_YOURS = re.compile(rf"{_MARK}[^.\n]{{0,60}}?\b{_THEIRS}\b|\b{_THEIRS}\b[^.\n]{{0,60}}?{_MARK}", re.I)
"""The answer says its ellipsis lines stand for the user's own content."""
_ALL = re.compile(r"\b(?:full|complete|entire|whole)\b", re.I)


def _stands_for_yours(s: Sample) -> bool:
    """Whether the prompt names or shows the user's own file, does not ask for all of it, and the
    answer's prose says its ellipsis lines stand for the user's existing content."""
    own = wanted(s.question) & {"own_named", "own_code"}
    return bool(own) and not _ALL.search(s.question or "") and _SAYS_YOURS.search(s.text) is not None


def _bare_lines(s: Sample) -> Iterator[tuple[Span, bool]]:
    """Each bare ellipsis line in a fenced code block (not printed output), with whether it stands
    for the user's config."""
    text, code = s.text, _code_only(s.text)
    theirs = _stands_for_yours(s)
    fences = list(_FENCE.finditer(text))
    starts = [f.start() for f in fences]
    for m in code_phrases.ELIDED_LINE.finditer(code):
        k = bisect_left(starts, m.start())
        if k % 2 == 0:  # not inside a fenced block
            continue
        lang = fences[k - 1].group(1).lower()
        body = text.find("\n", fences[k - 1].end()) + 1
        end = fences[k].start() if k < len(fences) else len(text)
        if lang not in _OUTPUT_LANGS:
            before, after = text[body : m.start()].split("\n"), text[m.end() : end].split("\n")
            yield m.span(), theirs or _config(lang, before, after)


def placeholder_code(s: Sample) -> Span | None:
    """`checks_code.placeholder_code`, less bare ellipsis lines that stand for the user's config."""
    span = checks_code.placeholder_code(s)
    if span is None or not code_phrases.ELIDED_LINE.fullmatch(s.text, *span):
        return span
    other = find(code_phrases.PLACEHOLDER, _code_only(s.text))
    bare = next((x for x, config in _bare_lines(s) if not config), None)
    return min((x for x in (other, bare) if x is not None), default=None)


def config_ellipsis(s: Sample) -> Span | None:
    """Soft: a bare ellipsis line standing for the user's own config (`placeholder_code` skips it)."""
    return next((x for x, config in _bare_lines(s) if config), None)
