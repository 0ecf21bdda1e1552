"""What every teacher backend shares: requests in, completions out, Traces on top.

A backend (transformers, vLLM, an OpenAI-compatible server, the test fake) implements one method,
`complete(requests, sampling)`: it takes many `Request`s at once and yields exactly one
`Completion` per request, in whatever order they finish (vLLM and the server client stream them
as they complete, so a crash loses only what was still running). A Request is one sample: the
chat messages, the sample's own seed and token budget, and optionally `prefix`, assistant text
that was already written and is to be continued (budget forcing continues a cut-off sample).

`Backend.generate(problems, sampling)` is the `Generator` seam (design §4) on top of it: one
Request per (problem, index), one `Trace` per Completion. Strategies (generators/strategies.py)
call `complete` directly when they need rounds or continuations.

Seeds: sample `index` of problem `p` is drawn with `sample_seed(sampling.seed, p.id, index)`,
so backends that seed per request (vLLM, servers) give the same text for a sample however the
samples are grouped; the transformers backend seeds per batch (see its docstring).

This module does not load models, talk to servers, verify or write files.

Example:
    >>> from s2s1.generators.fake import FakeGeneratorForTests
    >>> p = Problem(id="p1", source="demo", question="What is $2 + 2$?", answer="4")
    >>> sorted(t.index for t in FakeGeneratorForTests().generate([p], Sampling(n=3)))
    [0, 1, 2]
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from s2s1.generators.prompts import SYSTEM_PROMPT, FewShot, build_messages, split_think
from s2s1.records import FinishReason, Problem, Sampling, Trace

__all__ = ["Backend", "Completion", "Request", "requests_for", "sample_seed", "to_trace"]


def sample_seed(base: int, problem_id: str, index: int) -> int:
    """The seed of sample `index` of problem `problem_id` under base seed `base`.

    Example:
        >>> sample_seed(0, "a", 0) == sample_seed(0, "a", 0) != sample_seed(1, "a", 0)
        True
    """
    digest = hashlib.sha256(f"{base}:{problem_id}:{index}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


@dataclass(frozen=True)
class Request:
    """One sample to draw: sample `index` of `problem`."""

    problem: Problem
    index: int
    messages: list[dict[str, str]]
    seed: int
    max_tokens: int
    prefix: str = ""
    """Assistant text already written; the backend continues it (its tokens are not counted)."""
    stop: tuple[str, ...] = ()
    """Stop strings (not included in the text)."""
    strategy: dict[str, Any] = field(default_factory=dict)
    """How the strategy drew this sample (recorded on the Trace)."""


@dataclass(frozen=True)
class Completion:
    """What the backend returned for one Request; `text` excludes `request.prefix`."""

    request: Request
    text: str = ""
    num_tokens: int = 0
    """Tokens generated for this request (the prefix's tokens are not counted)."""
    finish_reason: FinishReason = "stop"
    """`stop` (end of sequence or a stop string), `length` (budget spent) or `error`."""
    reasoning: str = ""
    """Reasoning a server returned in a separate field (`reasoning_content`)."""
    logprob: float | None = None
    """Sum of the sampled tokens' log-probabilities, where the backend reports it."""
    error: str = ""
    seed: int | None = None
    """The seed actually used, where it is not the request's (the transformers backend seeds per batch)."""


def requests_for(
    problems: Sequence[Problem],
    indices: Iterable[int] | Mapping[str, Iterable[int]],
    sampling: Sampling,
    system_prompt: str = SYSTEM_PROMPT,
    few_shot: FewShot = True,
    strategy: dict[str, Any] | None = None,
) -> list[Request]:
    """One Request per (problem, index); `indices` is one range for all, or one per problem id.

    Example:
        >>> p = Problem(id="p", source="demo", question="1+1?", answer="2")
        >>> [r.index for r in requests_for([p], range(2), Sampling())]
        [0, 1]
    """
    out = []
    for p in problems:
        wanted = indices.get(p.id, ()) if isinstance(indices, Mapping) else indices
        messages = build_messages(p, system_prompt, few_shot)
        for i in wanted:
            out.append(
                Request(
                    problem=p,
                    index=i,
                    messages=messages,
                    seed=sample_seed(sampling.seed, p.id, i),
                    max_tokens=sampling.max_tokens,
                    strategy=dict(strategy or {"name": "fixed"}),
                )
            )
    return out


def to_trace(c: Completion, teacher: str, sampling: Sampling) -> Trace:
    """The Trace of a finished Completion: `<think>` split off, server reasoning kept apart."""
    r = c.request
    reasoning, response = split_think(r.prefix + c.text)
    if c.reasoning:
        reasoning = f"{c.reasoning.strip()}\n{reasoning}".strip()
    return Trace(
        problem_id=r.problem.id,
        index=r.index,
        teacher=teacher,
        prompt=r.messages,
        reasoning=reasoning,
        response=response,
        finish_reason=c.finish_reason,
        num_tokens=c.num_tokens,
        sampling=sampling,
        seed=r.seed if c.seed is None else c.seed,
        error=c.error,
        strategy=r.strategy,
        logprob=c.logprob,
    )


class Backend:
    """Base of the teacher backends: subclasses set `teacher`, `system_prompt`, `few_shot` and
    implement `complete`; `generate` is the Generator seam built on it."""

    teacher: str = ""
    system_prompt: str = SYSTEM_PROMPT
    few_shot: FewShot = True

    def complete(self, requests: Sequence[Request], sampling: Sampling) -> Iterator[Completion]:
        """Exactly one Completion per request, in any order; failures are Completions too."""
        raise NotImplementedError

    def generate(self, problems: Sequence[Problem], sampling: Sampling) -> Iterator[Trace]:
        """One Trace per (problem, index 0..n-1), in the order the samples finish."""
        requests = requests_for(problems, range(sampling.n), sampling, self.system_prompt, self.few_shot)
        for c in self.complete(requests, sampling):
            yield to_trace(c, self.teacher, sampling)
