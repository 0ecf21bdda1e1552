"""Structural properties that keep a run's cost linear and its memory flat (issue 25).

No timing or memory is measured here (benchmarks/scale/ does that); these check the shape of
the work: one verifier pool and one pass per verify stage, a diversity guard that works in batches and matches
the pairwise definition exactly, metrics that never build a whole folder of records, and a rerun
that skips finished verify shards without loading them.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

import s2s1.filters.diversity as diversity
import s2s1.flows.metrics as metrics
import s2s1.verifiers.pool as pool
from s2s1.config import Config
from s2s1.records import Decision, Problem, Reason, Record, Trace, Verdict
from s2s1.shards import read_models, write_models


def _config(shards: int) -> Config:
    return Config.model_validate(
        {
            "name": "scale",
            "problems": {"sources": [{"builtin": "arithmetic", "limit": 4 * shards}], "eval_fraction": 0.0},
            "generate": {"backend": "fake", "model": "fake-teacher", "shard_size": 4, "sampling": {"n": 2}},
            "verify": {"workers": 2, "timeout_s": 5},
        }
    )


def test_the_verify_stage_starts_one_pool_for_all_its_shards(prefect_harness, tmp_path, monkeypatch):
    from s2s1.flows.pipeline import pipeline

    pools, workers = [], itertools.count()
    init, worker_init = pool.VerifierPool.__init__, pool.Worker.__init__

    def counting_init(self, *args, **kwargs):
        pools.append(self)
        init(self, *args, **kwargs)

    def counting_worker(self, *args, **kwargs):
        next(workers)
        worker_init(self, *args, **kwargs)

    monkeypatch.setattr(pool.VerifierPool, "__init__", counting_init)
    monkeypatch.setattr(pool.Worker, "__init__", counting_worker)
    pipeline(_config(shards=3), run_dir=tmp_path, stages=["generate", "verify"])
    assert len(sorted((tmp_path / "verified").glob("shard-*.jsonl"))) == 3
    assert len(pools) == 1 and next(workers) <= 2  # not one pool (and 2 workers) per shard
    pools.clear()
    pipeline(_config(shards=3), run_dir=tmp_path, stages=["verify"])  # all done: nothing starts
    assert pools == []


def test_a_stage_runs_with_the_objects_alive_before_it_frozen(prefect_harness, tmp_path, monkeypatch):
    import gc

    import s2s1.flows.pipeline as pipeline

    frozen = []
    verify_files = pipeline.verify_shard_files
    monkeypatch.setattr(
        pipeline, "verify_shard_files", lambda *a: frozen.append(gc.get_freeze_count()) or verify_files(*a)
    )
    pipeline.pipeline(_config(shards=2), run_dir=tmp_path, stages=["generate", "verify"])
    assert frozen and frozen[0] > 10_000  # the collector does not walk the libraries' objects
    assert gc.get_freeze_count() == 0  # and they are collectable again after the stage


def _items(n: int, rng: np.random.Generator) -> tuple[list[str], list[bool], np.ndarray]:
    texts = [f"step {i % 7} gives {i % 13} so {i % 5}" for i in range(n)]
    vectors = rng.normal(size=(n, 8))
    return texts, list(rng.random(n) < 0.5), vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_the_guard_embeds_in_bounded_batches_and_matches_the_pairwise_definition(monkeypatch):
    monkeypatch.setattr(diversity, "_EMBED_BATCH", 16)
    texts, keep, vectors = _items(100, np.random.default_rng(0))
    index = {t: [] for t in texts}
    for i, t in enumerate(texts):
        index[t].append(i)
    batches = []

    def fake_embed(batch):  # stand-in encoder: each text's row of `vectors`, in order of asking
        batches.append(len(batch))
        return np.array([vectors[index[t].pop(0)] for t in batch])

    def items():
        return ((("math", f"p{i % 9}", keep[i], lambda i=i: texts[i])) for i in range(100))

    report = diversity.measure(items, budget=0.05, embed=fake_embed)["domains"]["math"]
    assert max(batches) <= 16 and sum(batches) == 100  # never the whole run at once
    for name, chosen in (("before", range(100)), ("after", [i for i in range(100) if keep[i]])):
        v = vectors[list(chosen)]
        n = len(v)
        pairwise = np.mean([1 - v[i] @ v[j] for i in range(n) for j in range(n) if i != j])
        assert report[name]["embedding_diversity"] == pytest.approx(round(pairwise, 4), abs=1e-4)


def test_the_guard_embeds_a_bounded_sample_of_a_large_domain(monkeypatch):
    monkeypatch.setattr(diversity, "EMBED_SAMPLE", 30)
    texts, keep, vectors = _items(200, np.random.default_rng(1))
    asked = []

    def fake_embed(batch):
        asked.extend(batch)
        return np.array([vectors[texts.index(t)] for t in batch])

    def items():
        return ((("math", f"p{i}", keep[i], lambda i=i: texts[i])) for i in range(200))

    report = diversity.measure(items, budget=0.05, embed=fake_embed)["domains"]["math"]
    assert len(asked) == 30 and report["embedded"] == 30 and report["n_before"] == 200
    assert 0.5 < report["before"]["embedding_diversity"] < 1.5  # random unit vectors: ~1


def test_compression_ratio_streams_to_the_same_value_as_one_gzip():
    import gzip

    texts = [f"line {i} of a text that repeats {i % 3}" for i in range(50)]
    raw = "\n".join(texts).encode()
    assert diversity.text_metrics(texts)["compression_ratio"] == round(len(raw) / len(gzip.compress(raw)), 4)


def _record(pid: str, index: int, outcome: str, keep: bool) -> Record:
    verdict = Verdict(verifier="math", version="1", outcome=outcome, score=float(outcome == "correct"))
    reasons = [] if keep else [Reason(code="boilerplate")]
    return Record(
        problem=Problem(id=pid, source="t", question="q", answer="1"),
        trace=Trace(problem_id=pid, index=index, teacher="m", prompt=[], response="r", num_tokens=3),
        verdicts={"math": verdict},
        decisions={"rules": Decision(filter="rules", keep=keep, reasons=reasons)},
    )


def test_metrics_read_shards_line_by_line_never_as_whole_folders(tmp_path, monkeypatch):
    records = [_record(f"p{i // 4}", i % 4, ["correct", "incorrect"][i % 2], i % 3 > 0) for i in range(24)]
    for stage, chosen in (
        ("traces", records),
        ("verified", records),
        ("filtered", [r for r in records if r.kept]),
        ("rejected", [r for r in records if not r.kept]),
    ):
        for s in range(3):
            write_models(tmp_path / stage / f"shard-{s:05d}.jsonl", chosen[s::3])

    def no_models(*args, **kwargs):
        raise AssertionError("collect_metrics built record models")

    monkeypatch.setattr(metrics, "read_models", no_models)
    m = metrics.collect_metrics(tmp_path)
    assert m["generate"]["traces"] == 24 and m["generate"]["problems"] == 6 and m["generate"]["tokens"] == 72
    assert m["verify"]["correct"] == 12 and m["verify"]["by_verifier"] == {
        "math 1": {"correct": 12, "incorrect": 12}
    }
    assert m["filter"] == {"kept": 16, "dropped": 8, "dropped_by_reason": {"boilerplate": 8}}
    rates = [json.loads(line) for line in Path(tmp_path / "difficulty.jsonl").read_text().splitlines()]
    assert {r["problem_id"]: r["correct"] for r in rates} == {f"p{i}": 2 for i in range(6)}


def test_read_records_yields_one_shard_at_a_time(tmp_path, monkeypatch):
    for s in range(3):
        write_models(tmp_path / "verified" / f"shard-{s:05d}.jsonl", [_record(f"p{s}", 0, "correct", True)])
    opened = []
    read_models = metrics.read_models
    monkeypatch.setattr(
        metrics, "read_models", lambda path, model: opened.append(path) or read_models(path, model)
    )
    stream = metrics.read_records(tmp_path, "verified")
    assert next(stream).problem.id == "p0" and len(opened) == 1  # the other shards not read yet


def test_the_verify_stage_verifies_its_shards_in_one_pass_writing_each_when_done(tmp_path, monkeypatch):
    from s2s1.flows.shard_tasks import verify_shard_files

    names = [f"shard-{s:05d}.jsonl" for s in range(3)]
    for s, name in enumerate(names):
        traces = [
            Record(problem=r.problem, trace=r.trace)
            for r in (_record(f"p{s}", i, "correct", True) for i in range(4))
        ]
        write_models(tmp_path / "traces" / name, traces)
    passes, map_ = [], pool.VerifierPool.map
    monkeypatch.setattr(pool.VerifierPool, "map", lambda self, items: passes.append(1) or map_(self, items))
    done = verify_shard_files(_config(shards=3), tmp_path, names)
    assert next(done)["records"] == 4 and (tmp_path / "verified" / names[0]).exists()  # written when done
    done.close()  # stopped mid-pass: what was verified is written whole, the rest is redone later
    assert passes == [1]  # one pool.map for all the shards, not one per shard
    assert {p.name for p in (tmp_path / "verified").iterdir()} <= set(names)  # no temp file left
    assert [r.verdicts["math"].outcome for r in read_models(tmp_path / "verified" / names[0], Record)] == [
        "incorrect"
    ] * 4


def test_the_progress_artifact_is_updated_every_few_seconds_and_at_the_end(monkeypatch):
    from types import SimpleNamespace

    import s2s1.flows.artifacts as artifacts

    calls, clock = [], [0.0]
    monkeypatch.setattr(artifacts, "create_progress_artifact", lambda *args, **kwargs: "id")
    monkeypatch.setattr(artifacts, "update_progress_artifact", lambda _, percent: calls.append(percent))
    monkeypatch.setattr(artifacts, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    with artifacts.Progress("verify", total=335) as progress:
        for shard in range(335):
            clock[0] = shard * 0.1  # a shard every 0.1 s: 33.5 s in all
            progress.advance()
    assert 5 <= len(calls) <= 8 and calls[-1] == 100.0  # one per 5 s and the end, not one per percent
