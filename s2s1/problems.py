"""Problem sources: built-in sets, JSON-lines files, `datasets` sources, and the train/eval split.

Built-ins ship inside the package so the installed CLI finds them: `arithmetic` (generated easy
sums and products, so a 135M teacher is right sometimes and wrong sometimes), and 100-problem
slices of GSM8K (test split) and MATH-500. Files may hold `Problem` rows or GSM8K/MATH-style rows
(`question` + `answer`, optional `id`, `solution`).

The split is by a hash of the problem id, so it is stable when sources grow or are reordered;
`overlapping` finds held-out problems whose question repeats a training one (the caller drops
them). This module does not download anything.

Example:
    >>> probs = arithmetic_problems(3, seed=0)
    >>> [p.id for p in probs]
    ['arithmetic-0', 'arithmetic-1', 'arithmetic-2']
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from s2s1.config import ProblemsConfig, ProblemSource
from s2s1.errors import UserError
from s2s1.records import Problem
from s2s1.shards import read_jsonl

__all__ = ["arithmetic_problems", "held_out_split", "load_problems", "read_problem_file", "split_problems"]

_PROBLEM_FIELDS = set(Problem.model_fields)


def load_problems(cfg: ProblemsConfig) -> list[Problem]:
    """All problems of all sources, in order; duplicate ids, an empty file or no problems are an error."""
    problems: list[Problem] = []
    for source in cfg.sources:
        problems.extend(_load_source(source))
    if not problems:
        raise UserError("problems: the sources hold no problems; add a source or raise its limit")
    seen: set[str] = set()
    for p in problems:
        if p.id in seen:
            raise UserError(f"problems: id {p.id!r} appears twice; give each problem a unique id")
        seen.add(p.id)
    return problems


def split_problems(
    problems: Sequence[Problem], eval_fraction: float, seed: int = 0
) -> tuple[list[Problem], list[Problem]]:
    """(train, eval): a problem goes to eval when the hash of (seed, id) falls below the fraction."""
    train: list[Problem] = []
    held_out: list[Problem] = []
    for p in problems:
        h = hashlib.sha256(f"{seed}:{p.id}".encode()).digest()
        (held_out if int.from_bytes(h[:8], "big") / 2**64 < eval_fraction else train).append(p)
    return train, held_out


def held_out_split(cfg: ProblemsConfig) -> tuple[list[Problem], list[Problem], dict[str, str]]:
    """(train, held out, leaks): `cfg`'s problems split, held-out ones repeating a training one left out.

    `leaks` maps each left-out held-out id to the training problem it repeats (`overlapping`).
    """
    train, held_out = split_problems(load_problems(cfg), cfg.eval_fraction, cfg.seed)
    leaks = overlapping(held_out, train)
    return train, [p for p in held_out if p.id not in leaks], leaks


def overlapping(held_out: Sequence[Problem], train: Sequence[Problem], n: int = 8) -> dict[str, str]:
    """Held-out problems that leak training ones: {held-out id: id of the training problem it matches}.

    Two questions match when their normalized words (lower case, LaTeX markup and punctuation
    dropped) are equal, or share a run of `n` words.

    Example:
        >>> a = Problem(id="a", source="t", question="What is $9 + 3$?")
        >>> b = Problem(id="b", source="t", question="what is 9+3")
        >>> overlapping([a], [b])
        {'a': 'b'}
    """
    whole: dict[tuple[str, ...], str] = {}
    grams: dict[tuple[str, ...], str] = {}
    for p in train:
        words = _words(p.question)
        whole.setdefault(words, p.id)
        for i in range(len(words) - n + 1):
            grams.setdefault(words[i : i + n], p.id)
    hits = {}
    for p in held_out:
        words = _words(p.question)
        match = whole.get(words) or next(
            (grams[g] for i in range(len(words) - n + 1) if (g := words[i : i + n]) in grams), None
        )
        if match:
            hits[p.id] = match
    return hits


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.sub(r"[^\w]+", " ", text.replace("\\", " ").lower()).split())


def _load_source(source: ProblemSource) -> list[Problem]:
    if source.builtin == "arithmetic":
        return arithmetic_problems(source.limit or 40)
    if source.builtin is not None:
        ref = resources.files("s2s1") / "data" / f"{source.builtin}.jsonl"
        with resources.as_file(ref) as path:
            problems = read_problem_file(path, source=source.builtin)
    elif source.dataset is not None:
        from s2s1.problems_datasets import read_dataset_source

        problems = read_dataset_source(source)
    else:
        assert source.path is not None
        problems = read_problem_file(source.path)
        if not problems:
            raise UserError(
                f"{source.path}: holds no problems; add rows (question, answer) or drop the source"
            )
    return problems[: source.limit] if source.limit else problems


def read_problem_file(path: Path, source: str | None = None) -> list[Problem]:
    """Read `Problem` rows, or GSM8K/MATH rows (`question`, `answer`), from a JSON-lines file."""
    path = Path(path)
    problems = []
    for n, row in read_jsonl(path):
        if "question" not in row:
            raise UserError(f"{path}:{n}: no `question` field; each row needs question and answer")
        fields = {k: v for k, v in row.items() if k in _PROBLEM_FIELDS}
        extra = {k: v for k, v in row.items() if k not in _PROBLEM_FIELDS}
        fields.setdefault("id", f"{path.stem}-{n}")
        fields.setdefault("source", source or path.stem)
        if fields.get("answer") is not None:
            fields["answer"] = str(fields["answer"])
        fields["metadata"] = {**extra, **fields.get("metadata", {})}
        try:
            problems.append(Problem.model_validate(fields))
        except ValidationError as e:
            err = e.errors()[0]
            raise UserError(f"{path}:{n}: {'.'.join(map(str, err['loc']))}: {err['msg']}") from None
    return problems


def arithmetic_problems(count: int, seed: int = 0) -> list[Problem]:
    """`count` easy word-free arithmetic problems with integer answers, the same for a seed."""
    rng = random.Random(seed)
    problems = []
    for i in range(count):
        op = rng.choice("+-*")
        if op == "*":
            a, b = rng.randint(2, 12), rng.randint(2, 12)
        else:
            a, b = rng.randint(10, 99), rng.randint(1, 60)
        answer = {"+": a + b, "-": a - b, "*": a * b}[op]
        shown = {"+": "+", "-": "-", "*": "\\times"}[op]
        problems.append(
            Problem(
                id=f"arithmetic-{i}",
                source="arithmetic",
                domain="math",
                question=f"What is ${a} {shown} {b}$?",
                answer=str(answer),
                metadata={"op": op},
            )
        )
    return problems
