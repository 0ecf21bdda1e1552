"""Every docstring example of the code verifier, its sandbox and the example plugin runs as shown."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "s2s1.verifiers.code",
    "s2s1.verifiers.code_blocks",
    "s2s1.verifiers.code_solution",
    "s2s1.verifiers.code_function",
    "s2s1.verifiers.code_loaders",
    "s2s1.verifiers.code_runner",
    "s2s1.verifiers.sandbox",
    "s2s1.verifiers.sandbox_limits",
    "s2s1.verifiers.sandbox_harness",
    "s2s1_regex",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0, f"{name} has no docstring example"
    assert result.failed == 0
