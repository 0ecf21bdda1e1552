"""The rules on the issue-17 held-out corpus: a floor on its test half, the split, soft scores.

`benchmarks/filters/data/generalise.jsonl` was written before the rules changed and split by a
hash of the text; the rules were tuned on the tuning half only. Measured on the test half (see
`benchmarks/filters/generalise.py`): 62/63 hard defects dropped, 0/50 clean texts dropped.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from s2s1.filters.rules import RulesFilter, Sample, check_rules, rule_scores
from s2s1.records import Problem, Record, Trace

_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "filters" / "generalise.py"
_SPEC = importlib.util.spec_from_file_location("generalise", _PATH)
generalise = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(generalise)

ROWS = generalise.load()
TEST = [r for r in ROWS if r["split"] == "test"]
CODES = generalise.screen(TEST)


def test_split_is_the_hash_of_the_text_and_halves_are_balanced():
    assert all(r["split"] == generalise.split_of(r["text"]) for r in ROWS)
    assert len(ROWS) >= 200 and 0.4 < len(TEST) / len(ROWS) < 0.6
    assert len({r["language"] for r in ROWS}) >= 6


def test_no_clean_text_of_the_test_half_is_dropped():
    wrongly = [(r["id"], c) for r, c in zip(TEST, CODES, strict=True) if r["label"] == "clean" and c]
    assert sum(r["label"] == "clean" for r in TEST) >= 40
    assert wrongly == []


def test_hard_defect_recall_on_the_test_half_is_at_least_the_floor():
    hard = [bool(c) for r, c in zip(TEST, CODES, strict=True) if r["hard"]]
    assert len(hard) >= 50
    assert sum(hard) / len(hard) >= 0.95  # measured 62/63 = 0.98


def test_soft_rules_score_but_never_drop():
    sample = Sample("Sorry, I misread: 3 × 4 = 12, so \\boxed{12}.")
    assert check_rules(sample) == []
    assert rule_scores(sample) == {"soft:apology": 1.0}


def test_rules_filter_records_soft_scores_in_the_decision():
    text = "```python\ndef f():\n    # TODO: handle empty input\n    return 1\n```"
    record = Record(
        problem=Problem(id="p", source="t", question="q"),
        trace=Trace(problem_id="p", index=0, teacher="m", prompt=[], response=text),
    )
    decision = RulesFilter()(record)
    assert decision.keep and decision.scores == {"soft:todo_in_code": 1.0}


def test_unfinished_line_is_soft_when_it_ends_on_a_number():
    gsm8k_line = "So he runs 9*60=<<9*60=540>>540 meters"
    assert check_rules(Sample(gsm8k_line)) == []
    assert "soft:unfinished" in rule_scores(Sample(gsm8k_line))


def test_refusal_without_any_answer_is_dropped_but_cannot_with_an_answer_is_not():
    assert [r.code for r in check_rules(Sample("Ich fürchte, das geht nicht."))] == ["refusal"]
    assert check_rules(Sample("We cannot use a set here, so we sort: \\boxed{3}.")) == []


def test_flat_rows_of_s2s1_filter_carry_the_soft_scores():
    from s2s1.filters import filter_rows

    row = {"id": "r", "question": "q", "completion": "Sorry, I misread: 3 × 4 = 12, so \\boxed{12}."}
    (out,) = filter_rows([(1, row)], path="in.jsonl")
    assert out["decision"]["keep"] and out["decision"]["scores"] == {"soft:apology": 1.0}
