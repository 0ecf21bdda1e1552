"""Re-score a finished run's stored traces with the verifiers installed now (`s2s1 reverify`).

When a grader is fixed, the traces need not be generated again: this reads `RUN_DIR/verified/`
shards, runs the chosen verifiers over the same records (`s2s1.verifiers.verify`, which
replaces each verifier's verdict by name and keeps the others), and writes

- `RUN_DIR/reverify/verified/shard-*.jsonl`: the re-scored records, shard by shard;
- `RUN_DIR/reverify/flips.json` and `flips.md`: per verifier, the verdicts whose outcome changed,
  grouped by old version → new version and old → new outcome, with counts and a few examples;
- `RUN_DIR/reverify/metrics.json`: per verifier, the outcome counts before and after.

The original shards are only read, never rewritten. `reverify/` is replaced as a whole: it is
filled in a temporary folder beside it and renamed at the end, so a run stopped half way (a bad
shard, a kill) leaves the previous `reverify/` as it was. Everything is checked before anything is
written (a missing folder, no verified shards, an unknown verifier: one UserError line). It does
not re-run the filter or later stages on the new verdicts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from s2s1.errors import UserError
from s2s1.flows.metrics import verdict_counts
from s2s1.records import Record
from s2s1.shards import atomic_folder, atomic_write_text, read_models, write_json, write_models
from s2s1.verifiers.base import Verifier

__all__ = ["reverify_run", "verified_shards"]

EXAMPLES = 3


def verified_shards(run_dir: Path) -> list[Path]:
    """The run's verified shards; one UserError line when there are none."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise UserError(f"{run_dir}: no such run folder; give the folder `s2s1 run` wrote")
    shards = sorted((run_dir / "verified").glob("shard-*.jsonl"))
    if not shards:
        where = run_dir / "verified"
        raise UserError(f"{run_dir}: no verified shards in {where}; run the verify stage first")
    return shards


def reverify_run(
    run_dir: Path, verifiers: Sequence[Verifier], *, workers: int = 2, timeout_s: float | None = None
) -> dict[str, Any]:
    """Re-score every verified shard of `run_dir` with `verifiers`; returns the flips table."""
    shards = verified_shards(run_dir)
    with atomic_folder(Path(run_dir) / "reverify") as out_dir:
        return _reverify(shards, out_dir, verifiers, workers, timeout_s)


def _reverify(
    shards: list[Path], out_dir: Path, verifiers: Sequence[Verifier], workers: int, timeout_s: float | None
) -> dict[str, Any]:
    from s2s1.verifiers import verify

    names = {v.name for v in verifiers}
    flips: dict[tuple[str, str, str, str, str], list[dict[str, Any]]] = {}
    before: list[Record] = []
    after: list[Record] = []
    for shard in shards:
        old = read_models(shard, Record)
        new = list(verify(old, verifiers, workers=workers, timeout_s=timeout_s))
        for a, b in zip(old, new, strict=True):
            for name in names & b.verdicts.keys():
                was, now = a.verdicts.get(name), b.verdicts[name]
                if was is None or was.outcome == now.outcome:
                    continue
                key = (name, was.version, now.version, was.outcome, now.outcome)
                flips.setdefault(key, []).append(
                    {"problem_id": a.problem.id, "index": a.trace.index, "old": was.detail, "new": now.detail}
                )
        write_models(out_dir / "verified" / shard.name, new)
        before += old
        after += new
    table = [
        {
            "verifier": k[0],
            "old_version": k[1],
            "new_version": k[2],
            "old_outcome": k[3],
            "new_outcome": k[4],
            "count": len(rows),
            "examples": rows[:EXAMPLES],
        }  # fmt: skip
        for k, rows in sorted(flips.items(), key=lambda kv: -len(kv[1]))
    ]
    result = {
        "records": len(after),
        "flipped": sum(row["count"] for row in table),
        "flips": table,
        "by_verifier": {"before": verdict_counts(before), "after": verdict_counts(after)},
    }
    write_json(out_dir / "flips.json", result)
    write_json(out_dir / "metrics.json", {"verify": {"by_verifier": result["by_verifier"]["after"]}})
    atomic_write_text(out_dir / "flips.md", flips_markdown(result))
    return result


def flips_markdown(result: dict[str, Any]) -> str:
    """The flips table as Markdown, examples under it."""
    lines = [f"# Re-verification: {result['flipped']} of {result['records']} records changed outcome", ""]
    if result["flips"]:
        lines += ["| verifier | version | outcome | count |", "|---|---|---|---|"]
        for row in result["flips"]:
            lines.append(
                f"| {row['verifier']} | {row['old_version']} → {row['new_version']} | "
                f"{row['old_outcome']} → {row['new_outcome']} | {row['count']} |"
            )
        lines.append("")
        for row in result["flips"]:
            for ex in row["examples"]:
                lines.append(
                    f"- {row['verifier']} {row['old_outcome']} → {row['new_outcome']}: problem "
                    f"{ex['problem_id']} sample {ex['index']}: {ex['old']!r} → {ex['new']!r}"
                )
    counts = Counter({k: sum(c.values()) for k, c in result["by_verifier"]["after"].items()})
    lines += ["", "Verdicts now: " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))]
    return "\n".join(lines) + "\n"
