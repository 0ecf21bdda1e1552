"""Entry-point discovery: our own verifier is found like a plugin; bad names and plugins fail loudly."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from s2s1.errors import UserError
from verifiers import installed, load_verifiers
from verifiers.math import MathVerifier
from verifiers.registry import GROUP


class NotAVerifier:
    name = "notaverifier"


class Misnamed(MathVerifier):
    pass  # name stays "math"


def _fake_group(monkeypatch, **targets: str) -> None:
    eps = [EntryPoint(name, value, GROUP) for name, value in targets.items()]
    monkeypatch.setattr("verifiers.registry._entry_points", lambda: eps)


def test_the_math_verifier_comes_from_the_entry_point():
    info = {i.name: i for i in installed()}["math"]
    assert (info.package, info.version, info.domains) == ("s2s1", "0.1.0", frozenset({"math"}))
    assert info.entry_point == "verifiers.math:MathVerifier"
    assert info.error is None
    [v] = load_verifiers(["math", "math"])
    assert type(v) is MathVerifier


def test_unknown_name_lists_what_is_installed_and_how_to_declare_one():
    with pytest.raises(UserError) as e:
        load_verifiers(["nope"])
    msg = str(e.value)
    assert "unknown verifier 'nope'" in msg
    assert "installed: math" in msg
    assert '[project.entry-points."s2s1.verifiers"]' in msg
    assert 'myname = "mypkg.mod:MyVerifier"' in msg


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("no_such_module_s2s1:V", "failed to load: ModuleNotFoundError"),
        ("verifiers.math:NoSuchClass", "failed to load: AttributeError"),
        ("test_ver_registry:NotAVerifier", "does not meet the Verifier protocol: no `version`"),
        ("verifiers.math:extract_answer", "not a class"),
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
