"""Every public docstring example in `verifiers` runs and gives what it shows."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "s2s1.verifiers",
    "s2s1.verifiers.base",
    "s2s1.verifiers.math",
    "s2s1.verifiers.math_batch",
    "s2s1.verifiers.math_compare",
    "s2s1.verifiers.math_extract",
    "s2s1.verifiers.math_latex",
    "s2s1.verifiers.math_number",
    "s2s1.verifiers.math_parse",
    "s2s1.verifiers.math_relation",
    "s2s1.verifiers.pool",
    "s2s1.verifiers.registry",
    "s2s1.verifiers.rows",
    "s2s1.verifiers.scaffold",
    "s2s1.verifiers.testing",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
