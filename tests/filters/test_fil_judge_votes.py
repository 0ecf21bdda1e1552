"""The judge's integrity: anchored verdicts, abstentions, reasoning before the verdict, votes."""

from __future__ import annotations

import doctest

import pytest

import s2s1.filters.judge_verdict
from s2s1.config import FilterConfig, GenerateConfig, JudgeConfig
from s2s1.constitution import parse_constitution
from s2s1.filters.judge import JudgeFilter
from s2s1.filters.judge_engines import judge_backend
from s2s1.filters.judge_verdict import majority, parse_verdict
from s2s1.generators.backend import Completion
from s2s1.records import Problem, Record, Trace

ONE = (
    "## 1. No self-talk\nForbids: talk about being an AI.\nDoes not apply to: code.\nExample: As an AI, 2.\n"
)


@pytest.mark.parametrize(
    ("reply", "verdict"),
    [
        ("Answer: Yes\nQuote: As an AI\nReason: r", "yes"),
        ("answer:no.", "no"),
        ("  Answer :  NO  \nQuote: none", "no"),
        ("Reasoning: it says yes.\nAnswer: No", "no"),
        ("Yes", "abstain"),  # no anchored line
        ("The answer is yes.", "abstain"),
        ("Answer: Yes, but no", "abstain"),  # not a clean verdict line
        ("Answer: Yes\nAnswer: No", "abstain"),  # two that disagree
        ("Answer: Yes\nAnswer: maybe", "abstain"),
        ("Final Answer: Yes", "abstain"),  # the anchor starts the line
        ("Answer: Yes\nAnswer: Yes", "yes"),
        ("", "abstain"),
    ],
)
def test_only_an_anchored_answer_line_is_a_verdict(reply, verdict):
    assert parse_verdict(reply) == verdict


@pytest.mark.parametrize(
    ("votes", "verdict"),
    [
        (["yes"], "yes"),
        (["yes", "yes", "no"], "yes"),
        (["yes", "no"], "abstain"),
        ([], "abstain"),
        (["yes", "no", "abstain"], "abstain"),
        (["no", "abstain", "abstain"], "abstain"),
        (["no", "no", "abstain"], "no"),
    ],
)
def test_majority_with_abstain_on_ties(votes, verdict):
    assert majority(votes) == verdict


class FakeReasoningJudgeForTests:
    """Writes the reasoning it is given for each vote index, and says No (does not follow the
    principle) after reasoning 'bad'."""

    teacher = "fake-reasoner"

    def __init__(self, reasonings: list[str]) -> None:
        self.reasonings = reasonings
        self.calls: list[tuple[str, tuple, float, str]] = []  # (prefix, stop, temperature, prompt)

    def complete(self, requests, sampling):
        for r in requests:
            self.calls.append((r.prefix, r.stop, sampling.temperature, r.messages[-1]["content"]))
            if r.prefix.endswith("Quote:"):
                yield Completion(r, text=" As an AI\nReason: it says so.")
            elif "<<<\nN/A\n>>>" in r.messages[-1]["content"]:
                yield Completion(r, text=" nothing to review.")
            else:
                yield Completion(r, text=" " + self.reasonings[r.index % len(self.reasonings)])

    def answer_tokens(self, requests):
        for r in requests:
            self.calls.append((r.prefix, r.stop, 0.0, r.messages[-1]["content"]))
            if "<<<\nN/A\n>>>" in r.messages[-1]["content"] or "unsure" in r.prefix:
                yield [(" Yes", 0.7), (" No", 0.3)]  # the content-free leaning: calibrated 0.5
            else:
                yield [(" Yes", 0.1), (" No", 0.9)] if "bad" in r.prefix else [(" Yes", 0.9), (" No", 0.1)]


def _judge(tmp_path, reasonings, **cfg):
    backend = FakeReasoningJudgeForTests(reasonings)
    config = JudgeConfig(reason_first=True, **cfg)
    return JudgeFilter(parse_constitution(ONE), backend, cache=tmp_path / "c.jsonl", config=config), backend


RECORD = Record(
    problem=Problem(id="p", source="t", question="q"),
    trace=Trace(problem_id="p", index=0, teacher="m", prompt=[], response="As an AI, 2."),
)


def test_reason_first_asks_for_reasoning_then_reads_the_verdict_after_it(tmp_path):
    judge, backend = _judge(tmp_path, ["it is bad."])
    (decision,) = judge.decide([RECORD])
    assert not decision.keep and decision.reasons[0].code == "constitution_1"
    prompt = backend.calls[0][3]
    assert "First reason, then answer." in prompt and prompt.index("Reasoning:") < prompt.index(
        "Answer: Yes or No"
    )
    reasoning = [c for c in backend.calls if c[0] == "Reasoning:" and "N/A" not in c[3]]
    assert reasoning == [("Reasoning:", ("Answer:",), 0.0, prompt)]  # one greedy vote, stopped at the verdict
    assert ("Reasoning: it is bad.\nAnswer:", (), 0.0, prompt) in backend.calls
    assert backend.calls[-1][0] == "Reasoning: it is bad.\nAnswer: No\nQuote:"


@pytest.mark.parametrize(
    ("reasonings", "keep", "codes"),
    [
        (["bad.", "bad.", "fine."], False, ["constitution_1"]),
        (["fine.", "bad.", "fine."], True, []),
        (["bad.", "fine.", "unsure."], True, ["judge_abstain"]),  # one each: a tie abstains
    ],
)
def test_votes_take_the_majority_and_abstain_on_ties(tmp_path, reasonings, keep, codes):
    judge, backend = _judge(tmp_path, reasonings, votes=3, temperature=0.8)
    (decision,) = judge.decide([RECORD])
    assert decision.keep is keep and [r.code for r in decision.reasons] == codes
    sampled = [c for c in backend.calls if c[0] == "Reasoning:" and "N/A" not in c[3]]
    assert len(sampled) == 3 and {c[2] for c in sampled} == {0.8}  # three sampled reasonings
    if codes == ["judge_abstain"]:
        assert "have no majority" in decision.reasons[0].detail


def test_votes_without_reasoning_are_a_config_error():
    with pytest.raises(ValueError, match="votes > 1 needs reason_first: true"):
        JudgeConfig(votes=3)
    with pytest.raises(ValueError, match="extra"):
        FilterConfig.model_validate({"judge": {"bakend": "vllm"}})


def test_the_judge_runs_on_the_teachers_engine_unless_told():
    assert judge_backend(JudgeConfig(), GenerateConfig(backend="vllm")) == "vllm"
    assert judge_backend(JudgeConfig(), GenerateConfig(backend="openai")) == "openai"
    assert judge_backend(JudgeConfig(), GenerateConfig(backend="fake")) == "transformers"
    assert (
        judge_backend(JudgeConfig(backend="transformers"), GenerateConfig(backend="vllm")) == "transformers"
    )


def test_build_judge_uses_the_teachers_server_and_model(tmp_path):
    from s2s1.filters import build_judge
    from s2s1.generators.openai_backend import OpenAIGenerator

    teacher = GenerateConfig(backend="openai", model="served-teacher", base_url="http://h:1/v1")
    judge = build_judge(FilterConfig(), tmp_path / "c.jsonl", teacher)
    assert isinstance(judge.generator, OpenAIGenerator)
    assert (judge.generator.model, judge.generator.base_url) == ("served-teacher", "http://h:1/v1")
    other = build_judge(
        FilterConfig(judge=JudgeConfig(model="judge-7b", base_url="http://j:2/v1")), tmp_path / "d", teacher
    )
    assert (other.generator.model, other.generator.base_url) == ("judge-7b", "http://j:2/v1")


def test_docstring_examples():
    result = doctest.testmod(s2s1.filters.judge_verdict)
    assert result.attempted > 0 and result.failed == 0
