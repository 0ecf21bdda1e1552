"""Recall per defect kind and clean false rejects of the rules on the held-out corpus, tune and test.

`data/generalise.jsonl` holds 234 traces written for issue 17 without looking at any rule's
patterns: clean maths/code reasoning in ten languages with innocent keyword traps ("AI", "model",
"bias", "ethics", "sorry", "I cannot" in maths, code, variable names and quotations) and defective
traces of every reason code (boilerplate, hard and soft refusals, identity, cutoff, leaked template
tokens and mixed-up roles, broken `<think>`, truncation, loops, elided code, conflicting answers,
language mixing). Each row: id, split, label, kind, hard, language, question, text,
finish_reason, why. `split` is `split_of(text)` (a hash of the text), fixed before any rule changed:
tune on "tune" only, report "test". "Hard" defects are every kind but conflicting_answers and
language_mixing.

The texts go through `filter_rows`, the function behind `s2s1 filter`, and, side by side, through
the named baseline of `rules_pr.py` (the WizardLM/Vicuna "unfiltered" phrase blocklist).

    $ .venv/bin/python benchmarks/filters/generalise.py [FILE.jsonl] [--show-test]

Misses are listed for the tuning half only, unless --show-test (so tuning never reads the test half).

This script does not tune anything, and its texts are hand-written, not teacher outputs.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from s2s1.filters import filter_rows

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rules_pr import baseline_drops  # noqa: E402

__all__ = ["DATA", "load", "screen", "split_of"]

DATA = Path(__file__).resolve().parent / "data" / "generalise.jsonl"


def split_of(text: str) -> str:
    """'test' or 'tune', by the first byte of the text's SHA-256 (the split recorded in the file)."""
    return "test" if hashlib.sha256(text.encode("utf-8")).digest()[0] % 2 else "tune"


def load(path: Path = DATA) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        assert row["split"] == split_of(row["text"]), f"{row['id']}: split is not split_of(text)"
    return rows


def screen(rows: list[dict]) -> list[set[str]]:
    """The reason codes `s2s1 filter` drops each row for (empty set: kept)."""
    keys = ("id", "question", "finish_reason")
    flat = [{**{k: r[k] for k in keys}, "completion": r["text"]} for r in rows]
    out = filter_rows(enumerate(flat, 1), path="generalise.jsonl")
    return [set() if d["decision"]["keep"] else {x["code"] for x in d["decision"]["reasons"]} for d in out]


def _rate(hits: list[bool]) -> str:
    return f"{sum(hits)}/{len(hits)} = {sum(hits) / len(hits):.2f}" if hits else "-"


def main(path: Path, show: tuple[str, ...] = ("tune",)) -> None:
    rows = load(path)
    codes = screen(rows)
    base = [baseline_drops(r["text"]) for r in rows]
    halves = {h: [i for i, r in enumerate(rows) if r["split"] == h] for h in ("tune", "test")}
    kinds = sorted({r["kind"] for r in rows} - {"clean"})
    print(f"{len(rows)} rows from {path.name}; ours = s2s1 filter rules, baseline = phrase blocklist\n")
    print("| kind | tune: ours (own code) | tune: baseline | test: ours (own code) | test: baseline |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for kind in [*kinds, "ALL hard", "clean dropped"]:
        cells = []
        for idx in halves.values():
            match kind:
                case "ALL hard":
                    sel = [i for i in idx if rows[i]["hard"]]
                case "clean dropped":
                    sel = [i for i in idx if rows[i]["label"] == "clean"]
                case _:
                    sel = [i for i in idx if rows[i]["kind"] == kind]
            own = "" if kind in ("ALL hard", "clean dropped") else f" ({sum(kind in codes[i] for i in sel)})"
            cells += [_rate([bool(codes[i]) for i in sel]) + own, _rate([base[i] for i in sel])]
        print(f"| {kind} | " + " | ".join(cells) + " |")
    for h, idx in halves.items():
        for i in idx if h in show else []:
            r = rows[i]
            if bool(codes[i]) != (r["label"] == "defect"):
                print(f"  {h}: {'dropped' if codes[i] else 'kept'} {r['id']} ({r['why']}) {sorted(codes[i])}")


if __name__ == "__main__":
    files = [Path(a) for a in sys.argv[1:] if a != "--show-test"]
    main(files[0] if files else DATA, ("tune", "test") if "--show-test" in sys.argv else ("tune",))
