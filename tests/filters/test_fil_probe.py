"""Activation probes: hidden-state capture, the logistic probe, its folder, ProbeFilter and the CLI.

Tiny random Llamas (conftest), synthetic features; no real teacher.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import torch
from typer.testing import CliRunner

from s2s1.errors import UserError
from s2s1.filters.hidden import HiddenStates
from s2s1.filters.probe import Probe, ProbeFilter, load_probe
from s2s1.filters.probe_train import auroc, bootstrap_auroc, fit_probe, held_out, labelled
from s2s1.flows.cli import app
from s2s1.records import Decision, Problem, Record, Trace, Verdict
from s2s1.shards import write_models

runner = CliRunner()


def _record(pid: str, index: int, text: str, outcome: str = "correct", rules_keep: bool = True) -> Record:
    problem = Problem(id=pid, source="test", question=f"What is {pid}?", answer="1")
    prompt = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": problem.question}]
    trace = Trace(problem_id=pid, index=index, teacher="tiny", prompt=prompt, response=text)
    verdict = Verdict(verifier="math", version="1", outcome=outcome, score=float(outcome == "correct"))  # type: ignore[arg-type]
    return Record(problem=problem, trace=trace, verdicts={"math": verdict},
                  decisions={"rules": Decision(filter="rules", keep=rules_keep)})  # fmt: skip


def _run(tmp_path: Path, model: Path) -> Path:
    """A run folder whose wrong answers end 'seven' and right ones 'three': separable at layer 0."""
    wrong = [(i, k, (i + k) % 2 == 1) for i in range(24) for k in range(2)]
    rows = [_record(f"p{i}", k, f"Today the answer is {'seven' if w else 'three'}",
                    "incorrect" if w else "correct") for i, k, w in wrong]  # fmt: skip
    run = tmp_path / "run"
    write_models(run / "verified" / "shard-00000.jsonl", rows)
    (run / "manifest.json").write_text(json.dumps({"config": {"generate": {"model": str(model)}}}))
    return run


def test_capture_has_one_row_per_record_per_layer_and_layer0_is_the_mean_embedding(
    tiny_model_dir: Path,
) -> None:
    states = HiddenStates(str(tiny_model_dir), batch_size=2)
    records = [
        _record("a", 0, "Two."),
        _record("b", 0, "A much longer answer of many words."),
        _record("c", 0, ""),
    ]
    feats = states.features(records, [0, 2, 4], pool="mean")
    assert feats.shape == (3, 3, 32) and states.num_layers == 4
    ids, start = states.token_ids(records[0])
    emb = states._model.get_input_embeddings()(torch.tensor(ids[start:])).float().mean(0)
    assert torch.allclose(feats[0, 0], emb, atol=1e-3)  # layer 0, mean over the completion only
    assert not torch.allclose(feats[1], feats[2])  # another layer, other features
    alone = states.features(records[:1], [4], pool="mean")  # padding next to a longer record changes nothing
    assert torch.allclose(alone[0, 0], feats[2, 0], atol=5e-2)
    last = states.features(records[:1], [0], pool="last")[0, 0]
    assert torch.allclose(
        last, states._model.get_input_embeddings()(torch.tensor(ids[-1])).float(), atol=1e-3
    )
    both = states.pooled(records, [0, 2, 4], ("last", "mean"))  # one pass, both poolings
    assert torch.allclose(both["mean"], feats) and not torch.allclose(both["last"], feats)
    assert torch.allclose(both["last"][0, 0], last)
    with pytest.raises(UserError, match="--layer 5"):
        states.features(records, [5])


def _synthetic(separable: bool, n: int = 400) -> tuple[torch.Tensor, list[int], list[str]]:
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, 16, generator=g)
    y = (x[:, 0] > 0).long() if separable else torch.randint(0, 2, (n,), generator=g)
    return x, y.tolist(), [f"problem-{i // 2}" for i in range(n)]


def test_a_probe_learns_a_separable_label_and_not_a_random_one() -> None:
    x, y, groups = _synthetic(True)
    card = fit_probe(x, y, groups, {"label": "verified"}).card
    assert card["auroc_held_out"] > 0.97 and card["auroc_ci95"][0] > 0.9
    assert card["training_rows"] + card["held_out_rows"] == 400
    assert not {g for g in groups if held_out(g)} & {g for g in groups if not held_out(g)}
    x, y, groups = _synthetic(False)
    random = fit_probe(x, y, groups, {"label": "verified"}).card
    assert 0.35 < random["auroc_held_out"] < 0.65  # ±3.5 SD around chance for 200 held-out rows
    assert random["auroc_ci95"][1] < card["auroc_ci95"][0]


def test_auroc_counts_ties_half_and_the_bootstrap_brackets_it() -> None:
    assert auroc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) == 0.75
    assert auroc([0.5, 0.5], [0, 1]) == 0.5 and auroc([1.0], [1]) != auroc([1.0], [1])  # NaN
    low, high = bootstrap_auroc([0.1, 0.4, 0.35, 0.8, 0.2, 0.9], [0, 0, 1, 1, 0, 1], list("aabbcc"))
    assert low <= 0.75 <= high


def test_labels_from_verdicts_and_decisions() -> None:
    rows = [_record("a", 0, "x", "correct"), _record("a", 1, "y", "incorrect", rules_keep=False),
            _record("b", 0, "z", "unverifiable")]  # fmt: skip
    assert labelled(rows, "verified")[1] == [0, 1]
    assert labelled(rows, "rules")[1] == [0, 1, 0]
    with pytest.raises(UserError, match="--label"):
        labelled(rows, "vibes")


def test_train_score_round_trip_through_the_cli(tiny_model_dir: Path, tmp_path: Path) -> None:
    run, out = _run(tmp_path, tiny_model_dir), tmp_path / "probe"
    result = runner.invoke(app, ["probe", "train", str(run), "--layer", "0", "--out", str(out)])
    assert result.exit_code == 0, result.output
    card = json.loads((out / "card.json").read_text())
    assert card["layer"] == 0 and card["hidden_size"] == 32 and card["label"] == "verified"
    assert card["auroc_held_out"] > 0.95  # 'seven' vs 'three' is a token-identity label
    probe = load_probe(out)
    again = Probe(probe.weight, probe.bias, probe.mean, probe.std, probe.card).save(tmp_path / "copy")
    x = torch.randn(5, 32)
    assert torch.equal(load_probe(again).score(x), probe.score(x)) and load_probe(again).card == card
    result = runner.invoke(app, ["probe", "score", str(run), "--probe", str(out)])
    assert result.exit_code == 0, result.output
    lines = (run / "probe" / "scores-verified.jsonl").read_text().splitlines()
    assert len(lines) == 48 and "AUROC on held-out problems" in result.output


def test_probe_filter_records_the_score_and_drops_only_above_the_threshold(
    tiny_model_dir: Path, tmp_path: Path
) -> None:
    run, out = _run(tmp_path, tiny_model_dir), tmp_path / "probe"
    runner.invoke(app, ["probe", "train", str(run), "--layer", "0", "--out", str(out)])
    rows = [_record("q", 0, "Today the answer is seven"), _record("q", 1, "Today the answer is three")]
    scores = [d.scores["probe_verified"] for d in ProbeFilter(out).decide(rows)]
    assert scores[0] > 0.5 > scores[1]
    decisions = ProbeFilter(out, threshold=0.5).decide(rows)
    assert [d.keep for d in decisions] == [False, True]
    assert decisions[0].reasons[0].code == "probe_verified"


def _one_line_exit_2(args: list[str], match: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert match in result.output and len(result.output.strip().splitlines()) == 1, result.output


def test_bad_input_is_one_line_and_exit_2(
    tiny_model_dir: Path, random_llama: Callable[..., Path], tmp_path: Path
) -> None:
    run, out = _run(tmp_path, tiny_model_dir), tmp_path / "probe"
    _one_line_exit_2(["probe", "train", str(run), "--layer", "9", "--out", str(out)], "--layer 9")
    runner.invoke(app, ["probe", "train", str(run), "--layer", "2", "--out", str(out)])
    empty = tmp_path / "empty"
    empty.mkdir()
    _one_line_exit_2(["probe", "score", str(run), "--probe", str(empty)], "not a readable probe folder")
    wider = random_llama(tmp_path / "wider", hidden_size=48, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2)  # fmt: skip
    _one_line_exit_2(
        ["probe", "score", str(run), "--probe", str(out), "--model", str(wider)], "hidden size 32"
    )
    twin = shutil.copytree(tiny_model_dir, tmp_path / "twin")
    _one_line_exit_2(["probe", "score", str(run), "--probe", str(out), "--model", str(twin)], "trained on")
    card = json.loads((out / "card.json").read_text())
    (out / "card.json").write_text(json.dumps(card | {"hidden_size": 48}))
    _one_line_exit_2(["probe", "score", str(run), "--probe", str(out)], "do not match the card")
    (out / "card.json").write_text(json.dumps(card | {"layer": 7}))
    _one_line_exit_2(["probe", "score", str(run), "--probe", str(out)], "layer 7")
