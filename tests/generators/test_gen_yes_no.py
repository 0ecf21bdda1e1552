"""TransformersGenerator.yes_probability (the judge's score) on the tiny random model."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from s2s1.generators.prompts import build_messages
from s2s1.generators.transformers_backend import TransformersGenerator
from s2s1.records import Problem

PROBLEMS = [Problem(id=f"q{i}", source="t", question=f"Is {i} even? Answer Yes or No.") for i in range(5)]


@pytest.fixture(scope="module")
def gen(tiny_model_dir: Path) -> TransformersGenerator:
    return TransformersGenerator(str(tiny_model_dir), system_prompt="Judge.", few_shot=False, batch_size=4)


def test_matches_the_next_token_distribution(gen: TransformersGenerator) -> None:
    scores = gen.yes_probability(PROBLEMS[:1], prefix="Answer:")
    tok, model = gen._tok, gen._model
    text = tok.apply_chat_template(build_messages(PROBLEMS[0], "Judge.", False), add_generation_prompt=True,
                                   tokenize=False) + "Answer:"  # fmt: skip
    ids = tok(text, return_tensors="pt", add_special_tokens=False)
    with torch.inference_mode():
        probs = model(**ids).logits[0, -1].float().softmax(-1)
    yes = {tok.encode(v, add_special_tokens=False)[0] for v in ("Yes", " Yes", "yes", " yes")}
    no = {tok.encode(v, add_special_tokens=False)[0] for v in ("No", " No", "no", " no")}
    p_yes, p_no = probs[sorted(yes)].sum(), probs[sorted(no)].sum()
    assert scores[0] == pytest.approx(float(p_yes / (p_yes + p_no)), abs=1e-4)


def test_one_score_per_problem_whatever_the_batching(
    gen: TransformersGenerator, tiny_model_dir: Path
) -> None:
    batched = gen.yes_probability(PROBLEMS)
    single = TransformersGenerator(str(tiny_model_dir), system_prompt="Judge.", few_shot=False, batch_size=1)
    one_by_one = single.yes_probability(PROBLEMS)
    assert len(batched) == 5 and all(0.0 <= s <= 1.0 for s in batched)
    assert batched == pytest.approx(one_by_one, abs=0.02)
