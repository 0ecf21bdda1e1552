"""The metrics of several sets of one domain's texts, measured in one streaming pass: distinct-1
and distinct-2, the gzip compression ratio, and the embedding diversity (`s2s1.filters.diversity`
compares them before and after the filter and after random drops).

Each text is fed once with a bitmask of the sets it belongs to. The mean pairwise cosine distance
of unit vectors is exact from their sum, 1 - (|Σv|² - Σ|v|²) / (n(n-1)), so no pairwise matrix
exists; gzip runs as a stream per set; distinct n-grams are one table of 64-bit n-gram hashes (a
collision, odds ~N²/2⁶⁴, would undercount by one). This module does not embed texts or warn.

Example:
    >>> text_metrics(["a b c", "a b c"])["distinct_1"]
    0.5
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

__all__ = ["DRAWS", "Sets", "text_metrics"]

DRAWS = 5
_SETS = 2 + DRAWS  # bit 0: before, bit 1: after, bits 2..6: the random draws


class Sets:
    """The metrics of up to `_SETS` sets of one domain's texts, fed one text at a time."""

    def __init__(self) -> None:
        self.grams: tuple[dict[int, int], dict[int, int]] = ({}, {})  # n-gram hash → bitmask of sets
        self.total = np.zeros((2, _SETS), dtype=np.int64)  # n-grams, with repeats
        self.count = [0] * _SETS
        self.raw = [0] * _SETS
        self.zips = [zlib.compressobj(9, zlib.DEFLATED, 31) for _ in range(_SETS)]  # gzip framing
        self.zipped = [0] * _SETS
        self.vsum: np.ndarray | None = None  # (sets × dim), made at the first vector
        self.vsq = np.zeros(_SETS)
        self.vcount = np.zeros(_SETS, dtype=np.int64)  # members with a vector

    def add(self, text: str, mask: int, vector: np.ndarray | None = None) -> None:
        members = [s for s in range(_SETS) if mask >> s & 1]
        words = text.split()
        for n, grams in ((1, words), (2, zip(words, words[1:], strict=False))):
            table = self.grams[n - 1]
            for g in grams:
                h = hash(g)
                table[h] = table.get(h, 0) | mask
            self.total[n - 1, members] += max(0, len(words) - n + 1)
        data = text.encode()
        for s in members:
            chunk = data if not self.count[s] else b"\n" + data  # as "\n".join(texts)
            self.raw[s] += len(chunk)
            self.zipped[s] += len(self.zips[s].compress(chunk))
            self.count[s] += 1
        if vector is not None:
            self.add_vector(mask, vector)

    def add_vector(self, mask: int, vector: np.ndarray) -> None:
        """Add one member's embedding to the sets in `mask` (its text is added by `add`)."""
        members = [s for s in range(_SETS) if mask >> s & 1]
        v = vector.astype(np.float64)
        if self.vsum is None:
            self.vsum = np.zeros((_SETS, v.shape[0]))
        self.vsum[members] += v
        self.vsq[members] += float(v @ v)
        self.vcount[members] += 1

    def metrics(self, s: int, embeddings: bool) -> dict[str, float]:
        """distinct-1, distinct-2, compression ratio (and embedding diversity) of set `s`."""
        distinct = [sum(1 for m in table.values() if m >> s & 1) for table in self.grams]
        out = {
            f"distinct_{n}": round(distinct[n - 1] / int(self.total[n - 1, s]), 4)
            if self.total[n - 1, s]
            else 0.0
            for n in (1, 2)
        }
        zipped = self.zipped[s] + len(self.zips[s].copy().flush())
        out["compression_ratio"] = round(self.raw[s] / zipped, 4) if self.raw[s] else 0.0
        if embeddings:
            n = int(self.vcount[s])
            if n > 1 and self.vsum is not None:
                pairs = n * (n - 1)
                off_diagonal = float(self.vsum[s] @ self.vsum[s]) - self.vsq[s]  # Σ_{i≠j} vi·vj
                out["embedding_diversity"] = round((pairs - off_diagonal) / pairs, 4)
            else:
                out["embedding_diversity"] = 0.0
        return out


def text_metrics(texts: Sequence[str], vectors: np.ndarray | None = None) -> dict[str, float]:
    """distinct-1, distinct-2, compression ratio and (given their unit `vectors`) embedding diversity."""
    sets = Sets()
    for i, text in enumerate(texts):
        sets.add(text, 1, None if vectors is None else vectors[i])
    return sets.metrics(0, vectors is not None)
