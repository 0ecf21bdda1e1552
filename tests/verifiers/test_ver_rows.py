"""verify_rows: flat JSON rows in, the same rows with `verdict` out, in order; bad rows are data."""

from __future__ import annotations

import pytest
from scripted_verifier import Scripted

from s2s1.verifiers import load_verifiers, verify_rows
from s2s1.verifiers.rows import split_completion

MATH = load_verifiers(["math"])


def _run(rows: list[dict], **kw) -> list[dict]:
    numbered = list(enumerate(rows, start=1))
    return list(verify_rows(numbered, MATH, path="in.jsonl", timeout_s=30, workers=2, **kw))


def test_a_bad_row_in_the_middle_gets_an_error_verdict_and_the_others_go_on():
    rows = [
        {"id": "a", "question": "1+1?", "answer": "2", "completion": "<think>1+1=2</think> \\boxed{2}"},
        {"id": "b", "question": "1+2?", "answer": "3"},
        {"id": "c", "question": "2+2?", "answer": 4, "prediction": "5", "split": "test"},
        {"id": "d", "question": 7, "answer": "3", "completion": "\\boxed{3}"},
        {"id": "e", "question": "2+3?", "answer": "5", "prediction": 5},
    ]
    out = _run(rows)
    assert [r["id"] for r in out] == ["a", "b", "c", "d", "e"]
    assert [r["verdict"]["outcome"] for r in out] == [
        "correct",
        "unverifiable",
        "incorrect",
        "unverifiable",
        "correct",
    ]
    assert out[1]["verdict"]["detail"] == "in.jsonl:2: no completion or prediction"
    assert out[3]["verdict"]["detail"] == "in.jsonl:4: question must be a string, not int"
    assert out[2]["split"] == "test"  # extra fields kept
    assert {k: v for k, v in out[2].items() if k != "verdict"} == rows[2]
    assert out[0]["verdict"]["verifier"] == "math"


@pytest.mark.parametrize(
    ("row", "outcome", "detail"),
    [
        ({"question": "q", "completion": "\\boxed{1}"}, "unverifiable", "in.jsonl:1: no answer or tests"),
        ({"question": "q", "answer": [1], "prediction": "1"}, "unverifiable", "answer must be a string or"),
        ({"question": "q", "answer": "1", "completion": 3}, "unverifiable", "completion must be a string"),
        (
            {"question": "q", "answer": "1", "prediction": "1", "domain": "code"},
            "unverifiable",
            "no verifier handles domain 'code'",
        ),
        (
            {"question": "q", "answer": "1", "prediction": "1", "domain": ["math"]},
            "unverifiable",
            "domain must be a string",
        ),
        (
            {"question": "q", "answer": "1", "completion": "<think>long and cut off"},
            "incorrect",
            "no final answer found",
        ),
        ({"question": "q", "answer": "1", "prediction": "\\frac{2}{2}"}, "correct", "numeric match"),
        ({"question": "q", "answer": "0.5", "prediction": "1/2"}, "correct", "(boxed)"),
        # a prediction that still says where its answer is, is read like a completion
        ({"question": "q", "answer": "0.5", "prediction": "So the answer is $1/2$."}, "correct", "(phrase)"),
        ({"question": "q", "answer": "0.5", "prediction": "The answer is $1/3$."}, "incorrect", "(phrase)"),
    ],
)
def test_row_cases(row, outcome, detail):
    [out] = _run([row])
    assert out["verdict"]["outcome"] == outcome
    assert detail in out["verdict"]["detail"]


def test_gsm8k_and_math_rows_as_they_come():
    gsm8k = {
        "question": "Natalia…?",
        "answer": "Natalia sold 48/2 = 24 clips.\n#### 72",
        "completion": "She sold 48 + 24 = 72 clips.\n#### 72",
    }
    math = {
        "problem": "Compute $\\frac{7}{3} \\cdot 2$.",
        "solution": "It is $\\boxed{\\frac{14}{3}}$.",
        "completion": "<think>7*2/3</think>\nThe answer is $\\boxed{\\dfrac{14}{3}}$.",
    }
    assert [r["verdict"]["outcome"] for r in _run([gsm8k, math])] == ["correct", "correct"]


def test_several_verifiers_also_give_verdicts_by_name():
    rows = [(1, {"question": "q", "answer": "1", "prediction": "1"})]
    [out] = verify_rows(rows, [*MATH, Scripted()], path="x.jsonl", timeout_s=30, workers=1)
    assert out["verdict"]["verifier"] == "math"
    assert set(out["verdicts"]) == {"math", "scripted"}


def test_split_completion():
    assert split_completion("<think> a </think> b") == ("a", "b")
    assert split_completion("a </think> b") == ("a", "b")
    assert split_completion("<think> cut") == ("cut", "")
    assert split_completion("plain") == ("", "plain")


def test_a_code_prediction_is_bare_code():
    tests = {"style": "function", "entry_point": "add", "asserts": ["assert add(1, 2) == 3"]}
    rows = [
        {
            "id": "ok",
            "domain": "code",
            "question": "add",
            "tests": tests,
            "prediction": "def add(a, b):\n    return a + b",
        },
        {
            "id": "bad",
            "domain": "code",
            "question": "add",
            "tests": tests,
            "prediction": "def add(a, b):\n    return a - b",
        },
    ]
    out = list(
        verify_rows(list(enumerate(rows, start=1)), load_verifiers(["code"]), path="in.jsonl", workers=1)
    )
    assert [r["verdict"]["outcome"] for r in out] == ["correct", "incorrect"]


@pytest.mark.parametrize("question", [None, ""])
def test_a_row_needs_no_question_to_compare_a_prediction_with_a_gold(question):
    row = {"answer": "3/4", "prediction": "\\frac{3}{4}"} | (
        {} if question is None else {"question": question}
    )
    (out,) = _run([row])
    assert out["verdict"]["outcome"] == "correct", out["verdict"]["detail"]
    assert ("question" in out) == (question is not None)  # kept as given, never added
