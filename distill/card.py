"""The dataset card (README.md) of an export, made with `huggingface_hub.DatasetCard`.

The YAML front matter holds what the Hub reads: `license` (`other` — no config key sets one, so
whoever publishes a run states its terms), `size_categories` from the row count, `source_datasets`
(the problems' sources), `task_categories` and tags. The local card has no `configs:`: with one,
`datasets.load_dataset(folder)` (datasets 5.2) keys its cache on the pattern, not the files, and
returns the rows of an earlier folder of the same name (measured; tests/distill/test_dis_export.py);
without it the standard layout `data/train-*` is found and hashed file by file. `s2s1 push` adds
`DATA_FILES` as `configs:` to the card it uploads, where the Hub's commit keys the cache. The body
states the export mode, rows per source, the filter's drops by reason, the constitution's hash
(and, in mode `context`, its text) and the run settings it is given. When a row's teacher is one
of the embedded models (generators/embedded_parts.py), the card credits it: model, licence,
authors, where the bytes came from.

It does not read the run folder: the caller (flows/pipeline.py's export task) passes the drop
counts and hashes in `run_info`. It does not validate licenses or push anything.

Example:
    >>> size_category(999), size_category(1000), size_category(10_000)
    ('n<1K', '1K<n<10K', '10K<n<100K')
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from s2s1.config import ExportConfig
from s2s1.constitution import Constitution
from s2s1.generators.embedded_parts import MODELS

__all__ = ["DATA_FILES", "build_card", "size_category"]

DATA_FILES = [{"config_name": "default", "data_files": [{"split": "train", "path": "data/train-*"}]}]
_SIZES = ["1K", "10K", "100K", "1M", "10M", "100M", "1B", "10B", "100B", "1T"]

_MODES = {
    "reasoning": "full traces, at most {k} per problem",
    "direct": "the verified final answer alone, one per problem",
    "compact": "the shortest kept trace of each problem",
    "context": "full traces, at most {k} per problem, answered with a constitution the rows leave out",
}


def size_category(n: int) -> str:
    """The Hub's `size_categories` value for `n` rows: n<1K, 1K<n<10K, ..., n>1T."""
    if n < 1000:
        return "n<1K"
    for i in range(1, len(_SIZES)):
        if n < 1000 * 10**i:
            return f"{_SIZES[i - 1]}<n<{_SIZES[i]}"
    return "n>1T"


def build_card(
    rows: list[dict[str, Any]], cfg: ExportConfig, run_info: dict[str, Any], constitution: Constitution | None
) -> Any:
    """The `DatasetCard` of `rows` exported with `cfg`; `run_info` adds drops, hashes and settings."""
    from huggingface_hub import DatasetCard, DatasetCardData

    sources = Counter(r["source"] for r in rows)
    problems = len({r["problem_id"] for r in rows})
    data = DatasetCardData(
        license="other",
        size_categories=[size_category(len(rows))],
        source_datasets=sorted(sources) or None,
        task_categories=["text-generation"],
        tags=["s2s1", "distillation", "reasoning", "synthetic"],
    )
    dropped = run_info.get("dropped_by_reason") or {}
    settings = {k: v for k, v in run_info.items() if k not in ("dropped_by_reason", "constitution_hash")}
    chash = constitution.hash if constitution is not None else run_info.get("constitution_hash")
    lines = [
        "# s2s1 distillation dataset",
        "",
        f"Verified, filtered teacher traces exported by s2s1 in `{cfg.mode}` mode: {len(rows)} rows "
        f"for {problems} problems ({_MODES[cfg.mode].format(k=cfg.max_per_problem)}).",
        "",
        "```python",
        "import datasets",
        'ds = datasets.load_dataset("parquet", data_files={"train": "data/train-*.parquet"})["train"]',
        "# or datasets.load_dataset(folder_or_hub_id)",
        "```",
        "",
        "Each row has `messages` (system, user, assistant), TRL's conversational `prompt` (system, user)",
        "and `completion` (assistant), `question`, and its provenance: `problem_id`, `answer`, `source`,",
        "`teacher`, `num_tokens`, `sampling` (struct), `seed`, `verdicts` (list of {verifier, version,",
        "outcome, score, extracted, detail}), `filter_reasons` (list of {filter, code}), `created_at`.",
        "",
        "## Rows per source",
        "",
        *(f"- {s}: {n}" for s, n in sorted(sources.items())),
        "",
        "## Dropped by the filter, by reason",
        "",
        *(f"- {reason}: {n}" for reason, n in sorted(dropped.items())),
        *([] if dropped else ["- none"]),
        "",
        "## Run settings",
        "",
        f"- export_mode: {cfg.mode}",
        f"- constitution_hash: {chash or 'none (no constitution)'}",
        *(
            f"- {k}: {v if isinstance(v, str) else json.dumps(v)}"
            for k, v in settings.items()
            if k != "export_mode"
        ),
        "",
        f"System prompt of every row: `{cfg.system_prompt}`",
        "",
        "License: `other` — s2s1 sets none; the teacher's and the problem sources' terms apply.",
        "",
    ]
    teachers = {r.get("teacher") for r in rows}
    lines += [
        line for m in MODELS.values() if m.model_id in teachers for line in (f"Teacher: {m.credit}.", "")
    ]
    if constitution is not None:
        lines += [
            "## Constitution (context distillation)",
            "",
            f"The teacher answered with this constitution in its prompt; the rows do not contain it. "
            f"Hash `{constitution.hash}`, from `{constitution.source}`:",
            "",
            "````markdown",
            constitution.text.strip(),
            "````",
            "",
        ]
    return DatasetCard(f"---\n{data.to_yaml()}\n---\n\n" + "\n".join(lines))
