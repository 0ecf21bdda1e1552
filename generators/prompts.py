"""Teacher prompts: the system prompt, one worked example, and splitting `<think>` from the answer.

`build_messages` turns a Problem into chat messages: always a system message (SmolLM2's ChatML
template otherwise inserts its own, naming the model and its maker), optionally one worked
example as a user/assistant pair, then the question. Without the example the 135M teacher almost
never writes `\\boxed{}`. The example shows plain step text, then the answer in `\\boxed{}`:
measured on 20 arithmetic problems × 4 samples (temperature 0.7, 160 tokens), plain steps gave
15–16/80 right (8–11 of 20 problems right at least once), the same steps inside
`<think>…</think>` only 6–10/80, with fewer `\\boxed{}` answers (36–40/80 against 50–54/80).
So the embedded teacher's steps land in `response` and `reasoning` is ""; teachers that think
in `<think>` blocks by themselves keep them apart.

`split_think` splits a completion into (reasoning, response). This module does not call a model,
does not extract or check answers (verifiers do), and does not format the student's prompts
(distill does).

Example:
    >>> from s2s1.records import Problem
    >>> p = Problem(id="a", source="demo", question="What is $2 + 2$?", answer="4")
    >>> [m["role"] for m in build_messages(p, SYSTEM_PROMPT, few_shot=True)]
    ['system', 'user', 'assistant', 'user']
    >>> split_think("<think>2 and 2 make 4.</think> \\\\boxed{4}")
    ('2 and 2 make 4.', '\\\\boxed{4}')
"""

from __future__ import annotations

from s2s1.records import Problem

__all__ = ["FEW_SHOT", "SYSTEM_PROMPT", "FewShot", "build_messages", "split_think"]

SYSTEM_PROMPT = "You are a careful math assistant. Show your steps, then give the final answer in \\boxed{}."
"""The teacher's default system message."""

FEW_SHOT: tuple[dict[str, str], dict[str, str]] = (
    {"role": "user", "content": "What is $23 + 19$?"},
    {
        "role": "assistant",
        "content": "We add 19 to 23: 23 + 19 = 42.\nThe answer is $\\boxed{42}$.",
    },
)
"""One worked example, shown before the question when `few_shot` is on."""

FewShot = bool | tuple[dict[str, str], ...]
"""`True`: show `FEW_SHOT`; `False`: none; a tuple of user/assistant messages: show those instead
(a constitution's worked example, s2s1/constitution.py)."""

_OPEN, _CLOSE = "<think>", "</think>"


def build_messages(
    problem: Problem, system_prompt: str = SYSTEM_PROMPT, few_shot: FewShot = True
) -> list[dict[str, str]]:
    """Chat messages for one problem: system, [worked example(s)], question.

    Example:
        >>> p = Problem(id="a", source="demo", question="What is $1 + 1$?")
        >>> build_messages(p, "Be brief.", few_shot=False)
        [{'role': 'system', 'content': 'Be brief.'}, {'role': 'user', 'content': 'What is $1 + 1$?'}]
    """
    messages = [{"role": "system", "content": system_prompt}]
    if few_shot is True:
        few_shot = FEW_SHOT
    messages.extend(dict(m) for m in few_shot or ())
    messages.append({"role": "user", "content": problem.question})
    return messages


def split_think(text: str) -> tuple[str, str]:
    """(reasoning, response): the text inside the first `<think>…</think>`, and the text after it.

    No `<think>`: reasoning is "" and the whole text is the response. An unclosed `<think>` (the
    sample was cut off while thinking): all of it is reasoning and the response is "". A stray
    `</think>` without an opening tag closes reasoning that started at the beginning. Text before
    `<think>` (rare) is kept, at the start of the response. Both parts are stripped.

    Example:
        >>> split_think("just 4")
        ('', 'just 4')
        >>> split_think("<think>hmm, 2 plus")
        ('hmm, 2 plus', '')
    """
    start = text.find(_OPEN)
    end = text.find(_CLOSE, start + len(_OPEN) if start >= 0 else 0)
    if start < 0 and end < 0:
        return "", text.strip()
    if start < 0:  # "...</think> answer": the template opened the block for the model
        return text[:end].strip(), text[end + len(_CLOSE) :].strip()
    before = text[:start].strip()
    if end < 0:
        return text[start + len(_OPEN) :].strip(), before
    after = text[end + len(_CLOSE) :].strip()
    return text[start + len(_OPEN) : end].strip(), f"{before}\n{after}".strip()
