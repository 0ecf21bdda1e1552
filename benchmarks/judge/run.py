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
judge's score as P(violation). The judge asks whether the text *follows* the principle, so
P(violation) is the share of the answer that says it does not ("No", `JUDGE_BREAKS`): "raw" is
P(breaks)/(P(breaks)+P(keeps)) without calibration; "calibrated" divides out the content-free
("N/A") leaning (the judge's default). Threshold-free, the AUROC of the raw and the calibrated
score for "violates", with a 95% bootstrap CI over traces, on each half. Balanced accuracy carries a
95% percentile bootstrap CI (2,000 draws over traces, so a clean trace's two pairs move together).
The raw measurements are cached (`--cache`, keyed by trace, principle, model and mode), so a rerun
only recomputes the table.

With `--cross`, each violation is also judged against the other of the two principles (a
refusal under principle 1, self-talk under principle 2), to see whether the judge reads the
principle or only the text.

    .venv/bin/python benchmarks/judge/run.py [--every 2] [--model embedded] [--reason-first]
        [--backend transformers] [--cross]
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
from s2s1.filters.judge_verdict import break_keep, calibrate, vote
from s2s1.filters.probe_train import auroc, bootstrap_auroc

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
        v = vote(r["p_break"], r["p_keep"], base, threshold=threshold, margin=margin, min_mass=0.2)
        verdicts.append(v.verdict)
        share = r["p_break"] / max(r["p_break"] + r["p_keep"], 1e-12)
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


def auroc_row(rows: list[dict], calibrated: bool) -> str:
    """AUROC of the score for "violates" [95% bootstrap CI over traces] | mean score: clean | violations."""
    scores = [calibrate(r["p_break"] / max(r["p_break"] + r["p_keep"], 1e-12), r["baseline"] if calibrated
                        else 0.5) for r in rows]  # fmt: skip
    y = [r["label"] for r in rows]
    lo, hi = bootstrap_auroc(scores, y, [r["text"] for r in rows])
    mean = [sum(s for s, v in zip(scores, y, strict=True) if v == k) / max(1, y.count(k)) for k in (0, 1)]
    return f"{auroc(scores, y):.2f} [{lo:.2f}, {hi:.2f}] | {mean[0]:.2f} | {mean[1]:.2f}"


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
    ap.add_argument("--cross", action="store_true", help="violations vs the other principle too")
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
            p_break, p_keep = break_keep(raw)
            row = {"p_break": p_break, "p_keep": p_keep, "baseline": entry["baseline"]}
            rows[half(text)].append(row | {"label": label, "text": text})
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
    print("\n| score | half | AUROC [95% CI] | mean score, clean | mean score, violations |")
    print("|---|---|---|---|---|")
    for calibrated in (False, True):
        for h in ("tune", "test"):
            name = "calibrated" if calibrated else "raw"
            print(f"| {name} P(breaks) | {h} | {auroc_row(rows[h], calibrated)} |")
    if args.cross:
        cross(judge, todo)


def cross(judge, todo: list[tuple[str, object, int]]) -> None:
    """Each violation judged against the *other* principle of the two (a refusal under principle 1,
    self-talk under principle 2): a judge that reads the principle keeps these. Calibrated score and
    share flagged at the default (0.5 ± 0.05), both halves, beside the matched pairs and clean ones."""
    one, two = load_constitution().principles[:2]
    other = [(t, two if p.number == 1 else one) for t, p, y in todo if y == 1]
    judge.judge(other)
    groups = {
        "clean": [(t, p) for t, p, y in todo if y == 0],
        "violation, its principle": [(t, p) for t, p, y in todo if y == 1],
        "violation, the other principle": other,
    }
    print("\n| pairs | principle | n | mean calibrated P(breaks) | flagged |\n|---|---|---|---|---|")
    for name, prs in groups.items():
        for n in (1, 2):
            entries = [judge._cache[judge._key(t, p)] for t, p in prs if p.number == n]
            votes = [(break_keep(e["votes"][0]), e["baseline"]) for e in entries]
            scores = [calibrate(b / max(b + k, 1e-12), base) for (b, k), base in votes]
            flagged = [vote(b, k, base, threshold=0.5, margin=0.05, min_mass=0.2).verdict == "yes"
                       for (b, k), base in votes]  # fmt: skip
            print(f"| {name} | {n} | {len(scores)} | {sum(scores) / len(scores):.2f} | "
                  f"{sum(flagged) / len(flagged):.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()
