"""TransformersGenerator on a tiny random Llama with the real tokenizer (fixture `tiny_model_dir`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from s2s1.errors import UserError
from s2s1.generators.backend import sample_seed as batch_seed
from s2s1.generators.transformers_backend import TransformersGenerator
from s2s1.records import Problem, Sampling

PROBLEMS = [
    Problem(id="a", source="t", question="What is $3 + 4$?", answer="7"),
    Problem(id="b", source="t", question="What is $5 \\times 6$?", answer="30"),
]


@pytest.fixture(scope="module")
def gen(tiny_model_dir: Path) -> TransformersGenerator:
    return TransformersGenerator(str(tiny_model_dir), few_shot=True, batch_size=4)


def test_samples_indices_length_and_seed(gen: TransformersGenerator, tiny_model_dir: Path) -> None:
    sampling = Sampling(n=3, temperature=0.8, top_p=0.9, max_tokens=4, seed=11)
    traces = list(gen.generate(PROBLEMS, sampling))
    assert [(t.problem_id, t.index) for t in traces] == [(p.id, i) for p in PROBLEMS for i in range(3)]
    # batches of 4 over 6 samples: the first starts at (a, 0), the second at (b, 1)
    first, second = batch_seed(11, "a", 0), batch_seed(11, "b", 1)
    assert [t.seed for t in traces] == [first] * 4 + [second] * 2
    for t in traces:
        assert t.teacher == str(tiny_model_dir.resolve())
        assert t.sampling == sampling
        assert t.prompt[0]["role"] == "system" and t.prompt[-1]["role"] == "user"
        assert t.finish_reason in ("stop", "length") and t.error == ""
        if t.finish_reason == "length":
            assert t.num_tokens == 4
        else:
            assert t.num_tokens < 4
    assert sum(t.finish_reason == "length" for t in traces) >= 4  # random weights rarely pick EOS


def test_same_seed_same_output(gen: TransformersGenerator) -> None:
    sampling = Sampling(n=2, temperature=1.0, max_tokens=6, seed=5)
    a = [t.completion for t in gen.generate(PROBLEMS, sampling)]
    b = [t.completion for t in gen.generate(PROBLEMS, sampling)]
    c = [t.completion for t in gen.generate(PROBLEMS, sampling.model_copy(update={"seed": 6}))]
    assert a == b
    assert a != c


def test_greedy_ignores_seed(gen: TransformersGenerator) -> None:
    greedy = Sampling(n=2, temperature=0.0, max_tokens=5, seed=1)
    a = [t.completion for t in gen.generate(PROBLEMS[:1], greedy)]
    b = [t.completion for t in gen.generate(PROBLEMS[:1], greedy.model_copy(update={"seed": 2}))]
    assert a == b and a[0] == a[1]


def test_batch_exception_becomes_error_traces(
    gen: TransformersGenerator, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("out of memory")

    gen._load()
    monkeypatch.setattr(gen, "_generate_batch", boom)
    traces = list(gen.generate(PROBLEMS, Sampling(n=3, max_tokens=4)))
    assert len(traces) == 6
    assert {t.finish_reason for t in traces} == {"error"}
    assert traces[0].error == "RuntimeError: out of memory"


def test_no_problems_no_load() -> None:
    gen = TransformersGenerator("org/does-not-exist")
    assert list(gen.generate([], Sampling())) == []
    assert gen._model is None


def test_missing_folder_is_a_user_error_at_construction(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not a model folder"):
        TransformersGenerator(str(tmp_path / "nope"))
    with pytest.raises(UserError, match="batch_size"):
        TransformersGenerator("embedded", batch_size=0)


def test_unloadable_model_is_a_user_error(tmp_path: Path) -> None:
    gen = TransformersGenerator(str(tmp_path))  # a folder, but no model in it
    with pytest.raises(UserError, match="cannot load"):
        list(gen.generate(PROBLEMS, Sampling(n=1, max_tokens=2)))
