"""Every public docstring example in `verifiers` runs and gives what it shows."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "verifiers",
    "verifiers.base",
    "verifiers.math",
    "verifiers.math_batch",
    "verifiers.math_compare",
    "verifiers.math_extract",
    "verifiers.math_latex",
    "verifiers.math_number",
    "verifiers.math_parse",
    "verifiers.math_relation",
    "verifiers.pool",
    "verifiers.registry",
    "verifiers.rows",
    "verifiers.testing",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
