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


def _read_models_before_issue_25(path, model):
    """`read_models` as it was: `read_jsonl` (the json module), then `model_validate` of each row."""
    from pydantic import ValidationError

    out = []
    for n, row in read_jsonl(path):
        try:
            out.append(model.model_validate(row))
        except ValidationError as e:
            err = e.errors()[0]
            where = ".".join(str(x) for x in err["loc"]) or "row"
            raise UserError(f"{path}:{n}: {where}: {err['msg']}") from None
    return out


_RECORD = {
    "problem": {"id": "p", "source": "s", "question": "é ≠ 😀 \\ \" \u2028", "answer": "4",
                "metadata": {"k": 1}},
    "trace": {"problem_id": "p", "index": 0, "teacher": "t", "prompt": [{"role": "user", "content": "q\n\t"}],
              "response": "\\boxed{4}", "created_at": "2026-12-07T03:49:53.885870Z", "logprob": -1.5},
}  # fmt: skip
_GOOD_LINES = [
    json.dumps(_RECORD),  # spaces after separators, fields missing (defaults)
    json.dumps(_RECORD, ensure_ascii=False, separators=(",", ":")),
    json.dumps({"trace": _RECORD["trace"], "problem": _RECORD["problem"], "verdicts": {}}),  # keys reordered
    json.dumps(_RECORD).replace('"k": 1', '"k": 123456789012345678901234567890, "x": NaN, "y": 1e400'),
    json.dumps(_RECORD).replace('"k": 1', '"k": "\\ud800"'),  # lone surrogate: only the json module reads it
    "   ",  # a blank line, skipped
    json.dumps(_RECORD).replace('"index": 0', '"index": 1.0').replace('"4"', '"5"') + " \r",
]


def test_read_models_reads_what_the_json_module_read(tmp_path):
    from s2s1.records import Record

    p = tmp_path / "traces.jsonl"
    p.write_text("\n".join(_GOOD_LINES) + "\n", encoding="utf-8")
    new, old = read_models(p, Record), _read_models_before_issue_25(p, Record)
    assert len(new) == len(old) == 6
    for a, b in zip(new, old, strict=True):
        assert repr(a) == repr(b)  # NaN != NaN, so compare what they hold, field by field
        assert a.model_fields_set == b.model_fields_set
        assert a.trace.model_fields_set == b.trace.model_fields_set
        assert a.problem.model_fields_set == b.problem.model_fields_set
    assert [r.model_dump_json() for r in new[:4]] == [r.model_dump_json() for r in old[:4]]


@pytest.mark.parametrize(
    "line",
    [
        b'{"problem": {"id": "p"}, ',  # not JSON
        b"\xef\xbb\xbf" + json.dumps(_RECORD).encode(),  # a byte-order mark
        json.dumps(_RECORD).replace("\u00e9", "\\u00e9").encode().replace(b"\\u00e9", b"\xe9"),  # not UTF-8
        b"[1, 2]",  # not an object
        json.dumps({**_RECORD, "extra": 1}).encode(),  # an unknown field
        json.dumps(_RECORD).replace('"index": 0', '"index": "zero"').encode(),  # a bad value
        json.dumps(_RECORD).replace('"response"', '"response": "a\tb", "x"').encode(),  # a raw tab: bad JSON
    ],
)
def test_a_bad_line_gets_the_message_it_got_before(tmp_path, line):
    from s2s1.records import Record

    p = tmp_path / "shard-00000.jsonl"
    p.write_bytes(json.dumps(_RECORD).encode() + b"\n" + line + b"\n")
    with pytest.raises(UserError) as old:
        _read_models_before_issue_25(p, Record)
    with pytest.raises(UserError) as new:
        read_models(p, Record)
    assert str(new.value) == str(old.value) and ":2: " in str(new.value)
