"""What a run shows in the Prefect UI: the report, pass rates, filter drops, and stage progress.

`publish_artifacts` is called at the end of a flow run and creates, under fixed keys so the UI
keeps their history across runs:

- `s2s1-report` (markdown): `report.md` when the run evaluated models, else the CLI's summary;
- `s2s1-pass-rates` (table): per verifier, correct / incorrect / unverifiable and the pass rate;
- `s2s1-filter-drops` (table): per drop reason, the number of traces and their share.

`Progress` is a progress artifact for a long stage, updated every few seconds as shards finish. Artifacts are
views of the run folder, read from the files; they are not a second copy of the data, and
nothing reads them back.

Example:
    >>> with Progress("generate", total=6) as progress:  # doctest: +SKIP
    ...     progress.advance()
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)

from s2s1.flows.metrics import read_rows

__all__ = ["Progress", "publish_artifacts"]


class Progress:
    """A progress artifact `s2s1-<stage>-progress`, 0 → 100 % over `total` shards."""

    EVERY_S = 5.0
    """Seconds between two updates at least (100 % is always shown)."""

    def __init__(self, stage: str, total: int) -> None:
        self.stage, self.total, self.done = stage, max(total, 1), 0
        self._id: Any = None
        self._shown, self._at = 0.0, time.monotonic()

    def __enter__(self) -> Progress:
        self._id = create_progress_artifact(
            0.0, key=f"s2s1-{self.stage}-progress", description=f"{self.stage}: shards done"
        )
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def advance(self) -> None:
        """One more shard done (finished now, or found finished on disk).

        The artifact is updated when the whole percent changes and `EVERY_S` have passed, and at
        100 %: a few API calls per stage, not one per shard (a rerun skipping 335 shards paid
        ~45 s for them) nor one per percent (~31 ms each, 3.1 s of a 30 s verify stage)."""
        self.done += 1
        percent = float(100 * min(self.done, self.total) // self.total)
        due = percent == 100.0 or time.monotonic() - self._at >= self.EVERY_S
        if percent != self._shown and due:
            self._shown, self._at = percent, time.monotonic()
            update_progress_artifact(self._id, percent)


def publish_artifacts(run_dir: Path, metrics: dict[str, Any]) -> None:
    """The report, pass-rate and filter-drop artifacts of the run folder's current state."""
    from s2s1.distill.summary import summary

    run_dir = Path(run_dir)
    report = run_dir / "report.md"
    markdown = report.read_text() if report.exists() else f"```\n{summary(metrics, run_dir)}\n```\n"
    create_markdown_artifact(markdown, key="s2s1-report", description=f"run report of {run_dir}")
    rates = pass_rates(run_dir)
    if rates:
        create_table_artifact(rates, key="s2s1-pass-rates", description="verdicts per verifier")
    drops = filter_drops(metrics)
    if drops:
        create_table_artifact(drops, key="s2s1-filter-drops", description="traces dropped, by reason")


def pass_rates(run_dir: Path) -> list[dict[str, Any]]:
    """One row per verifier over the verified shards: counts of each outcome and correct / all."""
    counts: dict[str, Counter[str]] = {}
    for row in read_rows(run_dir, "verified"):  # line by line, as dicts: no record models
        for name, verdict in row.get("verdicts", {}).items():
            counts.setdefault(name, Counter())[verdict["outcome"]] += 1
    rows = []
    for name, c in sorted(counts.items()):
        total = sum(c.values())
        rows.append(
            {
                "verifier": name,
                "correct": c["correct"],
                "incorrect": c["incorrect"],
                "unverifiable": c["unverifiable"],
                "pass_rate": round(c["correct"] / total, 4),
            }
        )
    return rows


def filter_drops(metrics: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per drop reason; a trace dropped for two reasons counts under both."""
    f = metrics.get("filter", {})
    traces = f.get("kept", 0) + f.get("dropped", 0)
    return [
        {"reason": reason, "traces": n, "share": round(n / traces, 4) if traces else 0.0}
        for reason, n in f.get("dropped_by_reason", {}).items()
    ]
