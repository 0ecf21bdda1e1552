"""Decontamination: drop traces that share word n-grams with the evaluation sets a user names.

Each evaluation problem contributes the word n-grams (lower case, punctuation dropped) of its
question, its gold answer and, where present, its reference solution (`metadata["solution"]`);
a question shorter than n words is matched whole, against record questions only. A record whose
question or completion contains one of them is dropped as `contaminated`, with evidence: the
evaluation set, the problem id, where the hit was (question or completion) and the shared words.
The method and n go into the report. This module does not catch paraphrases (an n-gram method
cannot) and does not touch the train/eval split itself (`s2s1.problems` does that).

Example:
    >>> from s2s1.records import Problem
    >>> index = NgramIndex(n=3)
    >>> index.add("gsm8k", Problem(id="g1", source="t", question="How many eggs does Janet sell?"))
    >>> index.hits("so how many eggs does she have")
    [('gsm8k', 'g1', 'how many eggs')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

from s2s1.records import Decision, Problem, Reason, Record

__all__ = ["DecontamFilter", "NgramIndex"]

_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class NgramIndex:
    """Word n-grams of evaluation problems, each mapped to (evaluation set, problem id)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.grams: dict[tuple[str, ...], tuple[str, str]] = {}
        self.short: dict[tuple[str, ...], tuple[str, str]] = {}
        """Questions shorter than n words, whole."""
        self.sets: dict[str, int] = {}
        """Problems indexed per evaluation set."""

    def add(self, eval_set: str, problem: Problem) -> None:
        self.sets[eval_set] = self.sets.get(eval_set, 0) + 1
        solution = problem.metadata.get("solution")
        for text in (problem.question, problem.answer or "", solution if isinstance(solution, str) else ""):
            words = _words(text)
            if text is problem.question and 0 < len(words) < self.n:
                self.short.setdefault(tuple(words), (eval_set, problem.id))
            for i in range(len(words) - self.n + 1):
                self.grams.setdefault(tuple(words[i : i + self.n]), (eval_set, problem.id))

    def hits(self, text: str, *, question: bool = False) -> list[tuple[str, str, str]]:
        """(evaluation set, problem id, shared words) for each evaluation problem `text` overlaps.

        With `question`, `text` is a problem's question and also matches a short one whole.
        """
        words = _words(text)
        found: dict[tuple[str, str], str] = {}
        if question and tuple(words) in self.short:
            found[self.short[tuple(words)]] = " ".join(words)
        for i in range(len(words) - self.n + 1):
            gram = tuple(words[i : i + self.n])
            if gram in self.grams and self.grams[gram] not in found:
                found[self.grams[gram]] = " ".join(gram)
        return [(s, pid, gram) for (s, pid), gram in found.items()]


class DecontamFilter:
    """Drops records that overlap an evaluation set, naming the set, problem and shared words.

    Example:
        >>> DecontamFilter(NgramIndex(n=13)).name
        'decontam'
    """

    name: ClassVar[str] = "decontam"

    def __init__(self, index: NgramIndex) -> None:
        self.index = index

    @classmethod
    def from_sets(cls, sets: Iterable[tuple[str, Iterable[Problem]]], n: int) -> DecontamFilter:
        index = NgramIndex(n)
        for name, problems in sets:
            for p in problems:
                index.add(name, p)
        return cls(index)

    @property
    def method(self) -> str:
        sets = ", ".join(f"{k} ({v} problems)" for k, v in self.index.sets.items()) or "none"
        return f"word {self.index.n}-grams of question, answer and solution; evaluation sets: {sets}"

    def __call__(self, record: Record) -> Decision:
        reasons = []
        for where, text in (("question", record.problem.question), ("completion", record.trace.completion)):
            for eval_set, pid, gram in self.index.hits(text, question=where == "question"):
                how = (
                    f"a word {self.index.n}-gram"
                    if len(gram.split()) >= self.index.n
                    else "the whole question"
                )
                detail = f"{where} shares {how}, '{gram}', with {eval_set}:{pid}"
                reasons.append(Reason(code="contaminated", detail=detail))
        return Decision(
            filter=self.name, keep=not reasons, reasons=reasons, scores={"hits": float(len(reasons))}
        )
