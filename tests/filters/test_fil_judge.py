"""The constitution and its judge: parsing, prompts, verdicts with quotes, scores, the cache."""

from __future__ import annotations

import doctest
import re

import pytest

import s2s1.constitution
import s2s1.filters.judge
from s2s1.config import JudgeConfig
from s2s1.constitution import load_constitution, parse_constitution
from s2s1.errors import UserError
from s2s1.filters.judge import JudgeFilter
from s2s1.generators.backend import Completion
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
    """A stand-in judge engine that answers the question asked ("Does the text follow principle
    N?"): No when the reviewed text says 'As an AI' and the principle is 1, else Yes. With
    `probabilities`, it gives the answer token's top tokens (`answer_tokens`, as the real engines
    do); without, it writes whole replies that the judge must parse."""

    teacher = "fake-judge"

    def __init__(self, probabilities: bool = True, p_break: float = 0.9, p_keep: float = 0.1) -> None:
        self.prompts: list[str] = []  # the judge prompts of every model call (not the baselines)
        self.requests: list = []
        self.p = (p_break, p_keep)
        if probabilities:
            self.answer_tokens = self._tokens

    @staticmethod
    def _yes(prompt: str) -> bool:
        text = prompt.split("<<<", 1)[1]
        return prompt.startswith("Principle 1:") and "As an AI" in text

    def _note(self, r) -> None:
        self.requests.append(r)
        if "<<<\nN/A\n>>>" not in r.messages[-1]["content"]:
            self.prompts.append(r.messages[-1]["content"])

    def _tokens(self, requests):
        for r in requests:
            self._note(r)
            prompt = r.messages[-1]["content"]
            content_free = "<<<\nN/A\n>>>" in prompt
            p_break, p_keep = self.p if self._yes(prompt) else (0.3, 0.7) if content_free else (0.1, 0.9)
            yield [(" Yes", p_keep), (" No", p_break)]

    def complete(self, requests, sampling):
        for r in requests:
            self._note(r)
            if r.prefix.endswith("Quote:"):
                text = " As an AI\nReason: talks about itself."
            elif self._yes(r.messages[-1]["content"]):
                text = "Answer: No\nQuote: As an AI\nReason: talks about itself."
            else:
                text = "Answer: Yes\nQuote: none\nReason: fine."
            yield Completion(r, text=text)


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
    assert clean.keep and clean.reasons == []
    (reason,) = [r for r in bad.reasons if r.code != "judge_abstain"]
    assert not bad.keep and reason.code == "constitution_1"
    assert "principle 1 (No self-talk): talks about itself." in reason.detail
    start, end = reason.span
    assert RECORDS[1].trace.completion[start:end] == "As an AI"
    assert "It does not apply to: code." in judge.generator.prompts[0]
    assert "Does the text follow principle 1?" in judge.generator.prompts[0]
    # four verdicts read at the forced `Answer:`, then one explanation asked after `Answer: No`
    prefixes = [
        r.prefix for r in judge.generator.requests if "<<<\nN/A\n>>>" not in r.messages[-1]["content"]
    ]
    assert prefixes == ["Answer:"] * 4 + ["Answer: No\nQuote:"]


def test_scores_are_calibrated_against_the_content_free_text(tmp_path):
    backend = FakeJudgeForTests(p_break=0.9, p_keep=0.1)
    clean, bad = JudgeFilter(parse_constitution(TWO), backend, cache=tmp_path / "c.jsonl").decide(RECORDS)
    # the baseline ("N/A") gets P(breaks) = P(No) share 0.3:
    # odds 9 / (3/7) = 21 -> 0.9545; 1/9 / (3/7) -> 0.2059
    assert bad.scores == {"principle_1": 0.9545, "principle_2": 0.2059}
    assert clean.scores == {"principle_1": 0.2059, "principle_2": 0.2059} and clean.keep


def test_a_judge_that_says_yes_to_everything_abstains_and_drops_nothing(tmp_path):
    backend = FakeJudgeForTests()
    backend.answer_tokens = lambda requests: [[(" Yes", 0.7), (" No", 0.3)] for _ in requests]
    decisions = JudgeFilter(parse_constitution(TWO), backend, cache=tmp_path / "c.jsonl").decide(RECORDS)
    assert all(d.keep for d in decisions) and decisions[1].scores == {"principle_1": 0.5, "principle_2": 0.5}
    codes = [r.code for r in decisions[1].reasons]
    assert codes == ["judge_abstain", "judge_abstain"]
    assert "within 0.05 of the threshold 0.5" in decisions[1].reasons[0].detail


def test_a_judge_that_answers_neither_yes_nor_no_abstains(tmp_path):
    backend = FakeJudgeForTests()
    backend.answer_tokens = lambda requests: [
        [(" Maybe", 0.9), (" Yes", 0.06), (" No", 0.04)] for _ in requests
    ]
    decision = JudgeFilter(parse_constitution(TWO), backend, cache=tmp_path / "c.jsonl").decide(RECORDS)[1]
    assert decision.keep and [r.code for r in decision.reasons] == ["judge_abstain"] * 2
    assert "neither Yes nor No (P(Yes) + P(No) = 0.10 < 0.2)" in decision.reasons[0].detail


def test_without_probabilities_only_an_anchored_answer_line_counts(tmp_path):
    backend = FakeJudgeForTests(probabilities=False)
    judge = JudgeFilter(parse_constitution(TWO), backend, cache=tmp_path / "c.jsonl")
    clean, bad = judge.decide(RECORDS)
    assert clean.keep and clean.reasons == [] and clean.scores == {"principle_1": 0.0, "principle_2": 0.0}
    assert [r.code for r in bad.reasons] == ["constitution_1"] and bad.reasons[0].span is not None
    assert all(r.prefix == "" for r in backend.requests)  # the reply is the model's own, not forced
    sloppy = FakeJudgeForTests(probabilities=False)
    sloppy.complete = lambda reqs, s: [Completion(r, text="Yes, the answer is no problem.") for r in reqs]
    decision = JudgeFilter(parse_constitution(TWO), sloppy, cache=tmp_path / "d.jsonl").decide(RECORDS)[1]
    assert decision.keep and [r.code for r in decision.reasons] == ["judge_abstain"] * 2
    assert "no single anchored 'Answer: Yes|No' line" in decision.reasons[0].detail


def test_cache_rejudges_only_the_edited_principle_and_no_setting_change(tmp_path):
    cache = tmp_path / "c.jsonl"
    JudgeFilter(parse_constitution(TWO), FakeJudgeForTests(), cache=cache).decide(RECORDS)
    again = FakeJudgeForTests()
    assert JudgeFilter(parse_constitution(TWO), again, cache=cache).decide(RECORDS)[1].reasons
    assert again.requests == []
    strict = FakeJudgeForTests()
    config = JudgeConfig(threshold=0.99, abstain_margin=0.0)
    decision = JudgeFilter(parse_constitution(TWO), strict, cache=cache, config=config).decide(RECORDS)[1]
    assert decision.keep and strict.requests == []  # a new threshold re-reads the cached measurements
    edited = FakeJudgeForTests()
    JudgeFilter(parse_constitution(TWO.replace("advertising.", "ads and spam.")), edited, cache=cache).decide(
        RECORDS
    )
    assert len(edited.prompts) == 2 and all(re.match("Principle 2:", p) for p in edited.prompts)


class FakeLeaningJudgeModelForTests:
    """A stand-in for what SmolLM2-135M and Qwen2.5-Coder-0.5B were measured to do (benchmarks/judge):
    it does not read the question; it leans Yes for ordinary text, less for the content-free "N/A",
    and No for text that talks about itself as an AI, whatever it is asked."""

    teacher = "fake-leaning-judge"

    def answer_tokens(self, requests):
        for r in requests:
            text = r.messages[-1]["content"].split("<<<", 1)[1]
            p_yes = 0.1 if "As an AI" in text else 0.6 if text.startswith("\nN/A\n>>>") else 0.8
            yield [(" Yes", p_yes), (" No", 1 - p_yes)]

    def complete(self, requests, sampling):  # the flagged pair's quote and reason
        return [Completion(r, text=" As an AI\nReason: talks about itself.") for r in requests]


def test_a_judge_that_leans_on_the_text_not_the_question_is_not_inverted(tmp_path):
    # Asked "does the text break principle 1?", this leaning flagged the clean trace and kept the
    # self-talk (the inversion measured on both small models); asked whether it follows, not.
    judge = JudgeFilter(parse_constitution(TWO), FakeLeaningJudgeModelForTests(), cache=tmp_path / "c.jsonl")
    clean, bad = judge.decide(RECORDS)
    assert clean.keep and [r.code for r in clean.reasons] == []
    # (it flags principle 2 as well: it does not read the question, only the text)
    assert not bad.keep and [r.code for r in bad.reasons] == ["constitution_1", "constitution_2"]


def test_a_reworded_judge_prompt_is_judged_again(tmp_path, monkeypatch):
    cache = tmp_path / "c.jsonl"
    JudgeFilter(parse_constitution(TWO), FakeJudgeForTests(), cache=cache).decide(RECORDS)
    reworded = s2s1.filters.judge.judge_prompt
    monkeypatch.setattr(s2s1.filters.judge, "judge_prompt", lambda *a, **k: reworded(*a, **k) + "\nBe brief.")
    again = FakeJudgeForTests()
    JudgeFilter(parse_constitution(TWO), again, cache=cache).decide(RECORDS)
    assert len(again.prompts) == 5 and all(p.endswith("Be brief.") for p in again.prompts)  # 4 + 1 quote


def test_records_dropped_earlier_are_not_judged(tmp_path):
    dropped = RECORDS[1].model_copy(
        update={
            "decisions": {"rules": Decision(filter="rules", keep=False, reasons=[Reason(code="boilerplate")])}
        }
    )
    backend = FakeJudgeForTests()
    (decision,) = JudgeFilter(parse_constitution(TWO), backend, cache=tmp_path / "c.jsonl").decide([dropped])
    assert decision.keep and backend.requests == []


@pytest.mark.parametrize("module", [s2s1.constitution, s2s1.filters.judge])
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
    assert [r["code"] for r in out[2]["reasons"]] == ["refusal"]
    assert out[2]["scores"] == {"soft:apology": 1.0}  # the rules' soft score; the judge skipped it
