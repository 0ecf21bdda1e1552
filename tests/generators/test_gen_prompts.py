"""Prompts and <think> splitting: a regression table, and the chat template with the real tokenizer."""

from __future__ import annotations

from pathlib import Path

import pytest

from s2s1.generators.prompts import FEW_SHOT, SYSTEM_PROMPT, build_messages, split_think
from s2s1.records import Problem

PROBLEM = Problem(id="p", source="t", question="What is $3 + 4$?", answer="7")


@pytest.mark.parametrize(
    ("text", "reasoning", "response"),
    [
        (
            "<think>3 plus 4 is 7.</think>\nThe answer is $\\boxed{7}$.",
            "3 plus 4 is 7.",
            "The answer is $\\boxed{7}$.",
        ),
        ("<think>\nsteps\n</think>", "steps", ""),
        ("The answer is $\\boxed{7}$.", "", "The answer is $\\boxed{7}$."),
        ("  plain  ", "", "plain"),
        ("", "", ""),
        ("<think>3 plus 4 is", "3 plus 4 is", ""),  # unclosed: cut off while thinking
        ("steps</think>\\boxed{7}", "steps", "\\boxed{7}"),  # template opened the block
        ("Sure. <think>a</think> b", "a", "Sure.\nb"),  # text before <think> is kept
        ("<think>a</think> b <think>c</think>", "a", "b <think>c</think>"),  # only the first block
    ],
)
def test_split_think(text: str, reasoning: str, response: str) -> None:
    assert split_think(text) == (reasoning, response)


def test_build_messages_with_and_without_example() -> None:
    msgs = build_messages(PROBLEM, "SYS", few_shot=True)
    assert msgs[0] == {"role": "system", "content": "SYS"}
    assert msgs[1:3] == list(FEW_SHOT)
    assert msgs[-1] == {"role": "user", "content": PROBLEM.question}
    assert "\\boxed{" in msgs[2]["content"]
    assert [m["role"] for m in build_messages(PROBLEM, "SYS", few_shot=False)] == ["system", "user"]
    assert build_messages(PROBLEM)[0]["content"] == SYSTEM_PROMPT


def test_chat_template_has_our_system_prompt_only(tokenizer_dir: Path) -> None:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tokenizer_dir)
    text = tok.apply_chat_template(build_messages(PROBLEM), add_generation_prompt=True, tokenize=False)
    assert "SmolLM" not in text and "Hugging Face" not in text
    assert text.startswith(f"<|im_start|>system\n{SYSTEM_PROMPT}<|im_end|>")
    assert text.count("<|im_start|>user") == 2 and "We add 19 to 23" in text
    assert text.endswith("<|im_start|>assistant\n")
    # the guard above is meaningful: without a system message the template names the model
    bare = tok.apply_chat_template([{"role": "user", "content": "hi"}], tokenize=False)
    assert "SmolLM" in bare
