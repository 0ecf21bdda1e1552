"""Issue 25 case 1: `s2s1 verify` / `s2s1 filter` check `-o` first, write as they go, and resume.

A killed run leaves `OUT.partial` (its finished rows, maybe a torn last line); the same command
again keeps those rows as written and does only the rest.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from s2s1.flows.cli import app

ROWS = [{"id": f"r{i}", "answer": str(i), "prediction": str(i if i % 2 else i + 1)} for i in range(5)]
MARK = {
    "verifier": "math",
    "version": "0",
    "outcome": "correct",
    "score": 1.0,
    "detail": "from the killed run",
}


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def test_an_unwritable_output_is_one_line_exit_2_before_any_work(tmp_path):
    _write(tmp_path / "in.jsonl", ROWS)
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("")
    for out in (tmp_path / "folder", tmp_path / "file" / "out.jsonl"):
        for command in ("verify", "filter"):
            result = CliRunner().invoke(app, [command, str(tmp_path / "in.jsonl"), "-o", str(out)])
            assert result.exit_code == 2, (command, out, result.output)
            assert result.output.count("\n") == 1 and str(tmp_path) in result.output


def test_a_killed_verify_resumes_after_the_rows_it_wrote(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(src, ROWS)
    done = [{**r, "verdict": MARK} for r in ROWS[:3]]
    partial = tmp_path / "out.jsonl.partial"
    partial.write_text("".join(json.dumps(r) + "\n" for r in done) + '{"id": "r3", "ans')  # torn by the kill
    result = CliRunner().invoke(app, ["verify", str(src), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [r["id"] for r in ROWS]
    assert rows[:3] == done  # kept as written, not verified again
    assert [r["verdict"]["outcome"] for r in rows[3:]] == ["correct", "incorrect"]
    assert not partial.exists() and "5 rows" in result.output


def test_a_killed_filter_resumes_and_a_foreign_partial_is_refused(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(src, [{"id": f"r{i}", "completion": "The answer is 4."} for i in range(4)])
    partial = tmp_path / "out.jsonl.partial"
    mark = {"filter": "rules", "keep": False, "reasons": [], "scores": {}}
    _write(partial, [{"id": "r0", "completion": "The answer is 4.", "decision": mark}])
    result = CliRunner().invoke(app, ["filter", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["decision"]["keep"] for r in rows] == [False, True, True, True]
    assert "kept 3, dropped 1" in result.output

    _write(partial, [{"id": "other", "completion": "x", "decision": mark}])
    result = CliRunner().invoke(app, ["filter", str(src), "-o", str(out)])
    assert result.exit_code == 2 and f"{partial}:1: does not match {src}:1" in result.output
