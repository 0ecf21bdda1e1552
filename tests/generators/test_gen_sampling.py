"""Pass-through sampling fields (top_k, min_p, repetition_penalty, chat_template_kwargs): validated,
recorded on every Trace, sent to servers only when set, and used by the transformers backend.

vLLM's side is in tests/generators/test_gen_vllm.py (it needs .venv-vllm).
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from s2s1.config import Config
from s2s1.generators.backend import requests_for
from s2s1.generators.openai_backend import OpenAIGenerator
from s2s1.generators.transformers_backend import TransformersGenerator
from s2s1.records import Problem, Sampling, Trace

P = Problem(id="p", source="demo", question="What is $2 + 3$?", answer="5")
EXTRAS = {
    "top_k": 20,
    "min_p": 0.05,
    "repetition_penalty": 1.1,
    "chat_template_kwargs": {"enable_thinking": False},
}


@pytest.mark.parametrize(
    ("field", "value"), [("top_k", -2), ("min_p", 1.5), ("repetition_penalty", 0.0), ("top_kk", 3)]
)
def test_bad_sampling_fields_are_rejected_by_the_config(field, value):
    with pytest.raises(ValidationError, match=f"generate.sampling.{field}"):
        Config.model_validate({"generate": {"sampling": {field: value}}})


def test_the_fields_are_recorded_on_traces_and_left_out_when_unset():
    s = Sampling(**EXTRAS)
    trace = Trace(problem_id="p", index=0, teacher="m", prompt=[], sampling=s)
    assert Trace.model_validate_json(trace.model_dump_json()).sampling == s  # provenance round trip
    assert set(Sampling().model_dump()) == {"n", "temperature", "top_p", "max_tokens", "seed"}


def test_a_server_gets_them_only_when_set():
    gen = OpenAIGenerator("m", "http://127.0.0.1:1/v1")
    (r,) = requests_for([P], range(1), Sampling())
    plain = gen._body(r, Sampling())
    assert not set(plain) & set(EXTRAS)
    body = gen._body(r, Sampling(**EXTRAS))
    assert {k: body[k] for k in EXTRAS} == EXTRAS


def test_transformers_top_k_1_samples_the_greedy_text(tiny_model_dir):
    gen = TransformersGenerator(str(tiny_model_dir), few_shot=False, batch_size=2)
    greedy = [t.response for t in gen.generate([P], Sampling(n=2, temperature=0.0, max_tokens=12))]
    top1 = [t.response for t in gen.generate([P], Sampling(n=2, temperature=1.5, top_k=1, max_tokens=12))]
    hot = [t.response for t in gen.generate([P], Sampling(n=2, temperature=1.5, max_tokens=12))]
    assert top1 == greedy != hot


def test_transformers_passes_chat_template_kwargs(tiny_model_dir, monkeypatch):
    gen = TransformersGenerator(str(tiny_model_dir), few_shot=False, batch_size=1)
    gen._load()
    seen = []
    real = gen._tok.apply_chat_template
    monkeypatch.setattr(gen._tok, "apply_chat_template", lambda *a, **k: seen.append(k) or real(*a, **k))
    list(gen.generate([P], Sampling(n=1, max_tokens=2, chat_template_kwargs={"enable_thinking": False})))
    assert seen and seen[0]["enable_thinking"] is False
