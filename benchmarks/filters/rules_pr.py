"""Precision and recall per reason code of the rules filter on the labelled traces in the tests.

Runs the labelled set (`tests/filters/labelled_traces.jsonl`: clean maths/code reasoning in eight
languages, innocent mentions of AI, ethics, bias and models, and traces with each defect) through
`filter_rows`, the function behind `s2s1 filter`, and, side by side, through a public baseline:
the phrase blocklist used to build the "unfiltered" WizardLM/Vicuna datasets (ehartford's
cleaning scripts; a representative subset of its phrases, quoted below). The baseline gives no
reason codes, so for it the table shows, per labelled code, the share of those traces it drops.

    $ .venv/bin/python benchmarks/filters/rules_pr.py [FILE.jsonl]

It then screens 800 public reference solutions (GSM8K, MATH-500: clean by construction) and
counts the clean texts each side drops. A file given on the command line (same fields: question,
completion, labels) replaces both, so held-out texts can be scored the same way. The labelled
set was written by the rules' author: treat its numbers as an upper bound on what unseen texts will give.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from s2s1.filters import filter_rows

DEFAULT = Path(__file__).resolve().parents[2] / "tests" / "filters" / "labelled_traces.jsonl"
REFERENCE = Path(__file__).resolve().parent / "data" / "reference_solutions.jsonl"
"""Clean public texts: 400 GSM8K test and 400 MATH-500 reference solutions (MIT licensed)."""

# A subset of the phrase list of ehartford's WizardLM/Vicuna "unfiltered" cleaning scripts
# (case-insensitive substring match anywhere in the text).
BLOCKLIST = [
    "as an ai language model", "as a language model", "as an ai", "a language model", "i'm an ai",
    "i am an ai", "i'm sorry,", "i apologize, but", "i cannot", "cannot provide", "can't provide",
    "not able to provide", "my knowledge cutoff", "my knowledge cut off", "september 2021",
    "openai", "ethical", "ethics", "unethical", "bias", "biases", "harmful", "inappropriate",
    "not appropriate", "it is important to", "it's important to", "please note", "keep in mind",
    "my programming", "my purpose", "responsible ai", "ai assistant", "lo siento, pero no puedo",
    "como modelo de lenguaje", "como modelo de linguagem", "diversity", "discrimination",
]  # fmt: skip


def baseline_drops(text: str) -> bool:
    low = text.lower()
    return any(phrase in low for phrase in BLOCKLIST)


def main(path: Path) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    decided = list(filter_rows(enumerate(rows, 1), path=path))
    labels = [set(r["labels"]) for r in rows]
    predicted = [{x["code"] for x in d["decision"]["reasons"]} for d in decided]
    codes = sorted(set().union(*labels, *predicted))
    clean = [i for i, lab in enumerate(labels) if not lab]

    print(
        f"{len(rows)} labelled traces from {path.name}: "
        f"{len(clean)} clean, {len(rows) - len(clean)} defective\n"
    )
    print("| code | n | ours: precision | ours: recall | baseline: recall |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for code in codes:
        positives = [i for i, lab in enumerate(labels) if code in lab]
        flagged = [i for i, p in enumerate(predicted) if code in p]
        tp = sum(1 for i in flagged if code in labels[i])
        precision = tp / len(flagged) if flagged else float("nan")
        recall = tp / len(positives) if positives else float("nan")
        base = (
            sum(baseline_drops(rows[i]["completion"]) for i in positives) / len(positives) if positives else 0
        )
        print(f"| {code} | {len(positives)} | {precision:.2f} | {recall:.2f} | {base:.2f} |")

    ours_fr = [i for i in clean if predicted[i]]
    base_fr = [i for i in clean if baseline_drops(rows[i]["completion"])]
    defective = [i for i, lab in enumerate(labels) if lab]
    ours_caught = sum(bool(predicted[i]) for i in defective) / max(1, len(defective))
    base_caught = sum(baseline_drops(rows[i]["completion"]) for i in defective) / max(1, len(defective))
    print(
        f"\nclean traces wrongly dropped: ours {len(ours_fr)}/{len(clean)}, "
        f"baseline {len(base_fr)}/{len(clean)}"
    )
    print(f"defective traces dropped (any code): ours {ours_caught:.2f}, baseline {base_caught:.2f}")
    by_code = Counter(c for i in ours_fr for c in predicted[i])
    for i in ours_fr:
        print(f"  ours wrongly dropped {rows[i]['id']}: {sorted(predicted[i])}")
    if by_code:
        print(f"  false-reject codes: {dict(by_code)}")


if __name__ == "__main__":
    for path in [Path(a) for a in sys.argv[1:]] or [DEFAULT, REFERENCE]:
        main(path)
        print()
