"""The built-in maths verifier: read the final answer, then compare it with the gold one.

Extraction (`extract_answer`) and comparison (`verifiers.math_compare.answers_match`) are
separate steps. The answer is read from the trace's response (the text after `</think>`; the
whole completion when the response is empty), trying in order:

1. the last complete `\\boxed{…}` or `\\fbox{…}` (nested braces allowed; `\\boxed 5` too);
2. the last GSM8K-style `#### n`;
3. the last "the final answer is …" / "final answer: …" (to the end of its line).

The gold is `problem.answer`; a GSM8K solution (`… #### 72`) or a MATH solution with a
`\\boxed{}` is reduced to its final answer the same way.

Outcomes: no gold, or gold that reduces to nothing → `unverifiable`; no final answer in the
trace → `incorrect` ("no final answer found"); otherwise `correct` or `incorrect` with the check
that decided in `detail` and the raw answer in `extracted`. Exceptions are not caught here: the
pool turns them (and hangs) into `unverifiable`.

It does not read answers outside those three forms, judge the reasoning, or accept rounded
answers beyond a relative 1e-6 (see `verifiers.math_compare` for what compares equal).

Example:
    >>> from s2s1.records import Problem, Trace
    >>> p = Problem(id="p", source="demo", question="1/2 + 0?", answer="\\\\frac{1}{2}")
    >>> t = Trace(problem_id="p", index=0, teacher="demo", prompt=[], response="So \\\\boxed{0.5}.")
    >>> v = MathVerifier().verify(p, t)
    >>> (v.outcome, v.extracted, v.detail)
    ('correct', '0.5', 'numeric match')
"""

from __future__ import annotations

import re
from typing import ClassVar

from s2s1.records import Outcome, Problem, Trace, Verdict
from verifiers.math_compare import answers_match, normalize

__all__ = ["MathVerifier", "extract_answer", "gold_answer"]

_BOXED = re.compile(r"\\(?:boxed|fbox)\b")
_GSM8K = re.compile(r"####[ \t]*([^\n]*)")
_FINAL = re.compile(r"final answer\s*(?:is|:)\s*:?\s*([^\n]*)", re.IGNORECASE)


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
    version: ClassVar[str] = "0.1.0"
    domains: ClassVar[frozenset[str]] = frozenset({"math"})

    def verify(self, problem: Problem, trace: Trace) -> Verdict:
        """The verdict on the trace's final answer; see the module docstring for the rules."""
        if problem.answer is None or not problem.answer.strip():
            return self._verdict("unverifiable", "no gold answer")
        gold = gold_answer(problem.answer)
        if gold is None or not normalize(gold):
            return self._verdict("unverifiable", f"cannot read the gold answer {problem.answer[:60]!r}")
        text = trace.response
        if "</think>" in text:
            text = text.rsplit("</think>", 1)[1]
        if not text.strip():
            text = trace.completion
        extracted = extract_answer(text)
        if extracted is None:
            return self._verdict("incorrect", "no final answer found")
        same, check = answers_match(extracted, gold)
        return self._verdict(
            "correct" if same else "incorrect", f"{check} {'match' if same else 'mismatch'}", extracted
        )

    def _verdict(self, outcome: Outcome, detail: str, extracted: str | None = None) -> Verdict:
        return Verdict(
            verifier=self.name,
            version=self.version,
            outcome=outcome,
            score=1.0 if outcome == "correct" else 0.0,
            extracted=extracted,
            detail=detail,
        )


def extract_answer(text: str) -> str | None:
    """The final answer written in `text` (boxed, `####`, "the final answer is"), or None.

    Example:
        >>> extract_answer("first \\\\boxed{1}, then \\\\boxed{\\\\frac{1}{2}}.")
        '\\\\frac{1}{2}'
        >>> extract_answer("5 + 7 = 12\\n#### 12"), extract_answer("The final answer is $7$.")
        ('12', '$7$')
        >>> extract_answer("7") is None
        True
    """
    boxed = _last_boxed(text)
    if boxed is not None:
        return boxed
    for pattern in (_GSM8K, _FINAL):
        matches = [m[1].strip() for m in pattern.finditer(text)]
        if matches and matches[-1]:
            answer = matches[-1]
            return answer[:-1].strip() if answer.endswith(".") else answer
    return None


def gold_answer(answer: str) -> str | None:
    """The final answer inside a gold field: after `####`, inside `\\boxed{}`, or all of it.

    Example:
        >>> gold_answer("3 + 4 = 7\\n#### 7"), gold_answer("so $\\\\boxed{7}$"), gold_answer(" 7 ")
        ('7', '7', '7')
    """
    if "####" in answer:
        return answer.rsplit("####", 1)[1].strip()
    if _BOXED.search(answer):
        return _last_boxed(answer)
    return answer.strip()


def _last_boxed(text: str) -> str | None:
    """Content of the last complete `\\boxed{…}`/`\\fbox{…}` (or `\\boxed x`), or None."""
    for m in reversed(list(_BOXED.finditer(text))):
        i = m.end()
        if text.startswith("{", i):
            depth = 0
            for j in range(i, len(text)):
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                if depth == 0:
                    return text[i + 1 : j].strip()
        else:
            token = re.match(r"[ \t]+([^\s$]+)", text[i:])
            if token:
                return token[1]
    return None
