"""Run-level provenance: the run folder's `manifest.json` (design §3, §7).

The manifest holds the resolved config, the git sha, package and verifier-plugin versions, the
teacher's id and fingerprints of the problem sets. It is written once when a run folder is
created; a later run over the same folder must use the same config, or it is refused, so one
folder never mixes the outputs of two experiments.

This module does not run any stage.

Example:
    >>> from s2s1.config import Config
    >>> m = build_manifest(Config(), train_ids=["a"], eval_ids=["b"])
    >>> sorted(m)[:3]
    ['config', 'created_at', 'git_sha']
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from s2s1.config import Config
from s2s1.errors import UserError
from s2s1.records import utc_now
from s2s1.shards import write_json

__all__ = ["build_manifest", "ensure_manifest"]

_PACKAGES = ["s2s1", "torch", "transformers", "datasets", "prefect", "sympy", "pydantic"]


def build_manifest(cfg: Config, train_ids: Sequence[str], eval_ids: Sequence[str]) -> dict[str, Any]:
    """Everything needed to say where a run's outputs came from."""
    return {
        "config": cfg.model_dump(mode="json"),
        "created_at": utc_now().isoformat(),
        "git_sha": _git_sha(),
        "packages": {p: _version(p) for p in _PACKAGES},
        "verifier_plugins": _verifier_plugins(),
        "problems": {
            "train": {"count": len(train_ids), "fingerprint": _fingerprint(train_ids)},
            "eval": {"count": len(eval_ids), "fingerprint": _fingerprint(eval_ids)},
        },
    }


def ensure_manifest(run_dir: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Write the manifest of a new run folder, or check an existing one matches the config.

    Raises UserError when the folder was made with another config or other problems.
    """
    path = Path(run_dir) / "manifest.json"
    if not path.exists():
        write_json(path, manifest)
        return manifest
    old = json.loads(path.read_text(encoding="utf-8"))
    for key in ("config", "problems"):
        if old.get(key) != manifest[key]:
            raise UserError(
                f"{path}: this run folder was made with a different {key}; "
                "pass another --out folder, or delete this one to start over"
            )
    return old


def _fingerprint(ids: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(ids).encode()).hexdigest()[:16]


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _verifier_plugins() -> dict[str, str]:
    eps = metadata.entry_points(group="s2s1.verifiers")
    return {ep.name: f"{ep.value} ({ep.dist.name if ep.dist else '?'} {_dist_version(ep)})" for ep in eps}


def _dist_version(ep: metadata.EntryPoint) -> str:
    return ep.dist.version if ep.dist else "?"


def _git_sha() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            cwd=Path(__file__).resolve().parent,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None
