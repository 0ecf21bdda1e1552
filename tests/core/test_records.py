"""Records: JSON round trips, frozen, unknown fields rejected, derived properties."""

import pytest
from pydantic import ValidationError

from s2s1.records import Decision, Problem, Reason, Record, Sampling, Trace, Verdict


def _record(outcomes=("correct",), keeps=(True,)) -> Record:
    problem = Problem(id="p1", source="t", question="1+1?", answer="2")
    trace = Trace(
        problem_id="p1",
        index=3,
        teacher="m",
        prompt=[{"role": "user", "content": "1+1?"}],
        reasoning="one plus one",
        response="\\boxed{2}",
        sampling=Sampling(n=4),
        seed=7,
    )
    verdicts = {
        f"v{i}": Verdict(verifier=f"v{i}", version="1", outcome=o, score=float(o == "correct"))
        for i, o in enumerate(outcomes)
    }
    decisions = {
        f"f{i}": Decision(filter=f"f{i}", keep=k, reasons=[] if k else [Reason(code="x", span=(0, 1))])
        for i, k in enumerate(keeps)
    }
    return Record(problem=problem, trace=trace, verdicts=verdicts, decisions=decisions)


def test_record_round_trips_through_json():
    r = _record(("correct", "incorrect"), (True, False))
    assert Record.model_validate_json(r.model_dump_json()) == r


def test_records_are_frozen_and_reject_unknown_fields():
    r = _record()
    with pytest.raises(ValidationError):
        r.trace.index = 5
    with pytest.raises(ValidationError, match="extra"):
        Problem(id="p", source="s", question="q", answr="2")


@pytest.mark.parametrize(
    ("outcomes", "correct"),
    [
        (("correct",), True),
        (("correct", "incorrect"), False),
        (("unverifiable",), False),
        (("correct", "unverifiable"), True),
        ((), False),
    ],
)
def test_correct_needs_a_correct_verdict_and_no_incorrect(outcomes, correct):
    assert _record(outcomes).correct is correct


def test_kept_needs_every_filter_to_keep():
    assert _record(keeps=(True, True)).kept
    assert not _record(keeps=(True, False)).kept


def test_completion_restores_the_think_block_and_key_names_the_sample():
    r = _record()
    assert r.trace.completion == "<think>\none plus one\n</think>\n\\boxed{2}"
    assert r.key == "p1#3"


def test_verdict_score_is_bounded():
    with pytest.raises(ValidationError):
        Verdict(verifier="v", version="1", outcome="correct", score=1.5)
