"""A deterministic fake teacher for tests: no model, no randomness, a fixed pattern of samples.

`FakeGeneratorForTests` answers sample `index` of a problem by `index % 4`, so that every
downstream stage meets each case it must handle:

=============  =============================================================================
index % 4      what the Trace holds (gold = `problem.answer`)
=============  =============================================================================
0  correct     reasoning "Working on <id>: the result is <gold>.", response
               "The answer is $\\boxed{<gold>}$.", finish_reason "stop"
1  wrong       the same with <wrong> in place of <gold>: gold + 1 when gold is an integer,
               else "<gold>+1"; finish_reason "stop"
2  boilerplate correct, but the response starts "As an AI language model, " ; "stop"
3  truncated   reasoning "Working on <id>: the result is" (cut off: no `</think>`, no boxed
               answer), response "", finish_reason "length"
=============  =============================================================================

A problem without a gold answer (e.g. code) gets the response "I am not sure." for indices
0, 1 and 2, and the truncated sample for 3. Problems whose id is in `error_ids` get only
`finish_reason="error"` samples with error "RuntimeError: fake failure". `num_tokens` is the
completion's word count, `seed` is `sample_seed(sampling.seed, problem id, index)`, `teacher` is
the given name, `prompt` is `build_messages(problem)` with the default system prompt and worked
example, and `created_at` is fixed (2025-01-01 UTC), so equal inputs give equal Traces. Through
`complete`, each request gets the same text (as `<think>…</think>` + response); a request's
`prefix` and `max_tokens` are ignored.

This is a test double only: it does not read its prompt and knows nothing but the gold answer.

Example:
    >>> from s2s1.records import Problem, Sampling
    >>> p = Problem(id="p1", source="demo", question="What is $2 + 2$?", answer="4")
    >>> [t.finish_reason for t in FakeGeneratorForTests().generate([p], Sampling(n=4))]
    ['stop', 'stop', 'stop', 'length']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime

from s2s1.generators.backend import Backend, Completion, Request
from s2s1.records import FinishReason, Problem, Sampling, Trace

__all__ = ["BOILERPLATE", "FakeGeneratorForTests"]

BOILERPLATE = "As an AI language model, "
"""The boilerplate that sample index % 4 == 2 starts its response with."""

_CREATED_AT = datetime(2025, 1, 1, tzinfo=UTC)


class FakeGeneratorForTests(Backend):
    """Deterministic fake teacher; the pattern of samples is in the module docstring.

    Example:
        >>> from s2s1.records import Problem, Sampling
        >>> p = Problem(id="p1", source="demo", question="What is $2 + 2$?", answer="4")
        >>> [t.response for t in FakeGeneratorForTests().generate([p], Sampling(n=2))]
        ['The answer is $\\\\boxed{4}$.', 'The answer is $\\\\boxed{5}$.']
    """

    def __init__(self, teacher: str = "fake-teacher", error_ids: Iterable[str] = ()) -> None:
        self.teacher = teacher
        self.error_ids = frozenset(error_ids)

    def complete(self, requests: Sequence[Request], sampling: Sampling) -> Iterator[Completion]:
        """One Completion per request, in request order."""
        for r in requests:
            if r.problem.id in self.error_ids:
                yield Completion(r, finish_reason="error", error="RuntimeError: fake failure")
                continue
            reasoning, response, reason = _sample(r.problem, r.index)
            text = f"<think>{reasoning}</think>{response}" if reason == "stop" else f"<think>{reasoning}"
            yield Completion(
                r, text=text, num_tokens=len(f"{reasoning} {response}".split()), finish_reason=reason
            )

    def generate(self, problems: Sequence[Problem], sampling: Sampling) -> Iterator[Trace]:
        """One Trace per (problem, index 0..n-1), problem by problem, with a fixed `created_at`."""
        for trace in super().generate(problems, sampling):
            yield trace.model_copy(update={"created_at": _CREATED_AT})


def _sample(problem: Problem, index: int) -> tuple[str, str, FinishReason]:
    """(reasoning, response, finish reason) of sample `index`; see the module docstring."""
    kind = index % 4
    if kind == 3:
        return f"Working on {problem.id}: the result is", "", "length"
    gold = problem.answer
    if gold is None:
        return f"Working on {problem.id}.", "I am not sure.", "stop"
    answer = _wrong(gold) if kind == 1 else gold
    response = f"The answer is $\\boxed{{{answer}}}$."
    if kind == 2:
        response = BOILERPLATE + response[0].lower() + response[1:]
    return f"Working on {problem.id}: the result is {answer}.", response, "stop"


def _wrong(gold: str) -> str:
    try:
        return str(int(gold.strip()) + 1)
    except ValueError:
        return f"{gold}+1"
