"""Export kept records as a Hugging Face `datasets` dataset with provenance and a dataset card.

Each row is a chat (`messages`: system, user, assistant) whose assistant turn depends on the mode:

- `reasoning`: the teacher's full verified completion, `<think>` block kept; at most
  `max_per_problem` rows per problem, in record order;
- `direct`: the verified final answer alone, as `\\boxed{answer}` (the answer the verifier
  extracted), one row per problem — the System-1 target;
- `compact`: the shortest kept completion of each problem (by generated tokens), one row per problem;
- `context`: rows as in `reasoning`, from a teacher that answered with a constitution in its prompt;
  the rows' prompts do not hold it (context distillation), and the card records its hash and text.

Beside the chat, every row carries its per-sample provenance (design §3): `problem_id`, `answer`,
`source`, `teacher`, `sampling`, `seed`, `verdicts`, `filter_reasons` and `created_at` (nested
values as JSON strings, so the schema is the same whatever verifiers and filters ran). The dataset is
saved with `save_to_disk` into a temporary folder and renamed into place; load it with
`datasets.load_from_disk(path)`.

It does not trim traces: a row longer than the student's `train.max_length` is dropped at training
time and counted there, never cut mid-answer. It does not deduplicate or push to a hub.

Example:
    >>> export_dataset(records, Path("runs/x/dataset"), ExportConfig(), {"teacher": "m"})  # doctest: +SKIP
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from s2s1.config import ExportConfig
from s2s1.filters.constitution import Constitution
from s2s1.records import Record

__all__ = ["COLUMNS", "export_dataset", "select_rows", "to_row"]

COLUMNS = [
    "messages",
    "problem_id",
    "answer",
    "source",
    "teacher",
    "sampling",
    "seed",
    "verdicts",
    "filter_reasons",
    "created_at",
]


def to_row(record: Record, system_prompt: str, answer: str | None = None) -> dict[str, Any]:
    """One training row: the chat plus the sample's provenance.

    The assistant turn is the full completion, or `answer` when it is given.
    """
    t = record.trace
    return {
        "messages": [
            {"role": "system", "content": system_prompt},
            {"role": "user", "content": record.problem.question},
            {"role": "assistant", "content": t.completion if answer is None else answer},
        ],
        "problem_id": record.problem.id,
        "answer": record.problem.answer or "",
        "source": record.problem.source,
        "teacher": t.teacher,
        "sampling": t.sampling.model_dump_json(),
        "seed": t.seed,
        "verdicts": json.dumps(
            {k: v.model_dump(mode="json", exclude={"elapsed_s"}) for k, v in record.verdicts.items()}
        ),
        "filter_reasons": json.dumps({k: [r.code for r in d.reasons] for k, d in record.decisions.items()}),
        "created_at": t.created_at.isoformat(),
    }


_MODES = {
    "reasoning": "full traces, at most {k} per problem",
    "direct": "the verified final answer alone, one per problem",
    "compact": "the shortest kept trace of each problem",
    "context": "full traces, at most {k} per problem, answered with a constitution the rows leave out",
}


def export_dataset(
    records: Sequence[Record],
    out_dir: Path,
    cfg: ExportConfig,
    run_info: dict[str, Any],
    constitution: Constitution | None = None,
) -> Any:
    """Save the kept records as a dataset with a README.md card in `out_dir`; return the Dataset.

    `constitution` (mode `context`): the one the teacher answered with, recorded in the card.
    """
    import datasets

    rows = select_rows([r for r in records if r.kept], cfg)
    text = datasets.Value("string")
    features = datasets.Features(
        {c: text for c in COLUMNS}
        | {"messages": datasets.List({"role": text, "content": text}), "seed": datasets.Value("int64")}
    )
    dataset = datasets.Dataset.from_dict({c: [r[c] for r in rows] for c in COLUMNS}, features=features)
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}."))
    try:
        dataset.save_to_disk(str(tmp), num_shards=None if rows else 1)  # 0 shards would not load
        (tmp / "README.md").write_text(_card(rows, cfg, run_info, constitution), encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dataset


def select_rows(kept: Sequence[Record], cfg: ExportConfig) -> list[dict[str, Any]]:
    """The rows of `cfg.mode` (see the module docstring) from kept records, in record order."""
    by_problem: dict[str, list[Record]] = {}
    for r in kept:
        by_problem.setdefault(r.problem.id, []).append(r)
    rows = []
    for group in by_problem.values():
        match cfg.mode:
            case "reasoning" | "context":
                rows += [to_row(r, cfg.system_prompt) for r in group[: cfg.max_per_problem]]
            case "compact":
                shortest = min(group, key=lambda r: (r.trace.num_tokens, len(r.trace.completion)))
                rows.append(to_row(shortest, cfg.system_prompt))
            case "direct":
                answered = [(r, _extracted(r)) for r in group]
                answered = [(r, a) for r, a in answered if a]
                if answered:
                    record, answer = answered[0]
                    rows.append(to_row(record, cfg.system_prompt, f"\\boxed{{{answer}}}"))
    return rows


def _extracted(record: Record) -> str | None:
    """The final answer a verifier extracted and judged correct, if any."""
    for verdict in record.verdicts.values():
        if verdict.outcome == "correct" and verdict.extracted:
            return verdict.extracted
    return None


def _card(
    rows: list[dict[str, Any]], cfg: ExportConfig, run_info: dict[str, Any], constitution: Constitution | None
) -> str:
    sources = Counter(r["source"] for r in rows)
    problems = len({r["problem_id"] for r in rows})
    lines = [
        "---",
        "license: other",
        "tags: [s2s1, distillation, reasoning, synthetic]",
        "size_categories: [n<1K]" if len(rows) < 1000 else "size_categories: [1K<n<10K]",
        "---",
        "",
        "# s2s1 distillation dataset",
        "",
        f"Verified, filtered teacher traces exported by s2s1 in `{cfg.mode}` mode: {len(rows)} rows "
        f"for {problems} problems ({_MODES[cfg.mode].format(k=cfg.max_per_problem)}).",
        "Load it with `datasets.load_from_disk(path)`; each row has `messages` (system, user, assistant)",
        "and its provenance (`source`, `teacher`, `sampling`, `seed`, `verdicts`, `filter_reasons`,",
        "`created_at`).",
        "",
        "## Rows per source",
        "",
        *(f"- {s}: {n}" for s, n in sorted(sources.items())),
        "",
        "## Run settings",
        "",
        *(f"- {k}: {json.dumps(v) if not isinstance(v, str) else v}" for k, v in run_info.items()),
        "",
        f"System prompt of every row: `{cfg.system_prompt}`",
        "",
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
    return "\n".join(lines)
