"""The diversity guard: metrics, the random-drop baseline, warnings, failing, and the encoder's hash."""

from __future__ import annotations

import doctest
import hashlib

import numpy as np
import pytest

import s2s1.filters.diversity
import s2s1.filters.diversity_sets
import s2s1.filters.embed
from s2s1.config import FilterConfig
from s2s1.errors import UserError
from s2s1.filters.diversity import DiversityCheckFailed, guard, run_guard, text_metrics
from s2s1.records import Decision, Problem, Reason, Record, Trace
from s2s1.shards import write_models


def fake_embed(texts):
    """A stand-in encoder for unit tests: one-hot by the text's first word."""
    vocab = sorted({t.split()[0] for t in texts})
    return np.array([[float(t.split()[0] == w) for w in vocab] for t in texts])


def _record(pid: str, index: int, text: str) -> Record:
    return Record(
        problem=Problem(id=pid, source="t", question="q"),
        trace=Trace(problem_id=pid, index=index, teacher="m", prompt=[], response=text),
    )


STYLES = ["alpha beta gamma delta", "one two three four", "red green blue black", "sun moon star sky"]
RECORDS = [_record(f"p{i % 4}", i, f"{STYLES[i % 4]} number {i}") for i in range(16)]


def test_metrics_see_repetition():
    varied = text_metrics(STYLES, fake_embed(STYLES))
    same = text_metrics([STYLES[0]] * 4, fake_embed([STYLES[0]] * 4))
    assert varied["distinct_2"] > same["distinct_2"] and varied["distinct_1"] > same["distinct_1"]
    assert same["compression_ratio"] > varied["compression_ratio"]
    assert varied["embedding_diversity"] == pytest.approx(1.0) and same["embedding_diversity"] == 0.0


def test_a_filter_that_keeps_one_style_is_flagged_against_random_drops():
    narrow = [r for r in RECORDS if r.trace.response.startswith("alpha")]
    report = guard(RECORDS, narrow, budget=0.05, embed=fake_embed)
    section = report["domains"]["math"]
    assert section["n_before"] == 16 and section["n_after"] == 4
    assert section["after"]["embedding_diversity"] < section["random_drop"]["embedding_diversity"]
    assert any("narrows embedding_diversity" in w for w in report["warnings"])
    assert report["emptied_problems"] == ["p1", "p2", "p3"]


def test_a_filter_that_drops_evenly_passes():
    even = [r for r in RECORDS if r.trace.index < 8]
    report = guard(RECORDS, even, budget=0.25, embed=fake_embed)
    assert report["warnings"] == [] and report["emptied_problems"] == []


def test_run_guard_writes_the_report_and_fails_when_configured(tmp_path):
    dropped = Decision(filter="rules", keep=False, reasons=[Reason(code="boilerplate")])
    kept = [r for r in RECORDS if r.trace.response.startswith("alpha")]
    rejected = [r.model_copy(update={"decisions": {"rules": dropped}}) for r in RECORDS if r not in kept]
    write_models(tmp_path / "filtered" / "shard-00000.jsonl", kept)
    write_models(tmp_path / "rejected" / "shard-00000.jsonl", rejected)
    report = run_guard(tmp_path, FilterConfig(diversity_embeddings=False))
    assert (tmp_path / "diversity.json").exists() and report["warnings"]
    with pytest.raises(DiversityCheckFailed, match="every trace of 3 problem"):
        run_guard(tmp_path, FilterConfig(diversity_embeddings=False, diversity_fail=True))


def test_the_encoder_refuses_weights_with_another_hash(tmp_path, monkeypatch):
    (tmp_path / "model.safetensors").write_bytes(b"not the model")
    with pytest.raises(UserError, match="is not all-MiniLM-L6-v2's"):
        s2s1.filters.embed._check_hash(tmp_path / "model.safetensors")


def test_the_installed_encoder_has_the_published_hash():
    path = s2s1.filters.embed.model_dir() / "model.safetensors"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == s2s1.filters.embed.SHA256


@pytest.mark.slow
def test_real_embeddings_rank_paraphrases_closer():
    e = s2s1.filters.embed.embed(["A man is eating food.", "A man eats a meal.", "The sky is blue today."])
    assert e.shape == (3, 384) and np.allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-4)
    assert e[0] @ e[1] > e[0] @ e[2] + 0.3


@pytest.mark.parametrize("module", [s2s1.filters.diversity, s2s1.filters.diversity_sets, s2s1.filters.embed])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_report_shows_the_guard_beside_the_random_baseline():
    from s2s1.distill.report import render_report

    section = guard(RECORDS, [r for r in RECORDS if r.trace.response.startswith("alpha")], budget=0.05,
                    embed=fake_embed)  # fmt: skip
    text = render_report({"diversity": section})
    assert "## Diversity guard" in text and "after random drops" in text
    assert "| math | embedding_diversity | 0.8 | 0.0 | 0.7333 |" in text
    assert "- warning: the filter removed every trace of 3 problem(s)" in text
