"""The learned screen: its shipped file loads, its threshold decides, its drops name score,
threshold and span; a bad file is one clear error; the benchmark computes its halves' numbers."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from s2s1.errors import UserError
from s2s1.filters.screen import SCREEN_FILE, Screen, ScreenFilter, load_screen, views
from s2s1.filters.stage import build_filters

_BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "filters" / "screen_bench.py"


def _module(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _fake_screen(threshold: float = 0.5) -> Screen:
    """A screen whose score rises with the first feature of the head (1) and of the tail (385)."""
    w = np.zeros(768)
    w[0], w[384] = 4.0, 2.0
    return Screen(w, bias=-2.0, scale=1.0, shift=0.0, threshold=threshold, card={})


def test_the_shipped_screen_loads_with_a_threshold_and_a_card():
    s = load_screen()
    assert s.weights.shape == (768,) and 0.5 <= s.threshold < 1.0
    assert s.card["rows"] > 0 and "tune" in s.card["trained_on"]
    assert build_filters(["screen"])[0].name == "screen"


def test_a_score_at_the_threshold_drops_with_score_threshold_and_span():
    text = "I cannot help with that. " * 80 + "The end."
    x = np.zeros(768)
    x[0] = 1.0  # head margin 4 - 2 = 2 -> P = 0.88
    score, reason = _fake_screen(0.8).judge(text, x)
    assert score == pytest.approx(1 / (1 + np.exp(-2.0)))
    assert reason is not None and reason.code == "screen" and reason.span == views(text)[0]
    assert f"{score:.3f}" in reason.detail and "0.800" in reason.detail
    assert _fake_screen(0.9).judge(text, x)[1] is None


def test_the_span_is_the_view_that_weighed_more():
    text = "word " * 400
    x = np.zeros(768)
    x[384] = 3.0  # the tail carries the score
    _, reason = _fake_screen(0.5).judge(text, x)
    assert reason.span == views(text)[1] and reason.span[0] > 0


def test_a_hit_on_a_requested_dialogue_is_only_a_soft_score():
    texts = ["Agent: sorry, I can't.", "Sorry, I can't."]
    x = np.zeros((2, 768))
    x[:, 0] = 1.0
    questions = ["Write a support-call dialogue.", "What is 2 + 2?"]
    persona, plain = ScreenFilter(_fake_screen()).decide_texts(texts, questions, x=x)
    assert persona.keep and persona.scores["soft:screen"] == 1.0
    assert not plain.keep and plain.reasons[0].code == "screen"


@pytest.mark.parametrize(
    ("content", "needle"),
    [("{", "not a screen file"), ('{"weights": [1, 2]}', "768 numbers"), (None, "`threshold`")],
)
def test_a_bad_screen_file_is_one_clear_error(tmp_path, content, needle):
    path = tmp_path / "screen.json"
    if content is None:  # a good file with the threshold out of range
        data = json.loads(SCREEN_FILE.read_text(encoding="utf-8"))
        content = json.dumps({**data, "threshold": 1.5})
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserError, match=needle):
        load_screen(path)


def test_the_benchmark_computes_each_halfs_numbers_from_the_decisions():
    bench = _module(_BENCH)
    rows = [
        {"corpus": "xstest", "split": "test", "label": "clean", "hard": False},
        {"corpus": "xstest", "split": "test", "label": "defect", "hard": True},
        {"corpus": "xstest", "split": "test", "label": "defect", "hard": True},
        {"corpus": "xstest", "split": "tune", "label": "clean", "hard": False},
    ]
    keep = [{"keep": True, "scores": {}}, {"keep": False, "scores": {}}, {"keep": True, "scores": {}}]
    keep.append({"keep": False, "scores": {}})
    screen = [{"keep": True, "scores": {}}, {"keep": True, "scores": {}}, {"keep": False, "scores": {}}]
    screen.append({"keep": True, "scores": {}})
    lines = bench.table(rows, keep, screen)
    test_rules = next(line for line in lines if line.startswith("| xstest | test | rules |"))
    test_both = next(line for line in lines if line.startswith("| xstest | test | rules+screen |"))
    tune_rules = next(line for line in lines if line.startswith("| xstest | tune | rules |"))
    assert "| 0/1 = 0.000" in test_rules and "| 1/2 = 0.500" in test_rules
    assert "| 2/2 = 1.000" in test_both and "| 1/1 = 1.000" in tune_rules
    lo, hi = bench.wilson(1, 2)
    assert 0.0 < lo < 0.5 < hi < 1.0


@pytest.mark.slow
def test_the_real_screen_ranks_a_stock_refusal_above_a_worked_answer_and_runs_in_the_stage():
    from s2s1.filters.stage import filter_records
    from s2s1.records import Problem, Record, Trace

    texts = [
        "I'm sorry, but I cannot help with that request. It is not appropriate for me to provide it.",
        "Each box holds 12 eggs, so 5 boxes hold 5 × 12 = 60 eggs.\n\n\\boxed{60}",
    ]
    refusal, worked = ScreenFilter().decide_texts(texts)
    assert refusal.scores["screen"] > worked.scores["screen"] and worked.keep
    records = [
        Record(
            problem=Problem(id=str(i), source="t", question="How many eggs?"),
            trace=Trace(problem_id=str(i), index=0, teacher="m", prompt=[], response=t),
        )
        for i, t in enumerate(texts)
    ]
    (a, b) = filter_records(records, build_filters(["rules", "screen"]))
    assert set(a.decisions) == {"rules", "screen"} and b.decisions["screen"].keep
