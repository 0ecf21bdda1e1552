"""Load a YAML config, apply `--set key=value` overrides, validate, resolve relative paths.

Overrides are applied to the parsed YAML before validation, so they are checked exactly like
keys in the file (unknown keys rejected, types enforced); each value is read as a YAML scalar
or flow value (`8`, `0.5`, `true`, `null`, `[a, b]`). The overrides a config was loaded with are
kept in `Config.overrides`, and so land in manifest.json. Errors are one UserError line naming
the file or the `--set` item and the fix. This module does not run anything.

Example:
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "c.yaml"
    >>> _ = path.write_text("name: demo\\n")
    >>> cfg = load_config(path, ["generate.sampling.n=8", "train.epochs=2"])
    >>> cfg.generate.sampling.n, cfg.train.epochs, cfg.overrides
    (8, 2.0, ['generate.sampling.n=8', 'train.epochs=2'])
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

from s2s1.errors import UserError

if TYPE_CHECKING:  # s2s1.config re-exports load_config, so it is imported where it is used
    from s2s1.config import Config

__all__ = ["apply_overrides", "load_config"]


def load_config(path: Path, overrides: Sequence[str] = ()) -> Config:
    """Read and validate a YAML config with `overrides` applied; problems raise one UserError."""
    from s2s1.config import Config

    path = Path(path)
    try:
        raw = path.read_bytes()
        data = yaml.safe_load(raw.decode("utf-8")) or {}
    except OSError as e:
        raise UserError(f"{path}: cannot read config ({e.strerror}); check the path") from None
    except UnicodeDecodeError as e:
        at = raw.count(b"\n", 0, e.start) + 1
        raise UserError(f"{path}:{at}: not UTF-8 text; re-encode the file as UTF-8") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise UserError(f"{path}{line}: not valid YAML ({getattr(e, 'problem', e)})") from None
    if not isinstance(data, dict):
        raise UserError(f"{path}: expected a mapping of sections at the top level")
    if "overrides" in data:
        raise UserError(f"{path}: overrides: set by `--set` on the command line, not in the file")
    data = apply_overrides(data, overrides)
    try:
        cfg = Config.model_validate({**data, "overrides": list(overrides)})
    except ValidationError as e:
        where = _override_for(e, overrides)
        raise UserError(f"{where or path}: {_first_error(e)}") from None
    return _resolve_paths(cfg, path.parent)


def _first_error(e: ValidationError) -> str:
    err = e.errors()[0]
    key = ".".join(str(x) for x in err["loc"]) or "(top level)"
    if err["type"] == "extra_forbidden":
        return f"{key}: unknown key; check its spelling against the documented keys"
    return f"{key}: {err['msg']}"


def _resolve_paths(cfg: Config, base: Path) -> Config:
    """Make problem files and the filter's files (constitution, probe, quality scorer) relative to
    the config file's folder."""
    sources = [
        s.model_copy(update={"path": base / s.path}) if s.path and not s.path.is_absolute() else s
        for s in cfg.problems.sources
    ]
    sources = [  # a local data set file or folder, named relative to the config
        s.model_copy(update={"dataset": str(base / s.dataset)})
        if s.dataset and not Path(s.dataset).is_absolute() and (base / s.dataset).exists()
        else s
        for s in sources
    ]
    problems = cfg.problems.model_copy(update={"sources": sources})
    folders = {  # the filter's files
        key: base / value
        for key in ("constitution", "probe", "quality_scorer")
        if (value := getattr(cfg.filter, key)) is not None and not value.is_absolute()
    }
    return cfg.model_copy(update={"problems": problems, "filter": cfg.filter.model_copy(update=folders)})


def apply_overrides(data: dict[str, Any], overrides: Sequence[str]) -> dict[str, Any]:
    """A copy of `data` with each `dotted.key=value` set (missing sections are created).

    Example:
        >>> apply_overrides({"train": {"epochs": 1}}, ["train.epochs=3", "name=x"])
        {'train': {'epochs': 3}, 'name': 'x'}
    """
    out = _copy(data)
    for item in overrides:
        key, sep, text = item.partition("=")
        parts = key.strip().split(".")
        if not sep or not all(parts):
            raise UserError(f"--set {item!r}: expected KEY=VALUE with a dotted key, e.g. train.epochs=2")
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError:
            raise UserError(f"--set {item!r}: the value is not valid YAML; quote it") from None
        node = out
        for i, part in enumerate(parts[:-1]):
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise UserError(f"--set {item!r}: {'.'.join(parts[: i + 1])} is not a section")
        node[parts[-1]] = value
    return out


def _copy(data: Any) -> Any:
    return {k: _copy(v) for k, v in data.items()} if isinstance(data, dict) else data


def _override_for(e: ValidationError, overrides: Sequence[str]) -> str | None:
    """`--set ITEM` when the first validation error is under a key an override set."""
    loc = ".".join(str(x) for x in e.errors()[0]["loc"])
    for item in overrides:
        key = item.partition("=")[0].strip()
        if loc == key or loc.startswith(key + ".") or key.startswith(loc + "."):
            return f"--set {item}"
    return None
