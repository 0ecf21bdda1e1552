"""`s2s1 verifiers new NAME`: write a verifier plugin package that installs and passes its tests.

The package has a pyproject with the `s2s1.verifiers` entry point, a verifier class that
compares the response with the gold, a README, and a contract test built on
`s2s1.verifiers.testing.check_verifier`; docs/plugins.md starts from it. It writes files only.
"""

from __future__ import annotations

import re
from pathlib import Path

from s2s1.errors import UserError

__all__ = ["new_plugin"]


def new_plugin(name: str, dest: Path) -> Path:
    """Write the package `dest/s2s1-NAME` for a verifier called NAME; returns its folder.

    Example:
        >>> import tempfile
        >>> sorted(p.name for p in new_plugin("units", Path(tempfile.mkdtemp())).iterdir())
        ['README.md', 'pyproject.toml', 's2s1_units', 'tests']
    """
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,30}", name):
        raise UserError(f"verifier name {name!r}: use lowercase letters, digits and _ (e.g. units)")
    root = Path(dest) / f"s2s1-{name.replace('_', '-')}"
    if root.exists():
        raise UserError(f"{root} already exists; pick another name or --out folder")
    cls = "".join(part.capitalize() for part in name.split("_")) + "Verifier"
    for rel, text in _TEMPLATE.items():
        path = root / rel.format(name=name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("NAME", name).replace("CLASS", cls).replace("DIST", root.name))
    return root


_PYPROJECT = """[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "DIST"
version = "0.1.0"
description = "An s2s1 verifier plugin: NAME"
requires-python = ">=3.11"
dependencies = ["s2s1"]

[project.entry-points."s2s1.verifiers"]
NAME = "s2s1_NAME:CLASS"

[tool.setuptools]
packages = ["s2s1_NAME"]
"""

_README = """# DIST

An s2s1 verifier plugin, found by name once installed next to s2s1:

    pip install -e .     # then `s2s1 verifiers list` shows NAME
    pytest tests         # the verifier contract (s2s1.verifiers.testing.check_verifier)

Use it in a config with `verify: {verifiers: [NAME]}` on problems with `domain: NAME`.
"""

_MODULE = '''"""The NAME verifier: the last non-empty line of the response must equal the gold answer.

Replace `verify` with your own check; keep it pure (no network, no state between calls) and let
exceptions propagate (s2s1 records them as `unverifiable`).
"""

from __future__ import annotations

from typing import ClassVar

from s2s1.records import Problem, Trace, Verdict

__all__ = ["CLASS"]


class CLASS:
    name: ClassVar[str] = "NAME"  # must equal the entry-point name in pyproject.toml
    version: ClassVar[str] = "0.1.0"  # bump when verdicts may change
    domains: ClassVar[frozenset[str]] = frozenset({"NAME"})

    def verify(self, problem: Problem, trace: Trace) -> Verdict:
        lines = [line.strip() for line in trace.response.splitlines() if line.strip()]
        extracted = lines[-1] if lines else None
        if problem.answer is None:
            outcome, detail = "unverifiable", "the problem has no gold answer"
        elif extracted is None:
            outcome, detail = "incorrect", "empty response"
        elif extracted == problem.answer.strip():
            outcome, detail = "correct", "matches the gold answer"
        else:
            outcome, detail = "incorrect", "differs from the gold answer"
        return Verdict(
            verifier=self.name,
            version=self.version,
            outcome=outcome,
            score=1.0 if outcome == "correct" else 0.0,
            extracted=extracted,
            detail=detail,
        )
'''

_TEST = '''"""The s2s1 verifier contract, plus what NAME must get right."""

from s2s1_NAME import CLASS

from s2s1.records import Problem, Trace
from s2s1.verifiers.testing import check_verifier


def _case(answer, response, expected):
    problem = Problem(id="p", source="test", domain="NAME", question="?", answer=answer)
    return problem, Trace(problem_id="p", index=0, teacher="test", prompt=[], response=response), expected


def test_contract():
    check_verifier(
        CLASS,
        [
            _case("42", "thinking...\\n42", "correct"),
            _case("42", "thinking...\\n41", "incorrect"),
            _case(None, "42", "unverifiable"),
        ],
    )
'''

_TEMPLATE = {
    "pyproject.toml": _PYPROJECT,
    "README.md": _README,
    "s2s1_{name}/__init__.py": _MODULE,
    "tests/test_s2s1_{name}.py": _TEST,
}
