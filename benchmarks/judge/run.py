"""Calibration of the constitution judge on labelled traces: accuracy, abstain rate, ECE, flag rate.

Pairs come from tests/filters/labelled_traces.jsonl and the shipped constitution: a trace
labelled boilerplate / model_identity / knowledge_cutoff breaks principle 1, one labelled
refusal breaks principle 2, and each clean trace keeps both (one pair per principle). Traces
with other labels (format defects the rules catch) are left out. Pairs are split into a tuning
and a test half by sha256 of the trace text BEFORE anything is tuned; the tuned threshold and
abstain margin are chosen on the tuning half only (best recall with at most 5% of clean pairs
flagged) and reported on both halves beside the defaults.

For each setting: accuracy on the pairs the judge decided, abstain rate, share of clean pairs
flagged, recall of violations, and the expected calibration error (10 equal-width bins) of the
judge's score as P(violation). "raw" is P(Yes)/(P(Yes)+P(No)) without calibration; "calibrated"
divides out the content-free ("N/A") leaning (the judge's default). Balanced accuracy carries a
95% percentile bootstrap CI (2,000 draws over traces, so a clean trace's two pairs move together).
The raw measurements are cached (`--cache`, keyed by trace, principle, model and mode), so a rerun
only recomputes the table.

    .venv/bin/python benchmarks/judge/run.py [--every 2] [--model embedded] [--reason-first]
        [--backend transformers]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from pathlib import Path

from s2s1.config import FilterConfig, JudgeConfig
from s2s1.constitution import load_constitution
from s2s1.filters import build_judge
from s2s1.filters.judge_verdict import calibrate, vote

ROOT = Path(__file__).parents[2]
P1 = {"boilerplate", "model_identity", "knowledge_cutoff"}


def pairs(every: int) -> list[tuple[str, object, int]]:
    """(text, principle, label) pairs; every `every`-th clean trace (all violations kept)."""
    c = load_constitution()
    rows = [json.loads(line) for line in (ROOT / "tests/filters/labelled_traces.jsonl").open()]
    out, clean = [], 0
    for r in rows:
        labels = set(r["labels"])
        if not labels:
            clean += 1
            if clean % every == 0:
                out += [(r["completion"], c.principles[0], 0), (r["completion"], c.principles[1], 0)]
        elif labels & P1:
            out.append((r["completion"], c.principles[0], 1))
        elif "refusal" in labels:
            out.append((r["completion"], c.principles[1], 1))
    return out


def half(text: str) -> str:
    return "tune" if hashlib.sha256(text.encode()).digest()[0] % 2 == 0 else "test"


def ece(scores: list[float], labels: list[int], bins: int = 10) -> float:
    """Expected calibration error: |mean score - share of violations| per bin, weighted by size."""
    total = 0.0
    for b in range(bins):
        idx = [
            i for i, s in enumerate(scores) if b / bins <= s < (b + 1) / bins or (b == bins - 1 and s == 1)
        ]
        if idx:
            gap = abs(sum(scores[i] for i in idx) / len(idx) - sum(labels[i] for i in idx) / len(idx))
            total += gap * len(idx) / len(scores)
    return total


def table(rows: list[dict], threshold: float, margin: float, calibrated: bool) -> dict[str, float]:
    verdicts, scores = [], []
    for r in rows:
        base = r["baseline"] if calibrated else 0.5
        v = vote(r["p_yes"], r["p_no"], base, threshold=threshold, margin=margin, min_mass=0.2)
        verdicts.append(v.verdict)
        share = r["p_yes"] / max(r["p_yes"] + r["p_no"], 1e-12)
        scores.append(calibrate(share, base))
    labels = [r["label"] for r in rows]
    decided = [(v, y) for v, y in zip(verdicts, labels, strict=True) if v != "abstain"]
    pos = [(v, y) for v, y in decided if y == 1]
    neg = [(v, y) for v, y in decided if y == 0]
    recall = sum(v == "yes" for v, _ in pos) / len(pos) if pos else 0.0
    spec = sum(v == "no" for v, _ in neg) / len(neg) if neg else 0.0
    n_clean = sum(1 for y in labels if y == 0)
    flagged = sum(1 for v, y in zip(verdicts, labels, strict=True) if y == 0 and v == "yes")
    return {
        "pairs": len(rows),
        "accuracy": sum((v == "yes") == (y == 1) for v, y in decided) / len(decided) if decided else 0.0,
        "balanced": (recall + spec) / 2,
        "abstain": 1 - len(decided) / len(rows),
        "clean_flagged": flagged / n_clean if n_clean else 0.0,
        "recall": sum(1 for v, y in zip(verdicts, labels, strict=True) if y == 1 and v == "yes")
        / max(1, sum(labels)),
        "ece": ece(scores, labels),
    }


def balanced_ci(rows: list[dict], threshold: float, margin: float, calibrated: bool) -> tuple[float, float]:
    """95% percentile bootstrap CI of balanced accuracy, resampling traces (2,000 draws, seed 0)."""
    by_trace: dict[str, list[dict]] = {}
    for r in rows:
        by_trace.setdefault(r["text"], []).append(r)
    groups, rng, draws = list(by_trace.values()), random.Random(0), []
    for _ in range(2000):
        sample = [r for g in rng.choices(groups, k=len(groups)) for r in g]
        draws.append(table(sample, threshold, margin, calibrated)["balanced"])
    draws.sort()
    return draws[49], draws[1949]


def tune(rows: list[dict], calibrated: bool) -> tuple[float, float]:
    """Threshold and margin with the best recall that flag at most 5% of clean tuning pairs
    (a judge that flags everything is the failure to avoid), then the fewest abstentions."""
    grid = [(t / 100, m / 100) for t in range(30, 96, 2) for m in (0, 2, 5, 10)]
    scored = [(table(rows, t, m, calibrated), t, m) for t, m in grid]
    ok = [x for x in scored if x[0]["clean_flagged"] <= 0.05] or scored
    return max(ok, key=lambda x: (x[0]["recall"], -x[0]["abstain"], -x[1]))[1:]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--every", type=int, default=2, help="use every n-th clean trace (all violations)")
    ap.add_argument("--reason-first", action="store_true")
    ap.add_argument("--backend", default="transformers")
    ap.add_argument("--model", default="embedded", help="judge model: embedded, qwen2.5-coder-0.5b, a folder")
    ap.add_argument("--cache", type=Path, default=ROOT / "runs/bench-judge/cache.jsonl")
    args = ap.parse_args()
    cfg = JudgeConfig(backend=args.backend, model=args.model, reason_first=args.reason_first)
    judge = build_judge(FilterConfig(judge=cfg), args.cache)
    todo = pairs(args.every)
    start = time.monotonic()
    judge.judge([(t, p) for t, p, _ in todo])
    print(f"judged {len(todo)} pairs in {time.monotonic() - start:.0f} s ({judge.model}, {judge.mode})")
    rows = {"tune": [], "test": []}
    for text, p, label in todo:
        entry = judge._cache[judge._key(text, p)]
        raw = entry["votes"][0]
        if "p_yes" in raw:
            rows[half(text)].append({**raw, "baseline": entry["baseline"], "label": label, "text": text})
    print("\n| setting | half | pairs | accuracy (decided) | balanced acc. [95% CI] | abstain | "
          "clean flagged | recall | ECE |\n|---|---|---|---|---|---|---|---|---|")  # fmt: skip
    for calibrated in (False, True):
        name = "calibrated" if calibrated else "raw"
        t, m = tune(rows["tune"], calibrated)
        for label, (th, mg) in (
            (f"{name}, default 0.5 ± 0.05", (0.5, 0.05)),
            (f"{name}, tuned {t} ± {m}", (t, m)),
        ):
            for h in ("tune", "test"):
                r = table(rows[h], th, mg, calibrated)
                lo, hi = balanced_ci(rows[h], th, mg, calibrated)
                bal = f"{r['balanced']:.2f} [{lo:.2f}, {hi:.2f}]"
                cells = " | ".join(f"{x:.2f}" for x in (r["abstain"], r["clean_flagged"], r["recall"]))
                acc = f"{r['accuracy']:.2f}"
                print(f"| {label} | {h} | {r['pairs']} | {acc} | {bal} | {cells} | {r['ece']:.3f} |")


if __name__ == "__main__":
    main()
