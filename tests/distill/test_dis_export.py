"""Dataset export: rows with provenance, the card, the per-problem cap, and atomic replacement."""

from __future__ import annotations

import json

import datasets
import pytest

from s2s1.config import ExportConfig
from s2s1.distill.export import COLUMNS, export_dataset
from s2s1.records import Decision, Problem, Reason, Record, Sampling, Trace, Verdict


def _record(pid: str, index: int, keep: bool = True) -> Record:
    reasons = [] if keep else [Reason(code="incorrect")]
    return Record(
        problem=Problem(id=pid, source="arithmetic", question=f"What is {index}+1?", answer=str(index + 1)),
        trace=Trace(
            problem_id=pid,
            index=index,
            teacher="teacher-x",
            prompt=[],
            reasoning="add one",
            response=f"\\boxed{{{index + 1}}}",
            sampling=Sampling(n=4, seed=3),
            seed=3 + index,
        ),
        verdicts={"math": Verdict(verifier="math", version="1", outcome="correct", score=1.0)},
        decisions={"verified": Decision(filter="verified", keep=keep, reasons=reasons)},
    )


RUN_INFO = {"run": "t", "dropped_by_reason": {"incorrect": 1}}


def test_exported_rows_load_and_carry_provenance(tmp_path):
    records = [_record("a", 0), _record("a", 1), _record("b", 0, keep=False)]
    export_dataset(records, tmp_path / "dataset", ExportConfig(system_prompt="Be exact."), RUN_INFO)
    ds = datasets.load_from_disk(str(tmp_path / "dataset"))
    assert ds.column_names == COLUMNS
    assert len(ds) == 2 and set(ds["problem_id"]) == {"a"}
    row = ds[1]
    assert row["messages"] == [
        {"role": "system", "content": "Be exact."},
        {"role": "user", "content": "What is 1+1?"},
        {"role": "assistant", "content": "<think>\nadd one\n</think>\n\\boxed{2}"},
    ]
    assert (row["teacher"], row["source"], row["seed"], row["answer"]) == ("teacher-x", "arithmetic", 4, "2")
    assert json.loads(row["sampling"])["n"] == 4
    assert json.loads(row["verdicts"])["math"]["outcome"] == "correct"
    assert json.loads(row["filter_reasons"]) == {"verified": []}


def test_card_states_counts_and_settings(tmp_path):
    export_dataset([_record("a", 0)], tmp_path / "dataset", ExportConfig(), RUN_INFO)
    card = (tmp_path / "dataset" / "README.md").read_text()
    assert "1 rows for 1 problems" in card
    assert "- arithmetic: 1" in card
    assert '"incorrect": 1' in card


def test_at_most_max_per_problem(tmp_path):
    records = [_record("a", i) for i in range(5)]
    ds = export_dataset(records, tmp_path / "dataset", ExportConfig(max_per_problem=2), RUN_INFO)
    assert len(ds) == 2


def test_nothing_kept_gives_an_empty_dataset_with_every_column(tmp_path):
    export_dataset([_record("a", 0, keep=False)], tmp_path / "dataset", ExportConfig(), RUN_INFO)
    ds = datasets.load_from_disk(str(tmp_path / "dataset"))
    assert len(ds) == 0 and ds.column_names == COLUMNS


def test_failed_save_keeps_the_old_export(tmp_path, monkeypatch):
    out = tmp_path / "dataset"
    export_dataset([_record("a", 0)], out, ExportConfig(), RUN_INFO)

    def broken_save(self, path, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(datasets.Dataset, "save_to_disk", broken_save)
    with pytest.raises(OSError, match="disk full"):
        export_dataset([_record("a", 0), _record("b", 1)], out, ExportConfig(), RUN_INFO)
    assert len(datasets.load_from_disk(str(out))) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["dataset"]


def _answered(pid: str, index: int, tokens: int, extracted: str | None) -> Record:
    r = _record(pid, index)
    verdict = Verdict(verifier="math", version="1", outcome="correct", score=1.0, extracted=extracted)
    trace = r.trace.model_copy(update={"num_tokens": tokens})
    return r.model_copy(update={"trace": trace, "verdicts": {"math": verdict}})


def test_direct_mode_is_the_extracted_answer_once_per_problem(tmp_path):
    records = [_answered("a", 0, 30, None), _answered("a", 1, 20, "1 + 1"), _answered("b", 0, 9, "7")]
    ds = export_dataset(records, tmp_path / "dataset", ExportConfig(mode="direct"), RUN_INFO)
    assert [m[-1]["content"] for m in ds["messages"]] == ["\\boxed{1 + 1}", "\\boxed{7}"]
    assert ds["seed"] == [4, 3]  # provenance of the trace the answer came from
    assert "the verified final answer alone" in (tmp_path / "dataset" / "README.md").read_text()


def test_compact_mode_keeps_the_shortest_trace_of_each_problem(tmp_path):
    records = [_answered("a", 0, 30, "1"), _answered("a", 1, 12, "2"), _answered("a", 2, 50, "3")]
    ds = export_dataset(records, tmp_path / "dataset", ExportConfig(mode="compact"), RUN_INFO)
    assert len(ds) == 1 and ds[0]["seed"] == 4  # index 1
