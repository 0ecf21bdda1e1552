"""Export mode `context` through the pipeline: fake teacher, tiny random base, a real adapter.

What a constitution adapter run writes: rows without the constitution, a card with it, an adapter
folder with it, and the judge's pass rate for each evaluated model.
"""

from __future__ import annotations

from pathlib import Path

import datasets
import pytest

from s2s1.config import Config
from s2s1.constitution import load_constitution
from s2s1.distill.adapters import read_adapter

ONE = Path(__file__).parents[2] / "configs" / "constitutions" / "one_sentence.md"
PLAIN = "Put the final answer in \\boxed{}."


def _config(model_dir: Path) -> Config:
    return Config.model_validate(
        {
            "name": "tiny-adapter",
            "problems": {"sources": [{"builtin": "arithmetic", "limit": 12}], "eval_fraction": 0.3},
            "generate": {"backend": "fake", "model": str(model_dir), "shard_size": 8, "sampling": {"n": 2}},
            "verify": {"workers": 1},
            "filter": {"filters": ["verified", "judge"], "constitution": str(ONE)},
            "export": {"mode": "context", "system_prompt": PLAIN},
            "train": {"max_steps": 2, "batch_size": 4},
            "evaluate": {"sampling": {"n": 1, "max_tokens": 6, "temperature": 0.0}},
        }
    )


@pytest.fixture(scope="module")
def context_run(prefect_harness, tiny_model_dir, tmp_path_factory):
    from s2s1.flows.pipeline import pipeline

    run_dir = tmp_path_factory.mktemp("adapter-run")
    metrics = pipeline(_config(tiny_model_dir), run_dir=run_dir)
    return run_dir, metrics


def test_rows_leave_the_constitution_out_and_the_card_keeps_it(context_run):
    run_dir, _ = context_run
    rows = datasets.load_dataset("parquet", data_files=f"{run_dir}/dataset/data/*.parquet", split="train")
    assert len(rows) > 0 and {r["messages"][0]["content"] for r in rows} == {PLAIN}
    card = (run_dir / "dataset" / "README.md").read_text()
    constitution = load_constitution(ONE)
    assert f"Hash `{constitution.hash}`" in card and "Answer in exactly one sentence" in card


def test_the_student_is_an_adapter_saved_with_its_constitution(context_run, tiny_model_dir):
    run_dir, _ = context_run
    folder = run_dir / "student"
    assert (folder / "adapter_model.safetensors").exists() and not (folder / "model.safetensors").exists()
    adapter = read_adapter(folder)
    assert adapter.constitution.hash == load_constitution(ONE).hash
    assert adapter.base == str(tiny_model_dir) and adapter.system_prompt == PLAIN


def test_each_model_is_scored_by_the_constitution_judge(context_run):
    _, metrics = context_run
    for name in ("teacher", "student_untrained", "student"):
        result = metrics["evaluate"][name]
        assert 0.0 <= result["judge_pass_rate"] <= 1.0 and len(result["judge_ci95"]) == 2
        assert set(result["judge_per_problem"]) == set(result["per_problem"])
    # the fake teacher always answers "The answer is $\\boxed{…}$.": one sentence
    assert metrics["evaluate"]["teacher"]["judge_pass_rate"] == 1.0


def test_report_lists_the_judge_pass_rates(context_run):
    run_dir, _ = context_run
    report = (run_dir / "report.md").read_text()
    assert "Constitution judge's pass rate" in report and "- student: " in report
