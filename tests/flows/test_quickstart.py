"""`s2s1 quickstart` end to end on the real embedded teacher (slow: minutes on 2 cores)."""

import json
import subprocess
import sys

import datasets
import pytest


@pytest.mark.slow
def test_quickstart_runs_then_skips_finished_work(tmp_path):
    out = tmp_path / "qs"
    cmd = [sys.executable, "-m", "s2s1.flows", "quickstart", "--out", str(out)]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=2400)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "student" in first.stdout and "accuracy" in first.stdout
    metrics = json.loads((out / "metrics.json").read_text())
    assert set(metrics["evaluate"]) == {"teacher", "student_untrained", "student"}
    rows = datasets.load_dataset("parquet", data_files=f"{out}/dataset/data/*.parquet", split="train")
    assert len(rows) == metrics["filter"]["kept"]
    assert (
        set(rows.features["verdicts"].feature) >= {"verifier", "outcome"} and "n" in rows.features["sampling"]
    )

    report = (out / "report.md").read_text()
    assert "## Filters vs random" in report and "| verified | " in report and "kept − random" in report

    second = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "skipped" in second.stdout and "generate shard-00000.jsonl" in second.stdout


def test_no_ablate_skips_the_ablation_and_says_how_to_run_it(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import s2s1.flows.cli as cli

    ablated = []
    monkeypatch.setattr(cli, "_run_pipeline", lambda cfg, out, stages: None)
    monkeypatch.setattr(cli.cli_ablate, "ablate", lambda out: ablated.append(out))
    out = tmp_path / "qs"
    result = CliRunner().invoke(cli.app, ["quickstart", "--out", str(out), "--no-ablate"])
    assert result.exit_code == 0, result.output
    assert ablated == [] and f"next: s2s1 ablate {out}" in result.output
    assert CliRunner().invoke(cli.app, ["quickstart", "--out", str(out)]).exit_code == 0
    assert ablated == [out]
