"""Inference-time strategies: how many samples each problem gets, drawn into a shard's journal.

`run_strategy(problems, backend, cfg, journal, check, vote)` draws a shard's samples with the
strategy `cfg.strategy` names and returns every record of the shard, journaled or new:

- `fixed`: samples 0..n-1 of every problem.
- `adaptive`: rounds of n samples; after each round the round's records are verified
  (`check`), and a problem leaves once `k` of its samples are correct or it has had
  `max_samples`. Easy problems stop after one round; hard ones get the budget.
- `majority`: samples 0..n-1; a problem without a gold answer gets the most common final answer
  (`vote`) as its answer when at least `min_agreement` of its samples agree. Its
  `metadata["majority"]` keeps the answer and the agreement ratio (a confidence), also below
  the threshold.

With `cfg.budget_forcing` every sample goes through `s2s1.generators.budget.budget_forced`.
Every sample is appended to the journal as soon as it finishes, and a sample already in the
journal is never drawn again: rounds are replayed from the journal (re-verified, which is
cheap), so a resumed adaptive shard makes the same decisions. Each Trace records its strategy.

This module does not write the shard file, verify for the verify stage, or load models.

Example:
    >>> import tempfile, pathlib
    >>> from s2s1.generators.fake import FakeGeneratorForTests
    >>> from s2s1.config import GenerateConfig
    >>> from s2s1.journal import Journal
    >>> from s2s1.records import Problem
    >>> p = Problem(id="p", source="demo", question="1+1?", answer="2")
    >>> j = Journal(pathlib.Path(tempfile.mkdtemp()) / "j.partial")
    >>> [r.key for r in run_strategy([p], FakeGeneratorForTests(), GenerateConfig(backend="fake"), j)]
    ['p#0', 'p#1', 'p#2', 'p#3']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from s2s1.config import GenerateConfig
from s2s1.generators.backend import Backend, requests_for, to_trace
from s2s1.generators.budget import budget_forced
from s2s1.journal import Journal
from s2s1.records import Problem, Record

__all__ = ["run_strategy"]

Check = Callable[[list[Record]], list[Record]]
"""Records in, the same records with verdicts out (the verify stage's function)."""
Vote = Callable[[list[str]], tuple[str | None, float]]
"""Completions in, (majority answer or None, agreement) out."""


def run_strategy(
    problems: Sequence[Problem],
    backend: Backend,
    cfg: GenerateConfig,
    journal: Journal,
    check: Check | None = None,
    vote: Vote | None = None,
) -> list[Record]:
    """Every record of the shard, ordered by problem then sample index (module docstring)."""
    done = {r.key: r for r in journal.read()}
    n = cfg.sampling.n
    match cfg.strategy.name:
        case "fixed" | "majority":
            wanted = {p.id: range(n) for p in problems}
            _draw(problems, wanted, backend, cfg, journal, done, {"name": cfg.strategy.name})
        case "adaptive":
            if check is None:
                raise ValueError("the adaptive strategy needs a `check` function")
            _adaptive(problems, backend, cfg, journal, done, check)
    order = {p.id: k for k, p in enumerate(problems)}
    records = sorted(done.values(), key=lambda r: (order[r.problem.id], r.trace.index))
    if cfg.strategy.name == "majority":
        if vote is None:
            raise ValueError("the majority strategy needs a `vote` function")
        records = _label(records, vote, cfg.strategy.min_agreement)
    return records


def _adaptive(
    problems: Sequence[Problem],
    backend: Backend,
    cfg: GenerateConfig,
    journal: Journal,
    done: dict[str, Record],
    check: Check,
) -> None:
    n, k, budget = cfg.sampling.n, cfg.strategy.k, cfg.strategy.max_samples
    correct = {p.id: 0 for p in problems}
    for round_ in range(math.ceil(budget / n)):
        indices = range(round_ * n, min((round_ + 1) * n, budget))
        active = [p for p in problems if correct[p.id] < k]
        if not active:
            return
        info = {"name": "adaptive", "round": round_, "k": k, "max_samples": budget}
        _draw(active, {p.id: indices for p in active}, backend, cfg, journal, done, info)
        this_round = [done[f"{p.id}#{i}"] for p in active for i in indices]
        for r in check(this_round):
            correct[r.problem.id] += r.correct


def _draw(
    problems: Sequence[Problem],
    wanted: dict[str, range],
    backend: Backend,
    cfg: GenerateConfig,
    journal: Journal,
    done: dict[str, Record],
    strategy: dict[str, object],
) -> None:
    """Draw the wanted samples that are not in `done`; journal each and add it to `done`."""
    missing = {pid: [i for i in idx if f"{pid}#{i}" not in done] for pid, idx in wanted.items()}
    if not any(missing.values()):
        return
    requests = requests_for(
        problems, missing, cfg.sampling, backend.system_prompt, backend.few_shot, strategy
    )
    bf = cfg.budget_forcing
    completions = (
        budget_forced(backend, requests, cfg.sampling, bf) if bf else backend.complete(requests, cfg.sampling)
    )
    for c in completions:
        record = Record(problem=c.request.problem, trace=to_trace(c, backend.teacher, cfg.sampling))
        journal.append(record)
        done[record.key] = record


def _label(records: list[Record], vote: Vote, min_agreement: float) -> list[Record]:
    """Records of gold-less problems, relabelled with their majority answer where it is clear."""
    by_problem: dict[str, list[Record]] = {}
    for r in records:
        by_problem.setdefault(r.problem.id, []).append(r)
    out = []
    for group in by_problem.values():
        problem = group[0].problem
        if problem.answer is None:
            answer, agreement = vote([r.trace.completion for r in group])
            meta = {**problem.metadata, "majority": {"answer": answer, "agreement": round(agreement, 4)}}
            labelled = answer is not None and agreement >= min_agreement
            problem = problem.model_copy(update={"metadata": meta, "answer": answer if labelled else None})
        out += [r.model_copy(update={"problem": problem}) for r in group]
    return out
