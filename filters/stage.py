"""The filter stage: build the configured filters and let each decide every record of a shard.

Filters are chosen by name from the config with a plain `match` (no registry): `verified` keeps
only correct traces, `rules` applies the cheap rules of `s2s1.filters.rules`, `decontam` drops
traces that overlap evaluation sets (`s2s1.filters.decontam`), `dedup` drops duplicates within a
problem and keeps at most k (`s2s1.filters.dedup`), `judge` asks a model about each principle of
the constitution (`s2s1.filters.judge`), `probe` scores each trace with a linear probe on a
model's hidden states and drops those above a threshold (`s2s1.filters.probe`), `quality` keeps the
best-scored k of each problem (`s2s1.filters.quality`), `screen` drops traces the learned screen
(a calibrated classifier on sentence embeddings, shipped in the package) scores at or above its
threshold (`s2s1.filters.screen`).

Record filters (`Filter`) decide one record at a time; shard filters (`ShardFilter`: dedup,
judge, probe, quality, screen) decide a whole shard at once (a shard holds every sample of its
problems) and see what the filters before kept. Every filter decides every record, even after another
dropped it, so `rejected/` lists all the reasons. The caller writes kept records to `filtered/`
and dropped ones to `rejected/`. This module does not read or write shards.

Example:
    >>> [f.name for f in build_filters(["verified", "rules"])]
    ['verified', 'rules']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import ClassVar, Protocol

from s2s1.config import FilterConfig, GenerateConfig, ProblemsConfig
from s2s1.constitution import JUDGE_SYSTEM, load_constitution
from s2s1.errors import UserError
from s2s1.filters.decontam import DecontamFilter
from s2s1.filters.dedup import DedupFilter
from s2s1.filters.judge import JudgeFilter
from s2s1.filters.rules import RulesFilter
from s2s1.filters.verified import VerifiedFilter
from s2s1.problems import load_problems, read_problem_file
from s2s1.records import Decision, Problem, Record

__all__ = [
    "Filter",
    "ShardFilter",
    "build_filters",
    "build_judge",
    "drop_counts",
    "filter_records",
    "thinks_aloud",
]


class Filter(Protocol):
    """Decides keep or drop for one record, and why (design §4)."""

    name: ClassVar[str]

    def __call__(self, record: Record) -> Decision: ...


class ShardFilter(Protocol):
    """Decides every record of a shard at once, in order; sees the decisions made before it."""

    name: ClassVar[str]

    def decide(self, records: Sequence[Record]) -> list[Decision]: ...


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
) -> list[Filter | ShardFilter]:
    """The filters named in the config, in order, set up from `cfg` (defaults when None); the
    judge runs on `teacher`'s engine unless `cfg.judge.backend` says otherwise. A probe or scorer
    folder that cannot be used is a UserError here, before any record is read."""
    cfg = cfg or FilterConfig()
    filters: list[Filter | ShardFilter] = []
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
            case "probe":
                from s2s1.filters.probe import ProbeFilter

                _needs(cfg.probe, "probe", "s2s1 probe train RUN_DIR --layer N --label verified --out DIR")
                filters.append(ProbeFilter(cfg.probe, threshold=cfg.probe_threshold))  # type: ignore[arg-type]
            case "quality":
                from s2s1.filters.quality import QualityFilter, load_scorer

                _needs(cfg.quality_scorer, "quality_scorer", "s2s1 quality train RUN_DIR --out DIR")
                scorer = load_scorer(cfg.quality_scorer)  # type: ignore[arg-type]
                filters.append(QualityFilter(scorer, per_problem=cfg.quality_per_problem))
            case "screen":
                from s2s1.filters.screen import ScreenFilter

                filters.append(ScreenFilter())
            case _:
                raise UserError(
                    f"filter.filters: unknown filter {name!r}; "
                    "choose from verified, rules, decontam, dedup, judge, probe, quality, screen"
                )
    return filters


def _needs(folder: Path | None, key: str, command: str) -> None:
    if folder is None:
        raise UserError(
            f"filter.{key}: not set, but filter.filters names `{key.split('_')[0]}`; "
            f"set it to a folder made by `{command}`"
        )


def build_judge(cfg: FilterConfig, cache: Path, teacher: GenerateConfig | None = None) -> JudgeFilter:
    """The constitution judge on `filter.judge.backend` (null: `teacher`'s engine where it is
    `vllm` or `openai`, else transformers), with its cache at `cache`."""
    from s2s1.filters.judge_engines import judge_generator

    generator = judge_generator(cfg.judge, teacher, JUDGE_SYSTEM)
    constitution = load_constitution(cfg.constitution)
    return JudgeFilter(constitution, generator, cache=cache, config=cfg.judge)


def filter_records(records: Iterable[Record], filters: Sequence[Filter | ShardFilter]) -> Iterator[Record]:
    """Every record, with each filter's decision added under its name."""
    batch = list(records)
    for f in filters:
        if isinstance(f, RulesFilter) and f.require_think is None:  # auto: this batch's convention
            f = RulesFilter(require_think=thinks_aloud([r.trace.completion for r in batch]))
        decide = getattr(f, "decide", None)  # a shard filter; else one record at a time
        decisions = decide(batch) if decide else [f(r) for r in batch]  # type: ignore[operator]
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
