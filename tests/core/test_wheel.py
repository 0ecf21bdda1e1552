"""The built wheel installs next to a package that owns the top-level name `verifiers`.

s2s1 installs only the `s2s1` package (its folders map to `s2s1.verifiers`, `s2s1.flows`, ...),
so another distribution's `verifiers` (Prime Intellect's RL-environment library has that name)
and ours import side by side. The wheel goes into a fresh venv without its dependencies, which
that venv borrows from the test's own environment through a .pth line (whose .pth files, the
editable install among them, Python does not process there).
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[2]

CHECK = """
import importlib.metadata as md, pathlib, sys
import verifiers, s2s1.verifiers, s2s1.flows.cli
from s2s1.verifiers.registry import load_verifiers
assert verifiers.OWNER == "someone else", verifiers.__file__
prefix = pathlib.Path(sys.prefix)
for module in (s2s1.verifiers, s2s1.flows.cli, verifiers):
    assert prefix in pathlib.Path(module.__file__).parents, module.__file__
eps = {ep.name: ep.value for ep in md.entry_points(group="s2s1.verifiers")}
assert eps["math"] == "s2s1.verifiers.math:MathVerifier", eps
print([v.name for v in load_verifiers(["math"])])
"""


def _run(*cmd: str | Path, **kw) -> str:
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=300, **kw)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_wheel_installs_beside_another_top_level_verifiers(tmp_path):
    wheels = tmp_path / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", wheels, ROOT)
    (wheel,) = wheels.glob("s2s1-*.whl")
    tops = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"s2s1"}, tops
    assert "s2s1/py.typed" in zipfile.ZipFile(wheel).namelist()

    other = tmp_path / "other"
    (other / "verifiers").mkdir(parents=True)
    (other / "verifiers" / "__init__.py").write_text('OWNER = "someone else"\n')
    (other / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "verifiers"\nversion = "9.9"\n[tool.setuptools]\npackages = ["verifiers"]\n'
    )
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", wheels, other)

    env_dir = tmp_path / "fresh"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    own_site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").strip())
    (own_site / "borrowed.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "-q",
        "--no-deps",
        "--no-index",
        *wheels.glob("*.whl"),
    )
    out = _run(python, "-c", CHECK, cwd=tmp_path, env={**os.environ, "PYTHONPATH": ""})
    assert out.strip() == "['math']"
