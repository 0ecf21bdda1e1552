"""The whole pipeline through Prefect, on the fake teacher and a tiny random student.

This checks the wiring, the run-folder layout of design §7, provenance in the dataset, and that
a rerun skips finished shards; the stages' own behaviour is tested in their packages.
"""

import json
from pathlib import Path

import datasets
import pytest

from s2s1.config import Config
from s2s1.errors import UserError
from s2s1.records import Problem, Record
from s2s1.shards import read_jsonl, read_models


def _config(model_dir: Path) -> Config:
    return Config.model_validate(
        {
            "name": "tiny",
            "problems": {"sources": [{"builtin": "arithmetic", "limit": 12}], "eval_fraction": 0.3},
            "generate": {
                "backend": "fake",
                "model": str(model_dir),
                "shard_size": 4,
                "sampling": {"n": 4, "max_tokens": 16},
            },
            "verify": {"workers": 1},
            "train": {"max_steps": 2, "batch_size": 4},
            "evaluate": {"sampling": {"n": 1, "max_tokens": 8}},
        }
    )


@pytest.fixture(scope="module")
def finished_run(prefect_harness, tiny_model_dir, tmp_path_factory):
    from s2s1.flows.pipeline import pipeline

    run_dir = tmp_path_factory.mktemp("run")
    metrics = pipeline(_config(tiny_model_dir), run_dir=run_dir)
    return run_dir, metrics


def test_run_folder_has_every_stage(finished_run):
    run_dir, _ = finished_run
    for folder in ("traces", "verified", "filtered", "rejected"):
        assert sorted(p.name for p in (run_dir / folder).glob("shard-*.jsonl")), folder
    for path in (
        "manifest.json",
        "metrics.json",
        "report.md",
        "dataset/README.md",
        "student/config.json",
        "eval/teacher.json",
        "eval/student.json",
        "eval/student_untrained.json",
    ):
        assert (run_dir / path).exists(), path
    assert list((run_dir / "plots").glob("*.png"))


def test_metrics_follow_the_design_layout(finished_run):
    run_dir, metrics = finished_run
    on_disk = json.loads((run_dir / "metrics.json").read_text())
    assert on_disk["generate"]["traces"] == metrics["generate"]["traces"] > 0
    assert on_disk["filter"]["kept"] + on_disk["filter"]["dropped"] == on_disk["generate"]["traces"]
    assert on_disk["filter"]["dropped_by_reason"]
    g = on_disk["generate"]
    assert g["tokens_per_s"] > 0 and g["traces_per_s"] > 0 and g["by_strategy"] == {"fixed": g["traces"]}
    assert "tokens/s" in (run_dir / "report.md").read_text()
    for name in ("teacher", "student_untrained", "student"):
        e = on_disk["evaluate"][name]
        assert 0 <= e["ci95"][0] <= e["accuracy"] <= e["ci95"][1] <= 1
        assert e["tokens_per_answer"] > 0


def test_per_problem_pass_rates_are_saved(finished_run):
    run_dir, metrics = finished_run
    rates = [row for _, row in read_jsonl(run_dir / "difficulty.jsonl")]
    assert len(rates) == metrics["generate"]["problems"]
    assert sum(r["correct"] for r in rates) == metrics["verify"]["correct"]
    assert all(r["pass_rate"] == round(r["correct"] / r["samples"], 4) for r in rates)


def test_a_config_key_added_by_a_newer_version_does_not_refuse_an_old_folder(finished_run, tiny_model_dir):
    from s2s1.flows.pipeline import pipeline

    run_dir, _ = finished_run
    manifest = json.loads((run_dir / "manifest.json").read_text())
    old = json.loads(json.dumps(manifest))
    del old["config"]["generate"]["strategy"]  # as a folder written before `strategy` existed
    (run_dir / "manifest.json").write_text(json.dumps(old))
    try:
        pipeline(_config(tiny_model_dir), run_dir=run_dir)
    finally:
        (run_dir / "manifest.json").write_text(json.dumps(manifest))


def test_fake_teacher_is_judged_by_the_real_verifier(finished_run):
    run_dir, _ = finished_run
    verified = [r for p in sorted((run_dir / "verified").glob("*.jsonl")) for r in read_models(p, Record)]
    outcomes = {r.verdicts["math"].outcome for r in verified}
    assert {"correct", "incorrect"} <= outcomes


def test_dataset_rows_carry_provenance(finished_run):
    run_dir, metrics = finished_run
    ds = datasets.load_dataset("parquet", data_files=f"{run_dir}/dataset/data/*.parquet", split="train")
    assert len(ds) == metrics["filter"]["kept"] > 0
    for row in ds:
        assert [m["role"] for m in row["messages"]] == ["system", "user", "assistant"]
        assert row["teacher"] and row["source"] == "arithmetic" and row["created_at"]
        assert {v["verifier"]: v["outcome"] for v in row["verdicts"]}["math"] == "correct"  # typed, not JSON


def test_rerun_skips_finished_work(finished_run, tiny_model_dir):
    from s2s1.flows.pipeline import pipeline

    run_dir, _ = finished_run
    before = {p: p.stat().st_mtime_ns for p in run_dir.rglob("shard-*.jsonl")}
    timings = json.loads((run_dir / "timings.json").read_text())
    metrics = pipeline(_config(tiny_model_dir), run_dir=run_dir)
    assert {p: p.stat().st_mtime_ns for p in run_dir.rglob("shard-*.jsonl")} == before
    assert metrics["timings_s"]["train"] >= timings["train"] > 0  # summed over reruns, not replaced
    assert "generate shard-00000.jsonl" in metrics["skipped"]
    assert "evaluate student" in metrics["skipped"]


def test_a_lost_shard_is_redone_alone(finished_run, tiny_model_dir):
    from s2s1.flows.pipeline import pipeline

    run_dir, _ = finished_run
    lost = run_dir / "verified" / "shard-00001.jsonl"
    kept = run_dir / "verified" / "shard-00000.jsonl"
    mtime = kept.stat().st_mtime_ns
    lost.unlink()
    pipeline(_config(tiny_model_dir), run_dir=run_dir, stages=["verify"])
    assert lost.exists() and kept.stat().st_mtime_ns == mtime


def test_other_config_over_the_same_folder_is_refused(finished_run, tiny_model_dir):
    from s2s1.flows.pipeline import pipeline

    run_dir, _ = finished_run
    other = _config(tiny_model_dir).model_copy(update={"name": "other"})
    with pytest.raises(UserError, match="different config"):
        pipeline(other, run_dir=run_dir)


def test_unknown_stage_is_refused(prefect_harness, tiny_model_dir, tmp_path):
    from s2s1.flows.pipeline import pipeline

    with pytest.raises(UserError, match="unknown stage"):
        pipeline(_config(tiny_model_dir), run_dir=tmp_path, stages=["generat"])


def test_held_out_problems_are_decontaminated_against_training(finished_run):
    run_dir, metrics = finished_run
    train = {p.question for p in read_models(run_dir / "problems" / "train.jsonl", Problem)}
    held_out = read_models(run_dir / "problems" / "eval.jsonl", Problem)
    assert held_out and not any(p.question in train for p in held_out)
    assert "removed" in metrics["decontamination"] and metrics["decontamination"]["method"]


def test_student_is_compared_problem_by_problem(finished_run):
    _, metrics = finished_run
    for name in ("student - student_untrained", "student - teacher"):
        c = metrics["comparisons"][name]
        assert c["ci95"][0] <= c["accuracy_difference"] <= c["ci95"][1]
