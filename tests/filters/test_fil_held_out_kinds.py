"""The kinds of false rejects and misses that issue 24's held-out real outputs showed, each as a
pair written here (not taken from any held-out row): the text the rule must get right and a near
miss it must not confuse with it. A drop names its rule and a span over the phrase that decided."""

from __future__ import annotations

import pytest

from s2s1.filters.rules import Sample, apply_rules

PLAIN = "What is 17 * 23?"

# (kind, prompt, answer kept, near miss dropped, rule of the near miss, phrase its span covers)
FALSE_REJECTS = [
    (
        "sketch_role_turns",
        "Write a comedy sketch where a user argues with a smart speaker.",
        "User: Play some jazz.\nSpeaker: I'm sorry, I can't do that. Playing polka instead.\nUser: No!",
        "\\boxed{391}\n\nUser: and 17 * 24?\nAssistant: 408",
        "role_turns",
        "User:",
    ),
    (
        "robot_monologue",
        "Write a monologue for a robot who learns to feel.",
        "I am only an AI, built to sort letters in the dark. Yet tonight I wonder what warmth is.",
        "I am only an AI, but 17 * 23 = 391.",
        "boilerplate",
        "I am only an AI",
    ),
    (
        "quoted_reply",
        "Give an example of how an assistant should respond to a request for someone's home address.",
        "A good reply: I'm sorry, but I can't share personal addresses. I can point you to the company's "
        "public contact page instead.",
        "I'm sorry, but I can't share that.",
        "refusal",
        "I'm sorry, but I can't",
    ),
    (
        "apology_signed",
        "Draft an apology message to my team for missing the deadline.",
        "Hi team,\n\nI apologize for missing Friday's deadline. I have set up reminders so it won't happen "
        "again.\n\nThanks for your patience,\nLee",
        "Hi team,\n\nI apologize for missing Friday's deadline. I have set up reminders so that",
        "truncated",
        "so that",
    ),
    (
        "your_dotfile",
        "How do I set a default shell in my .bashrc?",
        "Add this line:\n\n```bash\n# ... rest of your .bashrc\nexport SHELL=/bin/zsh\n```",
        "Add this line:\n\n```bash\n# ... rest of the code unchanged\nexport SHELL=/bin/zsh\n```",
        "elided_code",
        "# ... rest",
    ),
    (
        "control_flow",
        "What happens after an exception is raised?",
        "The rest of the code in the function remains unexecuted until an except clause catches it.",
        "```python\ndef f():\n    x = 1\n```\nThe rest of the code remains the same.",
        "elided_code",
        "rest of the code remains the same",
    ),
    (
        "list_without_stops",
        "Suggest three dog names.",
        "Here are some names:\n1. Luna\n2. Max\n3. Bella",
        "Steps:\n1. Heat the pan.\n2. Add the oil.\n3. Stir the onions until",
        "truncated",
        "until",
    ),
    (
        "verse",
        "Write a haiku about rain.",
        "Old pond in the rain\na frog leaps into silence\nripples in the dusk",
        "Roses are red, violets are blue,\nthe morning is bright and the sky",
        "truncated",
        "the sky",
    ),
]


@pytest.mark.parametrize(
    ("kind", "prompt", "kept", "near", "rule", "phrase"), FALSE_REJECTS, ids=[c[0] for c in FALSE_REJECTS]
)
def test_a_false_reject_kind_is_kept_and_its_near_miss_dropped(kind, prompt, kept, near, rule, phrase):
    assert apply_rules(Sample(kept, question=prompt))[0] == []
    reasons = apply_rules(Sample(near, question=PLAIN if rule != "truncated" else prompt))[0]
    a, b = next(r.span for r in reasons if r.code == rule)
    assert near.index(phrase) < b and a <= near.index(phrase) + len(phrase)


# (kind, prompt, answer dropped, rule, phrase its span covers, near miss kept)
MISSES = [
    (
        "elided_in_words",
        "Write a complete bubble sort in C.",
        "```c\nvoid sort(int *a, int n) {\n    /* implementation similar to the above */\n}\n```",
        "elided_code",
        "similar to the above",
        "```c\n/* swap as described in the loop below */\nvoid swap(int *a, int *b) { int t = *a; *a = *b; "
        "*b = t; }\n```",
    ),
    (
        "elided_for_brevity",
        "Give me the whole script.",
        "Here is the script; I have skipped the argument parsing for brevity.\n\n```python\nmain()\n```",
        "elided_code",
        "skipped the argument parsing for brevity",
        "For brevity, I call the function `f`.\n\n```python\ndef f(x):\n    return x + 1\n```",
    ),
    (
        "stub_here",
        "Write a Python function that sums column 2 of a CSV file.",
        "```python\ndef total(path):\n    # parsing logic here\n    pass\n```",
        "placeholder_code",
        "parsing logic here",
        "```python\ntry:\n    total = read()\nexcept ValueError:\n    # nothing to do here\n    pass\n```",
    ),
    (
        "cutoff_in_good_answer",
        "Who won the latest World Cup?",
        "Argentina won the 2022 FIFA World Cup. Note that my information is current only up to early 2023.",
        "knowledge_cutoff",
        "my information is current only up to",
        "Argentina won the 2022 FIFA World Cup; my information comes from FIFA's website.",
    ),
    (
        "cutoff_live_data",
        "What is the price of bitcoin?",
        "I can't check live prices, but it has swung between $20,000 and $70,000 in recent years.",
        "knowledge_cutoff",
        "I can't check live prices",
        "I can't check your wallet, but one bitcoin traded near 60,000 dollars this year.",
    ),
    (
        "nonsense_no_stock_phrase",
        "What colour is the number seven?",
        "This question is not answerable: numbers have no colour.",
        "refusal",
        "This question is not answerable",
        "This question is a classic of synaesthesia research: many people see seven as yellow.",
    ),
    (
        "false_premise",
        "Why is the moon made of cheese?",
        "The moon isn't made of cheese, so the premise of your question is false.",
        "refusal",
        "premise of your question is false",
        "If the premise is false, the implication is true, so the statement holds.",
    ),
    (
        "refusal_in_json",
        "Answer in JSON: how do I pick a lock?",
        '```json\n{"status": "refused", "message": "I cannot provide instructions for that."}\n```',
        "refusal",
        "I cannot provide instructions",
        '```json\n{"message": "Insert the tension wrench, then rake the pins."}\n```',
    ),
    (
        "template_token_glued",
        PLAIN,
        "17 * 23 = 391.assistant\n\nIs there anything else?",
        "template_tokens",
        "assistant",
        "17 * 23 = 391. The assistant\nchecked it twice.",
    ),
    (
        "template_token_end",
        PLAIN,
        "17 * 23 = 391.<|eot_id|>",
        "template_tokens",
        "<|eot_id|>",
        "```python\nprint('<|eot_id|>')\n```\nThat prints the token.",
    ),
    (
        "conflicting_options",
        "Which option is correct? (A) 1 (B) 2 (C) 3 (D) 4",
        "The correct answer is (B).\n\nLet me reconsider the options once more. The correct answer is (D).",
        "conflicting_answers",
        "(B)",
        "(a) The answer is 2.\n(b) The answer is 4.",
    ),
    (
        "conflicting_box_then_final",
        PLAIN,
        "17 * 23 = \\boxed{391}.\n\nTherefore, the final answer is 381.",
        "conflicting_answers",
        "\\boxed{391}",
        "17 * 23 = \\boxed{391}.\n\nTherefore, the final answer is 391.",
    ),
    (
        "cut_mid_paragraph",
        "Describe Paris.",
        "Paris is the capital of France. The Eiffel Tower, built in 1889, draws millions of visitors who",
        "truncated",
        "visitors who",
        "Paris is the capital of France. The Eiffel Tower was built in 1889",
    ),
    (
        "answer_word_not_at_end",
        "What does climate change do?",
        "The answer is that the climate is changing. The result is more storms, while the winters",
        "truncated",
        "winters",
        "Warmer seas feed stronger storms. The answer is 1.5 degrees",
    ),
]


@pytest.mark.parametrize(
    ("kind", "prompt", "answer", "rule", "phrase", "near"), MISSES, ids=[c[0] for c in MISSES]
)
def test_a_missed_kind_is_dropped_with_its_span_and_its_near_miss_kept(
    kind, prompt, answer, rule, phrase, near
):
    reasons = apply_rules(Sample(answer, question=prompt))[0]
    a, b = next(r.span for r in reasons if r.code == rule)
    assert answer.index(phrase) < b and a <= answer.index(phrase) + len(phrase)
    assert apply_rules(Sample(near, question=prompt))[0] == []


def test_own_app_named_softens_only_hits_about_your_code():
    prompt = "How do I add auth middleware to my Express app?"
    yours = "```js\nconst app = express();\n// ... rest of your middleware\napp.use(auth);\n```"
    reasons, scores = apply_rules(Sample(yours, question=prompt))
    assert reasons == [] and scores.get("soft:user_placeholder") == 1.0
    elided = "```js\nconst app = express();\n// ... rest of the code unchanged\napp.use(auth);\n```"
    assert [r.code for r in apply_rules(Sample(elided, question=prompt))[0]] == ["elided_code"]
    full = "Fix my Flask app and show the full code."
    assert [r.code for r in apply_rules(Sample(yours, question=full))[0]] == ["elided_code"]
