"""Dataset export: Hub-layout parquet that plain `load_dataset` and TRL read, typed provenance with
one schema, the card (size category, license, sources, drops, hash), the per-problem cap, the
modes, and atomic replacement."""

from __future__ import annotations

import datasets
import pyarrow.parquet as pq
import pytest
from huggingface_hub import DatasetCard

import s2s1.distill.export
from s2s1.config import ExportConfig
from s2s1.distill.card import size_category
from s2s1.distill.export import COLUMNS, SAMPLING_FIELDS, export_dataset, load_exported, write_dataset
from s2s1.errors import UserError
from s2s1.records import Decision, Problem, Reason, Record, Sampling, Trace, Verdict

DATA = "data/train-*.parquet"


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
            num_tokens=7 + index,
            sampling=Sampling(n=4, seed=3),
            seed=3 + index,
        ),
        verdicts={"math": Verdict(verifier="math", version="1", outcome="correct", score=1.0)},
        decisions={"verified": Decision(filter="verified", keep=keep, reasons=reasons)},
    )


RUN_INFO = {"run": "t", "dropped_by_reason": {"incorrect": 1}, "constitution_hash": "abc123"}


def _plain_load(folder):
    return datasets.load_dataset("parquet", data_files={"train": str(folder / DATA)})["train"]


def test_rows_load_with_plain_load_dataset_and_carry_typed_provenance(tmp_path):
    records = [_record("a", 0), _record("a", 1), _record("b", 0, keep=False)]
    export_dataset(records, tmp_path / "dataset", ExportConfig(system_prompt="Be exact."), RUN_INFO)
    assert [p.name for p in (tmp_path / "dataset" / "data").iterdir()] == ["train-00000-of-00001.parquet"]
    ds = _plain_load(tmp_path / "dataset")
    assert ds.column_names == COLUMNS
    assert len(ds) == 2 and set(ds["problem_id"]) == {"a"}
    assert set(ds.features["sampling"]) == set(SAMPLING_FIELDS)  # a struct, not a JSON string
    assert ds.features["sampling"]["temperature"] == datasets.Value("float64")
    verdict = ds.features["verdicts"].feature
    assert set(verdict) == {"verifier", "version", "outcome", "score", "extracted", "detail"}
    assert set(ds.features["filter_reasons"].feature) == {"filter", "code"}
    row = ds[1]
    system, user = {"role": "system", "content": "Be exact."}, {"role": "user", "content": "What is 1+1?"}
    assistant = {"role": "assistant", "content": "<think>\nadd one\n</think>\n\\boxed{2}"}
    assert row["messages"] == [system, user, assistant]
    assert (row["prompt"], row["completion"], row["question"]) == (
        [system, user],
        [assistant],
        "What is 1+1?",
    )
    assert (row["teacher"], row["source"], row["seed"], row["answer"]) == ("teacher-x", "arithmetic", 4, "2")
    assert row["num_tokens"] == 8
    assert row["sampling"]["n"] == 4 and row["sampling"]["top_k"] is None
    assert row["verdicts"] == [
        {
            "verifier": "math",
            "version": "1",
            "outcome": "correct",
            "score": 1.0,
            "extracted": None,
            "detail": "",
        }
    ]
    assert row["filter_reasons"] == []


def test_the_folder_loads_by_its_layout_and_with_load_exported_also_when_re_exported(tmp_path):
    folder = tmp_path / "dataset"
    for ids in (["a", "b"], ["c"]):  # a second export into the same folder is read, not a stale cache
        ids = [f"{i}-{tmp_path.name}" for i in ids]  # no earlier test run has loaded these rows
        export_dataset([_record(i, 0) for i in ids], folder, ExportConfig(), RUN_INFO)
        by_layout = datasets.load_dataset(str(folder))
        assert list(by_layout) == ["train"] and by_layout["train"]["problem_id"] == ids
        assert load_exported(folder)["problem_id"] == ids


def test_the_schema_is_the_same_whatever_verifiers_and_filters_ran(tmp_path):
    plain = export_dataset([_record("a", 0)], tmp_path / "one", ExportConfig(), RUN_INFO)
    r = _record("a", 0)
    code = Verdict(verifier="code", version="2", outcome="correct", score=0.5, extracted="x", detail="ok")
    flagged = Decision(filter="judge", keep=True, reasons=[Reason(code="style", detail="terse")])
    sampling = Sampling(top_k=20, min_p=0.1, chat_template_kwargs={"enable_thinking": False})
    r = r.model_copy(
        update={
            "verdicts": {**r.verdicts, "code": code},
            "decisions": {**r.decisions, "judge": flagged},
            "trace": r.trace.model_copy(update={"sampling": sampling}),
        }
    )
    other = export_dataset([r], tmp_path / "two", ExportConfig(), RUN_INFO)
    assert other.features == plain.features
    row = _plain_load(tmp_path / "two")[0]
    assert [v["verifier"] for v in row["verdicts"]] == ["math", "code"]
    assert row["filter_reasons"] == [{"filter": "judge", "code": "style"}]
    assert (row["sampling"]["top_k"], row["sampling"]["chat_template_kwargs"]) == (
        20,
        '{"enable_thinking": false}',
    )


def test_every_sampling_field_has_a_typed_column():
    assert set(SAMPLING_FIELDS) == set(Sampling.model_fields)  # a new field needs a type in SAMPLING_FIELDS


def test_card_states_counts_drops_sources_license_and_hash(tmp_path):
    export_dataset([_record("a", 0)], tmp_path / "dataset", ExportConfig(mode="compact"), RUN_INFO)
    card = DatasetCard.load(tmp_path / "dataset" / "README.md")
    assert card.data.license == "other" and card.data.size_categories == ["n<1K"]
    assert card.data.source_datasets == ["arithmetic"]
    assert "configs" not in card.data.to_dict()  # locally it would make load_dataset(folder) stale
    assert "1 rows for 1 problems" in card.text
    assert "- arithmetic: 1" in card.text
    assert "- incorrect: 1" in card.text
    assert "- export_mode: compact" in card.text
    assert "- constitution_hash: abc123" in card.text


@pytest.mark.parametrize(
    ("rows", "category"),
    [
        (0, "n<1K"),
        (999, "n<1K"),
        (1000, "1K<n<10K"),
        (9_999, "1K<n<10K"),
        (10_000, "10K<n<100K"),
        (2_500_000, "1M<n<10M"),
    ],
)
def test_size_category(rows, category):
    assert size_category(rows) == category


def test_at_most_max_per_problem(tmp_path):
    records = [_record("a", i) for i in range(5)]
    ds = export_dataset(records, tmp_path / "dataset", ExportConfig(max_per_problem=2), RUN_INFO)
    assert len(ds) == 2


def test_nothing_kept_gives_an_empty_dataset_with_every_column(tmp_path):
    export_dataset([_record("a", 0, keep=False)], tmp_path / "dataset", ExportConfig(), RUN_INFO)
    ds = load_exported(tmp_path / "dataset")
    assert len(ds) == 0 and ds.column_names == COLUMNS


def test_load_exported_reads_an_older_save_to_disk_folder_and_names_a_missing_export(tmp_path):
    datasets.Dataset.from_list([{"messages": [{"role": "user", "content": "hi"}]}]).save_to_disk(
        str(tmp_path / "old")
    )
    assert len(load_exported(tmp_path / "old")) == 1
    (tmp_path / "none").mkdir()
    with pytest.raises(UserError, match=r"none: no exported dataset .*--stages export"):
        load_exported(tmp_path / "none")


def test_failed_write_keeps_the_old_export(tmp_path, monkeypatch):
    out = tmp_path / "dataset"
    export_dataset([_record("a", 0)], out, ExportConfig(), RUN_INFO)

    def broken_write(self, table, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", broken_write)
    with pytest.raises(OSError, match="disk full"):
        export_dataset([_record("a", 0), _record("b", 1)], out, ExportConfig(), RUN_INFO)
    assert len(load_exported(out)) == 1
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
    assert [c[0]["content"] for c in ds["completion"]] == ["\\boxed{1 + 1}", "\\boxed{7}"]
    assert ds["seed"] == [4, 3]  # provenance of the trace the answer came from
    assert "the verified final answer alone" in (tmp_path / "dataset" / "README.md").read_text()


def test_compact_mode_keeps_the_shortest_trace_of_each_problem(tmp_path):
    records = [_answered("a", 0, 30, "1"), _answered("a", 1, 12, "2"), _answered("a", 2, 50, "3")]
    ds = export_dataset(records, tmp_path / "dataset", ExportConfig(mode="compact"), RUN_INFO)
    assert len(ds) == 1 and ds[0]["seed"] == 4 and ds[0]["num_tokens"] == 12  # index 1


def test_trl_sft_trainer_takes_the_exported_split_as_prompt_completion(tiny_model_dir, tmp_path):
    trl = pytest.importorskip("trl")
    from transformers import AutoModelForCausalLM, AutoTokenizer

    export_dataset([_record("a", 0), _record("b", 1)], tmp_path / "dataset", ExportConfig(), RUN_INFO)
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    trainer = trl.SFTTrainer(
        model=AutoModelForCausalLM.from_pretrained(tiny_model_dir),
        args=trl.SFTConfig(output_dir=str(tmp_path / "out"), max_steps=1, report_to=[], use_cpu=True),
        train_dataset=_plain_load(tmp_path / "dataset"),
        processing_class=tok,
    )
    assert trainer.completion_only_loss  # detected from the prompt/completion columns
    row = trainer.train_dataset[0]  # completion_mask is folded into labels by TRL's preparation
    trained = [t for t, label in zip(row["input_ids"], row["labels"], strict=True) if label != -100]
    assert tok.decode(trained) == "<think>\nadd one\n</think>\n\\boxed{1}" + tok.eos_token + "\n"


def test_a_large_export_is_split_into_named_shards_that_load_together(tmp_path, monkeypatch):
    monkeypatch.setattr("s2s1.distill.export.SHARD_BYTES", 1000)  # a few rows per shard
    monkeypatch.setattr("s2s1.distill.export.ROW_GROUP", 1)  # files end at a row group
    export_dataset([_record(f"p{i}", i) for i in range(6)], tmp_path / "dataset", ExportConfig(), RUN_INFO)
    names = sorted(p.name for p in (tmp_path / "dataset" / "data").iterdir())
    n = len(names)
    assert n > 1 and names == [f"train-{i:05d}-of-{n:05d}.parquet" for i in range(n)]
    assert datasets.load_dataset(str(tmp_path / "dataset"))["train"]["problem_id"] == [
        f"p{i}" for i in range(6)
    ]


def test_export_streams_rows_in_row_groups(tmp_path, monkeypatch):
    """Rows go to parquet a row group at a time as records are read, never all at once."""
    monkeypatch.setattr(s2s1.distill.export, "ROW_GROUP", 2)
    read, read_when_written = [], []
    write_table = pq.ParquetWriter.write_table

    def spy(self, table, *args, **kwargs):
        read_when_written.append(len(read))
        return write_table(self, table, *args, **kwargs)

    def records():
        for i in range(5):
            read.append(i)
            yield _record(f"p{i}", i)

    monkeypatch.setattr(pq.ParquetWriter, "write_table", spy)
    assert write_dataset(records(), tmp_path / "dataset", ExportConfig(), RUN_INFO) == 5
    assert len(read_when_written) == 3 and read_when_written[0] < 5  # groupby reads one ahead
    meta = pq.read_metadata(next((tmp_path / "dataset" / "data").glob("train-*.parquet")))
    assert meta.num_rows == 5 and meta.num_row_groups == 3
    assert load_exported(tmp_path / "dataset")["problem_id"] == [f"p{i}" for i in range(5)]
