"""The repetition rule on real outputs of the GSM8K recipe's teacher (Qwen2.5-Coder-0.5B-Instruct,
`configs/gsm8k.yaml`, traces of GSM8K train problems, in `teacher_gsm8k_repetition.jsonl`): a
finished answer that walks through parallel cases in the same words is kept; a text that loops
until the token limit, or says a run of sentences three times back to back, is dropped.

Before this test, the rule dropped two of the teacher's 185 verified traces (the scarves and the
weights rows) as loops: 12-grams shared by three parallel paragraphs covered 40% of the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from s2s1.filters.rules import Sample, apply_rules
from s2s1.filters.rules_leaks import repetition

ROWS = [
    json.loads(line)
    for line in (Path(__file__).with_name("teacher_gsm8k_repetition.jsonl")).read_text().splitlines()
]


@pytest.mark.parametrize("row", ROWS, ids=[r["name"] for r in ROWS])
def test_teacher_outputs(row):
    sample = Sample(row["text"], row["finish_reason"], row["question"])
    codes = [r.code for r in apply_rules(sample)[0]]
    assert ("repetition" in codes) == (row["expect"] == "repetition"), codes


def test_parallel_cases_loop_when_cut_at_the_token_limit():
    """The same parallel text read as cut off at the limit: the sensitive 12-gram check applies."""
    row = next(r for r in ROWS if r["name"] == "scarves")
    assert repetition(Sample(row["text"], "stop", row["question"])) is None
    assert repetition(Sample(row["text"], "length", row["question"])) is not None


@pytest.mark.parametrize("k", [1, 2, 3])
def test_a_run_of_sentences_said_three_times_back_to_back_is_a_loop(k):
    run = " ".join(f"Step {i} of the plan keeps the same total here." for i in range(k))
    text = "We add the costs first. " + " ".join([run] * 3) + " So the answer is \\boxed{12}."
    span = repetition(Sample(text))
    assert span is not None and text[span[0] : span[1]].strip().startswith("Step 0")
    twice = "We add the costs first. " + " ".join([run] * 2) + " So the answer is \\boxed{12}."
    assert repetition(Sample(twice)) is None


def test_a_sentence_said_thrice_between_different_short_ones_is_no_loop():
    """Parallel steps: the same long sentence, each time with a different short one after it."""
    step = "Next we compute the cost of the red items here."
    text = " ".join(f"{step} Subtract {n}." for n in (5, 7, 9)) + " Done, \\boxed{3}."
    assert repetition(Sample(text)) is None
    assert repetition(Sample(" ".join(f"{step} Subtract 5." for _ in range(3)))) is not None
