"""The diversity guard: does the filter narrow what is kept more than dropping at random would?

Per domain, over the traces that reach the alignment filters (those the `verified` filter kept)
and over those kept at the end, it measures distinct-1 and distinct-2 (unique word n-grams over
all n-grams), the compression ratio (raw bytes over gzip bytes of all texts: higher is more
repetitive) and the embedding diversity (mean pairwise cosine distance of all-MiniLM-L6-v2
embeddings, `s2s1.filters.embed`). Beside them it measures the same after dropping the same number of
traces at random (mean of 5 draws). When the filter's loss on a metric exceeds the random drop's
by more than the budget (relative), or the filter removes every trace of a problem that had some,
it warns; with `diversity_fail` set, `run_guard` raises `DiversityCheckFailed`. The result goes to
`diversity.json` in the run folder, for the report. This module does not decide which traces to keep.

How it scales: it streams. `run_guard` reads the shards twice — once for which traces each set
holds (one byte per trace), once for their texts — and measures all seven sets (before, after,
5 random draws) in one pass (`s2s1.filters.diversity_sets`: no pairwise matrix, gzip as a stream,
one table of n-gram hashes). Memory grows with the distinct n-grams and problem ids, not with
pairs of traces.
The embedding, the costly part (~25 ms per short trace on a CPU core), is limited to a seeded
uniform sample of `EMBED_SAMPLE` traces per domain: up to that size every trace is embedded and
the numbers are exact; beyond it each set's embedding diversity is the mean over its sampled
members (an unbiased estimate; `embedded` in the report says how many), so the guard's cost
stops growing with the run. The draws of the random baseline are unchanged. The sampled texts
wait, 256 at most, until 256 of them are ready, so the encoder runs in full batches of 256 however
many traces are read between two: embedding the few sampled members of every 256 traces read (250
calls of ~33 texts at 128k traces, against 16 calls of 256 at 8k) fragmented the C heap with
each call, torch's freed activations between Python's allocations, and the guard's peak RSS grew
from 511 to 626 MB from 8k to 128k traces (issue 25).

Example:
    >>> m = text_metrics(["a b c", "a b d"])
    >>> m["distinct_1"], m["distinct_2"]
    (0.6667, 0.75)
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from s2s1.config import FilterConfig
from s2s1.filters.diversity_sets import DRAWS, Sets, text_metrics
from s2s1.records import Record, Trace
from s2s1.shards import read_jsonl, write_json

__all__ = ["DiversityCheckFailed", "guard", "run_guard", "text_metrics"]

Embed = Callable[[Sequence[str]], np.ndarray]
Item = tuple[str, str, bool, Callable[[], str]]
"""One trace of the `before` set: (domain, problem id, kept at the end, its text on demand)."""
_EMBED_BATCH = 256  # sampled texts embedded at once, the only texts held in memory: 256 per call at any N
EMBED_SAMPLE = 8192
"""Per domain, at most this many traces (a seeded uniform sample) are embedded; the embedding
diversity of each set is then estimated from its sampled members (exact up to this size)."""
_SAMPLED = 1 << 7  # mask bit: this trace is embedded
_HIGHER_IS_NARROWER = {"compression_ratio"}


def _loss(metric: str, before: float, after: float) -> float:
    """Relative narrowing: positive when `after` is less diverse than `before`."""
    if before == 0:
        return 0.0
    change = (after - before) / before
    return change if metric in _HIGHER_IS_NARROWER else -change


def _masks(items: Iterable[Item], seed: int) -> tuple[dict[str, bytearray], set[str], set[str]]:
    """First pass: per domain, each trace's bitmask of sets; the problems before and after."""
    kept: dict[str, bytearray] = {}
    before, after = set(), set()
    for domain, pid, keep, _ in items:
        kept.setdefault(domain, bytearray()).append(1 | (2 if keep else 0))
        before.add(pid)
        if keep:
            after.add(pid)
    rng = random.Random(seed)
    for _, masks in sorted(kept.items()):  # the draws, in the order the unstreamed guard made them
        k = sum(m >> 1 for m in masks)
        for draw in range(DRAWS if k else 0):
            for i in rng.sample(range(len(masks)), k):
                masks[i] |= 4 << draw
    sampler = random.Random(seed + 1)  # its own stream: the draws above stay as they were
    for _, masks in sorted(kept.items()):
        for i in sampler.sample(range(len(masks)), min(len(masks), EMBED_SAMPLE)):
            masks[i] |= _SAMPLED
    return kept, before, after


def measure(
    items: Callable[[], Iterable[Item]], *, budget: float, embed: Embed | None, seed: int = 0
) -> dict[str, Any]:
    """The diversity section from two passes over `items()` (the `before` set, kept flags on)."""
    masks, problems_before, problems_after = _masks(items(), seed)
    sets = {d: Sets() for d in masks}
    position = dict.fromkeys(masks, 0)
    pending: dict[str, list[tuple[str, int]]] = {d: [] for d in masks}  # sampled, not yet embedded

    def flush(domain: str) -> None:
        batch, pending[domain] = pending[domain], []
        if embed is not None and batch:
            for (_, mask), vector in zip(batch, embed([t for t, _ in batch]), strict=True):
                sets[domain].add_vector(mask, vector)

    for domain, _, _, text in items():
        mask = masks[domain][position[domain]] & ~_SAMPLED
        sampled = masks[domain][position[domain]] & _SAMPLED
        position[domain] += 1
        t = text()
        sets[domain].add(t, mask)
        if embed is not None and sampled:
            pending[domain].append((t, mask))
            if len(pending[domain]) >= _EMBED_BATCH:
                flush(domain)
    report: dict[str, Any] = {"budget": budget, "domains": {}, "warnings": []}
    for domain in sorted(masks):
        flush(domain)
        s, n_after = sets[domain], sum(m >> 1 & 1 for m in masks[domain])
        m_before, m_after = s.metrics(0, embed is not None), s.metrics(1, embed is not None)
        draws = [s.metrics(2 + j, embed is not None) for j in range(DRAWS)] if n_after else []
        m_random = {k: round(float(np.mean([d[k] for d in draws])), 4) for k in m_before} if draws else {}
        report["domains"][domain] = {
            "n_before": len(masks[domain]), "n_after": n_after, "before": m_before, "after": m_after,
            "random_drop": m_random, "embedded": int(s.vcount[0]),
        }  # fmt: skip
        for metric, value in m_before.items():
            excess = (
                _loss(metric, value, m_after[metric]) - _loss(metric, value, m_random[metric])
                if m_random
                else 0
            )
            if excess > budget:
                report["warnings"].append(
                    f"{domain}: the filter narrows {metric} by {excess:.1%} more than dropping "
                    f"{len(masks[domain]) - n_after} traces at random (budget {budget:.0%})"
                )
    emptied = sorted(problems_before - problems_after)
    if emptied:
        shown = ", ".join(emptied[:8]) + (" …" if len(emptied) > 8 else "")
        report["warnings"].append(f"the filter removed every trace of {len(emptied)} problem(s): {shown}")
    report["emptied_problems"] = emptied
    return report


def guard(
    before: Sequence[Record], after: Sequence[Record], *, budget: float, embed: Embed | None, seed: int = 0
) -> dict[str, Any]:
    """The diversity section of the run: metrics per domain, the random baseline, and warnings."""
    kept_keys = {r.key for r in after}

    def items() -> Iterator[Item]:
        for r in before:
            yield r.problem.domain, r.problem.id, r.key in kept_keys, _completion(r)

    return measure(items, budget=budget, embed=embed, seed=seed)


class DiversityCheckFailed(Exception):
    """The filter narrowed diversity beyond its budget and the config says to fail."""


def run_guard(run_dir: Path, cfg: FilterConfig) -> dict[str, Any]:
    """Guard a filtered run folder: write `diversity.json`; raise when configured to fail.

    Streams the filtered/ and rejected/ shards (rows as dicts; a trace is validated only when
    its text is needed), so memory does not grow with the number of traces.
    """
    from s2s1.filters.embed import embed

    paths = [p for stage in ("filtered", "rejected") for p in sorted((run_dir / stage).glob("shard-*.jsonl"))]

    def items() -> Iterator[Item]:
        for path in paths:
            for _, row in read_jsonl(path):
                decisions = row.get("decisions", {})
                if "verified" in decisions and not decisions["verified"]["keep"]:
                    continue
                keep = all(d["keep"] for d in decisions.values())
                yield row["problem"].get("domain", "math"), row["problem"]["id"], keep, _text(row["trace"])

    report = measure(items, budget=cfg.diversity_budget, embed=embed if cfg.diversity_embeddings else None)
    report["measured_on"] = "traces the verified filter kept (before) and traces every filter kept (after)"
    write_json(run_dir / "diversity.json", report)
    if cfg.diversity_fail and report["warnings"]:
        raise DiversityCheckFailed("; ".join(report["warnings"]))
    return report


def _completion(record: Record) -> Callable[[], str]:
    return lambda: record.trace.completion


def _text(trace: dict[str, Any]) -> Callable[[], str]:
    return lambda: Trace.model_validate(trace).completion
