"""The README's GSM8K table: what each stage of the pipeline buys a student, with matched controls.

It reads a GSM8K run folder (`s2s1 run configs/gsm8k.yaml`) and its ablation (`s2s1 ablate
RUN --stages --seeds 3`, which writes `RUN/ablate_stages.json`) and prints the table: every arm
(untrained, all teacher traces, verified, verified + filters, same-size random subsets of the
pool, answers only) with its accuracy per seed and pooled, 95% intervals, tokens per answer,
the paired differences, the teacher's own accuracy, and the CPU hours spent. While the runs are
unfinished it says how far they got (teacher shards written, students done). From each student's
`samples.jsonl` it also counts the answers cut at the token limit, and how many of those the
verifier still scored correct (it reads the last number of a cut text).

    .venv/bin/s2s1 run configs/gsm8k.yaml --out runs/gsm8k
    .venv/bin/s2s1 ablate runs/gsm8k --stages --seeds 3
    .venv/bin/python benchmarks/distill/gsm8k.py runs/gsm8k [--save benchmarks/distill/gsm8k_results.json]

`--save` writes the numbers (no per-problem scores) to a JSON file, atomically, to commit; given
that file instead of a run folder, it prints the table from it. It trains and evaluates nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from s2s1.distill.report_ablate import render_stages
from s2s1.shards import write_json


def progress(run: Path) -> dict[str, Any]:
    """How far the recipe got: teacher shards and traces written (of the planned ones), models evaluated."""
    from s2s1.flows.cli_ablate import run_config

    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    cfg = run_config(manifest["config"])
    train = [json.loads(line) for line in (run / "problems" / "train.jsonl").read_text().splitlines() if line]
    planned = -(-len(train) // cfg.generate.shard_size)
    shards = sorted((run / "traces").glob("shard-*.jsonl"))
    journals = sorted((run / "traces").glob("shard-*.jsonl.partial"))
    traces = sum(_lines(p) for p in shards + journals)
    evaluated = sorted(p.stem for p in (run / "eval").glob("*.json")) if (run / "eval").is_dir() else []
    return {
        "teacher_shards": f"{len(shards)} of {planned}",
        "teacher_traces": f"{traces} of {len(train) * cfg.generate.sampling.n}",
        "evaluated": evaluated,
    }


def _lines(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip())


def cut_answers(run: Path) -> list[dict[str, Any]]:
    """Per evaluated student with saved answers: answers, correct, cut at the token limit, correct
    though cut, and the accuracy when a cut answer counts as wrong."""
    out = []
    for path in sorted((run / "ablate" / "stages").glob("*/s*/samples.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        correct = [all(v["outcome"] == "correct" for v in r["verdicts"].values()) for r in rows]
        cut = [r["trace"].get("finish_reason") == "length" for r in rows]
        both = sum(c and k for c, k in zip(correct, cut, strict=True))
        out.append(
            {
                "unit": f"{path.parent.parent.name}/{path.parent.name}",
                "answers": len(rows),
                "correct": sum(correct),
                "cut": sum(cut),
                "correct_cut": both,
                "accuracy_cut_wrong": round((sum(correct) - both) / max(1, len(rows)), 3),
            }
        )
    return out


def collect(run: Path) -> dict[str, Any]:
    """The recipe's progress and the ablation's summary (None until `s2s1 ablate --stages` ran)."""
    stages = run / "ablate_stages.json"
    return {
        "run": str(run),
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "recipe": progress(run),
        "ablation": json.loads(stages.read_text()) if stages.exists() else None,
        "cut_answers": cut_answers(run),
    }


def render(doc: dict[str, Any]) -> str:
    """The README table (and progress notes) from `collect`'s document."""
    recipe = doc["recipe"]
    lines = [
        f"GSM8K recipe ({doc['run']}, {doc['measured_at']}): teacher shards {recipe['teacher_shards']} "
        f"(traces {recipe['teacher_traces']}); "
        f"evaluated: {', '.join(recipe['evaluated']) or 'nothing yet'}."
    ]
    ablation = doc.get("ablation")
    if ablation is None:
        lines.append("Ablation: not started (`s2s1 ablate RUN --stages --seeds 3`).")
    else:
        lines.append(render_stages(ablation))
    if doc.get("cut_answers"):
        lines += [
            "",
            "| student | answers | correct | cut at the limit | correct though cut | accuracy, cut = wrong |",
        ]
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: |")
        for u in doc["cut_answers"]:
            lines.append(
                f"| {u['unit']} | {u['answers']} | {u['correct']} | {u['cut']} | {u['correct_cut']} "
                f"| {u['accuracy_cut_wrong']:.3f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a GSM8K run folder, or a JSON file --save wrote")
    parser.add_argument("--save", type=Path, help="write the numbers to this JSON file")
    args = parser.parse_args()
    if args.source.is_file():
        doc = json.loads(args.source.read_text())
    elif (args.source / "manifest.json").exists():
        doc = collect(args.source)
    else:
        sys.exit(
            f"{args.source}: neither a run folder (manifest.json) nor a saved JSON file; run the recipe first"
        )
    print(render(doc))
    if args.save:
        write_json(args.save, doc)


if __name__ == "__main__":
    main()
