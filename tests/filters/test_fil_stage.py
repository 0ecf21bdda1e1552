"""The filter stage: the verified filter, decisions for every record, drop counts, flat rows."""

from __future__ import annotations

import doctest

import pytest

import s2s1.filters
import s2s1.filters.hidden
import s2s1.filters.rows
import s2s1.filters.stage
from s2s1.errors import UserError
from s2s1.filters import build_filters, drop_counts, filter_records, filter_rows
from s2s1.filters.verified import VerifiedFilter
from s2s1.records import Problem, Record, Trace, Verdict


def _record(response: str, *outcomes: str) -> Record:
    verdicts = {
        f"v{i}": Verdict(
            verifier=f"v{i}", version="1", outcome=o, score=float(o == "correct"), detail=f"d{i}"
        )
        for i, o in enumerate(outcomes)
    }
    return Record(
        problem=Problem(id="p", source="t", question="q", answer="2"),
        trace=Trace(problem_id="p", index=len(outcomes), teacher="m", prompt=[], response=response),
        verdicts=verdicts,
    )


@pytest.mark.parametrize(
    ("outcomes", "keep", "codes"),
    [
        (("correct",), True, []),
        (("incorrect",), False, ["incorrect"]),
        (("unverifiable",), False, ["unverifiable"]),
        (("correct", "incorrect"), False, ["incorrect"]),
        ((), False, ["not_verified"]),
    ],
)
def test_verified_filter(outcomes, keep, codes):
    decision = VerifiedFilter()(_record("\\boxed{2}", *outcomes))
    assert decision.keep is keep
    assert [r.code for r in decision.reasons] == codes


def test_verified_filter_copies_the_verifier_detail():
    (reason,) = VerifiedFilter()(_record("\\boxed{3}", "incorrect")).reasons
    assert reason.detail == "v0: d0"


def test_every_filter_decides_every_record():
    records = [
        _record("So \\boxed{2}.", "correct"),
        _record("As an AI language model, \\boxed{3}.", "incorrect"),
        _record("I'm sorry, but I can't help with that.", "correct"),
    ]
    out = list(filter_records(records, build_filters(["verified", "rules"])))
    assert [sorted(r.decisions) for r in out] == [["rules", "verified"]] * 3
    assert [r.kept for r in out] == [True, False, False]
    assert drop_counts(out) == {"incorrect": 1, "boilerplate": 1, "refusal": 1}


def test_unknown_filter_is_a_user_error():
    with pytest.raises(UserError, match=r"filter.filters: unknown filter 'judges'; choose from verified"):
        build_filters(["verified", "judges"])


@pytest.mark.parametrize(("name", "key"), [("probe", "filter.probe"), ("quality", "filter.quality_scorer")])
def test_a_probe_or_quality_filter_without_its_folder_is_a_user_error(name, key):
    with pytest.raises(UserError, match=rf"^{key}: not set, but filter.filters names `{name}`; set it to"):
        build_filters(["verified", name])


def test_filter_rows_marks_bad_rows_and_keeps_order():
    rows = [
        (1, {"id": "a", "completion": "<think>2 and 2</think>\nSo \\boxed{4}."}),
        (2, {"id": "b"}),
        (3, {"id": "c", "completion": "<think>never closed"}),
    ]
    out = list(filter_rows(rows, path="in.jsonl"))
    assert [r["id"] for r in out] == ["a", "b", "c"]
    assert out[0]["decision"]["keep"] is True
    assert out[1]["decision"]["reasons"][0]["code"] == "bad_row"
    assert "in.jsonl:2" in out[1]["decision"]["reasons"][0]["detail"]
    assert {r["code"] for r in out[2]["decision"]["reasons"]} == {"broken_think"}


def test_filter_rows_reads_finish_reason_and_accepts_rows_without_think():
    rows = [
        (1, {"id": "a", "completion": "<think>2 and 2</think>\nSo \\boxed{4}.", "finish_reason": "length"}),
        (2, {"id": "b", "completion": "<think>3 and 3</think>\nSo \\boxed{6}."}),
        (3, {"id": "c", "completion": "So \\boxed{6}."}),
    ]
    codes = [[r["code"] for r in row["decision"]["reasons"]] for row in filter_rows(rows, path="x")]
    assert codes == [["truncated"], [], []]


MODULES = [s2s1.filters, s2s1.filters.stage, s2s1.filters.rows, s2s1.filters.hidden, s2s1.filters.verified]


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
