"""Dedup and selection: drop exact and near-duplicate traces within a problem, keep up to k.

Works on the records that the earlier filters kept, one problem at a time, in sample order. A
trace whose normalised text (lower case, whitespace collapsed) equals a kept one is `duplicate`;
one whose MinHash estimate of word 5-shingle Jaccard similarity with a kept one reaches the
threshold is `near_duplicate` (the score and the matched sample are recorded); once k distinct
traces of a problem are kept, the rest are `over_per_problem`. Records already dropped by another
filter get a keep decision from this one (they are not compared). This module does not compare
across problems (different problems may share a solution) and does not rank by quality: the
earliest samples win.

Example:
    >>> a, b = minhash("the cat sat on the mat today"), minhash("the cat sat on the mat today!")
    >>> similarity(a, b) > 0.5
    True
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from s2s1.records import Decision, Reason, Record

__all__ = ["DedupFilter", "minhash", "similarity"]

_PERMUTATIONS = 128
_PRIME = (1 << 31) - 1
_rng = np.random.default_rng(0)
_A = _rng.integers(1, _PRIME, _PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, _PERMUTATIONS, dtype=np.uint64)


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def minhash(text: str, shingle: int = 5) -> np.ndarray:
    """MinHash signature (128 values) of the word `shingle`-grams of `text`."""
    words = re.findall(r"\w+|[^\w\s]", text.lower())
    grams = {" ".join(words[i : i + shingle]) for i in range(max(1, len(words) - shingle + 1))}
    hashes = np.array(
        [int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "little") for g in grams],
        dtype=np.uint64,
    )
    return ((np.outer(_A, hashes) + _B[:, None]) % _PRIME).min(axis=1)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two signatures' shingle sets."""
    return float(np.mean(a == b))


class DedupFilter:
    """Keeps at most `per_problem` distinct traces per problem.

    Example:
        >>> DedupFilter(per_problem=2, threshold=0.8).name
        'dedup'
    """

    name: ClassVar[str] = "dedup"

    def __init__(self, *, per_problem: int, threshold: float) -> None:
        self.per_problem = per_problem
        self.threshold = threshold

    def decide(self, records: Sequence[Record]) -> list[Decision]:
        """One decision per record, in the order given."""
        decisions: list[Decision | None] = [None] * len(records)
        by_problem: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(records):
            if r.kept:
                by_problem[r.trace.problem_id].append(i)
            else:
                decisions[i] = Decision(filter=self.name, keep=True)
        for indices in by_problem.values():
            kept: list[tuple[str, str, np.ndarray]] = []  # (key, normalised text, signature)
            for i in sorted(indices, key=lambda j: records[j].trace.index):
                decisions[i] = self._one(records[i], kept)
        return [d for d in decisions if d is not None]

    def _one(self, record: Record, kept: list[tuple[str, str, np.ndarray]]) -> Decision:
        text = _normalise(record.trace.completion)
        for key, other, _ in kept:
            if text == other:
                reason = Reason(code="duplicate", detail=f"same text as {key}")
                return Decision(filter=self.name, keep=False, reasons=[reason], scores={"similarity": 1.0})
        signature = minhash(text)
        best_key, best = "", 0.0
        for key, _, other_sig in kept:
            s = similarity(signature, other_sig)
            if s > best:
                best_key, best = key, s
        if best >= self.threshold:
            reason = Reason(code="near_duplicate", detail=f"~{best:.2f} Jaccard (MinHash) with {best_key}")
            return Decision(filter=self.name, keep=False, reasons=[reason], scores={"similarity": best})
        if len(kept) >= self.per_problem:
            reason = Reason(
                code="over_per_problem", detail=f"{self.per_problem} distinct traces already kept"
            )
            return Decision(filter=self.name, keep=False, reasons=[reason], scores={"similarity": best})
        kept.append((record.key, text, signature))
        return Decision(filter=self.name, keep=True, scores={"similarity": best})
