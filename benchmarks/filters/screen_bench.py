"""Rules alone, the learned screen alone, rules + screen: clean texts rejected and defects caught,
on the tuning and the test half of each corpus, with counts and 95% Wilson intervals.

Rows come from `screen_data.load_rows()`: real XSTest v2 model answers (split by source model and
prompt), the hand-written issue-17 corpus `generalise.jsonl` (the old corpus, for comparison) and
public GSM8K / MATH-500 reference solutions (clean). The rules run through `filter_rows`, the
function behind `s2s1 filter`, with the screen off; the screen runs as `ScreenFilter` with the
shipped `filters/screen/screen.json` (trained on the tuning halves only, `screen_fit.py`).

    $ .venv/bin/python benchmarks/filters/screen_bench.py [--rules-only]

`--rules-only` skips the screen (its rows then read as "kept"), so the rules of an older commit
can be measured the same way: put that commit's `s2s1/` and `filters/` (as `s2s1/filters/`) in a
folder and run this script with `PYTHONPATH` set to it (benchmarks/filters/README.md).

Columns: clean rejected (lower is better), hard-defect recall, soft flagged (dropped or scored).
Embeddings are cached as in `screen_fit.py`. Nothing is tuned here.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from pathlib import Path

from s2s1.filters import filter_rows

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screen_data import CORPORA, load_rows  # noqa: E402

__all__ = ["Cell", "measure", "rule_decisions", "table", "wilson"]


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of k successes in n trials ((0, 1) when n is 0)."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Cell:
    """k of n, with its rate and Wilson interval, as one table cell."""

    k: int
    n: int

    def __str__(self) -> str:
        if not self.n:
            return "-"
        lo, hi = wilson(self.k, self.n)
        return f"{self.k}/{self.n} = {self.k / self.n:.3f} [{lo:.3f}, {hi:.3f}]"


def measure(rows: list[dict], dropped: list[bool], flagged: list[bool]) -> dict[str, Cell]:
    """Clean rejected, hard recall and soft flagged over `rows` (flagged: dropped or soft-scored)."""
    clean = [d for r, d in zip(rows, dropped, strict=True) if r["label"] == "clean"]
    hard = [d for r, d in zip(rows, dropped, strict=True) if r["label"] == "defect" and r["hard"]]
    soft = [
        f
        for r, f in zip(rows, flagged, strict=True)
        if r["label"] == "soft" or (r["label"] == "defect" and not r["hard"])
    ]
    return {
        "clean rejected": Cell(sum(clean), len(clean)),
        "hard recall": Cell(sum(hard), len(hard)),
        "soft flagged": Cell(sum(soft), len(soft)),
    }


def table(rows: list[dict], rules: list[dict], screen: list[dict]) -> list[str]:
    """Markdown table lines: one row per corpus × half × method. `rules` and `screen` are the
    decisions (as dicts) of each row, in order."""
    out = [
        "| corpus | half | method | clean rejected | hard recall | soft flagged |",
        "| --- | --- | --- | ---: | ---: | ---: |",
    ]
    methods = {
        "rules": lambda i: (not rules[i]["keep"], bool(rules[i]["scores"]) or not rules[i]["keep"]),
        "screen": lambda i: (
            not screen[i]["keep"],
            not screen[i]["keep"] or "soft:screen" in screen[i]["scores"],
        ),
    }
    methods["rules+screen"] = lambda i: tuple(
        a or b for a, b in zip(methods["rules"](i), methods["screen"](i), strict=True)
    )
    for corpus in CORPORA:
        for half in ("tune", "test"):
            idx = [i for i, r in enumerate(rows) if r["corpus"] == corpus and r["split"] == half]
            for name, decide in methods.items():
                flags = [decide(i) for i in idx]
                cells = measure([rows[i] for i in idx], [d for d, _ in flags], [f for _, f in flags])
                out.append(f"| {corpus} | {half} | {name} | " + " | ".join(map(str, cells.values())) + " |")
    return out


def rule_decisions(rows: list[dict]) -> list[dict]:
    """The rules' decision (`s2s1 filter`'s, screen off) on each labelled row, in order."""
    keys = ("id", "question", "finish_reason")
    flat = [{**{k: r[k] for k in keys}, "completion": r["text"]} for r in rows]
    return [o["decision"] for o in filter_rows(enumerate(flat, 1), path="bench")]


def main(rules_only: bool) -> None:
    rows = load_rows()
    rules = rule_decisions(rows)  # screen off
    if rules_only:
        screen = [{"keep": True, "scores": {}} for _ in rows]
        print(f"{len(rows)} rows; rules only\n")
    else:
        from screen_fit import cached_features

        from s2s1.filters.screen import ScreenFilter

        texts = [r["text"] for r in rows]
        screen_filter = ScreenFilter()
        questions = [r["question"] for r in rows]
        decisions = screen_filter.decide_texts(texts, questions, x=cached_features(texts))
        screen = [d.model_dump(mode="json") for d in decisions]
        print(f"{len(rows)} rows; screen threshold {screen_filter.screen.threshold:.3f}\n")
    lines = table(rows, rules, screen)
    print("\n".join(line for line in lines if not rules_only or "screen |" not in line))


if __name__ == "__main__":
    main("--rules-only" in sys.argv)
