"""Abstentions are counted apart: metrics.json `filter.judge_abstained`, report.md, not a drop reason."""

from __future__ import annotations

from s2s1.distill.report import render_report
from s2s1.flows.metrics import collect_metrics
from s2s1.records import Decision, Problem, Reason, Record, Trace
from s2s1.shards import write_models

ABSTAIN = Reason(code="judge_abstain", detail="principle 2 (x): the judge abstained (...); kept")
BROKEN = Reason(code="constitution_1", detail="principle 1 (y): z")


def _record(i: int, *reasons: Reason) -> Record:
    keep = all(r.code == "judge_abstain" for r in reasons)
    return Record(
        problem=Problem(id=f"p{i}", source="t", question="q"),
        trace=Trace(problem_id=f"p{i}", index=0, teacher="m", prompt=[], response="x"),
        decisions={"judge": Decision(filter="judge", keep=keep, reasons=list(reasons))},
    )


def test_abstentions_are_counted_apart_from_keeps_and_drops(tmp_path):
    write_models(tmp_path / "filtered" / "shard-00000.jsonl", [_record(0, ABSTAIN), _record(1)])
    write_models(
        tmp_path / "rejected" / "shard-00000.jsonl", [_record(2, BROKEN, ABSTAIN), _record(3, BROKEN)]
    )
    f = collect_metrics(tmp_path)["filter"]
    assert f == {"kept": 2, "dropped": 2, "dropped_by_reason": {"constitution_1": 2}, "judge_abstained": 2}
    assert "the constitution judge abstained on 2 traces" in render_report({"filter": f})


def test_runs_without_the_judge_have_no_abstain_count(tmp_path):
    plain = _record(0).model_copy(update={"decisions": {"rules": Decision(filter="rules", keep=True)}})
    write_models(tmp_path / "filtered" / "shard-00000.jsonl", [plain])
    assert "judge_abstained" not in collect_metrics(tmp_path)["filter"]
