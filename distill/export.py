"""Export kept records as a Hub-layout parquet dataset with typed provenance and a dataset card.

Each row is a chat (`messages`: system, user, assistant) whose assistant turn depends on the mode
(the rows are chosen and built in distill/export_rows.py):

- `reasoning`: the teacher's full verified completion, `<think>` block kept; at most
  `max_per_problem` rows per problem, in record order;
- `direct`: the verified final answer alone, as `\\boxed{answer}` (the answer the verifier
  extracted), one row per problem — the System-1 target;
- `compact`: the shortest kept completion of each problem (by generated tokens), one row per problem;
- `context`: rows as in `reasoning`, from a teacher that answered with a constitution in its prompt;
  the rows' prompts do not hold it (context distillation), and the card records its hash and text.

Beside `messages`, each row has TRL's conversational `prompt` (system + user) and `completion`
(the assistant turn), so `completion_only_loss` works without template markers; `question`; and
its per-sample provenance (design §3) in typed columns with one schema whatever ran: `problem_id`,
`answer`, `source`, `teacher`, `num_tokens` (tokens the teacher generated for the trace; in
`direct` mode the row's completion is shorter), `sampling` (a struct; `chat_template_kwargs` in
it as a JSON string, null when unset), `seed`, `verdicts` (a list of {verifier, version, outcome,
score, extracted, detail}), `filter_reasons` (a list of {filter, code}) and `created_at`.

The folder is the Hub's layout, `data/train-00000-of-00001.parquet` (more shards past ~500 MB) and
a README.md card (distill/card.py), so it loads with
`load_exported(path)`, `datasets.load_dataset(str(path))` or
`datasets.load_dataset("parquet", data_files={"train": f"{path}/data/train-*.parquet"})`. There is
only a `train` split: the run's held-out problems are never traced, so no record belongs to a test
split. It is written in a temporary folder and renamed into place; a failure leaves the old one.
An export with no rows still writes its (empty) parquet file with every column, which
`load_exported` reads; `datasets.load_dataset` refuses a split of 0 rows.

It does not trim traces: a row longer than the student's `train.max_length` is dropped at training
time and counted there, never cut mid-answer. It does not deduplicate or push (distill/push.py).

Example:
    >>> export_dataset(records, Path("runs/x/dataset"), ExportConfig(), {"teacher": "m"})  # doctest: +SKIP
    >>> load_exported(Path("runs/x/dataset"))[0]["verdicts"][0]["outcome"]  # doctest: +SKIP
    'correct'
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from s2s1.config import ExportConfig
from s2s1.constitution import Constitution
from s2s1.distill.export_rows import SAMPLING_FIELDS, iter_rows, select_rows, to_row
from s2s1.errors import UserError
from s2s1.records import Record
from s2s1.shards import atomic_folder

__all__ = [
    "COLUMNS",
    "SAMPLING_FIELDS",
    "export_dataset",
    "features",
    "load_exported",
    "iter_rows",
    "select_rows",
    "to_row",
    "write_dataset",
]

COLUMNS = [
    "messages",
    "prompt",
    "completion",
    "question",
    "problem_id",
    "answer",
    "source",
    "teacher",
    "num_tokens",
    "sampling",
    "seed",
    "verdicts",
    "filter_reasons",
    "created_at",
]
SHARD_BYTES = 500 * 2**20  # the Hub's advice: parquet files of a few hundred MB at most
ROW_GROUP = 1024
"""Rows written to parquet at once: the rows an export holds in memory."""


def features() -> Any:
    """The `datasets.Features` of every export, whatever verifiers and filters ran."""
    import datasets

    text, chat = (
        datasets.Value("string"),
        datasets.List({"role": datasets.Value("string"), "content": datasets.Value("string")}),
    )
    verdict = {k: text for k in ("verifier", "version", "outcome")} | {"score": datasets.Value("float64")}
    return datasets.Features(
        {c: text for c in COLUMNS}
        | {"messages": chat, "prompt": chat, "completion": chat}
        | {"num_tokens": datasets.Value("int64"), "seed": datasets.Value("int64")}
        | {"sampling": {k: datasets.Value(t) for k, t in SAMPLING_FIELDS.items()}}
        | {"verdicts": datasets.List(verdict | {"extracted": text, "detail": text})}
        | {"filter_reasons": datasets.List({"filter": text, "code": text})}
    )


def export_dataset(
    records: Iterable[Record],
    out_dir: Path,
    cfg: ExportConfig,
    run_info: dict[str, Any],
    constitution: Constitution | None = None,
) -> Any:
    """`write_dataset`, then the written `train` split as a `datasets.Dataset` (held in memory)."""
    import datasets
    import pyarrow as pa
    import pyarrow.parquet as pq

    write_dataset(records, out_dir, cfg, run_info, constitution)
    files = sorted((Path(out_dir) / "data").glob("train-*.parquet"))
    return datasets.Dataset(pa.concat_tables([pq.read_table(f) for f in files]))


def write_dataset(
    records: Iterable[Record],
    out_dir: Path,
    cfg: ExportConfig,
    run_info: dict[str, Any],
    constitution: Constitution | None = None,
) -> int:
    """Write the kept records as parquet with a README.md card in `out_dir`; return the row count.

    Streams: rows are written in row groups of `ROW_GROUP` as records are read, and a new file is
    started past `SHARD_BYTES`, so memory holds one row group (and, for the card, each row's
    source and problem id). `run_info`: settings for the card (`dropped_by_reason`,
    `constitution_hash`, ...); `constitution` (mode `context`): the one the teacher answered
    with, recorded in the card.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from s2s1.distill.card import build_card

    schema = features().arrow_schema
    seen: list[dict[str, Any]] = []  # what the card counts
    with atomic_folder(out_dir) as tmp:
        (tmp / "data").mkdir()
        parts: list[Path] = []
        writer: Any = None
        written, batch = 0, list[dict[str, Any]]()

        def flush() -> None:
            nonlocal writer, written
            if writer is None or written > SHARD_BYTES:
                if writer is not None:
                    writer.close()
                parts.append(tmp / "data" / f".part-{len(parts):05d}")
                writer, written = pq.ParquetWriter(str(parts[-1]), schema), 0
            table = pa.Table.from_pylist(batch, schema=schema)
            if batch:
                writer.write_table(table, row_group_size=len(batch))
            written += table.nbytes
            batch.clear()

        for row in iter_rows((r for r in records if r.kept), cfg):
            batch.append(row)
            seen.append({"source": row["source"], "problem_id": row["problem_id"]})
            if len(batch) >= ROW_GROUP:
                flush()
        flush()
        assert writer is not None
        writer.close()
        for i, part in enumerate(parts):
            part.rename(tmp / "data" / f"train-{i:05d}-of-{len(parts):05d}.parquet")
        build_card(seen, cfg, run_info, constitution).save(str(tmp / "README.md"))
    return len(seen)


def load_exported(dataset_dir: Path) -> Any:
    """The `train` split of an exported dataset folder (also a `save_to_disk` folder of older runs)."""
    import datasets
    import pyarrow.parquet as pq

    dataset_dir = Path(dataset_dir)
    files = sorted((dataset_dir / "data").glob("train-*.parquet"))
    if files and not any(pq.read_metadata(f).num_rows for f in files):
        return datasets.Dataset(pq.read_table(files[0]))  # load_dataset finds "no data" in 0 rows
    if files:
        return datasets.load_dataset("parquet", data_files={"train": [str(f) for f in files]}, split="train")
    if (dataset_dir / "state.json").is_file() or (dataset_dir / "dataset_dict.json").is_file():
        loaded = datasets.load_from_disk(str(dataset_dir))
        return loaded["train"] if isinstance(loaded, datasets.DatasetDict) else loaded
    raise UserError(
        f"{dataset_dir}: no exported dataset (data/train-*.parquet); run the export stage: "
        "s2s1 run CONFIG --stages export"
    )
