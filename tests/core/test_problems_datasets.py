"""`problems.sources` from a `datasets` source: local parquet/JSON-lines with a field mapping."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from s2s1.config import ProblemSource, load_config
from s2s1.errors import UserError
from s2s1.problems import load_problems


def _gsm(path, n=5):
    rows = {
        "q": [f"What is {i} + {i}?" for i in range(n)],
        "sol": [f"{i}+{i}={2 * i} #### {2 * i}" for i in range(n)],
    }
    pd.DataFrame({**rows, "level": ["easy"] * n}).to_parquet(path)
    return path


def test_a_local_parquet_file_with_a_field_mapping_gives_problems(tmp_path):
    _gsm(tmp_path / "gsm.parquet")
    (tmp_path / "c.yaml").write_text(
        "problems:\n  sources: [{dataset: gsm.parquet, fields: {question: q, answer: sol}, limit: 4}]\n"
    )
    cfg = load_config(tmp_path / "c.yaml")  # the file is found relative to the config
    problems = load_problems(cfg.problems)
    assert [(p.id, p.question, p.answer) for p in problems][:2] == [
        ("gsm-0", "What is 0 + 0?", "0+0=0 #### 0"),
        ("gsm-1", "What is 1 + 1?", "1+1=2 #### 2"),
    ]
    assert len(problems) == 4 and problems[0].metadata == {"level": "easy"}


def test_code_problems_from_json_lines_with_tests(tmp_path):
    tests = {"style": "stdio", "cases": [{"input": "1\n", "output": "1\n"}]}
    (tmp_path / "code.jsonl").write_text(
        json.dumps({"task": "echo", "tests": json.dumps(tests), "id": "e"}) + "\n"
    )
    (problem,) = load_problems_from(
        ProblemSource(dataset=str(tmp_path / "code.jsonl"), fields={"question": "task"})
    )
    assert (problem.id, problem.domain, problem.tests) == ("e", "code", tests)


def load_problems_from(source):
    from s2s1.problems_datasets import read_dataset_source

    return read_dataset_source(source)


def test_a_bad_mapping_names_the_missing_column_and_the_columns_there_are(tmp_path):
    path = _gsm(tmp_path / "gsm.parquet")
    with pytest.raises(UserError) as e:
        load_problems_from(ProblemSource(dataset=str(path), fields={"question": "question_text"}))
    message = str(e.value)
    assert "no column 'question_text'" in message and "columns: q, sol, level" in message
    assert "\n" not in message


def test_an_unreachable_hub_id_is_one_line(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    with pytest.raises(UserError) as e:
        load_problems_from(ProblemSource(dataset="nobody/no-such-dataset-s2s1"))
    assert "cannot load it" in str(e.value) and "\n" not in str(e.value)


def test_fields_need_a_dataset_source():
    with pytest.raises(ValueError, match="apply to a `dataset` source only"):
        ProblemSource(builtin="gsm8k", fields={"question": "q"})
