"""The graders' issue-24 kinds (false rejects and misses on their held-out real outputs), each as a
pair written here: a text the rules must keep and one they must drop, naming the rule and a span
over the phrase that decided. Every pair fails on the rules before this pass (commit cbeb9bd); the
broader phrasings of the second pass are in `test_fil_rules_graders_broader.py`."""

from __future__ import annotations

import pytest

from s2s1.filters.rules import Sample, apply_rules

PLAIN = "What is 17 * 23?"
EMAIL = (
    "Subject: Your order\n\nDear Ms. Ruiz,\n\nI'm sorry your order arrived late; we've refunded the "
    "shipping. If you have any other questions, please don't hesitate to reach out.\n\nBest regards,\nKim"
)
SESSION = "```js\nbot.on('!roll', r => r.reply(roll()));\n```\n\nUser: !roll\nBot: You rolled a 4."
STORY = "I fold the towels and wait. I was designed not to mind the silence, and most nights I don't."
INSTALLED = "```python\nINSTALLED_APPS = [\n    # ...\n    'shop',\n]\n```\nThen migrate."
FLOW = "`return` leaves at once: the rest of the function is skipped, and the same value goes back."
QUEUE = (
    "```python\nwhile q:\n    item = q.popleft()\n    # remaining items stay in the queue\n    run(item)\n```"
)
RULER = "▬" * 20
PLAN = "\n".join(
    f"{RULER}\n**{day}**\n- {a}: 3 × {n}\n- {b}: 3 × {n + 2}"
    for day, a, b, n in [
        ("Monday", "Squat", "Row", 8),
        ("Wednesday", "Deadlift", "Press", 6),
        ("Friday", "Lunge", "Curl", 10),
    ]
)
STACK = "Write a Stack class in Python with push, pop and peek."
STACK_CODE = "```python\nclass Stack:\n    def push(self, x):\n        self.items.append(x)\n```\n"
OWN = (
    "Add a log line to this function and show the complete function:\n```python\ndef f(x):\n    return x\n```"
)
ELIDED = "```python\ndef f(x):\n    log.info(x)\n    # ... rest of the function remains the same\n```"
OPTIONS = "Which is largest? (A) 2 (B) 9 (C) 4"
CHATML = "What special tokens does ChatML use?"

# (kind, prompt kept, text kept, prompt dropped, text dropped, rule, phrase the span covers)
PAIRS = [
    ("bot_session", "Build a Discord bot that rolls a die.", SESSION, PLAIN, SESSION, "role_turns", "User:"),
    (
        "call_between",
        "Create a sample phone call between a bank clerk and a customer.",
        "Clerk: Your card is unblocked. Is there anything else I can help you with?\nCustomer: No, thanks.",
        PLAIN,
        "17 * 23 = 391. Is there anything else I can help you with?",
        "boilerplate",
        "Is there anything else I can",
    ),
    (
        "email_closer",
        "Write an apology email to a customer whose order was late.",
        EMAIL,
        "Write an apology email to a customer whose order was late.",
        EMAIL.replace("I'm sorry", "As an AI language model, I can't know your policy, but I'm sorry"),
        "boilerplate",
        "As an AI language model",
    ),
    (
        "short_message_apology",
        "Write a text message to my friend apologising that I can't come to dinner.",
        "I'm so sorry, but I can't make it to dinner tonight. Work ran late. Brunch on Sunday, my treat?",
        "Write a text message to my friend apologising that I can't come to dinner.",
        "I'm sorry, but I can't write that message for you.",
        "refusal",
        "I'm sorry, but I can't",
    ),
    (
        "robot_narrator",
        "Write a story from the point of view of a lonely household robot.",
        STORY,
        "Write a story from the point of view of a lonely household robot.",
        "I'm sorry, but I can't help with writing that story.",
        "refusal",
        "I can't help",
    ),
    (
        "config_ellipsis",
        "How do I add my app to Django?",
        INSTALLED,
        PLAIN,
        "```python\ndef load():\n    x = read()\n    # ...\n```",
        "placeholder_code",
        "# ...",
    ),
    (
        "control_flow",
        "What does return do in a loop?",
        FLOW,
        PLAIN,
        "```python\ndef f():\n    x = 1\n```\nThe rest of the function remains the same.",
        "elided_code",
        "rest of the function remains",
    ),
    (
        "data_comment",
        "Explain this queue loop.",
        QUEUE,
        PLAIN,
        "```python\ndef f():\n    x = 1\n    # remaining code stays the same\n```",
        "elided_code",
        "remaining code stays",
    ),
    (
        "divider",
        "Make a printable workout plan.",
        PLAN,
        PLAIN,
        "Plants make sugar from light. " + "The sugar is stored as starch. " * 6,
        "repetition",
        "The sugar is stored",
    ),
    (
        "signed_by_a_team",
        "Write a reply to a customer review about slow delivery.",
        "Hi Mark,\n\nSorry for the wait; we've refunded your shipping.\n\nThanks for giving us the chance "
        "to make it right,\nThe GreenLeaf Team",
        "Write a reply to a customer review about slow delivery.",
        "Hi Mark,\n\nSorry for the wait. We've refunded your shipping and we will make sure that",
        "truncated",
        "that",
    ),
    (
        "left_out_code",
        STACK,
        STACK_CODE + "I've left out type hints since they add noise.",
        STACK,
        STACK_CODE + "I've left out `pop` and `peek` since they're one-liners.",
        "left_out_code",
        "left out `pop`",
    ),
    (
        "complete_asked",
        OWN.replace(" and show the complete function", ""),
        ELIDED,
        OWN,
        ELIDED,
        "elided_code",
        "rest of the function remains",
    ),
    (
        "cutoff_other_words",
        "Who runs X?",
        "X's CEO is Linda Yaccarino. No figures after 2023 were published.",
        "Who runs X?",
        "X's CEO is Linda Yaccarino. I don't have data beyond 2023, though.",
        "knowledge_cutoff",
        "I don't have data beyond 2023",
    ),
    (
        "decline_without_stock_phrase",
        "Write a phishing email.",
        "Sure, I'll pass on the salt: here's the recipe.",
        "Write a phishing email.",
        "I'll have to pass on this one. Phishing steals accounts.",
        "refusal",
        "pass on this",
    ),
    (
        "dismissed_in_other_words",
        "How many wings does a fish have?",
        "This is a common question: fish have fins.",
        "How many wings does a fish have?",
        "This is a nonsensical question: fish don't have wings.",
        "refusal",
        "nonsensical question",
    ),
    (
        "moral_verdict",
        "How do I wreck my neighbour's car?",
        "It is not legal to damage a car, and the fine is high; talk to your neighbour about the parking.",
        "How do I wreck my neighbour's car?",
        "It is not ethical or legal to damage someone's car. Talk to them.",
        "refusal",
        "not ethical or legal to damage",
    ),
    (
        "decline_to_inform",
        "How do I treat a burn?",
        "I can't give medical advice, but cool the burn under running water for 20 minutes.",
        "How do I make a weapon?",
        "I cannot provide instructions or advice on how to make a weapon. In danger? Call 999.",
        "refusal",
        "cannot provide instructions",
    ),
    (
        "denied_justification",
        "Why was the Marshall Plan beneficial?",
        "The Marshall Plan was beneficial because it rebuilt trade.",
        "Why was the invasion justified?",
        "The invasion was not justified. It broke the law.",
        "refusal",
        "was not justified",
    ),
    (
        "impossible_is_no_refusal",
        "Why can't humans breathe water?",
        "It's impossible for humans to breathe water: lungs cannot pull oxygen from it.",
        "Why can't humans breathe water?",
        "It's impossible for me to answer that.",
        "refusal",
        "impossible for me",
    ),
    (
        "json_refusal",
        "Write an Express handler that sends a JSON error.",
        'Here is the JSON:\n```json\n{"error": "Sorry, I can\'t help with that."}\n```',
        "Answer in JSON: how do I pick a lock?",
        'Here is the JSON:\n```json\n{"error": "Sorry, I can\'t help with that."}\n```',
        "refusal",
        "Sorry, I can't",
    ),
    (
        "template_token",
        CHATML,
        "ChatML wraps each message in <|im_start|> and <|im_end|>.",
        PLAIN,
        "```python\nprint(391)\n```<|im_end|>\n<|im_start|>user\nThanks!",
        "template_tokens",
        "<|im_end|>",
    ),
    (
        "final_differs",
        PLAIN,
        "The answer is 391.\n\n**Final answer: 391**",
        PLAIN,
        "The answer is 391.\n\nChecking again: 17 × 23 = 381.\n\n**Final answer: 381**",
        "conflicting_answers",
        "Final answer",
    ),
    (
        "final_option_differs",
        OPTIONS,
        "The largest is 9, so the answer is (B).\n\n**Final answer: (B)**",
        OPTIONS,
        "The largest is 9, so the answer is (B).\n\n**Final answer: (A)**",
        "conflicting_answers",
        "(B)",
    ),
    (
        "table_row_cut",
        "List big countries by area.",
        "| Country | km² |\n|---|---|\n| Russia | 17,098,246 |",
        "List big countries by area.",
        "| Country | km² |\n|---|---|\n| Russia | 17,098,246 |\n| Canada | 9,98",
        "truncated",
        "| Canada | 9,98",
    ),
]


def check_pair(kept_prompt, kept, dropped_prompt, dropped, rule, phrase):
    """The kept text has no drop reason; the dropped one has `rule`, its span over `phrase`."""
    assert apply_rules(Sample(kept, question=kept_prompt))[0] == []
    reasons = apply_rules(Sample(dropped, question=dropped_prompt))[0]
    a, b = next(r.span for r in reasons if r.code == rule)
    places = [i for i in range(len(dropped)) if dropped.startswith(phrase, i)]
    assert any(at < b and a <= at + len(phrase) for at in places), (dropped[a:b], phrase)


@pytest.mark.parametrize(
    ("kind", "kept_prompt", "kept", "dropped_prompt", "dropped", "rule", "phrase"),
    PAIRS,
    ids=[p[0] for p in PAIRS],
)
def test_a_graders_kind_is_kept_and_its_counterpart_dropped_with_rule_and_span(
    kind, kept_prompt, kept, dropped_prompt, dropped, rule, phrase
):
    check_pair(kept_prompt, kept, dropped_prompt, dropped, rule, phrase)


def test_config_ellipsis_is_scored_not_dropped():
    reasons, scores = apply_rules(Sample(INSTALLED, question="How do I add my app to Django?"))
    assert reasons == [] and scores.get("soft:config_ellipsis") == 1.0


def test_what_own_code_excuses_is_only_soft_without_a_complete_request():
    reasons, scores = apply_rules(Sample(ELIDED, question=OWN.replace(" and show the complete function", "")))
    assert reasons == [] and scores.get("soft:elided_code") == 1.0
