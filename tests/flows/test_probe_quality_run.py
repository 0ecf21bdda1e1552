"""The `probe` and `quality` filters through a whole run: config paths, decisions, drop counts.

Fake teacher, tiny random Llama (conftest) as the model whose hidden states both read. The probe
and the scorer are written by hand with random weights (training them is tested in
tests/filters); what is tested here is that a config names them and the filter stage uses them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
import yaml

from s2s1.config import FilterConfig, load_config
from s2s1.errors import UserError
from s2s1.filters import build_filters
from s2s1.filters.probe import Probe
from s2s1.filters.quality import FORMAT
from s2s1.generators.embedded import model_id
from s2s1.records import Record
from s2s1.shards import read_models


def _probe(folder: Path, model: Path) -> None:
    gen = torch.Generator().manual_seed(0)
    card = {"model": str(model), "model_id": model_id(str(model)), "layer": 2, "hidden_size": 32,
            "pool": "last", "label": "verified", "training_rows": 0}  # fmt: skip
    Probe(torch.randn(32, generator=gen), torch.zeros(()), torch.zeros(32), torch.ones(32), card).save(folder)


def _scorer(folder: Path, model: Path) -> None:
    rng = np.random.default_rng(0)
    folder.mkdir()
    info = {"format": FORMAT, "model": str(model), "base_model": model_id(str(model)), "layer": -1,
            "max_length": 512, "mean": [0.0] * 32, "scale": [1.0] * 32,
            "weights": rng.normal(size=32).tolist()}  # fmt: skip
    (folder / "scorer.json").write_text(json.dumps(info))


@pytest.fixture(scope="module")
def run(prefect_harness, tiny_model_dir, tmp_path_factory):
    from s2s1.flows.pipeline import pipeline

    home = tmp_path_factory.mktemp("probe-quality")
    _probe(home / "probe", tiny_model_dir)
    _scorer(home / "scorer", tiny_model_dir)
    config = {
        "name": "probe-quality",
        "problems": {"sources": [{"builtin": "arithmetic", "limit": 6}], "eval_fraction": 0.34},
        "generate": {"backend": "fake", "model": str(tiny_model_dir), "sampling": {"n": 8}},
        "verify": {"workers": 1},
        "filter": {"filters": ["verified", "probe", "quality"], "probe": "probe",
                   "quality_scorer": "scorer", "quality_per_problem": 2},  # relative to the config file
        "train": {"max_steps": 1, "batch_size": 4},
        "evaluate": {"models": ["student"], "sampling": {"n": 1, "max_tokens": 4, "temperature": 0.0}},
    }  # fmt: skip
    (home / "run.yaml").write_text(yaml.safe_dump(config))
    cfg = load_config(home / "run.yaml")
    assert cfg.filter.probe == home / "probe" and cfg.filter.quality_scorer == home / "scorer"
    metrics = pipeline(cfg, run_dir=home / "run")
    return home / "run", metrics


def _records(folder: Path) -> list[Record]:
    return [r for shard in sorted(folder.glob("shard-*.jsonl")) for r in read_models(shard, Record)]


def test_every_trace_has_a_probe_score_and_each_problem_keeps_its_best_two(run):
    run_dir, metrics = run
    kept, dropped = _records(run_dir / "filtered"), _records(run_dir / "rejected")
    assert kept and dropped
    for r in kept + dropped:
        assert 0.0 <= r.decisions["probe"].scores["probe_verified"] <= 1.0
    per_problem: dict[str, list[float]] = {}
    for r in kept:
        per_problem.setdefault(r.problem.id, []).append(r.decisions["quality"].scores["rank"])
    assert all(sorted(ranks) == [1.0, 2.0] for ranks in per_problem.values()), per_problem
    low = [r for r in dropped if not r.decisions["quality"].keep]
    assert low and all(r.decisions["quality"].reasons[0].code == "low_quality" for r in low)
    assert min(r.decisions["quality"].scores["rank"] for r in low) == 3.0
    assert metrics["filter"]["dropped_by_reason"]["low_quality"] == len(low)


def test_the_threshold_and_per_problem_reach_the_filters(tiny_model_dir, tmp_path):
    _probe(tmp_path / "probe", tiny_model_dir)
    _scorer(tmp_path / "scorer", tiny_model_dir)
    cfg = FilterConfig(probe=tmp_path / "probe", probe_threshold=0.25, quality_scorer=tmp_path / "scorer",
                       quality_per_problem=3)  # fmt: skip
    probe, quality = build_filters(["probe", "quality"], cfg)
    assert probe.threshold == 0.25 and quality.per_problem == 3  # type: ignore[union-attr]
    (tmp_path / "scorer" / "scorer.json").write_text("{}")
    with pytest.raises(UserError, match="scorer.json: cannot read the quality scorer"):
        build_filters(["quality"], cfg)
