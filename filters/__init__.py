"""The filter stage: screen verified records and say, for every record, why it was kept or dropped.

Filters are chosen by name from the config with a plain `match` (no registry): `verified` keeps
only correct traces, `rules` applies the cheap rules of `s2s1.filters.rules`, `decontam` drops traces
that overlap evaluation sets (`s2s1.filters.decontam`), `dedup` drops duplicates within a problem and
keeps at most k (`s2s1.filters.dedup`), `judge` asks a model about each principle of the constitution
(`s2s1.filters.judge`). Record filters decide one record at a time; `dedup` and `judge` decide a whole
shard at once (a shard holds every sample of its problems) and see what the filters before kept.
Every filter decides every record, even after another dropped it, so `rejected/` lists all the
reasons. The caller writes kept records to `filtered/` and dropped ones to `rejected/`.

Example:
    >>> [f.name for f in build_filters(["verified", "rules"])]
    ['verified', 'rules']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar, Protocol

from s2s1.config import FilterConfig, GenerateConfig, ProblemsConfig
from s2s1.errors import UserError
from s2s1.filters.constitution import JUDGE_SYSTEM, load_constitution
from s2s1.filters.decontam import DecontamFilter
from s2s1.filters.dedup import DedupFilter
from s2s1.filters.judge import JudgeFilter
from s2s1.filters.rules import RulesFilter, Sample, check_rules, rule_scores
from s2s1.filters.verified import VerifiedFilter
from s2s1.problems import load_problems, read_problem_file
from s2s1.records import Decision, Problem, Reason, Record, Trace

__all__ = [
    "Filter",
    "build_filters",
    "build_judge",
    "drop_counts",
    "filter_records",
    "filter_rows",
    "thinks_aloud",
]


class Filter(Protocol):
    """Decides keep or drop for one record, and why (design §4)."""

    name: ClassVar[str]

    def __call__(self, record: Record) -> Decision: ...


def eval_sets(cfg: FilterConfig, run_dir: Path | None) -> list[tuple[str, list[Problem]]]:
    """The evaluation sets to decontaminate against: the run's held-out problems and the named ones."""
    sets = []
    held_out = run_dir / "problems" / "eval.jsonl" if run_dir else None
    if held_out and held_out.exists():
        sets.append(("held-out", read_problem_file(held_out)))
    for source in cfg.decontaminate:
        name = source.builtin or str(source.path)
        sets.append((name, load_problems(ProblemsConfig(sources=[source], eval_fraction=0.0))))
    return sets


def build_filters(
    names: Sequence[str],
    cfg: FilterConfig | None = None,
    *,
    run_dir: Path | None = None,
    teacher: GenerateConfig | None = None,
) -> list[Filter | DedupFilter | JudgeFilter]:
    """The filters named in the config, in order, set up from `cfg` (defaults when None); the
    judge runs on `teacher`'s engine unless `cfg.judge.backend` says otherwise."""
    cfg = cfg or FilterConfig()
    filters: list[Filter | DedupFilter | JudgeFilter] = []
    for name in names:
        match name:
            case "verified":
                filters.append(VerifiedFilter())
            case "rules":
                filters.append(RulesFilter(require_think=cfg.require_think))
            case "decontam":
                filters.append(DecontamFilter.from_sets(eval_sets(cfg, run_dir), cfg.ngram))
            case "dedup":
                filters.append(DedupFilter(per_problem=cfg.per_problem, threshold=cfg.near_duplicate))
            case "judge":
                cache = (run_dir or Path(".")) / "judge" / "cache.jsonl"
                filters.append(build_judge(cfg, cache, teacher))
            case _:
                raise UserError(
                    f"filter.filters: unknown filter {name!r}; "
                    "choose from verified, rules, decontam, dedup, judge"
                )
    return filters


def build_judge(cfg: FilterConfig, cache: Path, teacher: GenerateConfig | None = None) -> JudgeFilter:
    """The constitution judge on `filter.judge.backend` (null: `teacher`'s engine where it is
    `vllm` or `openai`, else transformers), with its cache at `cache`."""
    from s2s1.filters.judge_engines import judge_generator

    generator = judge_generator(cfg.judge, teacher, JUDGE_SYSTEM)
    constitution = load_constitution(cfg.constitution)
    return JudgeFilter(constitution, generator, cache=cache, config=cfg.judge)


def filter_records(
    records: Iterable[Record], filters: Sequence[Filter | DedupFilter | JudgeFilter]
) -> Iterator[Record]:
    """Every record, with each filter's decision added under its name."""
    batch = list(records)
    for f in filters:
        if isinstance(f, RulesFilter) and f.require_think is None:  # auto: this batch's convention
            f = RulesFilter(require_think=thinks_aloud([r.trace.completion for r in batch]))
        decisions = f.decide(batch) if isinstance(f, DedupFilter | JudgeFilter) else [f(r) for r in batch]
        batch = [
            r.model_copy(update={"decisions": {**r.decisions, f.name: d}})
            for r, d in zip(batch, decisions, strict=True)
        ]
    yield from batch


def drop_counts(records: Iterable[Record]) -> dict[str, int]:
    """Dropped records per reason code (a record dropped for two reasons counts under both)."""
    counts = Counter(
        reason.code for r in records for d in r.decisions.values() if not d.keep for reason in d.reasons
    )
    return dict(counts.most_common())


def thinks_aloud(texts: Sequence[str]) -> bool:
    """True when most texts have a `</think>`: then a text without a `<think>` block is broken."""
    return sum("</think>" in t for t in texts) * 2 > len(texts) > 0


def filter_rows(
    rows: Iterable[tuple[int, dict[str, Any]]], *, path: Path | str, judge: JudgeFilter | None = None
) -> Iterator[dict[str, Any]]:
    """Flat rows (problem fields + `completion`) with the filter's `decision` added, in order.

    A row without a string `completion` gets a drop decision with reason `bad_row` naming its line.
    A row's optional `finish_reason` ("length" marks a cut-off) is read. A row with no `<think>`
    block is not broken here (files mix styles); the pipeline decides that per shard. With a
    `judge`, the rows the rules keep are also judged against its constitution, and `decision`
    (filter `rules,judge`) holds both.
    """
    rows = list(rows)
    decisions, records = [], []
    for line, row in rows:
        completion = row.get("completion")
        if not isinstance(completion, str):
            reason = Reason(
                code="bad_row", detail=f"{path}:{line}: no `completion` string; add the model's text"
            )
            decisions.append(Decision(filter=RulesFilter.name, keep=False, reasons=[reason]))
            completion = ""
        else:
            finish = row.get("finish_reason") if row.get("finish_reason") in ("length", "error") else "stop"
            sample = Sample(completion, finish, str(row.get("question") or ""))
            reasons = check_rules(sample)
            decisions.append(
                Decision(
                    filter=RulesFilter.name, keep=not reasons, reasons=reasons, scores=rule_scores(sample)
                )
            )
        problem = Problem(
            id=str(row.get("id", line)), source=str(path), question=str(row.get("question") or "")
        )
        trace = Trace(problem_id=problem.id, index=line, teacher="unknown", prompt=[], response=completion)
        records.append(Record(problem=problem, trace=trace, decisions={RulesFilter.name: decisions[-1]}))
    if judge is not None:
        for i, verdict in enumerate(judge.decide(records)):
            rules = decisions[i]
            decisions[i] = Decision(
                filter=f"{RulesFilter.name},{judge.name}",
                keep=rules.keep and verdict.keep,
                reasons=[*rules.reasons, *verdict.reasons],
                scores={**rules.scores, **verdict.scores},
            )
    for (_, row), decision in zip(rows, decisions, strict=True):
        yield {**row, "decision": decision.model_dump(mode="json")}
