"""Each filter against a matched random control: what it kept, and as many traces drawn at random.

For filter i of a run (in its configured order) the *pool* is what reached it: the records every
earlier filter kept, read back from the decisions stored in `filtered/` and `rejected/`. Its *kept*
set is the part of the pool it kept. The control draws, for each problem, as many records of that
problem's pool as the filter kept there, uniformly at random (seeded by the filter's name and the
seed index), so the control has exactly the kept set's size, per-problem counts and pool. A
quality scorer is an extra arm whose pool is the run's final kept set (`quality_arm`).

`diversity` measures a set with `s2s1.filters.diversity.text_metrics` (distinct-2, and embedding
diversity given vectors) with 95% bootstrap intervals over problems. Training and evaluating a
student per arm is `s2s1.distill.ablate_run`. This module does not train, evaluate or write files.

Example:
    >>> arm = Arm("x", pool=[], kept=[])
    >>> arm.identical, len(matched_random(arm, seed=0))
    (True, 0)
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from s2s1.filters.diversity import text_metrics
from s2s1.records import Record

__all__ = ["Arm", "diversity", "embed_records", "filter_arms", "matched_random", "quality_arm"]

Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass
class Arm:
    """One filter's choice: the pool it chose from and what it kept (both in record order)."""

    name: str
    pool: list[Record]
    kept: list[Record]

    @property
    def identical(self) -> bool:
        """True when the filter kept the whole pool: the random control is the same set."""
        return len(self.kept) == len(self.pool)


def filter_arms(records: Sequence[Record], filters: Sequence[str]) -> list[Arm]:
    """One arm per filter in `filters` (the run's order) that decided the records."""
    arms, pool = [], list(records)
    for name in filters:
        if not any(name in r.decisions for r in pool):
            continue
        kept = [r for r in pool if name not in r.decisions or r.decisions[name].keep]
        arms.append(Arm(name, pool, kept))
        pool = kept
    return arms


def quality_arm(records: Sequence[Record], scorer: object, per_problem: int) -> Arm:
    """The quality scorer's arm: from the run's finally kept records, the best `per_problem` each."""
    from s2s1.filters.quality import QualityFilter

    pool = [r.model_copy(update={"decisions": {}}) for r in records if r.kept]
    decisions = QualityFilter(scorer, per_problem=per_problem).decide(pool)  # type: ignore[arg-type]
    return Arm(
        f"quality (best {per_problem})", pool, [r for r, d in zip(pool, decisions, strict=True) if d.keep]
    )


def matched_random(arm: Arm, seed: int) -> list[Record]:
    """As many records of each problem's pool as the filter kept there, drawn at random."""
    digest = hashlib.sha256(f"{arm.name}/{seed}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "little"))
    pool: dict[str, list[Record]] = defaultdict(list)
    for r in arm.pool:
        pool[r.problem.id].append(r)
    want: dict[str, int] = defaultdict(int)
    for r in arm.kept:
        want[r.problem.id] += 1
    chosen = {r.key for pid in sorted(want) for r in rng.sample(pool[pid], want[pid])}
    return [r for r in arm.pool if r.key in chosen]


def diversity(
    records: Sequence[Record], vectors: dict[str, np.ndarray] | None = None, resamples: int = 200
) -> dict[str, dict[str, float | list[float]]]:
    """distinct-2 (and embedding diversity, given unit vectors by record key), each with a 95%
    bootstrap interval over problems (a problem's traces resampled together). A problem drawn twice
    repeats its n-grams and pairs, which biases both metrics down, so the percentile interval is
    shifted by the estimate minus the draws' mean (a bias-corrected percentile interval)."""
    by_problem: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        by_problem[r.problem.id].append(r)
    problems = sorted(by_problem)

    def measure(group: Sequence[Record]) -> dict[str, float]:
        texts = [r.trace.completion for r in group]
        vecs = None if vectors is None else np.array([vectors[r.key] for r in group])
        m = text_metrics(texts, vecs if vecs is not None and len(vecs) else None)
        return {k: v for k, v in m.items() if k in ("distinct_2", "embedding_diversity")}

    point = measure(records)
    rng = random.Random(0)
    draws = [
        measure([r for p in rng.choices(problems, k=len(problems)) for r in by_problem[p]])
        for _ in range(resamples if len(problems) > 1 else 0)
    ]
    out: dict[str, dict[str, float | list[float]]] = {}
    for metric, value in point.items():
        values = sorted(d[metric] for d in draws) or [value]
        shift = value - sum(values) / len(values)  # repeated problems repeat n-grams: recentre
        lo, hi = (values[int(q * len(values))] + shift for q in (0.025, 0.975 - 1e-9))
        out[metric] = {"value": value, "ci95": [round(lo, 4), round(hi, 4)]}
    return out


def embed_records(records: Sequence[Record], embed: Embed | None) -> dict[str, np.ndarray] | None:
    """Unit embedding of each record's completion by key (None without `embed`)."""
    if embed is None:
        return None
    unique = {r.key: r for r in records}
    vectors = embed([r.trace.completion for r in unique.values()])
    return dict(zip(unique, vectors, strict=True))
