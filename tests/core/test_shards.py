"""Shard I/O: atomic writes, bad lines named, nothing half-written on failure."""

import json

import pytest

from s2s1.errors import UserError
from s2s1.records import Problem
from s2s1.shards import chunks, read_jsonl, read_models, shard_path, write_jsonl, write_models


def test_write_then_read_models(tmp_path):
    path = shard_path(tmp_path, "traces", 3)
    assert path.name == "shard-00003.jsonl"
    problems = [Problem(id=str(i), source="s", question="q") for i in range(3)]
    write_models(path, problems)
    assert read_models(path, Problem) == problems


def test_bad_json_line_is_named(tmp_path):
    p = tmp_path / "rows.jsonl"
    p.write_text('{"a": 1}\n\n{"a": \n')
    with pytest.raises(UserError, match=r"rows\.jsonl:3: not valid JSON"):
        list(read_jsonl(p))


def test_non_object_line_is_named(tmp_path):
    p = tmp_path / "rows.jsonl"
    p.write_text("[1, 2]\n")
    with pytest.raises(UserError, match=r"rows\.jsonl:1: expected a JSON object"):
        list(read_jsonl(p))


def test_invalid_model_row_is_named(tmp_path):
    p = tmp_path / "rows.jsonl"
    p.write_text(json.dumps({"id": "1", "source": "s"}) + "\n")
    with pytest.raises(UserError, match=r"rows\.jsonl:1: question: Field required"):
        read_models(p, Problem)


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    p = tmp_path / "out.jsonl"
    write_jsonl(p, [{"a": 1}])

    def rows():
        yield {"a": 2}
        raise RuntimeError("crash mid-write")

    with pytest.raises(RuntimeError):
        write_jsonl(p, rows())
    assert [r for _, r in read_jsonl(p)] == [{"a": 1}]
    assert [x.name for x in tmp_path.iterdir()] == ["out.jsonl"]


def test_chunks():
    assert chunks([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
