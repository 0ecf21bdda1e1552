"""The diversity guard's memory does not grow with the run (issue 25, "flat memory").

With the MiniLM embedding on, the guard's peak RSS grew with the number of traces although it
embeds at most `EMBED_SAMPLE` per domain: it embedded the sampled members of every 256 traces read,
so past the sample size the encoder ran once per 256 traces on a few texts (250 calls at 128k
traces against 16 at 8k), and the glibc heap, torch's activations freed between Python's
allocations, fragmented with every call (measured: 140 MB in use, 145 MB free in a 293 MB heap
after the 128k guard). These tests fail if the encoder's calls, or the state the guard keeps,
come to grow with the traces again.
"""

from __future__ import annotations

import tracemalloc
import zlib
from collections.abc import Iterator, Sequence

import numpy as np
import pytest

import s2s1.filters.diversity as diversity

WORDS = [f"w{i}" for i in range(40)]  # a fixed vocabulary: the n-gram table stops growing


def _text(i: int) -> str:
    return " ".join(WORDS[(i * k) % len(WORDS)] for k in range(1, 13))


def _items(n: int, domains: Sequence[str] = ("math",)) -> Iterator[diversity.Item]:
    for i in range(n):  # 50 problems whatever n: per-problem state is not what is measured here
        yield domains[i % len(domains)], f"p{i % 50}", i % 3 > 0, lambda i=i: _text(i)


def _embed(texts: Sequence[str]) -> np.ndarray:
    """A stand-in encoder: a unit vector seeded by the text."""
    rows = [np.random.default_rng(zlib.crc32(t.encode())).normal(size=16) for t in texts]
    return np.array([r / np.linalg.norm(r) for r in rows])


@pytest.mark.parametrize("n", [400, 4_000])
def test_the_encoder_gets_full_batches_of_sampled_texts_at_any_run_size(monkeypatch, n):
    monkeypatch.setattr(diversity, "EMBED_SAMPLE", 96)
    monkeypatch.setattr(diversity, "_EMBED_BATCH", 32)
    calls: list[int] = []

    def counting(texts: Sequence[str]) -> np.ndarray:
        calls.append(len(texts))
        return _embed(texts)

    report = diversity.measure(lambda: _items(n, ("math", "code")), budget=0.05, embed=counting)
    assert sorted(calls) == [32] * 6  # 96 per domain in 3 calls each, not one call per 32 traces read
    assert all(d["embedded"] == 96 for d in report["domains"].values())


def test_batching_the_sampled_texts_changes_no_number(monkeypatch):
    """The same sets, vectors and order of sums as embedding each text where it is read."""
    monkeypatch.setattr(diversity, "EMBED_SAMPLE", 64)
    one_by_one = {}
    for batch in (1, 256):
        monkeypatch.setattr(diversity, "_EMBED_BATCH", batch)
        one_by_one[batch] = diversity.measure(lambda: _items(1_000), budget=0.05, embed=_embed)
    assert one_by_one[1] == one_by_one[256]
    assert one_by_one[1]["domains"]["math"]["embedded"] == 64


def _peak(n: int) -> int:
    tracemalloc.start()
    try:
        diversity.measure(lambda: _items(n), budget=0.05, embed=_embed)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_guard_keeps_no_per_trace_texts_or_vectors(monkeypatch):
    monkeypatch.setattr(diversity, "EMBED_SAMPLE", 128)
    _peak(1_000)  # warm up: imports, numpy's and zlib's first allocations
    small, large = _peak(2_000), _peak(12_000)
    per_trace = (large - small) / 10_000
    # one mask byte per trace is all it keeps; a text (~60 bytes) or a float16 vector (768) each
    # would be far more
    assert per_trace < 8, f"the guard's peak grew {per_trace:.1f} bytes per trace"
