"""The quality scorer: pairs from a run, learning a preference, ranking best k, bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from s2s1.errors import UserError
from s2s1.filters.quality import HiddenStates, QualityFilter, load_scorer
from s2s1.filters.quality_train import fit_bradley_terry, half, preference_pairs, train_scorer
from s2s1.flows.cli import app
from s2s1.records import Decision, Problem, Reason, Record, Trace, Verdict
from s2s1.shards import write_models

runner = CliRunner()
DIM = 12


def _record(pid: str, index: int, correct: bool, decisions: dict[str, Decision] | None = None) -> Record:
    outcome = "correct" if correct else "incorrect"
    return Record(
        problem=Problem(id=pid, source="t", question=f"question {pid}?", answer="1"),
        trace=Trace(problem_id=pid, index=index, teacher="m", prompt=[], response=f"answer {pid} {index}"),
        verdicts={"math": Verdict(verifier="math", version="1", outcome=outcome, score=float(correct))},
        decisions=decisions or {"verified": Decision(filter="verified", keep=correct)},
    )


class VectorsForTests:
    """Features looked up by record key (no model)."""

    id = "vectors-for-tests"

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self.vectors = vectors

    def __call__(self, records):
        return np.array([self.vectors[r.key] for r in records])


def _synthetic_run(tmp_path: Path, *, shuffled: bool, problems: int = 160) -> tuple[Path, VectorsForTests]:
    """Each problem: 2 correct, 2 wrong traces. The preferred direction is w; with `shuffled`,
    which traces are correct is independent of the features."""
    rng = np.random.default_rng(0)
    w = rng.normal(size=DIM)
    records, vectors = [], {}
    for p in range(problems):
        labels = rng.permutation([True, True, False, False]) if shuffled else [True, True, False, False]
        for i, correct in enumerate(labels):
            r = _record(f"p{p}", i, bool(correct))
            signal = 1.5 if i < 2 else -1.5  # the first two are "better" along w
            vectors[r.key] = rng.normal(size=DIM) + signal * w / np.linalg.norm(w)
            records.append(r)
    write_models(tmp_path / "run" / "filtered" / "shard-00000.jsonl", [r for r in records if r.kept])
    write_models(tmp_path / "run" / "rejected" / "shard-00000.jsonl", [r for r in records if not r.kept])
    return tmp_path / "run", VectorsForTests(vectors)


def test_pairs_are_correct_vs_wrong_or_rules_rejected_within_a_problem():
    dup = {"verified": Decision(filter="verified", keep=True), "dedup": Decision(filter="dedup", keep=False)}
    boiler = {
        "verified": Decision(filter="verified", keep=True),
        "rules": Decision(filter="rules", keep=False, reasons=[Reason(code="boilerplate")]),
    }
    records = [
        _record("a", 0, True),
        _record("a", 1, False),
        _record("a", 2, True, dup),  # dropped only as a duplicate: still a good trace
        _record("a", 3, True, boiler),  # correct but rejected by rules: worse
        _record("b", 0, False),  # no correct trace of b: no pair
    ]
    pairs = [(a.key, b.key) for a, b in preference_pairs(records)]
    assert pairs == [("a#0", "a#1"), ("a#0", "a#3"), ("a#2", "a#1"), ("a#2", "a#3")]


def test_bradley_terry_recovers_a_direction():
    rng = np.random.default_rng(1)
    w = rng.normal(size=5)
    x = rng.normal(size=(400, 5))
    diffs = np.where((x @ w > 0)[:, None], x, -x)  # rows oriented better − worse
    fitted = fit_bradley_terry(diffs, l2=1.0)
    assert float(fitted @ w / np.linalg.norm(fitted) / np.linalg.norm(w)) > 0.95


def test_scorer_learns_a_synthetic_preference_on_held_out_problems(tmp_path):
    run, features = _synthetic_run(tmp_path, shuffled=False)
    info = train_scorer(run, tmp_path / "scorer", model="vectors-for-tests", features=features)
    card = info["card"]
    assert card["problems"]["tune"] + card["problems"]["test"] == 160 and card["problems"]["test"] > 50
    assert card["test_accuracy"]["accuracy"] > 0.9 and card["test_accuracy"]["ci95"][0] > 0.8
    readme = (tmp_path / "scorer" / "README.md").read_text()
    assert "vectors-for-tests" in readme and "test half (held out)" in readme
    scorer = load_scorer(tmp_path / "scorer", features=features)
    good, bad = _record("p0", 0, True), _record("p0", 3, False)
    assert scorer.score([good])[0] > scorer.score([bad])[0]


def test_scorer_is_at_chance_on_shuffled_labels(tmp_path):
    run, features = _synthetic_run(tmp_path, shuffled=True)
    card = train_scorer(run, tmp_path / "scorer", model="vectors-for-tests", features=features)["card"]
    lo, hi = card["test_accuracy"]["ci95"]
    assert 0.38 < card["test_accuracy"]["accuracy"] < 0.62 and lo < 0.5 < hi


def test_split_is_by_question_hash():
    assert half("question p0?") == half("question p0?")
    assert {half(f"question p{i}?") for i in range(20)} == {"tune", "test"}


class ScoreForTests:
    """A scorer whose score is given by record key."""

    def __init__(self, scores: dict[str, float]) -> None:
        self.scores = scores

    def score(self, records):
        return np.array([self.scores[r.key] for r in records])


def test_ranking_keeps_the_best_k_per_problem():
    records = [_record("a", i, True) for i in range(4)] + [_record("b", i, True) for i in range(2)]
    records.append(_record("a", 4, False))  # dropped earlier: kept by this filter, not ranked
    scores = {"a#0": 0.1, "a#1": 0.9, "a#2": 0.5, "a#3": 0.5, "b#0": -1.0, "b#1": -2.0}
    decisions = QualityFilter(ScoreForTests(scores), per_problem=2).decide(records)
    kept = [r.key for r, d in zip(records, decisions, strict=True) if d.keep]
    assert kept == ["a#1", "a#2", "b#0", "b#1", "a#4"]  # a#2 beats its tie a#3: the earlier sample
    assert [r.code for r in decisions[3].reasons] == ["low_quality"] and decisions[3].scores["rank"] == 3.0
    assert "a#4" not in scores and decisions[6].scores == {}


def test_hidden_states_read_a_tiny_model(tiny_model_dir):
    reader = HiddenStates(str(tiny_model_dir), layer=2)
    x = reader([_record("a", 0, True), _record("a", 1, False)])
    assert x.shape == (2, 32) and not np.allclose(x[0], x[1])
    with pytest.raises(UserError, match="layer 9: out of range"):
        HiddenStates(str(tiny_model_dir), layer=9)


def test_bad_scorer_folders_are_one_line_errors(tmp_path, tiny_model_dir):
    with pytest.raises(UserError, match="cannot read the quality scorer"):
        load_scorer(tmp_path / "missing")
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "scorer.json").write_text('{"format": "other"}')
    with pytest.raises(UserError, match="not a quality scorer"):
        load_scorer(tmp_path / "junk")
    run, features = _synthetic_run(tmp_path, shuffled=False, problems=20)
    train_scorer(run, tmp_path / "scorer", model=str(tiny_model_dir), features=features)
    with pytest.raises(UserError, match="hidden size 32"):  # 12 features: trained on another model
        load_scorer(tmp_path / "scorer")
    with pytest.raises(UserError, match="this scorer reads .* not HuggingFaceTB/SmolLM2"):
        load_scorer(tmp_path / "scorer", model="embedded")


def test_cli_bad_input_exits_2(tmp_path):
    result = runner.invoke(app, ["quality", "train", str(tmp_path / "nope"), "--out", str(tmp_path / "s")])
    assert result.exit_code == 2 and "not a run folder" in result.output
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["quality", "train", str(tmp_path / "empty"), "--out", str(tmp_path / "s")])
    assert result.exit_code == 2 and "no verified/ or filtered/ shards" in result.output
    run, _ = _synthetic_run(tmp_path, shuffled=False, problems=1)
    result = runner.invoke(app, ["quality", "train", str(run), "--out", str(tmp_path / "s")])
    assert result.exit_code == 2 and "not enough for a tune and a test half" in result.output
    assert len(result.output.strip().splitlines()) == 1
