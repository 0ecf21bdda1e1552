"""Entry-point discovery: our own verifier is found like a plugin; bad names and plugins fail loudly."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import EntryPoint

import pytest
from typer.testing import CliRunner

from s2s1.errors import UserError
from s2s1.flows.cli import app
from s2s1.verifiers import installed, load_verifiers
from s2s1.verifiers.math import MathVerifier
from s2s1.verifiers.registry import GROUP


class NotAVerifier:
    name = "notaverifier"


class Misnamed(MathVerifier):
    pass  # name stays "math"


def _fake_group(monkeypatch, **targets: str) -> None:
    eps = [EntryPoint(name, value, GROUP) for name, value in targets.items()]
    monkeypatch.setattr("s2s1.verifiers.registry._entry_points", lambda: eps)


def test_the_math_verifier_comes_from_the_entry_point():
    info = {i.name: i for i in installed()}["math"]
    assert (info.package, info.version, info.domains) == ("s2s1", MathVerifier.version, frozenset({"math"}))
    assert info.entry_point == "s2s1.verifiers.math:MathVerifier"
    assert info.error is None
    [v] = load_verifiers(["math", "math"])
    assert type(v) is MathVerifier


def test_unknown_name_lists_what_is_installed_and_how_to_declare_one():
    with pytest.raises(UserError) as e:
        load_verifiers(["nope"])
    msg = str(e.value)
    assert "unknown verifier 'nope'" in msg
    assert "installed: code, math" in msg
    assert '[project.entry-points."s2s1.verifiers"]' in msg
    assert 'myname = "mypkg.mod:MyVerifier"' in msg


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("no_such_module_s2s1:V", "failed to load: ModuleNotFoundError"),
        ("s2s1.verifiers.math:NoSuchClass", "failed to load: AttributeError"),
        ("test_ver_registry:NotAVerifier", "does not meet the Verifier protocol: no `version`"),
        ("s2s1.verifiers.math:extract_answer", "not a class"),
    ],
)
def test_a_broken_plugin_names_its_entry_point_and_error(monkeypatch, target, expected):
    _fake_group(monkeypatch, broken=target)
    with pytest.raises(UserError) as e:
        load_verifiers(["broken"])
    assert f"verifier 'broken' ({target})" in str(e.value)
    assert expected in str(e.value)
    [info] = installed()
    assert info.name == "broken" and info.version == "?" and expected in (info.error or "")


def test_entry_point_name_must_match_the_class_name(monkeypatch):
    _fake_group(monkeypatch, other="test_ver_registry:Misnamed")
    with pytest.raises(UserError, match="name = 'math'"):
        load_verifiers(["other"])


def test_the_code_verifier_and_the_example_plugin_are_found_like_any_plugin():
    infos = {i.name: i for i in installed()}
    assert infos["code"].entry_point == "s2s1.verifiers.code:CodeVerifier" and infos["code"].package == "s2s1"
    regex = infos["regex"]  # examples/s2s1-regex, installed (editable) by `make test`
    assert (regex.package, regex.entry_point, regex.domains) == (
        "s2s1-regex",
        "s2s1_regex:RegexVerifier",
        {"regex"},
    )
    [v] = load_verifiers(["regex"])
    assert type(v).__module__ == "s2s1_regex"


def test_verifiers_new_scaffolds_a_package_that_passes_its_own_contract_test(tmp_path):
    result = CliRunner().invoke(app, ["verifiers", "new", "units", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    root = tmp_path / "s2s1-units"
    pyproject = (root / "pyproject.toml").read_text()
    assert '[project.entry-points."s2s1.verifiers"]\nunits = "s2s1_units:UnitsVerifier"' in pyproject
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(root / "tests")],
        cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
    again = CliRunner().invoke(app, ["verifiers", "new", "units", "--out", str(tmp_path)])
    assert again.exit_code == 2 and "already exists" in again.output
    bad = CliRunner().invoke(app, ["verifiers", "new", "Bad-Name", "--out", str(tmp_path)])
    assert bad.exit_code == 2 and "lowercase letters" in bad.output
