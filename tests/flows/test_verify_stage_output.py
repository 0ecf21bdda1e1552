"""The verify stage's output does not depend on how it reads its traces (issue 25).

The stage reads each traces shard with pydantic's JSON parser (`read_models`); before, it read
rows with the json module and validated them. This checks that the verified shard it writes is,
byte for byte (check times aside), what the old reading, `verify` and `write_models` give, for
shards written by the generate stage and for lines written otherwise (keys reordered, fields
missing, a lone surrogate escape only the json module reads, values that are not canonical).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from s2s1.config import Config
from s2s1.flows.shard_tasks import verify_shard_file
from s2s1.records import Problem, Record, Sampling, Trace, Verdict
from s2s1.shards import read_jsonl, write_models
from s2s1.verifiers import load_verifiers, verify

_CONFIG = Config.model_validate(
    {
        "name": "verify-output",
        "problems": {"sources": [{"builtin": "arithmetic", "limit": 4}]},
        "generate": {"backend": "fake", "model": "fake-teacher"},
        "verify": {"workers": 1, "timeout_s": 5},
    }
)


def _records() -> list[Record]:
    math = Problem(
        id="m", source="s", question='2+2? é ≠ 😀 \\ " \u2028', answer="4", metadata={"k": [1, 2.5]}
    )
    code = Problem(id="c", source="s", domain="code", question="f", tests={"asserts": ["assert f() == 1"]})
    old = Verdict(verifier="other", version="1", outcome="correct", score=1.0)
    traces = [
        Trace(problem_id="m", index=0, teacher="t", prompt=[{"role": "user", "content": "q\n\t"}],
              reasoning="2+2", response="\\boxed{4}", logprob=-1.25, strategy={"name": "fixed"}),
        Trace(problem_id="m", index=1, teacher="t", prompt=[], response="5", sampling=Sampling(top_k=20)),
        Trace(problem_id="m", index=2, teacher="t", prompt=[], finish_reason="error", error="boom"),
    ]  # fmt: skip
    out = [Record(problem=math, trace=t) for t in traces]
    out.append(Record(problem=code, trace=Trace(problem_id="c", index=0, teacher="t", prompt=[])))
    out.append(Record(problem=math, trace=traces[0], verdicts={"other": old}))  # verified before
    return out


def _other_lines() -> list[str]:
    """Lines no `write_models` writes, each still a valid record."""
    row = json.loads(_records()[0].model_dump_json())
    reordered = {"trace": row["trace"], "problem": row["problem"]}  # verdicts, decisions missing
    spaced = json.dumps(row, indent=None, separators=(", ", ": "), ensure_ascii=True)
    surrogate = json.dumps(row).replace('"k": [1, 2.5]', '"k": "\\ud800"')
    floats = (
        json.dumps(row)
        .replace('"index": 0', '"index": 3.0')
        .replace('"logprob": -1.25', '"logprob": -125e-2')
    )
    return [json.dumps(reordered), spaced, surrogate, floats, "  "]


def _old_stage(path: Path) -> str:
    """The verified shard as the stage wrote it before: json-module rows, `verify`, `write_models`."""
    records = [Record.model_validate(row) for _, row in read_jsonl(path)]
    done = verify(records, load_verifiers(_CONFIG.verify.verifiers), timeout_s=5, workers=1)
    return "".join(r.model_dump_json() + "\n" for r in done)


def _timeless(text: str) -> str:
    return re.sub(r'"elapsed_s":[0-9.e-]+', '"elapsed_s":0', text)


def test_the_verified_shard_is_what_the_old_reading_gave(tmp_path):
    name = "shard-00000.jsonl"
    traces = tmp_path / "traces" / name
    write_models(traces, _records())
    lines = _other_lines()
    with traces.open("a", encoding="utf-8") as f:
        f.write("\n".join(lines[:2] + lines[3:]) + "\n")  # the surrogate's line is the next test's
    assert verify_shard_file(_CONFIG, tmp_path, name)["records"] == 8
    written = (tmp_path / "verified" / name).read_text(encoding="utf-8")
    assert _timeless(written) == _timeless(_old_stage(traces))
    verdicts = [sorted(json.loads(line)["verdicts"]) for line in written.rstrip("\n").split("\n")]
    assert verdicts[:5] == [["math"], ["math"], ["math"], [], ["math", "other"]]  # code: no verifier


def test_a_line_only_the_json_module_reads_is_verified_as_before(tmp_path):
    name = "shard-00001.jsonl"
    traces = tmp_path / "traces" / name
    traces.parent.mkdir(parents=True)
    line = _other_lines()[2]
    traces.write_text(line + "\n", encoding="utf-8")
    record = Record.model_validate(json.loads(line))
    assert record.problem.metadata == {"k": "\ud800"}  # not writable as UTF-8 JSON, before or now
    try:
        _old_stage(traces)
    except Exception as e:
        old: BaseException | None = e
    else:
        old = None
    try:
        verify_shard_file(_CONFIG, tmp_path, name)
    except Exception as e:
        assert old is not None and type(e) is type(old) and str(e) == str(old)
    else:
        assert old is None
