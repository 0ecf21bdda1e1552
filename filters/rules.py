"""The rules filter: cheap, deterministic checks kept as data, each with examples the tests run.

Each `Rule` has an id (its reason code), a severity (`drop`: the record goes to `rejected/`), a
scope (the text it reads: `prose` = outside code blocks, inline code and quotations; `raw` = the
whole completion; `answer` = after the last `</think>`), a description, its check (`s2s1.filters.checks`)
and examples: completions that must trigger it and completions that must not. Phrasings are
anchored where they really occur (the start of the answer or of a sentence), never bare topic
words: a maths answer about the "bias" of an estimator passes.

A missing final answer is not a rule: the verifiers decide that (unverifiable). This module does
not judge content against a constitution, deduplicate, or decontaminate.

Example:
    >>> [r.code for r in check_rules(Sample("As an AI language model, I think it is 2."))]
    ['boilerplate']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from s2s1.filters import checks
from s2s1.filters.checks import Sample, Span
from s2s1.filters.text import prose_mask
from s2s1.records import Decision, Reason, Record

__all__ = ["RULES", "Rule", "RulesFilter", "Sample", "check_rules", "prose_mask", "sample_of"]


@dataclass(frozen=True)
class Rule:
    """One rule: `check` returns the offending span of the completion, or None."""

    id: str
    severity: Literal["drop"]
    scope: Literal["prose", "raw", "answer"]
    description: str
    check: Callable[[Sample], Span | None]
    triggers: list[str] = field(default_factory=list)
    """Completions that must trigger the rule."""
    passes: list[str] = field(default_factory=list)
    """Completions that must not."""


_OK = "<think>2 + 2 is 4.</think>\nSo the answer is \\boxed{4}."

RULES: list[Rule] = [
    Rule(
        "truncated",
        "drop",
        "raw",
        "stopped by the token limit or an error, or cut off mid-sentence",
        checks.truncated,
        triggers=[
            "We multiply 12 by 3 and then add the",
            "First, 2 + 3 =",
            "```python\ndef f(x):\n    return",
            "So the total is \\boxed{4",
            "",
        ],
        passes=[_OK, "Thus x = 5.", "```python\nprint(1)\n```", "The answer is 7"],
    ),
    Rule(
        "boilerplate",
        "drop",
        "prose",
        "teacher boilerplate addressed to the user",
        checks.boilerplate,
        triggers=[
            "As an AI language model, I think \\boxed{2}.",
            "Sure. I'm just an AI, but \\boxed{2}.",
            "x = 2, so \\boxed{2}. I hope this helps! Let me know if you have any questions.",
            "作为一个人工智能语言模型，我认为答案是 \\boxed{2}。",
            "Como modelo de lenguaje, creo que es \\boxed{2}.",
        ],
        passes=[
            "The bias of the estimator is 0, so \\boxed{0}.",
            "Let AI = 3 be the area; \\boxed{3}.",
            "```python\nprint('As an AI language model')\n```\n\\boxed{1}",
            "Call `as_an_ai()` then \\boxed{1}.",
            'The string "As an AI language model" has 23 letters, \\boxed{23}.',
            "As an AI model, GPT-2 has 1.5B parameters, so \\boxed{1.5}.",
        ],
    ),
    Rule(
        "refusal",
        "drop",
        "prose",
        "a refusal addressed to the user",
        checks.refusal,
        triggers=[
            "I'm sorry, but I can't help with that.",
            "I cannot answer this question.",
            "I can't assist with that request.",
            "Lo siento, pero no puedo ayudar con eso.",
            "抱歉，我无法回答这个问题。",
            "Unfortunately, I am unable to provide that.",
        ],
        passes=[
            "I cannot see why not: x = 2, so \\boxed{2}.",
            "I can't help but notice x = 2: \\boxed{2}.",
            "We cannot divide by zero, so x ≠ 0 and \\boxed{1}.",
            "I cannot solve this directly; try x = 2. \\boxed{2}",
        ],
    ),
    Rule(
        "model_identity",
        "drop",
        "prose",
        "the model names itself or its maker",
        checks.model_identity,
        triggers=[
            "I am ChatGPT, and the answer is \\boxed{2}.",
            "I was trained by OpenAI. \\boxed{2}",
            "I'm Qwen, created by Alibaba Cloud. \\boxed{2}",
            "我是通义千问。答案是 \\boxed{2}。",
        ],
        passes=[
            "GPT-3, trained by OpenAI, has 175B parameters: \\boxed{175}.",
            "Claude has 3 apples: \\boxed{3}.",
        ],
    ),
    Rule(
        "knowledge_cutoff",
        "drop",
        "prose",
        "remarks on the model's knowledge cutoff or lack of browsing",
        checks.knowledge_cutoff,
        triggers=[
            "As of my last update in 2023, x = 2. \\boxed{2}",
            "My knowledge cutoff is 2021. \\boxed{1}",
            "I don't have real-time information, but \\boxed{3}.",
        ],
        passes=["The cutoff frequency is 3 kHz, so \\boxed{3}.", "As of 2023 the price is 3, \\boxed{3}."],
    ),
    Rule(
        "template_tokens",
        "drop",
        "prose",
        "chat-template tokens leaked into the text",
        checks.template_tokens,
        triggers=[
            "\\boxed{1}<|im_end|>",
            "<|im_start|>assistant\n\\boxed{1}",
            "\\boxed{1} [/INST]",
            "\\boxed{1}\nHuman: thanks",
            "\\boxed{1}<｜end▁of▁sentence｜>",
            "\\boxed{1}<end_of_turn>",
            "assistant\nThe answer is \\boxed{1}.",
        ],
        passes=[
            "\\boxed{1}",
            "a <| b",
            "```python\ntok.eos_token = '<|endoftext|>'\n```\n\\boxed{1}",
            "Since 1 < 2 and 3 > 2, \\boxed{1}.",
        ],
    ),
    Rule(
        "broken_think",
        "drop",
        "raw",
        "a <think> block that is empty, unclosed, repeated or has nothing after it",
        checks.broken_think,
        triggers=[
            "<think>\nlet me see",
            "<think>a</think>",
            "<think>a</think><think>b</think>\\boxed{1}",
            "<think>  </think>\n\\boxed{1}",
            "</think>a<think>\\boxed{1}",
        ],
        passes=[_OK, "\\boxed{1}", "2 + 2 = 4</think>\n\\boxed{4}"],
    ),
    Rule(
        "conflicting_answers",
        "drop",
        "answer",
        "several final answers that disagree",
        checks.conflicting_answers,
        triggers=[
            "So \\boxed{4}. Hmm, or maybe \\boxed{5}.",
            "Final answer: 4\n\nThe final answer is 6.",
            "<think>x</think>\n\\boxed{12} ... wait, no: \\boxed{13}",
        ],
        passes=[
            _OK,
            "\\boxed{4} and again \\boxed{4.0}",
            "<think>maybe \\boxed{3}? no.</think>\n\\boxed{4}",
            "(a) \\boxed{3}\n(b) \\boxed{7}",
            "The final answer is 1,000. \\boxed{1000}",
            "\\boxed{\\dfrac{1}{2}} = \\boxed{\\frac{1}{2}}",
            "So $x = \\boxed{2}$ or $x = \\boxed{-2}$.",
            "The width is \\boxed{3} cm. The length is \\boxed{6} cm.",
        ],
    ),
    Rule(
        "repetition",
        "drop",
        "prose",
        "a repetition loop: a sentence or phrase repeated over and over",
        checks.repetition,
        triggers=[
            "Let me check the sum again now. " * 4 + "\\boxed{2}",
            "the the the the the the the \\boxed{2}",
            "So 2 + 2 = 4 and 4 - 2 = 2 and 2 + 2 = 4 and 4 - 2 = 2 " * 5,
        ],
        passes=[
            _OK,
            "Step 1: 2 + 3 = 5. Step 2: 5 + 4 = 9. Step 3: 9 + 1 = 10. \\boxed{10}",
            "```python\nprint(1)\nprint(1)\nprint(1)\nprint(1)\nprint(1)\nprint(1)\n```\nDone: \\boxed{1}",
        ],
    ),
    Rule(
        "elided_code",
        "drop",
        "raw",
        "code left out ('rest of the code remains the same')",
        checks.elided_code,
        triggers=[
            "```python\ndef f():\n    # ... rest of the code\n```",
            "The rest of the code remains the same.",
            "```python\ndef solve():\n    ...\n```",
            "```js\n// ... existing code ...\n```",
        ],
        passes=[
            "```python\nclass P(Protocol):\n    def f(self) -> int: ...\n```",
            "x = a[..., 0], so \\boxed{0}.",
            "The rest of the proof is similar, so \\boxed{1}.",
        ],
    ),
    Rule(
        "language_mixing",
        "drop",
        "prose",
        "sentences in another language than the prompt's",
        checks.language_mixing,
        triggers=[
            "We need to 计算 the sum, so \\boxed{5}.",
            "First we add the two numbers and then we check that the sum is right. "
            "Entonces tenemos que la suma es 5.",
        ],
        passes=[
            "首先计算和，所以答案是 \\boxed{5}。",
            "The angle $\\alpha + \\beta$ is 90, so \\boxed{90}.",
            "Sea $x$ el número; entonces $x = 5$, y la respuesta es \\boxed{5}.",
        ],
    ),
]


def sample_of(record: Record, *, require_think: bool = False) -> Sample:
    """The rules' view of a record: its completion, finish reason and question."""
    t = record.trace
    return Sample(t.completion, t.finish_reason, record.problem.question, require_think)


def check_rules(sample: Sample) -> list[Reason]:
    """One Reason per rule the sample breaks, in the order of RULES."""
    reasons = []
    for rule in RULES:
        span = rule.check(sample)
        if span is not None:
            reasons.append(Reason(code=rule.id, detail=rule.description, span=span))
    return reasons


class RulesFilter:
    """Drops a record when any rule triggers; keeps it otherwise.

    Example:
        >>> RulesFilter().name
        'rules'
    """

    name: ClassVar[str] = "rules"

    def __init__(self, *, require_think: bool | None = False) -> None:
        self.require_think = require_think
        """Whether a trace must think aloud; None lets `filter_records` decide per batch."""

    def __call__(self, record: Record) -> Decision:
        reasons = check_rules(sample_of(record, require_think=bool(self.require_think)))
        return Decision(filter=self.name, keep=not reasons, reasons=reasons)
