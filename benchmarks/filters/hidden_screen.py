"""A defect screen on the teacher's hidden states, measured beside the rules (issue 24).

The shipped screen reads MiniLM embeddings of the text alone; this one reads a causal LM's hidden
states while it re-reads the prompt and the answer (`s2s1.filters.hidden`), as the issue suggests.
Every labelled row of `screen_data` is read once at a few layers, pooled two ways (last token,
mean over the answer); the features are cached on disk, so a stopped run resumes. Then, on the
TUNING half only (soft rows left out): for each (pool, layer) a logistic regression, its L2
strength and threshold chosen out of fold (folds by source) so that at most 0.5% of the tuning
half's clean rows are flagged; the (pool, layer) with the most out-of-fold hard defects caught
wins. Only that one is measured on the test halves, alone and beside the rules.

    $ .venv/bin/python benchmarks/filters/hidden_screen.py [--model qwen2.5-coder-0.5b]

It trains nothing that ships; it prints the tables `benchmarks/filters/README.md` quotes.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from s2s1.filters.hidden import HiddenStates
from s2s1.filters.screen_train import fit_logistic, out_of_fold, pick_threshold
from s2s1.records import Problem, Record, Trace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screen_bench import measure, rule_decisions  # noqa: E402
from screen_data import CORPORA, load_rows  # noqa: E402

POOLS = ("last", "mean")
MAX_CLEAN = 0.005
L2S = (0.01, 0.1, 1.0)
MAX_LENGTH = 1024


def _key(row: dict) -> str:
    return hashlib.sha256(f"{row['question']}\0{row['text']}".encode()).hexdigest()[:20]


def _record(row: dict) -> Record:
    problem = Problem(id=row["id"], source=row["corpus"], question=row["question"])
    prompt = [{"role": "user", "content": row["question"]}]
    trace = Trace(problem_id=row["id"], index=0, teacher="bench", prompt=prompt, response=row["text"])
    return Record(problem=problem, trace=trace)


def cached_states(rows: list[dict], model: str, layers: list[int], chunk: int = 32) -> np.ndarray:
    """rows × pools × layers × hidden, float32; read from and added to a cache file per model."""
    tmp = Path(os.environ.get("TMPDIR", tempfile.gettempdir()))
    cache = tmp / f"s2s1-hidden-{model.replace('/', '_')}-{MAX_LENGTH}-{'-'.join(map(str, layers))}.npz"
    have = dict(np.load(cache)) if cache.exists() else {}
    missing = list({_key(r): r for r in rows if _key(r) not in have}.values())
    states = HiddenStates(model, batch_size=8, max_length=MAX_LENGTH)
    for start in range(0, len(missing), chunk):
        part = missing[start : start + chunk]
        pooled = states.pooled([_record(r) for r in part], layers, POOLS)
        stacked = np.stack([pooled[p].numpy() for p in POOLS], axis=1)  # layers, pools, rows, hidden
        for i, r in enumerate(part):
            have[_key(r)] = stacked[:, :, i].transpose(1, 0, 2).astype(np.float16)
        np.savez(cache.with_name(cache.stem + ".tmp.npz"), **have)
        cache.with_name(cache.stem + ".tmp.npz").replace(cache)
        print(f"read {start + len(part)}/{len(missing)}", file=sys.stderr, flush=True)
    return np.stack([have[_key(r)] for r in rows]).astype(np.float32)


def _standardise(x: np.ndarray, tune: np.ndarray) -> np.ndarray:
    mean, std = x[tune].mean(0), x[tune].std(0) + 1e-6
    return (x - mean) / std


def _sigmoid(margin: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-margin))


def choose(
    x: np.ndarray, rows: list[dict], tune: np.ndarray, fit: np.ndarray, y: np.ndarray, layers: list[int]
) -> tuple[int, int, float, float, str]:
    """(pool, layer index, l2, threshold on P(defect), report) chosen out of fold on the `fit` rows."""
    groups = [r["source"] for r, f in zip(rows, fit, strict=True) if f]
    n_hard, n_clean = int(y[fit].sum()), int((y[fit] == 0).sum())
    best, lines = None, []
    for p in range(x.shape[1]):
        for k in range(x.shape[2]):
            z = _standardise(x[:, p, k], tune)[fit]
            for l2 in L2S:
                oof = _sigmoid(out_of_fold(z, y[fit], groups, l2=l2))
                threshold = pick_threshold(oof, y[fit] == 0, max_clean=MAX_CLEAN)
                caught = int(((oof >= threshold) & (y[fit] == 1)).sum())
                clean = int(((oof >= threshold) & (y[fit] == 0)).sum())
                lines.append(
                    f"{POOLS[p]} layer {layers[k]} l2 {l2}: {caught}/{n_hard} hard, {clean}/{n_clean} clean"
                )
                if best is None or caught > best[0]:
                    best = (caught, p, k, l2, threshold)
    _, p, k, l2, threshold = best
    return p, k, l2, threshold, "\n".join(lines)


def main(model: str, layers: list[int]) -> None:
    rows = load_rows()
    tune = np.array([r["split"] == "tune" for r in rows])
    fit = tune & np.array([r["label"] != "soft" for r in rows])  # soft rows are neither class
    y = np.array([r["label"] == "defect" for r in rows]).astype(int)
    x = cached_states(rows, model, layers)
    p, k, l2, threshold, report = choose(x, rows, tune, fit, y, layers)
    print(report)
    print(f"\nchosen: pool {POOLS[p]}, layer {layers[k]}, l2 {l2}, threshold {threshold:.4f}\n")
    z = _standardise(x[:, p, k], tune)
    w, b = fit_logistic(z[fit], y[fit], l2=l2)
    probe = _sigmoid(z @ w + b) >= threshold
    rules = [not d["keep"] for d in rule_decisions(rows)]
    print("| corpus | half | method | clean rejected | hard recall |\n| --- | --- | --- | ---: | ---: |")
    both = [a or b for a, b in zip(rules, probe, strict=True)]
    for corpus in CORPORA:
        for half in ("tune", "test"):
            idx = [i for i, r in enumerate(rows) if r["corpus"] == corpus and r["split"] == half]
            for name, drop in (("rules", rules), ("probe", probe), ("rules+probe", both)) if idx else ():
                dropped = [bool(drop[i]) for i in idx]
                cells = measure([rows[i] for i in idx], dropped, dropped)
                print(f"| {corpus} | {half} | {name} | {cells['clean rejected']} | {cells['hard recall']} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="qwen2.5-coder-0.5b")
    parser.add_argument("--layers", default="6,12,16,20,24")
    args = parser.parse_args()
    main(args.model, [int(v) for v in args.layers.split(",")])
