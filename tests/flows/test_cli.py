"""The CLI: user errors are one line with exit code 2; flat-row tools; verifier listing."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from s2s1.flows.cli import app

runner = CliRunner()


def _s2s1(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "s2s1.flows", *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("generate:\n  sampling:\n    temprature: 1\n", "generate.sampling.temprature: unknown key"),
        ("verify:\n  verifiers: [nope]\n", "nope"),
        ("problems:\n  sources:\n    - path: missing.jsonl\n", "missing.jsonl: cannot read"),
    ],
)
def test_bad_config_is_one_line_exit_2(tmp_path, yaml_text, expected):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text(yaml_text)
    result = _s2s1("run", str(cfg), "--out", str(tmp_path / "run"), "--stages", "verify")
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_json_line_in_problems_names_the_line(tmp_path):
    (tmp_path / "p.jsonl").write_text('{"question": "1+1?", "answer": "2"}\n{oops\n')
    cfg = tmp_path / "c.yaml"
    cfg.write_text("problems:\n  sources:\n    - path: p.jsonl\n")
    result = _s2s1("run", str(cfg), "--out", str(tmp_path / "run"))
    assert result.returncode == 2
    assert "p.jsonl:2: not valid JSON" in result.stderr
    assert not (tmp_path / "run").exists()


def test_verifiers_list_shows_the_builtin_verifiers():
    result = runner.invoke(app, ["verifiers", "list"])
    assert result.exit_code == 0
    rows = {line.split()[0]: line.split() for line in result.output.splitlines() if line.strip()}
    assert rows["math"][1] == "s2s1" and rows["math"][-1] == "math"
    assert rows["code"][1] == "s2s1" and rows["code"][-1] == "code"


def test_verify_flat_rows(tmp_path):
    rows = [
        {"id": "a", "question": "1+1?", "answer": "2", "completion": "<think>1+1</think> \\boxed{2}"},
        {"id": "b", "question": "1+2?", "answer": "3", "prediction": "4"},
        {"id": "c", "question": "no completion", "answer": "3"},
    ]
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = runner.invoke(app, ["verify", str(src), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    got = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in got] == ["a", "b", "c"]
    assert [r["verdict"]["outcome"] for r in got] == ["correct", "incorrect", "unverifiable"]
    assert "in.jsonl:3" in got[2]["verdict"]["detail"]


def test_filter_flat_rows(tmp_path):
    rows = [
        {"id": "a", "question": "q", "answer": "2", "completion": "<think>ok</think> So \\boxed{2}."},
        {
            "id": "b",
            "question": "q",
            "answer": "2",
            "completion": "As an AI language model, I cannot do maths. \\boxed{2}",
        },
    ]
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = runner.invoke(app, ["filter", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    got = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["decision"]["keep"] for r in got] == [True, False]
    assert "boilerplate" in [reason["code"] for reason in got[1]["decision"]["reasons"]]


def test_verify_on_a_missing_file_is_exit_2(tmp_path):
    result = _s2s1("verify", str(tmp_path / "none.jsonl"), "-o", str(tmp_path / "o.jsonl"))
    assert result.returncode == 2
    assert "none.jsonl: cannot read" in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["adapters", "train", "missing.md"], "missing.md: no such constitution file"),
        (["adapters", "compare", "."], "not a constitution adapter"),
    ],
)
def test_adapter_commands_refuse_bad_input_in_one_line(args, expected):
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and expected in result.output and "Traceback" not in result.output


def test_verify_picks_verifiers_by_domain_and_a_slow_candidate_is_incorrect(tmp_path):
    """No --verifier: maths rows go to `math`, code rows to `code`; a candidate that runs past the
    per-test limit is `incorrect` (time limit exceeded), not killed by an outer limit."""
    solution = (
        "class Solution:\n    def twoSum(self, a, t):\n        return [0, 1] if a[0] + a[1] == t else []\n"
    )
    asserts = {
        "style": "function",
        "entry_point": "twoSum",
        "asserts": ["assert Solution().twoSum([2, 7], 9) == [0, 1]"],
    }
    loop = {"style": "stdio", "cases": [{"input": "", "output": "1\n"}]}
    rows = [
        {"id": "m", "answer": "1/2", "prediction": "\\frac{1}{2}"},
        {"id": "c", "domain": "code", "question": "two sum", "tests": asserts, "prediction": solution},
        {
            "id": "w",
            "domain": "code",
            "question": "two sum",
            "tests": asserts,
            "prediction": solution.replace("[0, 1]", "[1, 0]"),
        },
        {
            "id": "t",
            "domain": "code",
            "question": "print 1",
            "tests": loop,
            "prediction": "while True:\n    pass",
        },
    ]
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = runner.invoke(app, ["verify", str(src), "-o", str(out), "--workers", "2"])
    assert result.exit_code == 0, result.output
    got = {r["id"]: r["verdict"] for r in map(json.loads, out.read_text().splitlines())}
    assert {k: (v["verifier"], v["outcome"]) for k, v in got.items()} == {
        "m": ("math", "correct"),
        "c": ("code", "correct"),
        "w": ("code", "incorrect"),
        "t": ("code", "incorrect"),
    }, got
    assert "time limit exceeded" in got["t"]["detail"]


def test_verify_names_the_installed_verifiers_when_none_handles_the_rows(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps({"domain": "chess", "answer": "e4", "prediction": "e4"}) + "\n")
    result = runner.invoke(app, ["verify", str(src), "-o", str(out)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "domain(s) chess" in result.output
    assert "math (math)" in result.output and "code (code)" in result.output
    assert not out.exists()
