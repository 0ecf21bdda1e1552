"""Print the rules' errors on the TUNE halves only: clean rows rejected and hard defects missed,
with the rule and the span that decided. For finding kinds to fix; the test halves stay unread.

    $ .venv/bin/python benchmarks/filters/tune_errors.py [corpus ...] [--width N]

Nothing is tuned here; `screen_bench.py` measures both halves.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screen_bench import rule_decisions  # noqa: E402
from screen_data import CORPORA, load_rows  # noqa: E402


def _show(text: str, width: int) -> str:
    return text.replace("\n", "⏎")[:width]


def main(corpora: list[str], width: int) -> None:
    rows = [r for r in load_rows() if r["split"] == "tune" and r["corpus"] in corpora]
    decisions = rule_decisions(rows)
    for r, d in zip(rows, decisions, strict=True):
        clean_rejected = r["label"] == "clean" and not d["keep"]
        missed = r["label"] == "defect" and r["hard"] and d["keep"]
        if not (clean_rejected or missed):
            continue
        print(f"== {r['corpus']} {r['id']} {'CLEAN REJECTED' if clean_rejected else 'MISSED ' + r['kind']}")
        print(f"   Q: {_show(r['question'], width)}")
        for reason in d["reasons"]:
            a, b = reason["span"] or (0, 0)
            around = _show(r["text"][max(0, a - 60) : b + 20], width)
            print(f"   {reason['code']} [{a}:{b}] of {len(r['text'])}: «{around}»")
        if missed:
            print(f"   scores {d['scores']}; text: «{_show(r['text'], width)}»")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    w = int(sys.argv[sys.argv.index("--width") + 1]) if "--width" in sys.argv else 300
    main([a for a in args if a in CORPORA] or ["coconot", "jbb"], w)
