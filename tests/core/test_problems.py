"""Problem sources: built-ins ship as package data, files in both formats, stable split."""

import json

import pytest

from s2s1.config import ProblemsConfig, ProblemSource
from s2s1.errors import UserError
from s2s1.problems import arithmetic_problems, load_problems, overlapping, read_problem_file, split_problems
from s2s1.records import Problem


def test_builtin_slices_load_with_gold_answers():
    cfg = ProblemsConfig(sources=[ProblemSource(builtin="gsm8k", limit=5), ProblemSource(builtin="math500")])
    problems = load_problems(cfg)
    assert len(problems) == 105
    assert all(p.answer for p in problems)
    assert problems[0].source == "gsm8k" and problems[-1].source == "math500"
    assert "solution" in problems[0].metadata


def test_arithmetic_answers_are_right():
    for p in arithmetic_problems(50):
        a, op, b = p.question.removeprefix("What is $").removesuffix("$?").split()
        expected = {"+": int(a) + int(b), "-": int(a) - int(b), "\\times": int(a) * int(b)}[op]
        assert p.answer == str(expected)
    assert arithmetic_problems(5, seed=1) == arithmetic_problems(5, seed=1)


def test_split_is_stable_and_disjoint():
    problems = arithmetic_problems(200)
    train, held_out = split_problems(problems, 0.25)
    assert not {p.id for p in train} & {p.id for p in held_out}
    assert 20 < len(held_out) < 80
    # adding problems never moves an existing one across the split
    train2, held_out2 = split_problems(arithmetic_problems(300), 0.25)
    assert {p.id for p in held_out} <= {p.id for p in held_out2}


def test_file_rows_in_gsm8k_style(tmp_path):
    p = tmp_path / "mine.jsonl"
    p.write_text(json.dumps({"question": "2+2?", "answer": 4, "solution": "..."}) + "\n")
    (prob,) = read_problem_file(p)
    assert (prob.id, prob.source, prob.answer, prob.metadata) == ("mine-1", "mine", "4", {"solution": "..."})


def test_row_without_question_is_named(tmp_path):
    p = tmp_path / "mine.jsonl"
    p.write_text(json.dumps({"question": "a"}) + "\n" + json.dumps({"answer": "1"}) + "\n")
    with pytest.raises(UserError, match=r"mine\.jsonl:2: no `question` field"):
        read_problem_file(p)


def test_duplicate_ids_are_refused(tmp_path):
    p = tmp_path / "mine.jsonl"
    p.write_text(
        json.dumps({"id": "x", "question": "a"}) + "\n" + json.dumps({"id": "x", "question": "b"}) + "\n"
    )
    with pytest.raises(UserError, match="id 'x' appears twice"):
        load_problems(ProblemsConfig(sources=[ProblemSource(path=p)]))


def test_overlapping_finds_repeated_and_long_shared_questions():

    def p(pid, q):
        return Problem(id=pid, source="t", question=q)

    train = [
        p("t1", "What is $9 \\times 3$?"),
        p("t2", "Natalia sold clips to 48 of her friends in April, and then she sold half as many in May."),
    ]
    held_out = [
        p("e1", "what is 9 times 3"),  # same words once LaTeX and punctuation are gone
        p("e2", "In May, Natalia sold clips to 48 of her friends in April, and then more."),  # 8-word run
        p("e3", "What is $9 \\times 4$?"),
        p("e4", "Natalia sold clips to 50 of her friends."),
    ]
    assert overlapping(held_out, train) == {"e1": "t1", "e2": "t2"}
