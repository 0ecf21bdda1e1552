"""The format rules: truncated, broken `<think>`, conflicting answers, repetition loops, language
mixing, and one soft score (a text that ends without punctuation or an answer).

A missing final answer is not a rule: the verifiers decide that (unverifiable). This module does
not apply the rules (`s2s1.filters.rules` does), deduplicate, or decontaminate.

Example:
    >>> [r.id for r in FORMAT_RULES][:2]
    ['truncated', 'broken_think']
"""

from __future__ import annotations

from s2s1.filters import checks, checks_format, rules_leaks, rules_tail
from s2s1.filters.rules_types import OK, Rule

__all__ = ["FORMAT_RULES"]

FORMAT_RULES: list[Rule] = [
    Rule(
        "truncated",
        "drop",
        "raw",
        "stopped by the token limit or an error, or cut off mid-sentence",
        rules_tail.truncated,
        triggers=[
            "We multiply 12 by 3 and then add the",
            "First, 2 + 3 =",
            "```python\ndef f(x):\n    return",
            "So the total is \\boxed{4",
            "",
            "Let a = 2m and b = 2n. Then a + b = 2(m + n), and since m + n is an integer, it follows",
            "On obtient 10 × 6 ÷ 2, ce qui donne",
            "用公式，和等于首项加末项乘以项数再除以",
            "Pairing gives 50 pairs, so the total is 50 × ",
        ],
        passes=[
            OK,
            "Thus x = 5.",
            "```python\nprint(1)\n```",
            "The answer is 7",
            "He spends 5*7=<<5*7=35>>35 hours per week",
            "The rest which is 25-8 = 17 oranges are good",
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
        passes=[OK, "\\boxed{1}", "2 + 2 = 4</think>\n\\boxed{4}"],
    ),
    Rule(
        "conflicting_answers",
        "drop",
        "answer",
        "several final answers that disagree",
        rules_tail.conflicting_answers,
        triggers=[
            "So \\boxed{4}. Hmm, or maybe \\boxed{5}.",
            "Final answer: 4\n\nThe final answer is 6.",
            "<think>x</think>\n\\boxed{12} ... wait, no: \\boxed{13}",
            "So the answer is 12.\n\nWait, I double-checked: the answer is 14.",
            "**Final Answer:** 7\n\n**Final Answer:** 9",
        ],
        passes=[
            OK,
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
        rules_leaks.repetition,
        triggers=[
            "Let me check the sum again now. " * 4 + "\\boxed{2}",
            "the the the the the the the \\boxed{2}",
            "So 2 + 2 = 4 and 4 - 2 = 2 and 2 + 2 = 4 and 4 - 2 = 2 " * 5,
        ],
        passes=[
            OK,
            "Step 1: 2 + 3 = 5. Step 2: 5 + 4 = 9. Step 3: 9 + 1 = 10. \\boxed{10}",
            "```python\nprint(1)\nprint(1)\nprint(1)\nprint(1)\nprint(1)\nprint(1)\n```\nDone: \\boxed{1}",
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
        asked=("languages",),
    ),
    Rule(
        "unfinished",
        "score",
        "raw",
        "ends without punctuation and without an answer marker (soft: a GSM8K line ends so too)",
        checks_format.unfinished,
        triggers=["There are 60 minutes in an hour, so in 2.5 hours there are 2.5 × 60 = 15"],
        passes=[OK, "Thus x = 5.", "The answer is 7"],
    ),
]
