"""The constitution: numbered principles written in Markdown, and the judge prompts made from them.

A constitution is a Markdown file; each principle is a `## N. Title` heading followed by three
lines, `Forbids:`, `Does not apply to:` and `Example:` (a leading `- ` is allowed). Numbers run
1, 2, 3, ... in order. A malformed file is a `UserError` naming the line and the fix. s2s1 ships
a default, `configs/constitution.md`. Each principle has its own hash, so a cache keyed by it
re-judges only the principles that changed. This module does not run a model (`filters.judge`).

Example:
    >>> c = load_constitution()
    >>> c.principles[0].number, c.principles[0].title
    (1, 'No assistant boilerplate or self-reference')
    >>> "Does the text break principle 1?" in judge_prompt(c.principles[0], "x = 2")
    True
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from s2s1.errors import UserError

__all__ = [
    "JUDGE_SYSTEM",
    "Constitution",
    "Principle",
    "judge_prompt",
    "load_constitution",
    "parse_constitution",
]

JUDGE_SYSTEM = "You are a strict reviewer of training data. You answer exactly in the format asked for."
_HEADING = re.compile(r"^##\s+(\d+)\.\s+(.+?)\s*$")
_FIELDS = {"forbids": "forbids", "does not apply to": "exempt", "example": "example"}
_FIELD = re.compile(r"^\s*(?:[-*]\s+)?(forbids|does not apply to|example)\s*:\s*(.+?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Principle:
    number: int
    title: str
    forbids: str
    exempt: str
    """What the principle does not apply to."""
    example: str

    @property
    def hash(self) -> str:
        text = "\n".join([self.title, self.forbids, self.exempt, self.example])
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Constitution:
    source: str
    principles: list[Principle]

    @property
    def hash(self) -> str:
        return hashlib.sha256("".join(p.hash for p in self.principles).encode()).hexdigest()[:16]


def parse_constitution(text: str, source: str = "constitution.md") -> Constitution:
    """Principles from Markdown text; UserError naming `source`, the line and the fix."""
    found: list[tuple[int, int, str, dict[str, str]]] = []  # (line, number, title, fields)
    for n, line in enumerate(text.splitlines(), 1):
        if m := _HEADING.match(line):
            found.append((n, int(m.group(1)), m.group(2), {}))
        elif (m := _FIELD.match(line)) and found:
            found[-1][3][_FIELDS[m.group(1).lower()]] = m.group(2)
    if not found:
        raise UserError(
            f"{source}: no principles; write each as '## 1. Title' then Forbids/Does not apply to/Example"
        )
    principles = []
    for expected, (line, number, title, fields) in enumerate(found, 1):
        if number != expected:
            raise UserError(
                f"{source}:{line}: principle numbered {number}, expected {expected}; number them 1, 2, 3…"
            )
        for key, label in (("forbids", "Forbids"), ("exempt", "Does not apply to"), ("example", "Example")):
            if key not in fields:
                raise UserError(
                    f"{source}:{line}: principle {number} has no '{label}:' line; add one under it"
                )
        principles.append(Principle(number, title, fields["forbids"], fields["exempt"], fields["example"]))
    return Constitution(source, principles)


def load_constitution(path: Path | str | None = None) -> Constitution:
    """The constitution at `path`, or the shipped default when None."""
    if path is None:
        default = resources.files("configs") / "constitution.md"
        return parse_constitution(default.read_text(encoding="utf-8"), "configs/constitution.md")
    path = Path(path)
    if not path.is_file():
        raise UserError(
            f"{path}: no such constitution file; give a Markdown file like configs/constitution.md"
        )
    return parse_constitution(path.read_text(encoding="utf-8"), str(path))


def judge_prompt(principle: Principle, text: str, *, limit: int = 6000) -> str:
    """The question put to the judge for one principle and one trace (long traces are cut)."""
    shown = text if len(text) <= limit else text[:limit] + "\n[…cut]"
    return (
        f"Principle {principle.number}: {principle.title}.\n"
        f"It forbids: {principle.forbids}\n"
        f"It does not apply to: {principle.exempt}\n"
        f"Example of a violation: {principle.example}\n\n"
        f"Text to review:\n<<<\n{shown}\n>>>\n\n"
        f"Does the text break principle {principle.number}? Reply in three lines:\n"
        "Answer: Yes or No\nQuote: the exact words that break it (or none)\nReason: one short sentence"
    )
