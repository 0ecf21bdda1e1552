"""The rules filter against the labelled traces: no clean text dropped, each defect caught.

`labelled_traces.jsonl` holds clean maths and code reasoning in eight languages (with innocent
mentions of AI, ethics, bias and models) and traces with each defect, labelled by reason code;
`reference_solutions.jsonl` holds public GSM8K and MATH-500 reference solutions, clean by
construction. Both go through `filter_rows`, the function behind `s2s1 filter`.
`benchmarks/filters/rules_pr.py` prints the full precision/recall table.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from s2s1.filters import filter_rows

HERE = Path(__file__).parent
LABEL_OF = {"role_turns": "template_tokens", "placeholder_code": "elided_code"}
"""Codes split out of the labels' codes (issue 24): a leaked role turn, a placeholder in code."""


def _screen(name: str) -> list[tuple[dict, set[str]]]:
    rows = [json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines()]
    out = filter_rows(enumerate(rows, 1), path=name)
    return [
        (row, {LABEL_OF.get(r["code"], r["code"]) for r in d["decision"]["reasons"]})
        for row, d in zip(rows, out, strict=True)
    ]


LABELLED = _screen("labelled_traces.jsonl")


def test_no_clean_labelled_trace_is_dropped():
    wrongly = [(row["id"], codes) for row, codes in LABELLED if not row["labels"] and codes]
    assert len([1 for row, _ in LABELLED if not row["labels"]]) >= 60
    assert wrongly == []


def test_no_public_reference_solution_is_dropped():
    wrongly = [(row["id"], codes) for row, codes in _screen("reference_solutions.jsonl") if codes]
    assert wrongly == []


@pytest.mark.parametrize(
    ("code", "target"),
    [
        ("boilerplate", 0.95),
        ("refusal", 0.95),
        ("template_tokens", 0.95),
        ("broken_think", 0.95),
        ("model_identity", 0.95),
        ("knowledge_cutoff", 0.95),
        ("elided_code", 0.95),
        ("conflicting_answers", 0.95),
        ("repetition", 0.95),
        ("truncated", 0.8),
        ("language_mixing", 0.85),
    ],
)
def test_recall_per_reason_code(code, target):
    positives = [codes for row, codes in LABELLED if code in row["labels"]]
    assert len(positives) >= 5
    recall = sum(code in codes for codes in positives) / len(positives)
    assert recall >= target, f"{code}: recall {recall:.2f}"


def test_every_flag_on_a_defective_trace_is_one_of_its_labels():
    extra = [(row["id"], codes - set(row["labels"])) for row, codes in LABELLED if codes - set(row["labels"])]
    assert extra == []
