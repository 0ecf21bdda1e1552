"""Issue 25's operator faults that need no Prefect server: each a one-line error or a tidy run folder.

Cases: stale temporaries of killed saves (2), a torn finished traces shard (5), the run-folder lock
and the exclusive manifest (6), config problems found before the run folder exists (8), bytes
that are not UTF-8 (9), OS errors (10), `reverify` as a whole (11), modes that follow the umask (12).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from s2s1.config import Config
from s2s1.errors import UserError
from s2s1.flows.cli import app
from s2s1.shards import atomic_folder, read_models, write_json


def _config(tmp_path: Path, **generate: object) -> Path:
    path = tmp_path / "c.yaml"
    gen = {"backend": "fake", "model": "fake", "shard_size": 4, "sampling": {"n": 2}, **generate}
    problems = {"sources": [{"builtin": "arithmetic", "limit": 8}], "eval_fraction": 0.25}
    path.write_text(yaml.safe_dump({"name": "f", "problems": problems, "generate": gen}))
    return path


def _one_line_exit_2(args: list[str], *expected: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1, result.output
    for text in expected:
        assert text in result.output


def test_temporaries_of_killed_saves_are_removed_by_the_next_run(tmp_path):
    from s2s1.flows.run_folder import tidy

    run = tmp_path / "run"
    left = [
        run / ".dataset.k3_9zq1a",
        run / ".student.abcdefgh",
        run / "traces" / ".shard-00000.jsonl.a1b2c3d4.tmp",
    ]
    for path in left:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir() if path.suffix != ".tmp" else path.write_text("half")
    (run / ".dataset.k3_9zq1a" / "data.parquet").write_text("half")
    keep = [run / ".lock", run / "traces" / "shard-00000.jsonl.partial", run / "manifest.json"]
    for path in keep:
        path.write_text("{}\n")
    tidy(run)
    assert not any(p.exists() for p in left) and all(p.exists() for p in keep)


def test_a_torn_finished_traces_shard_is_named_and_its_samples_drawn_again(tmp_path, capsys):
    from s2s1.flows.generation import generate_all
    from s2s1.flows.run_folder import tidy
    from s2s1.records import Record

    cfg = Config.model_validate(yaml.safe_load(_config(tmp_path).read_text()))
    run = tmp_path / "run"
    generate_all(cfg, run)
    shard = run / "traces" / "shard-00000.jsonl"
    whole = shard.read_text().splitlines()
    shard.write_text("\n".join(whole[:-1]) + "\n" + whole[-1][:40])  # a copy cut off mid-line
    tidy(run)
    assert f"{shard}:{len(whole)}: last line torn" in capsys.readouterr().err
    generate_all(cfg, run)
    again = read_models(shard, Record)
    assert sorted(r.key for r in again) == sorted(Record.model_validate_json(line).key for line in whole)

    verified, filtered = run / "verified" / shard.name, run / "filtered" / shard.name
    for path in (verified, filtered):
        path.parent.mkdir()
        path.write_text(shard.read_text())
    verified.write_text(shard.read_text()[:-10])  # derived shards are redone whole
    tidy(run)
    assert f"{verified}:{len(whole)}: last line torn" in capsys.readouterr().err
    assert not verified.exists() and not filtered.exists() and shard.exists()


def test_a_second_run_on_a_locked_folder_is_refused_naming_the_pid(tmp_path):
    from s2s1.flows.run_folder import lock

    with lock(tmp_path / "run"):
        with pytest.raises(UserError, match=f"another s2s1 run \\(pid {os.getpid()}\\)"):
            with lock(tmp_path / "run"):
                pass
    with lock(tmp_path / "run"):  # released when the first run ends
        pass


def test_the_manifest_is_created_exclusively(tmp_path, monkeypatch):
    from s2s1.flows import manifest

    cfg = Config()
    theirs = manifest.build_manifest(cfg.model_copy(update={"name": "theirs"}), ["a"], ["b"])
    write_json(tmp_path / "manifest.json", theirs)  # the other run wrote it just after our check
    real_exists = Path.exists
    monkeypatch.setattr(Path, "exists", lambda p: p.name != "manifest.json" and real_exists(p))
    with pytest.raises(UserError, match="different config"):
        manifest.ensure_manifest(tmp_path, manifest.build_manifest(cfg, ["a"], ["b"]))
    monkeypatch.undo()
    assert json.loads((tmp_path / "manifest.json").read_text())["config"]["name"] == "theirs"


def test_a_wrong_model_path_or_an_empty_problems_file_fails_before_the_run_folder_exists(tmp_path):
    out = tmp_path / "run"
    _one_line_exit_2(
        ["run", str(_config(tmp_path, model=str(tmp_path / "no-such-model"))), "--out", str(out)],
        "generate.model",
        "no-such-model",
    )
    (tmp_path / "empty.jsonl").write_text("\n")
    cfg = tmp_path / "e.yaml"
    cfg.write_text(yaml.safe_dump({"problems": {"sources": [{"path": "empty.jsonl"}]}}))
    _one_line_exit_2(["run", str(cfg), "--out", str(out)], f"{tmp_path / 'empty.jsonl'}: holds no problems")
    assert not out.exists()


def test_bytes_that_are_not_utf8_name_the_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"name: x\ngenerate:\n  model: caf\xe9\n")
    _one_line_exit_2(["run", str(bad)], f"{bad}:3: not UTF-8")
    problems = tmp_path / "p.jsonl"
    problems.write_bytes(b'{"question": "1+1?", "answer": "2"}\n{"question": "caf\xe9", "answer": "1"}\n')
    cfg = tmp_path / "p.yaml"
    cfg.write_text(yaml.safe_dump({"problems": {"sources": [{"path": "p.jsonl"}]}}))
    _one_line_exit_2(["run", str(cfg), "--out", str(tmp_path / "run")], f"{problems}:2: not UTF-8")
    # flat rows (design §5): the bad row gets an error verdict naming its line, the others go on
    out = tmp_path / "v.jsonl"
    result = CliRunner().invoke(app, ["verify", str(problems), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line)["verdict"] for line in out.read_text().splitlines())
    assert first["outcome"] == "unverifiable" and second["outcome"] == "unverifiable"  # no completion
    assert second["detail"].startswith(f"{problems}:2: not UTF-8 text (byte 0xe9")


def test_an_os_error_is_one_line_naming_the_path(tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("a file where the run folder should be")
    _one_line_exit_2(["run", str(_config(tmp_path)), "--out", str(taken / "run")], str(taken))


def test_a_stopped_reverify_leaves_the_old_results_whole(tmp_path):
    from s2s1.flows.reverify import reverify_run
    from s2s1.records import Problem, Record, Trace
    from s2s1.shards import write_models
    from s2s1.verifiers import load_verifiers

    p = Problem(id="p", source="t", question="1?", answer="1")
    write_models(
        tmp_path / "verified" / "shard-00000.jsonl",
        [
            Record(
                problem=p, trace=Trace(problem_id="p", index=0, teacher="t", prompt=[], response="\\boxed{1}")
            )
        ],
    )
    (tmp_path / "verified" / "shard-00001.jsonl").write_text("{not json\n")
    old = tmp_path / "reverify"
    (old / "verified").mkdir(parents=True)
    (old / "flips.md").write_text("old\n")
    with pytest.raises(UserError, match="shard-00001.jsonl:1"):
        reverify_run(tmp_path, load_verifiers(["math"]), workers=1)
    assert sorted(p.name for p in old.rglob("*")) == ["flips.md", "verified"]
    assert (old / "flips.md").read_text() == "old\n"


def test_outputs_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_json(tmp_path / "m.json", {})
        with atomic_folder(tmp_path / "dataset") as tmp:
            (tmp / "x").write_text("")
        CliRunner().invoke(app, ["filter", str(tmp_path / "m.json"), "-o", str(tmp_path / "f.jsonl")])
    finally:
        os.umask(old)
    modes = {
        p.name: stat.S_IMODE(p.stat().st_mode)
        for p in (tmp_path / "m.json", tmp_path / "dataset", tmp_path / "f.jsonl")
    }
    assert modes == {"m.json": 0o644, "dataset": 0o755, "f.jsonl": 0o644}
