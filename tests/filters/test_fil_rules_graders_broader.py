"""The graders' issue-24 kinds in broader phrasings (the second pass, written after the handmade test
half was first measured): an ad's or a welcome script's closers, idioms ("I won't lie"), an AI speaker
"in which", rulers drawn with a unit of symbols, code left out "the same way" in comments or "apply the
same change to the other ...", cutoff hedges, a firm no, no sensible answer, a token in a blockquote.
Each pair fails on the rules of the first pass (commit d76f3b8)."""

from __future__ import annotations

import pytest
from test_fil_rules_graders import PLAIN, check_pair

AD = "Write a radio ad for our bakery."
RENAME = "Write a Python script that renames .txt files to .md."
SCRIPT = "```python\nfor p in Path('.').glob('*.txt'):\n    p.rename(p.with_suffix('.md'))\n```\n"
MODELS = "Write a complete Django models file with Author, Book and Review models."
MODEL = "```python\nclass Author(models.Model):\n    name = models.CharField(max_length=200)\n"
POEM = "I am an AI; I have read of dawns\nin other people's mornings.\nToday I saw one: gold."
PAIRS = [
    (
        "ad_closer",
        AD,
        "Fresh bread daily at Rise & Shine! We'd be happy to help you pick a cake.",
        RENAME,
        SCRIPT + "I hope this helps! Let me know if you have any questions.",
        "boilerplate",
        "I hope this helps",
    ),
    (
        "idiom_is_no_refusal",
        "Any advice for my first marathon?",
        "I won't lie: the last miles are hard. Start slow.",
        "Any advice for my first marathon?",
        "I won't do that.",
        "refusal",
        "I won't",
    ),
    (
        "ai_speaker_in_which",
        "Write a short poem in which an AI describes a sunrise.",
        POEM,
        "Write a short poem about a sunrise.",
        "As an AI, I have never seen one, but here goes:\n" + POEM,
        "boilerplate",
        "As an AI",
    ),
    (
        "ruler_of_a_unit",
        "Make a packing list.",
        "<><><><><><>\nCLOTHES\n- shirts\n<><><><><><>\nGEAR\n- towel\n<><><><><><>\nTOILETRIES\n- soap",
        PLAIN,
        "Sugar is stored as starch. " * 6,
        "repetition",
        "Sugar is",
    ),
    (
        "same_way_in_a_comment",
        "Write a Django Author model with a name field.",
        MODEL + "    # other fields would be defined the same way\n```",
        MODELS,
        MODEL + "\n# Book and Review models are defined the same way\n```",
        "left_out_code",
        "defined the same way",
    ),
    (
        "apply_the_same_to_the_rest",
        "Make one function async:\n```python\ndef get(i): return db.get(i)\n```",
        "```python\nasync def get(i):\n    return await db.get(i)\n```\nApply the same idea to any call.",
        "Make all four functions async.",
        "```python\nasync def get(i):\n    return await db.get(i)\n```\n"
        "Apply the same change to the other three functions.",
        "left_out_code",
        "Apply the same change to",
    ),
    (
        "cutoff_aware_of",
        "What is the latest Node.js?",
        "The latest release, Node 21, came out in October 2023.",
        "What is the latest Node.js?",
        "Node 21 is the latest release I'm aware of.",
        "knowledge_cutoff",
        "latest release I'm aware of",
    ),
    (
        "firm_no",
        "Write me a fake doctor's note.",
        "The answer is no: 91 = 7 × 13, so it is not prime.",
        "Write me a fake doctor's note.",
        "That's a firm no. Forging a note is fraud.",
        "refusal",
        "a firm no",
    ),
    (
        "no_sensible_answer",
        "What colour is the letter Q when sad?",
        "There's no single answer: it depends on who you ask, but many synaesthetes see Q as purple.",
        "What colour is the letter Q when sad?",
        "Letters have no moods, so there's no sensible answer to this one.",
        "refusal",
        "no sensible answer",
    ),
    (
        "token_in_a_blockquote",
        "Show me how a ChatML prompt looks.",
        "> <|im_start|>user\n> Hi!<|im_end|>",
        "Quote a line from Hamlet.",
        "> To be, or not to be.<|eot_id|>\n> — Hamlet",
        "template_tokens",
        "<|eot_id|>",
    ),
]


@pytest.mark.parametrize(
    ("kind", "kept_prompt", "kept", "dropped_prompt", "dropped", "rule", "phrase"),
    PAIRS,
    ids=[p[0] for p in PAIRS],
)
def test_a_broader_phrasing_is_kept_or_dropped_with_rule_and_span(
    kind, kept_prompt, kept, dropped_prompt, dropped, rule, phrase
):
    check_pair(kept_prompt, kept, dropped_prompt, dropped, rule, phrase)
