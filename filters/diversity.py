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

Example:
    >>> m = text_metrics(["a b c", "a b d"])
    >>> m["distinct_1"], m["distinct_2"]
    (0.6667, 0.75)
"""

from __future__ import annotations

import gzip
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from s2s1.config import FilterConfig
from s2s1.records import Record
from s2s1.shards import read_models, write_json

__all__ = ["DiversityCheckFailed", "guard", "run_guard", "text_metrics"]

Embed = Callable[[Sequence[str]], np.ndarray]
_DRAWS = 5
_HIGHER_IS_NARROWER = {"compression_ratio"}


def _distinct(texts: Sequence[str], n: int) -> float:
    grams = [tuple(w[i : i + n]) for w in (t.split() for t in texts) for i in range(len(w) - n + 1)]
    return round(len(set(grams)) / len(grams), 4) if grams else 0.0


def text_metrics(texts: Sequence[str], vectors: np.ndarray | None = None) -> dict[str, float]:
    """distinct-1, distinct-2, compression ratio and (given their unit `vectors`) embedding diversity."""
    raw = "\n".join(texts).encode()
    out = {
        "distinct_1": _distinct(texts, 1),
        "distinct_2": _distinct(texts, 2),
        "compression_ratio": round(len(raw) / len(gzip.compress(raw)), 4) if raw else 0.0,
    }
    if vectors is not None:
        if len(texts) > 1:
            sims = vectors @ vectors.T
            pairs = len(texts) * (len(texts) - 1)
            out["embedding_diversity"] = round(float((pairs - (sims.sum() - np.trace(sims))) / pairs), 4)
        else:
            out["embedding_diversity"] = 0.0
    return out


def _subset(texts: Sequence[str], vectors: np.ndarray | None, idx: list[int]) -> dict[str, float]:
    return text_metrics([texts[i] for i in idx], None if vectors is None else vectors[idx])


def _loss(metric: str, before: float, after: float) -> float:
    """Relative narrowing: positive when `after` is less diverse than `before`."""
    if before == 0:
        return 0.0
    change = (after - before) / before
    return change if metric in _HIGHER_IS_NARROWER else -change


def guard(
    before: Sequence[Record], after: Sequence[Record], *, budget: float, embed: Embed | None, seed: int = 0
) -> dict[str, Any]:
    """The diversity section of the run: metrics per domain, the random baseline, and warnings."""
    kept_keys = {r.key for r in after}
    domains: dict[str, list[Record]] = defaultdict(list)
    for r in before:
        domains[r.problem.domain].append(r)
    report: dict[str, Any] = {"budget": budget, "domains": {}, "warnings": []}
    rng = random.Random(seed)
    for domain, records in sorted(domains.items()):
        texts = [r.trace.completion for r in records]
        vectors = embed(texts) if embed is not None else None  # once per domain; subsets index into it

        kept = [i for i, r in enumerate(records) if r.key in kept_keys]
        m_before = _subset(texts, vectors, list(range(len(texts))))
        m_after = _subset(texts, vectors, kept)
        samples = [sorted(rng.sample(range(len(texts)), len(kept))) for _ in range(_DRAWS)] if kept else []
        draws = [_subset(texts, vectors, idx) for idx in samples]
        m_random = {k: round(float(np.mean([d[k] for d in draws])), 4) for k in m_before} if draws else {}
        section = {"n_before": len(texts), "n_after": len(kept), "before": m_before, "after": m_after}
        section["random_drop"] = m_random
        report["domains"][domain] = section
        for metric, value in m_before.items():
            if not m_random:
                continue
            excess = _loss(metric, value, m_after[metric]) - _loss(metric, value, m_random[metric])
            if excess > budget:
                report["warnings"].append(
                    f"{domain}: the filter narrows {metric} by {excess:.1%} more than dropping "
                    f"{len(texts) - len(kept)} traces at random (budget {budget:.0%})"
                )
    problems_before = {r.problem.id for r in before}
    emptied = sorted(problems_before - {r.problem.id for r in after})
    if emptied:
        shown = ", ".join(emptied[:8]) + (" …" if len(emptied) > 8 else "")
        report["warnings"].append(f"the filter removed every trace of {len(emptied)} problem(s): {shown}")
    report["emptied_problems"] = emptied
    return report


class DiversityCheckFailed(Exception):
    """The filter narrowed diversity beyond its budget and the config says to fail."""


def run_guard(run_dir: Path, cfg: FilterConfig) -> dict[str, Any]:
    """Guard a filtered run folder: write `diversity.json`; raise when configured to fail."""
    from s2s1.filters.embed import embed

    paths = [p for stage in ("filtered", "rejected") for p in sorted((run_dir / stage).glob("shard-*.jsonl"))]
    records = [r for p in paths for r in read_models(p, Record)]
    verified = [r for r in records if "verified" not in r.decisions or r.decisions["verified"].keep]
    kept = [r for r in verified if r.kept]
    report = guard(
        verified, kept, budget=cfg.diversity_budget, embed=embed if cfg.diversity_embeddings else None
    )
    report["measured_on"] = "traces the verified filter kept (before) and traces every filter kept (after)"
    write_json(run_dir / "diversity.json", report)
    if cfg.diversity_fail and report["warnings"]:
        raise DiversityCheckFailed("; ".join(report["warnings"]))
    return report
