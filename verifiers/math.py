"""The built-in maths verifier: find the final answer, then compare it with the gold one.

Extraction (`s2s1.verifiers.math_extract`) and comparison (`s2s1.verifiers.math_compare`, routed by the
gold's type: number, expression, relation, tuple, interval, set, matrix, choice, text) are
separate steps; the verdict records what was extracted and how (`extracted`, `detail`).

The answer is read from the trace's response (the text after `</think>`; the whole completion
when the response is empty). When it holds no box, phrase or `####`, the fallback is the last
number for a gold that is a plain number written without LaTeX (GSM8K style), and the last maths
span (`$…$`, `\\[…\\]`) otherwise (a text gold also takes a bare one-line answer);
`MathVerifier(last_number=True/False)` forces the choice.
The gold is `problem.answer`; a GSM8K solution (`… #### 72`) or a MATH solution with a
`\\boxed{}` is reduced to its final answer first, and parsed once per process (cached).

Outcomes: no gold, or a gold that reduces to nothing → `unverifiable`; no final answer in the
trace → `incorrect` ("no final answer found"); otherwise `correct` or `incorrect`, with the check
that decided and how the answer was found in `detail`. Exceptions are not caught here: the pool
turns them (and hangs) into `unverifiable`.

It does not judge the reasoning, give partial credit, or convert units.

Example:
    >>> from s2s1.records import Problem, Trace
    >>> p = Problem(id="p", source="demo", question="1/2 + 0?", answer="\\\\frac{1}{2}")
    >>> t = Trace(problem_id="p", index=0, teacher="demo", prompt=[], response="So \\\\boxed{0.5}.")
    >>> v = MathVerifier().verify(p, t)
    >>> (v.outcome, v.extracted, v.detail)
    ('correct', '0.5', 'numeric match (boxed)')
"""

from __future__ import annotations

from typing import ClassVar

from s2s1.records import Outcome, Problem, Trace, Verdict
from s2s1.verifiers.math_compare import answers_match
from s2s1.verifiers.math_extract import extract_answer, gold_answer
from s2s1.verifiers.math_options import MathOptions
from s2s1.verifiers.math_parse import Choice, Num, Text, Value, parse_gold

__all__ = ["MathVerifier", "extract_answer", "gold_answer"]


class MathVerifier:
    """Checks a maths trace's final answer against `problem.answer`.

    Example:
        >>> from s2s1.records import Problem, Trace
        >>> p = Problem(id="p", source="demo", question="Who?", answer="\\\\text{Evelyn}")
        >>> t = Trace(problem_id="p", index=0, teacher="demo", prompt=[], response="\\\\boxed{Evelyn}")
        >>> MathVerifier().verify(p, t).outcome
        'correct'
    """

    name: ClassVar[str] = "math"
    version: ClassVar[str] = "0.5.1"
    domains: ClassVar[frozenset[str]] = frozenset({"math"})

    def __init__(
        self,
        last_number: bool | None = None,
        *,
        percent: str = "either",
        tuple_vs_list: str = "in order",
        units: str = "ignore",
        form: str = "value",
        approx: str = "digits",
        boxes: str = "last",
    ) -> None:
        self.last_number = last_number
        self.options = MathOptions(
            percent=percent, tuple_vs_list=tuple_vs_list, units=units, form=form, approx=approx, boxes=boxes
        )

    def verify(self, problem: Problem, trace: Trace) -> Verdict:
        """The verdict on the trace's final answer; see the module docstring for the rules."""
        if problem.answer is None or not problem.answer.strip():
            return self._verdict("unverifiable", "no gold answer")
        gold = gold_answer(problem.answer)
        parsed = parse_gold(gold) if gold else None
        if gold is None or parsed is None:
            return self._verdict("unverifiable", f"cannot read the gold answer {problem.answer[:60]!r}")
        fallback = self.last_number
        if fallback is None:
            fallback = isinstance(parsed, Num)
        text = trace.response if trace.response.strip() else trace.completion
        found = extract_answer(
            text,
            last_number=fallback,
            choice=isinstance(parsed, Choice),
            skip_unreadable=not _unreadable(parsed),
            boxes=self.options.boxes,
        )
        whole = text.strip()
        if found is None and isinstance(parsed, Text) and "\n" not in whole and 0 < len(whole) <= 100:
            found = whole, "whole text"  # a text gold (`yes`, `4210_7`) against a bare one-line answer
        if found is None:
            return self._verdict("incorrect", "no final answer found")
        answer, how = found
        same, check = answers_match(pred=answer, gold=gold, options=self.options)
        outcome: Outcome = "correct" if same else "incorrect"
        return self._verdict(outcome, f"{check} {'match' if same else 'mismatch'} ({how})", answer)

    def _verdict(self, outcome: Outcome, detail: str, extracted: str | None = None) -> Verdict:
        return Verdict(
            verifier=self.name,
            version=self.version,
            outcome=outcome,
            score=1.0 if outcome == "correct" else 0.0,
            extracted=extracted[:500] if extracted is not None else None,
            detail=detail,
        )


def _unreadable(gold: Value) -> bool:
    """A gold that is itself LaTeX we cannot read: then an unreadable answer may still match it."""
    return isinstance(gold, Text) and "\\" in gold.text
