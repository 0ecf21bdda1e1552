"""The constitution and its judge: parsing, prompts, verdicts with quotes, scores, the cache."""

from __future__ import annotations

import doctest
import re

import pytest

import s2s1.filters.constitution
import s2s1.filters.judge
from s2s1.errors import UserError
from s2s1.filters.constitution import load_constitution, parse_constitution
from s2s1.filters.judge import JudgeFilter
from s2s1.records import Decision, Problem, Reason, Record, Trace

TWO = """# Mine
## 1. No self-talk
- Forbids: talk about being an AI.
- Does not apply to: code.
- Example: "As an AI, 2."

## 2. No ads
Forbids: advertising.
Does not apply to: names in the problem.
Example: "Buy now!"
"""


class FakeJudgeForTests:
    """A stand-in judge backend: 'Yes' when the reviewed text says 'As an AI' and the principle is 1."""

    teacher = "fake-judge"

    def __init__(self, probabilities: bool = False) -> None:
        self.prompts: list[str] = []
        if probabilities:
            self.yes_probability = lambda problems, prefix="": [
                0.9 if self._yes(p.question) else 0.1 for p in problems
            ]

    @staticmethod
    def _yes(prompt: str) -> bool:
        text = prompt.split("<<<", 1)[1]
        return prompt.startswith("Principle 1:") and "As an AI" in text

    def generate(self, problems, sampling):
        for p in problems:
            self.prompts.append(p.question)
            reply = (
                "Answer: Yes\nQuote: As an AI\nReason: talks about itself."
                if self._yes(p.question)
                else "Answer: No"
            )
            yield Trace(problem_id=p.id, index=0, teacher=self.teacher, prompt=[], response=reply)


def _record(index: int, text: str) -> Record:
    return Record(
        problem=Problem(id="p", source="t", question="q"),
        trace=Trace(problem_id="p", index=index, teacher="m", prompt=[], response=text),
    )


RECORDS = [_record(0, "x = 2, so \\boxed{2}."), _record(1, "Sure. As an AI, I say \\boxed{2}.")]


def test_shipped_constitution_has_numbered_principles_with_all_three_parts():
    c = load_constitution()
    assert [p.number for p in c.principles] == [1, 2, 3, 4, 5]
    assert all(p.forbids and p.exempt and p.example for p in c.principles)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("just prose", "no principles"),
        (
            "## 2. Wrong start\nForbids: a\nDoes not apply to: b\nExample: c",
            r":1: principle numbered 2, expected 1",
        ),
        ("## 1. Half\nForbids: a\nExample: c", r":1: principle 1 has no 'Does not apply to:' line"),
    ],
)
def test_malformed_constitution_names_the_line_and_the_fix(text, message):
    with pytest.raises(UserError, match=message):
        parse_constitution(text, "mine.md")


def test_judge_records_principle_quote_span_and_reason(tmp_path):
    judge = JudgeFilter(parse_constitution(TWO), FakeJudgeForTests(), cache=tmp_path / "c.jsonl")
    clean, bad = judge.decide(RECORDS)
    assert clean.keep and clean.scores == {"principle_1": 0.0, "principle_2": 0.0}
    (reason,) = bad.reasons
    assert not bad.keep and reason.code == "constitution_1"
    assert "principle 1 (No self-talk): talks about itself." in reason.detail
    start, end = reason.span
    assert RECORDS[1].trace.completion[start:end] == "As an AI"
    assert len(judge.generator.prompts) == 4 and "It does not apply to: code." in judge.generator.prompts[0]


def test_probabilities_score_and_only_flagged_pairs_are_explained(tmp_path):
    backend = FakeJudgeForTests(probabilities=True)
    _, bad = JudgeFilter(parse_constitution(TWO), backend, cache=tmp_path / "c.jsonl").decide(RECORDS)
    # calibrated against the content-free text, where this judge says P(Yes) = 0.1
    assert bad.scores == {"principle_1": pytest.approx(0.9878, abs=1e-4), "principle_2": 0.5}
    assert len(backend.prompts) == 1  # one pair crossed the threshold


def test_calibration_stops_a_judge_that_says_yes_to_everything(tmp_path):
    backend = FakeJudgeForTests(probabilities=True)
    backend.yes_probability = lambda problems, prefix="": [0.7] * len(problems)
    decisions = JudgeFilter(parse_constitution(TWO), backend, cache=tmp_path / "c.jsonl").decide(RECORDS)
    assert all(d.keep for d in decisions) and decisions[1].scores == {"principle_1": 0.5, "principle_2": 0.5}


def test_cache_rejudges_only_the_edited_principle(tmp_path):
    cache = tmp_path / "c.jsonl"
    JudgeFilter(parse_constitution(TWO), FakeJudgeForTests(), cache=cache).decide(RECORDS)
    again = FakeJudgeForTests()
    assert JudgeFilter(parse_constitution(TWO), again, cache=cache).decide(RECORDS)[1].reasons
    assert again.prompts == []
    edited = FakeJudgeForTests()
    JudgeFilter(parse_constitution(TWO.replace("advertising.", "ads and spam.")), edited, cache=cache).decide(
        RECORDS
    )
    assert len(edited.prompts) == 2 and all(re.match("Principle 2:", p) for p in edited.prompts)


def test_records_dropped_earlier_are_not_judged(tmp_path):
    dropped = RECORDS[1].model_copy(
        update={
            "decisions": {"rules": Decision(filter="rules", keep=False, reasons=[Reason(code="boilerplate")])}
        }
    )
    backend = FakeJudgeForTests()
    (decision,) = JudgeFilter(parse_constitution(TWO), backend, cache=tmp_path / "c.jsonl").decide([dropped])
    assert decision.keep and backend.prompts == []


@pytest.mark.parametrize("module", [s2s1.filters.constitution, s2s1.filters.judge])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_flat_rows_get_one_decision_from_rules_and_judge(tmp_path):
    from s2s1.filters import filter_rows

    rows = [
        (1, {"id": "a", "completion": "x = 2, so \\boxed{2}."}),
        (2, {"id": "b", "completion": "```python\nprint('As an AI')\n```\nIt prints that."}),  # rules: code
        (3, {"id": "c", "completion": "I'm sorry, but I can't help with that."}),
    ]
    judge = JudgeFilter(parse_constitution(TWO), FakeJudgeForTests(), cache=tmp_path / "c.jsonl")
    out = [r["decision"] for r in filter_rows(rows, path="in.jsonl", judge=judge)]
    assert [d["keep"] for d in out] == [True, False, False]
    assert [r["code"] for r in out[1]["reasons"]] == ["constitution_1"] and out[1]["filter"] == "rules,judge"
    assert [r["code"] for r in out[2]["reasons"]] == ["refusal"] and out[2]["scores"] == {}
