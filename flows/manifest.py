"""Run-level provenance: the run folder's `manifest.json` (design §3, §7).

The manifest holds the resolved config, the git sha, package and verifier-plugin versions, the
teacher's id and fingerprints of the problem sets. It is written once when a run folder is
created (exclusively: of two runs racing on a new folder, one writes it and the other compares
with it); a later run over the same folder must use the same config, or it is refused, so one
folder never mixes the outputs of two experiments. Keys a newer s2s1 added to the config (absent
from the old manifest) are not a difference, so an upgrade can finish an old run.
`prepare_problems` splits the problems, saves both halves and writes or checks the manifest.

This module does not run any stage and does not import Prefect.

Example:
    >>> from s2s1.config import Config
    >>> m = build_manifest(Config(), train_ids=["a"], eval_ids=["b"])
    >>> sorted(m)[:3]
    ['config', 'created_at', 'git_sha']
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from s2s1.config import Config
from s2s1.errors import UserError
from s2s1.problems import held_out_split
from s2s1.records import Problem, utc_now
from s2s1.shards import write_json, write_models

__all__ = ["build_manifest", "check_run_folder", "ensure_manifest", "prepare_problems"]

_PACKAGES = ["s2s1", "torch", "transformers", "datasets", "prefect", "sympy", "pydantic"]


def build_manifest(cfg: Config, train_ids: Sequence[str], eval_ids: Sequence[str]) -> dict[str, Any]:
    """Everything needed to say where a run's outputs came from."""
    return {
        "config": cfg.model_dump(mode="json"),
        "overrides": list(cfg.overrides),  # `--set` items, already applied to config above
        "created_at": utc_now().isoformat(),
        "git_sha": _git_sha(),
        "packages": {p: _version(p) for p in _PACKAGES},
        "verifier_plugins": _verifier_plugins(),
        "problems": {
            "train": {"count": len(train_ids), "fingerprint": _fingerprint(train_ids)},
            "eval": {"count": len(eval_ids), "fingerprint": _fingerprint(eval_ids)},
        },
        **_constitution(cfg),
    }


def _constitution(cfg: Config) -> dict[str, Any]:
    """The judge's constitution (source and hash of its principles), when the judge filter runs."""
    if "judge" not in cfg.filter.filters:
        return {}
    from s2s1.constitution import load_constitution

    c = load_constitution(cfg.filter.constitution)
    return {"constitution": {"source": c.source, "hash": c.hash, "principles": len(c.principles)}}


def ensure_manifest(run_dir: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Write the manifest of a new run folder, or check an existing one matches the config.

    Raises UserError when the folder was made with another config or other problems.
    """
    path = Path(run_dir) / "manifest.json"
    if not path.exists():
        try:
            _create(path, manifest)
            return manifest
        except FileExistsError:  # another process made it first: compare with theirs
            pass
    return _same(path, manifest, ("config", "problems", "constitution"))


def _create(path: Path, manifest: dict[str, Any]) -> None:
    """Write `path` whole, or raise FileExistsError if it exists (a hard link never replaces a file)."""
    tmp = path.with_name(f".{path.name}.{os.getpid():08d}.tmp")
    write_json(tmp, manifest)
    try:
        os.link(tmp, path)
    finally:
        tmp.unlink()


def check_run_folder(cfg: Config, run_dir: Path) -> None:
    """UserError when `run_dir` already holds a run of another config; writes nothing.

    The CLI calls it before the flow starts, so the refusal is one line without Prefect's log;
    the problems are compared when the flow loads them (`prepare_problems`).
    """
    path = Path(run_dir) / "manifest.json"
    if path.exists():
        _same(path, {"config": cfg.model_dump(mode="json"), **_constitution(cfg)}, ("config", "constitution"))


def _same(path: Path, manifest: dict[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    old = json.loads(path.read_text(encoding="utf-8"))
    for key in keys:
        if key in old and _differs(old[key], manifest.get(key)):
            raise UserError(
                f"{path}: this run folder was made with a different {key}; "
                "pass another --out folder, or delete this one to start over"
            )
    return old


def _differs(old: Any, new: Any) -> bool:
    """True when `new` changes a value `old` holds; keys only `new` has (newer fields) are ignored."""
    if isinstance(old, dict) and isinstance(new, dict):
        return any(k not in new or _differs(v, new[k]) for k, v in old.items())
    return bool(old != new)


def prepare_problems(cfg: Config, run_dir: Path) -> tuple[list[Problem], list[Problem]]:
    """Load and split the problems, save both halves, and write or check the manifest.

    Held-out problems whose question repeats a training one are left out of the evaluation and
    listed, with the training problem they match, in `problems/decontamination.json`.
    """
    train, held_out, leaks = held_out_split(cfg.problems)
    ensure_manifest(run_dir, build_manifest(cfg, [p.id for p in train], [p.id for p in held_out]))
    for name, problems in (("train", train), ("eval", held_out)):
        path = run_dir / "problems" / f"{name}.jsonl"
        if not path.exists():
            write_models(path, problems)
    method = "same normalized question, or a shared run of 8 words"
    write_json(run_dir / "problems" / "decontamination.json", {"method": method, "removed": leaks})
    return train, held_out


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
