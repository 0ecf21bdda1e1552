"""Budget forcing (s1, Muennighoff et al. 2025): a floor and a ceiling on thinking tokens.

Thinking is the text before `</think>` for models that think in a block, and the whole text for
models that do not (the embedded teacher). Every request runs in passes, all open requests of a
pass handed to the backend together:

- A sample that stops thinking before `min_tokens` has its end removed and "Wait" appended, and
  is continued — at most `max_waits` times — so it re-checks its work.
- A sample that spends the thinking budget (`sampling.max_tokens`) is closed (`</think>` if one
  is open) and continued after "The final answer is $\\boxed{" for `answer_tokens` more tokens,
  so it ends with an answer instead of being cut off.
- A sample that closes `</think>` in time gets `answer_tokens` to write its answer.

The final Completion holds the whole text after the request's own prefix, the generated tokens of
all passes (appended words not counted), and `strategy.budget_forcing` = {waits, forced_answer}.
Continuing needs a backend that continues a prefix (transformers, vLLM, vLLM's server).

It does not count tokens of text it appends, and does not retry failed passes.

Example:
    >>> from s2s1.generators.backend import requests_for
    >>> from s2s1.generators.fake import FakeGeneratorForTests
    >>> from s2s1.config import BudgetForcing
    >>> from s2s1.records import Problem, Sampling
    >>> p = Problem(id="p", source="demo", question="1+1?", answer="2")
    >>> s = Sampling(n=1, max_tokens=64)
    >>> reqs = requests_for([p], [0], s)
    >>> [c] = budget_forced(FakeGeneratorForTests(), reqs, s, BudgetForcing(min_tokens=1))
    >>> c.request.strategy["budget_forcing"]
    {'waits': 0, 'forced_answer': False}
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from s2s1.config import BudgetForcing
from s2s1.generators.backend import Backend, Completion, Request
from s2s1.records import FinishReason, Sampling

__all__ = ["ANSWER", "WAIT", "budget_forced"]

WAIT = "Wait,"
"""Appended when a sample stops thinking too soon."""
ANSWER = "The final answer is $\\boxed{"
"""Appended when a sample spends its thinking budget."""
_OPEN, _CLOSE = "<think>", "</think>"


@dataclass
class _State:
    request: Request
    text: str = ""  # generated and appended text so far, after request.prefix
    tokens: int = 0  # generated tokens so far
    waits: int = 0
    forced: bool = False
    answering: bool = False  # thinking is over; this pass writes the answer

    def thinking_open(self) -> bool:
        full = self.request.prefix + self.text
        return full.rfind(_OPEN) > full.rfind(_CLOSE)


def budget_forced(
    backend: Backend, requests: Sequence[Request], sampling: Sampling, bf: BudgetForcing
) -> Iterator[Completion]:
    """One final Completion per request (see the module docstring), yielded as each finishes."""
    open_ = [_State(r) for r in requests]
    while open_:
        by_key = {(s.request.problem.id, s.request.index): s for s in open_}
        passes = [_next_pass(s, sampling, bf) for s in open_]
        open_ = []
        for c in backend.complete(passes, sampling):
            s = by_key[(c.request.problem.id, c.request.index)]
            s.text, s.tokens = s.text + c.text, s.tokens + c.num_tokens
            if c.finish_reason == "error":
                yield _final(s, "error", c.error)
            elif s.answering:
                yield _final(s, c.finish_reason)
            elif c.finish_reason == "length":  # thinking budget spent: close it and force the answer
                s.text += ("\n" + _CLOSE if s.thinking_open() else "") + "\n\n" + ANSWER
                s.forced = s.answering = True
                open_.append(s)
            elif s.tokens < bf.min_tokens and s.waits < bf.max_waits:
                s.text, s.waits = s.text.rstrip() + "\n" + WAIT, s.waits + 1
                open_.append(s)
            elif s.thinking_open():  # stopped at </think>: write the answer
                s.text += _CLOSE + "\n"
                s.answering = True
                open_.append(s)
            else:
                yield _final(s, "stop")


def _next_pass(s: _State, sampling: Sampling, bf: BudgetForcing) -> Request:
    """The request that continues state `s` by one pass."""
    r = s.request
    if s.answering:
        return replace(r, prefix=r.prefix + s.text, max_tokens=bf.answer_tokens, stop=())
    budget = max(1, sampling.max_tokens - s.tokens)
    return replace(r, prefix=r.prefix + s.text, max_tokens=budget, stop=(_CLOSE,))


def _final(s: _State, reason: FinishReason, error: str = "") -> Completion:
    strategy = {**s.request.strategy, "budget_forcing": {"waits": s.waits, "forced_answer": s.forced}}
    return Completion(
        replace(s.request, strategy=strategy),
        text=s.text,
        num_tokens=s.tokens,
        finish_reason=reason,
        error=error,
    )
