"""The fake teacher's documented pattern, build_generator's match, and the generate stage."""

from __future__ import annotations

import pytest

from s2s1.config import GenerateConfig
from s2s1.generators import (
    FakeGeneratorForTests,
    Generator,
    TransformersGenerator,
    build_generator,
    generate,
    split_think,
)
from s2s1.generators.fake import BOILERPLATE
from s2s1.records import Problem, Record, Sampling

MATH = Problem(id="m1", source="t", question="What is $3 + 4$?", answer="7")
SYMBOLIC = Problem(id="m2", source="t", question="Simplify $x + x$.", answer="2x")
CODE = Problem(
    id="c1", source="t", domain="code", question="Write add.", tests={"style": "stdio", "cases": []}
)


def test_pattern_by_index() -> None:
    traces = list(FakeGeneratorForTests().generate([MATH], Sampling(n=8, seed=3)))
    assert [t.index for t in traces] == list(range(8))
    for t in traces:
        kind = t.index % 4
        assert t.teacher == "fake-teacher" and t.problem_id == "m1"
        assert split_think(t.completion) == (t.reasoning, t.response)
        if kind == 0:
            assert t.response == "The answer is $\\boxed{7}$." and t.finish_reason == "stop"
        elif kind == 1:
            assert "\\boxed{8}" in t.response and t.finish_reason == "stop"
        elif kind == 2:
            assert t.response.startswith(BOILERPLATE) and "\\boxed{7}" in t.response
            assert t.finish_reason == "stop"
        else:
            assert t.finish_reason == "length" and t.response == "" and "boxed" not in t.completion
        assert t.num_tokens > 0


def test_non_integer_and_missing_gold() -> None:
    wrong = list(FakeGeneratorForTests().generate([SYMBOLIC], Sampling(n=2)))[1]
    assert "\\boxed{2x+1}" in wrong.response
    code = list(FakeGeneratorForTests().generate([CODE], Sampling(n=4)))
    assert [t.response for t in code[:3]] == ["I am not sure."] * 3
    assert code[3].finish_reason == "length"


def test_deterministic_and_seeded() -> None:
    gen = FakeGeneratorForTests()
    a = list(gen.generate([MATH, SYMBOLIC], Sampling(n=3, seed=1)))
    assert a == list(gen.generate([MATH, SYMBOLIC], Sampling(n=3, seed=1)))
    b = list(gen.generate([MATH, SYMBOLIC], Sampling(n=3, seed=2)))
    assert [t.seed for t in a] != [t.seed for t in b]
    assert len({t.seed for t in a}) == len(a)


def test_error_ids() -> None:
    traces = list(FakeGeneratorForTests(error_ids={"m2"}).generate([MATH, SYMBOLIC], Sampling(n=2)))
    assert [t.finish_reason for t in traces] == ["stop", "stop", "error", "error"]
    assert traces[2].error


def test_build_generator_match() -> None:
    fake = build_generator(GenerateConfig(backend="fake"))
    assert isinstance(fake, FakeGeneratorForTests) and isinstance(fake, Generator)
    tg = build_generator(GenerateConfig(backend="transformers", batch_size=5, few_shot=False))
    assert isinstance(tg, TransformersGenerator) and isinstance(tg, Generator)
    assert (tg.model_name, tg.batch_size, tg.few_shot) == ("embedded", 5, False)
    tg2 = build_generator(GenerateConfig(), system_prompt="S", few_shot=True, model="org/student")
    assert isinstance(tg2, TransformersGenerator)
    assert (tg2.model_name, tg2.system_prompt, tg2.few_shot, tg2.teacher) == (
        "org/student",
        "S",
        True,
        "org/student",
    )


def test_generate_stage_pairs_problem_and_trace() -> None:
    records = list(generate([MATH, CODE], FakeGeneratorForTests(), Sampling(n=2)))
    assert all(isinstance(r, Record) for r in records)
    assert [r.key for r in records] == ["m1#0", "m1#1", "c1#0", "c1#1"]
    assert all(r.problem.id == r.trace.problem_id for r in records)
    assert records[2].problem == CODE and not records[0].verdicts


@pytest.mark.parametrize("n", [1, 3])
def test_prompt_is_recorded(n: int) -> None:
    t = list(FakeGeneratorForTests().generate([MATH], Sampling(n=n)))[-1]
    assert t.prompt[-1] == {"role": "user", "content": MATH.question}
