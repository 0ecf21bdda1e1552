"""Train the learned screen on the TUNING half only and write `filters/screen/screen.json` + CARD.md.

Rows: `screen_data.load_rows()` with split "tune", soft rows left out; target 1 for a hard defect,
0 for clean. Features: `s2s1.filters.screen.features` (head and tail embeddings). The L2 strength
is chosen among a few by out-of-fold log loss, folds by source; the Platt calibration is fitted on
the out-of-fold margins; the threshold is the lowest at which at most 0.5% of the tuning half's
clean rows score at or above it (out of fold). The test half is never read here.

    $ .venv/bin/python benchmarks/filters/screen_fit.py

Embeddings are cached in `$TMPDIR/s2s1-screen-features-<views>.npz` (keyed by the text's hash).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from s2s1.filters.screen import HEAD, SCREEN_FILE, TAIL, TOKENS, features
from s2s1.filters.screen_train import fit_logistic, out_of_fold, pick_threshold, platt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screen_data import load_rows  # noqa: E402

__all__ = ["cached_features"]

_TMP = Path(os.environ.get("TMPDIR", tempfile.gettempdir()))
CACHE = _TMP / f"s2s1-screen-features-{HEAD}-{TAIL}-{TOKENS}.npz"
"""Named by the views, so a change of views never reads stale features."""
MAX_CLEAN = 0.005
L2S = (0.0003, 0.001, 0.003, 0.01)


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def cached_features(texts: list[str], chunk: int = 64) -> np.ndarray:
    """`features(texts)`, reusing and extending the on-disk cache (saved every `chunk` texts)."""
    have = dict(np.load(CACHE)) if CACHE.exists() else {}
    missing = [t for t in dict.fromkeys(texts) if _key(t) not in have]
    for start in range(0, len(missing), chunk):
        part = missing[start : start + chunk]
        for t, row in zip(part, features(part), strict=True):
            have[_key(t)] = row.astype(np.float32)
        tmp = CACHE.with_name(CACHE.stem + ".tmp.npz")
        np.savez(tmp, **have)
        tmp.replace(CACHE)
        print(f"embedded {start + len(part)}/{len(missing)}", file=sys.stderr, flush=True)
    return np.stack([have[_key(t)] for t in texts]).astype(np.float64)


def _log_loss(margins: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(1 / (1 + np.exp(-margins)), 1e-9, 1 - 1e-9)
    w = np.where(y == 1, 0.5 / max(y.mean(), 1e-9), 0.5 / max(1 - y.mean(), 1e-9))
    return float(np.mean(-w * (y * np.log(p) + (1 - y) * np.log(1 - p))))


def main() -> None:
    rows = [r for r in load_rows() if r["split"] == "tune" and r["label"] != "soft"]
    y = np.array([1 if r["label"] == "defect" else 0 for r in rows])
    groups = [r["source"] for r in rows]
    x = cached_features([r["text"] for r in rows])
    losses = {l2: _log_loss(out_of_fold(x, y, groups, l2=l2), y) for l2 in L2S}
    l2 = min(losses, key=losses.__getitem__)
    oof = out_of_fold(x, y, groups, l2=l2)
    scale, shift = platt(oof, y)
    calibrated = 1 / (1 + np.exp(-(scale * oof + shift)))
    threshold = pick_threshold(calibrated, y == 0, max_clean=MAX_CLEAN)
    w, b = fit_logistic(x, y, l2=l2)
    flagged = calibrated >= threshold
    card = {
        "model": "logistic regression on all-MiniLM-L6-v2 embeddings "
        "(head 600 + tail 240 characters, 128 tokens each)",
        "trained_on": "tune half of benchmarks/filters (screen_corpus.jsonl, public_corpus.jsonl, "
        "generalise.jsonl, "
        "reference_solutions.jsonl), soft rows left out",
        "rows": len(rows),
        "defects": int(y.sum()),
        "l2": l2,
        "oof_log_loss": {str(k): round(v, 4) for k, v in losses.items()},
        "threshold_rule": f"lowest with at most {MAX_CLEAN:.1%} of tuning clean rows at or above "
        "(out of fold)",
        "oof_clean_flagged": f"{int(flagged[y == 0].sum())}/{int((y == 0).sum())}",
        "oof_defects_flagged": f"{int(flagged[y == 1].sum())}/{int(y.sum())}",
    }
    data = {"weights": [round(float(v), 6) for v in w], "bias": b, "scale": scale, "shift": shift}
    data |= {"threshold": threshold, "card": card}
    SCREEN_FILE.parent.mkdir(parents=True, exist_ok=True)
    tmp = SCREEN_FILE.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    tmp.replace(SCREEN_FILE)
    print(json.dumps(card, indent=1))


if __name__ == "__main__":
    main()
