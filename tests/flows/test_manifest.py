"""The run folder's manifest: what makes a rerun over the same folder refused (flows/manifest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from s2s1.config import Config
from s2s1.errors import UserError
from s2s1.flows.manifest import build_manifest, check_run_folder, ensure_manifest


def test_same_config_is_accepted_and_another_refused(tmp_path: Path) -> None:
    ensure_manifest(tmp_path, build_manifest(Config(), ["a"], ["b"]))
    ensure_manifest(tmp_path, build_manifest(Config(), ["a"], ["b"]))
    other = Config.model_validate({"generate": {"sampling": {"n": 7}}})
    with pytest.raises(UserError, match="different config"):
        ensure_manifest(tmp_path, build_manifest(other, ["a"], ["b"]))
    with pytest.raises(UserError, match="different problems"):
        ensure_manifest(tmp_path, build_manifest(Config(), ["a", "c"], ["b"]))


def test_judge_runs_record_the_constitution_hash_and_refuse_an_edited_one(tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "configs" / "constitution.md").read_text()
    path = tmp_path / "c.md"
    path.write_text(text)
    cfg = Config.model_validate({"filter": {"filters": ["verified", "judge"], "constitution": str(path)}})
    first = ensure_manifest(tmp_path / "run", build_manifest(cfg, ["a"], ["b"]))
    assert first["constitution"]["hash"] and first["constitution"]["principles"] >= 1
    assert "constitution" not in build_manifest(Config(), ["a"], ["b"])
    path.write_text(text.replace("## 1.", "## 1. Strictly:", 1))
    with pytest.raises(UserError, match="different constitution"):
        ensure_manifest(tmp_path / "run", build_manifest(cfg, ["a"], ["b"]))


def test_s2s1_run_over_another_configs_folder_is_one_line_before_prefect_starts(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from s2s1.flows.cli import app

    run_dir = tmp_path / "run"
    ensure_manifest(run_dir, build_manifest(Config(name="first"), ["a"], ["b"]))
    before = (run_dir / "manifest.json").read_bytes()
    check_run_folder(Config(name="first"), run_dir)  # the same config passes
    config = tmp_path / "second.yaml"
    config.write_text("name: second\nproblems: {sources: [{builtin: arithmetic, limit: 4}]}\n")
    result = CliRunner().invoke(app, ["run", str(config), "--out", str(run_dir)])
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        f"error: {run_dir / 'manifest.json'}: this run folder was made with a different config; "
        "pass another --out folder, or delete this one to start over"
    ]
    assert (run_dir / "manifest.json").read_bytes() == before and sorted(run_dir.iterdir()) == [
        run_dir / "manifest.json"
    ]
