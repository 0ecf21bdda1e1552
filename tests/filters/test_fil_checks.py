"""Principles with a `Check:` line, the worked example, and the context a teacher answers with."""

from __future__ import annotations

import doctest

import pytest

import s2s1.filters.principle_checks
from s2s1.constitution import context_messages, load_constitution, parse_constitution
from s2s1.errors import UserError
from s2s1.filters.judge import JudgeFilter
from s2s1.filters.principle_checks import count_sentences, violates
from s2s1.records import Problem, Record, Trace

STYLE = """# Terse
## 1. One sentence
- Forbids: more than one sentence.
- Does not apply to: formulas.
- Example: "It is 4. Done."
- Check: at most 1 sentence

## 2. Ask the model
- Forbids: advertising.
- Does not apply to: names.
- Example: "Buy now!"

## Worked example
Question: What is $2 + 2$?
Answer: 2 + 2 = $\\boxed{4}$.
"""


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("23 + 19 = $\\boxed{42}$.", 1),
        ("We add 19 to 23: 23 + 19 = 42.\nThe answer is $\\boxed{42}$.", 2),
        ("It costs 3.5 dollars. So 7 for two.", 2),  # a decimal point ends no sentence
        ("$5 \\times 7 = 35$", 0),  # maths alone is no prose
        ("Really? Yes! Three.", 3),
    ],
)
def test_sentences_are_counted_in_prose_only(text, n):
    assert count_sentences(text) == n


@pytest.mark.parametrize(
    ("check", "text", "broken"),
    [
        ("at most 1 sentence", "23 + 19 = $\\boxed{42}$.", False),
        ("at most 1 sentence", "We add. The answer is $\\boxed{42}$.", True),
        ("at most 1 sentence", "<think>Hmm. Let me see. Yes.</think>It is $4$.", False),  # answer only
        ("at least 3 sentences", "Step 1: a.\nStep 2: b.\nSo $\\boxed{2}$.", False),
        ("at least 3 sentences", "It is $\\boxed{2}$.", True),
        ("contains /^Step 2:/", "Step 1: a.\nStep 2: b.", False),
        ("contains /^Step 2:/", "Step 1: a. Step 2: b.", True),  # not at a line start
        ("does not contain /buy/", "buy now", True),
    ],
)
def test_checks_decide_on_the_answer(check, text, broken):
    assert violates(check, text) is broken


def test_style_constitution_parses_checks_and_worked_example():
    c = parse_constitution(STYLE, "terse.md")
    assert [p.check for p in c.principles] == ["at most 1 sentence", ""]
    assert c.worked_example == ("What is $2 + 2$?", "2 + 2 = $\\boxed{4}$.")
    assert c.text == STYLE
    plain = parse_constitution(STYLE.split("## Worked example")[0])
    assert plain.worked_example is None and plain.hash != c.hash  # the demonstration is part of it


def test_shipped_style_constitutions_carry_checks_and_a_multiline_example():
    steps = load_constitution("configs/constitutions/every_step.md")
    assert [p.check for p in steps.principles] == ["at least 3 sentences", "contains /^Step 2:/"]
    question, answer = steps.worked_example
    assert question == "What is $23 + 19$?" and answer.count("\n") == 3
    assert not any(violates(p.check, answer) for p in steps.principles)  # the example keeps them
    one = load_constitution("configs/constitutions/one_sentence.md")
    assert not violates(one.principles[0].check, one.worked_example[1])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (STYLE.replace("at most 1 sentence", "short please"), r"terse.md:2: principle 1 has a bad 'Check:'"),
        (STYLE.replace("at most 1 sentence", "contains /([/"), "bad regex"),
        (STYLE.replace("Question:", "Q:"), "'## Worked example' section needs a 'Question:' line"),
    ],
)
def test_bad_check_or_example_names_the_file_line_and_fix(text, message):
    with pytest.raises(UserError, match=message):
        parse_constitution(text, "terse.md")


def test_context_puts_rules_in_the_system_prompt_and_the_example_as_a_turn():
    system, demo = context_messages(parse_constitution(STYLE), "Be careful.")
    assert system.startswith("Be careful.\n") and "1. One sentence. Not allowed: more than one" in system
    assert "2. Ask the model." in system
    assert demo == (
        {"role": "user", "content": "What is $2 + 2$?"},
        {"role": "assistant", "content": "2 + 2 = $\\boxed{4}$."},
    )


class FakeNeverCalledJudgeForTests:
    """A judge backend that fails the test if it is asked anything."""

    teacher = "fake"

    def generate(self, problems, sampling):
        raise AssertionError(f"the model was asked about {len(list(problems))} checked principle(s)")


def _record(text: str) -> Record:
    return Record(
        problem=Problem(id="p", source="t", question="q"),
        trace=Trace(problem_id="p", index=0, teacher="m", prompt=[], response=text),
    )


def test_judge_decides_checked_principles_without_the_model(tmp_path):
    only_checked = parse_constitution(STYLE.split("## 2.")[0])
    judge = JudgeFilter(only_checked, FakeNeverCalledJudgeForTests(), cache=tmp_path / "c.jsonl")
    ok, bad = judge.decide([_record("It is $\\boxed{4}$."), _record("Well. It is $\\boxed{4}$.")])
    assert ok.keep and ok.scores == {"principle_1": 0.0}
    assert not bad.keep and bad.scores == {"principle_1": 1.0}
    assert bad.reasons[0].code == "constitution_1" and "at most 1 sentence" in bad.reasons[0].detail
    assert not (tmp_path / "c.jsonl").exists()


def test_docstring_examples():
    result = doctest.testmod(s2s1.filters.principle_checks)
    assert result.attempted > 0 and result.failed == 0
