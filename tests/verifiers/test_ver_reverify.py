"""`s2s1 reverify`: re-score a run's stored traces with newer verifiers, originals untouched."""

from __future__ import annotations

import hashlib
import json

from scripted_verifier import Scripted, ScriptedV2
from typer.testing import CliRunner

from s2s1.flows.cli import app
from s2s1.flows.reverify import reverify_run
from s2s1.records import Problem, Record, Trace
from s2s1.shards import write_models
from s2s1.verifiers import verify


def _run_folder(tmp_path, responses, domain="toy"):
    records = []
    for i, response in enumerate(responses):
        problem = Problem(id=f"p{i}", source="t", domain=domain, question="?", answer="1")
        trace = Trace(problem_id=problem.id, index=0, teacher="t", prompt=[], response=response)
        records.append(Record(problem=problem, trace=trace))
    verified = list(verify(records, [Scripted()], workers=1))  # as the run verified them, with v1
    write_models(tmp_path / "verified" / "shard-00000.jsonl", verified[:2])
    write_models(tmp_path / "verified" / "shard-00001.jsonl", verified[2:])
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (tmp_path / "verified").iterdir()}


def test_a_version_bump_reports_its_flips_and_leaves_the_originals_byte_identical(tmp_path):
    digests = _run_folder(tmp_path, ["1", " 1", "2", "1 "])
    result = reverify_run(tmp_path, [ScriptedV2()], workers=1)
    assert result["records"] == 4 and result["flipped"] == 2
    (row,) = result["flips"]
    assert (row["verifier"], row["old_version"], row["new_version"]) == ("scripted", "1", "2")
    assert (row["old_outcome"], row["new_outcome"], row["count"]) == ("incorrect", "correct", 2)
    assert [e["problem_id"] for e in row["examples"]] == ["p1", "p3"]
    assert result["by_verifier"]["before"] == {"scripted 1": {"correct": 1, "incorrect": 3}}
    assert result["by_verifier"]["after"] == {"scripted 2": {"correct": 3, "incorrect": 1}}
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in digests} == digests
    rescored = [json.loads(line) for line in (tmp_path / "reverify/verified/shard-00001.jsonl").open()]
    assert [r["verdicts"]["scripted"]["version"] for r in rescored] == ["2", "2"]
    assert "incorrect → correct | 2" in (tmp_path / "reverify" / "flips.md").read_text()


def test_the_cli_reverifies_with_the_installed_math_verifier(tmp_path):
    _run_folder(tmp_path, ["\\boxed{1}"], domain="math")
    result = CliRunner().invoke(app, ["reverify", str(tmp_path), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "1 records re-scored" in result.output and "0 flipped" in result.output  # math is new: no flip
    flips = json.loads((tmp_path / "reverify" / "flips.json").read_text())
    assert flips["by_verifier"]["after"]["scripted 1"] == {"incorrect": 1}  # kept beside the new verdict
    assert [c for k, c in flips["by_verifier"]["after"].items() if k.startswith("math ")] == [{"correct": 1}]


def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(app, ["reverify", str(tmp_path / "nope")])
    empty = runner.invoke(app, ["reverify", str(tmp_path)])
    _run_folder(tmp_path, ["1"])
    unknown = runner.invoke(app, ["reverify", str(tmp_path), "--verifier", "no-such-verifier"])
    nobody = runner.invoke(app, ["reverify", str(tmp_path)])  # domain 'toy': no installed verifier
    for result, text in (
        (missing, "no such run folder"),
        (empty, "no verified shards"),
        (unknown, "no-such"),
        (nobody, "no installed verifier handles domain(s) toy"),
    ):
        assert result.exit_code == 2 and text in result.output, result.output
        assert result.output.strip().count("\n") == 0
    assert not (tmp_path / "reverify").exists()


def test_metrics_and_the_report_count_verdicts_per_verifier(tmp_path):
    from s2s1.distill.report import render_report
    from s2s1.flows.metrics import collect_metrics

    _run_folder(tmp_path, ["1", " 1", "2"])
    metrics = collect_metrics(tmp_path)
    assert metrics["verify"]["by_verifier"] == {"scripted 1": {"correct": 1, "incorrect": 2}}
    assert "| scripted 1 | 1 | 2 | 0 |" in render_report(metrics)
