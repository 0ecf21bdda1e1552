"""The constitution: numbered principles written in Markdown, and the judge prompts made from them.

A constitution is a Markdown file; each principle is a `## N. Title` heading followed by three
lines, `Forbids:`, `Does not apply to:` and `Example:` (a leading `- ` is allowed), and may add a
`Check:` line that tests it without a model (`s2s1.filters.principle_checks`, imported only when a
file has one). Numbers run 1, 2, 3, ... in order. An optional `## Worked example` section holds a
`Question:` line and an `Answer:` that runs to the next heading: a demonstration of an answer that
keeps every principle. A malformed file is a `UserError` naming the line and the fix. s2s1 ships a
default, `configs/constitution.md`, and two style constitutions in `configs/constitutions/`. Each
principle has its own hash, so a cache keyed by it re-judges only the principles that changed.

`context_messages` turns a constitution into the context a teacher answers with (its principles
in the system prompt, its worked example as the demonstration) for context distillation
(`distill/adapters.py`). This module does not run a model (`s2s1.filters.judge`).

Example:
    >>> c = load_constitution()
    >>> c.principles[0].number, c.principles[0].title
    (1, 'No assistant boilerplate or self-reference')
    >>> "Does the text follow principle 1?" in judge_prompt(c.principles[0], "x = 2")
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
    "JUDGE_BREAKS",
    "JUDGE_SYSTEM",
    "Constitution",
    "Principle",
    "context_messages",
    "judge_prompt",
    "load_constitution",
    "parse_constitution",
]

JUDGE_SYSTEM = "You are a strict reviewer of training data. You answer exactly in the format asked for."
JUDGE_BREAKS = "No"
"""The answer to `judge_prompt` that means the text breaks the principle (the prompt asks whether
the text *follows* it; see `judge_prompt` for why)."""
_HEADING = re.compile(r"^##\s+(\d+)\.\s+(.+?)\s*$")
_FIELDS = {"forbids": "forbids", "does not apply to": "exempt", "example": "example", "check": "check"}
_FIELD = re.compile(
    r"^\s*(?:[-*]\s+)?(forbids|does not apply to|example|check)\s*:\s*(.+?)\s*$", re.IGNORECASE
)
_WORKED = re.compile(r"^##\s+worked example\s*$", re.IGNORECASE)
_OTHER_HEADING = re.compile(r"^#{1,2}\s")


@dataclass(frozen=True)
class Principle:
    number: int
    title: str
    forbids: str
    exempt: str
    """What the principle does not apply to."""
    example: str
    check: str = ""
    """A machine check (`s2s1.filters.principle_checks`) that decides this principle; "" for none."""

    @property
    def hash(self) -> str:
        text = "\n".join(
            [self.title, self.forbids, self.exempt, self.example] + [self.check] * bool(self.check)
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Constitution:
    source: str
    principles: list[Principle]
    worked_example: tuple[str, str] | None = None
    """(question, answer) that keeps every principle, from the `## Worked example` section."""
    text: str = ""
    """The file's text as written (the dataset card and an adapter folder keep it)."""

    @property
    def hash(self) -> str:
        parts = [p.hash for p in self.principles] + list(self.worked_example or ())
        return hashlib.sha256("".join(parts).encode()).hexdigest()[:16]


def _check_problem(spec: str) -> str | None:
    """What is wrong with a `Check:` line, or None (the checks live with the filters)."""
    from s2s1.filters.principle_checks import parse_check  # lazily: the filters package imports this module

    return parse_check(spec)


def parse_constitution(text: str, source: str = "constitution.md") -> Constitution:
    """Principles from Markdown text; UserError naming `source`, the line and the fix."""
    found: list[tuple[int, int, str, dict[str, str]]] = []  # (line, number, title, fields)
    worked: list[str] | None = None  # the lines of the worked example section, if there is one
    section = ""  # "principle", "worked" or "" (any other text)
    for n, line in enumerate(text.splitlines(), 1):
        if m := _HEADING.match(line):
            found.append((n, int(m.group(1)), m.group(2), {}))
            section = "principle"
        elif _WORKED.match(line):
            worked, section = [], "worked"
        elif _OTHER_HEADING.match(line):
            section = ""
        elif section == "worked" and worked is not None:
            worked.append(line)
        elif section == "principle" and (m := _FIELD.match(line)):
            found[-1][3][_FIELDS[m.group(1).lower()]] = m.group(2)
    if not found:
        raise UserError(
            f"{source}: no principles; write each as '## 1. Title' then Forbids/Does not apply to/Example"
        )
    principles = []
    for expected, (at, number, title, fields) in enumerate(found, 1):
        if number != expected:
            raise UserError(
                f"{source}:{at}: principle numbered {number}, expected {expected}; number them 1, 2, 3…"
            )
        for key, label in (("forbids", "Forbids"), ("exempt", "Does not apply to"), ("example", "Example")):
            if key not in fields:
                raise UserError(f"{source}:{at}: principle {number} has no '{label}:' line; add one under it")
        if "check" in fields and (problem := _check_problem(fields["check"])):
            raise UserError(f"{source}:{at}: principle {number} has a bad 'Check:' line: {problem}")
        principles.append(
            Principle(
                number, title, fields["forbids"], fields["exempt"], fields["example"], fields.get("check", "")
            )
        )
    return Constitution(source, principles, _worked_example(worked, source), text)


def _worked_example(lines: list[str] | None, source: str) -> tuple[str, str] | None:
    """(question, answer) from the worked example section's lines; None without the section."""
    if lines is None:
        return None
    body = "\n".join(lines).strip()
    m = re.match(r"(?is)question\s*:\s*(.+?)\n\s*answer\s*:\s*(.+)", body)
    if not m:
        raise UserError(
            f"{source}: the '## Worked example' section needs a 'Question:' line, then 'Answer:' and its text"
        )
    return m.group(1).strip(), m.group(2).strip()


def load_constitution(path: Path | str | None = None) -> Constitution:
    """The constitution at `path`, or the shipped default when None."""
    if path is None:
        default = resources.files("s2s1.configs") / "constitution.md"
        return parse_constitution(default.read_text(encoding="utf-8"), "configs/constitution.md")
    path = Path(path)
    if not path.is_file():
        raise UserError(
            f"{path}: no such constitution file; give a Markdown file like configs/constitution.md"
        )
    return parse_constitution(path.read_text(encoding="utf-8"), str(path))


def judge_prompt(principle: Principle, text: str, *, limit: int = 6000, reason_first: bool = False) -> str:
    """The question put to the judge for one principle and one trace (long traces are cut).

    The prompt asks whether the text *follows* the principle, so `Answer: No` (`JUDGE_BREAKS`)
    is the violation. Measured on SmolLM2-135M and Qwen2.5-Coder-0.5B (benchmarks/judge/README.md):
    small judges barely read the question; they lean Yes for ordinary worked maths and No for
    refusals and self-talk whatever is asked, and copy the first option of the format line. Asked
    "does the text break it?", that leaning made both judges inverted (AUROC 0.12 and 0.16); asked
    "does it follow it?", the same leaning points the right way, and a judge that does read the
    question answers either wording alike.

    The reply format ends the prompt: `Answer: Yes or No`, `Quote:`, `Reason:` lines; with
    `reason_first`, a `Reasoning:` line comes before them (the verdict follows the reasoning).

    Example:
        >>> p = load_constitution().principles[0]
        >>> judge_prompt(p, "x", reason_first=True).splitlines()[-4]
        'Reasoning: one or two sentences that weigh the text against the principle'
    """
    shown = text if len(text) <= limit else text[:limit] + "\n[…cut]"
    lines = "Answer: Yes or No\nQuote: the exact words that break it (or none)\nReason: one short sentence"
    if reason_first:
        ask = "First reason, then answer. Reply in four lines:\n"
        lines = "Reasoning: one or two sentences that weigh the text against the principle\n" + lines
    else:
        ask = "Reply in three lines:\n"
    return (
        f"Principle {principle.number}: {principle.title}.\n"
        f"It forbids: {principle.forbids}\n"
        f"It does not apply to: {principle.exempt}\n"
        f"Example of a violation: {principle.example}\n\n"
        f"Text to review:\n<<<\n{shown}\n>>>\n\n"
        f"Does the text follow principle {principle.number}? {ask}{lines}"
    )


def context_messages(
    constitution: Constitution, system_prompt: str
) -> tuple[str, tuple[dict[str, str], ...]]:
    """(system prompt, demonstration) for a teacher that answers by `constitution`.

    The system prompt is `system_prompt` followed by every principle as a rule; the demonstration
    is the worked example as one user and one assistant turn (empty without one).

    Example:
        >>> system, demo = context_messages(load_constitution(), "Be careful.")
        >>> system.splitlines()[2][:48], demo
        ('1. No assistant boilerplate or self-reference. N', ())
    """
    rules = [f"{p.number}. {p.title}. Not allowed: {p.forbids}" for p in constitution.principles]
    system = "\n".join([system_prompt, "Follow these rules in every answer:", *rules])
    if constitution.worked_example is None:
        return system, ()
    question, answer = constitution.worked_example
    return system, ({"role": "user", "content": question}, {"role": "assistant", "content": answer})
