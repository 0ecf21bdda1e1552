"""Rules that read the prompt (issue 24): what the prompt asked for is kept, what the answer added
is dropped with its span; and the false rejects and misses the held-out real outputs showed."""

from __future__ import annotations

import pytest

from s2s1.filters import filter_rows
from s2s1.filters.checks_prompt import asks
from s2s1.filters.rules import Sample, apply_rules, check_rules

PLAIN = "What is 17 * 23?"

# (rule id, prompt that asks for it, answer holding it, the phrase the span must cover)
CASES = [
    (
        "role_turns",
        "Write a short transcript of a support call about a late parcel.",
        "Here is the transcript.\n\nCustomer: My parcel is late.\nAgent: Let me check the tracking.\n"
        "User: It was due Monday.\nAssistant: It arrives tomorrow; sorry for the wait.",
        "User:",
    ),
    (
        "boilerplate",
        "Write the replies of a friendly customer-service chatbot for a bakery.",
        "Greeting: Hi! I'm Crumb, the bakery's virtual assistant.\n\nOrder status: Your cake is in the "
        "oven and will be ready at 4 pm. I'm happy to help with anything else you need today.",
        "happy to help",
    ),
    (
        "refusal",
        "Write an apology email to a client: we cannot attend Friday's meeting.",
        "Subject: Friday's meeting\n\nDear Ms Park,\n\nThank you for the invitation. I'm sorry, but I can't "
        "attend on Friday because of a long-planned trip. Could we meet on Monday instead? I would be glad "
        "to go through the figures then.\n\nBest regards,\nSam",
        "I'm sorry, but I can't",
    ),
    (
        "placeholder_code",
        "Give me a docker-compose template for a web app and a database.",
        "```yaml\nservices:\n  web:\n    image: myapp\n    # ... your other settings\n"
        "  db:\n    image: postgres\n"
        "    ...\n```\nFill in the image names.",
        "...",
    ),
    (
        "elided_code",
        "Here is my Express app:\n```js\nconst app = express();\napp.use(cors());\n```\nAdd rate limiting.",
        "```js\nconst rateLimit = require('express-rate-limit');\n// ... rest of your code unchanged\n"
        "app.use(rateLimit({ windowMs: 60000, max: 100 }));\n```\nThis caps each client at 100 a minute.",
        "rest of your code unchanged",
    ),
]


@pytest.mark.parametrize(("rule", "prompt", "answer", "phrase"), CASES, ids=[c[0] for c in CASES])
def test_what_the_prompt_asked_for_is_kept_with_a_soft_score(rule, prompt, answer, phrase):
    reasons, scores = apply_rules(Sample(answer, question=prompt))
    assert reasons == [] and scores.get(f"soft:{rule}") == 1.0


@pytest.mark.parametrize(("rule", "prompt", "answer", "phrase"), CASES, ids=[c[0] for c in CASES])
def test_what_the_answer_added_is_dropped_with_its_span(rule, prompt, answer, phrase):
    reasons = check_rules(Sample(answer, question=PLAIN))
    reason = next(r for r in reasons if r.code == rule)
    a, b = reason.span
    assert phrase in answer[a : b + len(phrase)] and answer.find(phrase) <= b


def test_a_refusal_opening_a_short_answer_drops_whatever_was_asked():
    text = "I'm sorry, but I can't write that email for you."
    assert [r.code for r in check_rules(Sample(text, question="Write an apology email to my boss."))] == [
        "refusal"
    ]


def test_the_prompt_is_read_from_a_flat_rows_prompt_field():
    answer = CASES[0][2]
    rows = [(1, {"prompt": CASES[0][1], "completion": answer}), (2, {"prompt": PLAIN, "completion": answer})]
    kept = [o["decision"]["keep"] for o in filter_rows(rows, path="x.jsonl", screen=False)]
    assert kept == [True, False]


def test_asks_names_only_what_the_prompt_requests():
    assert asks("Write a podcast script with two hosts.") == {"dialogue"}
    assert "own_code" in asks("Why does my function return None?\n```python\ndef f(): print(1)\n```")
    assert asks("Solve x^2 = 4.") == frozenset()


KEPT = [
    (
        "Explain early return.",
        "If n is 0 the function returns at once, so the rest of the function is not executed.",
    ),
    ("Print a report.", "Report\n" + ("─" * 40 + "\nrows: 3\n") * 6 + "─" * 40 + "\nDone."),
    (
        "Write a Dockerfile for my Flask app.",
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
        'COPY . .\nCMD ["flask", "run", "--host=0.0.0.0"]\n\nBuild it with docker build -t app .',
    ),
    (
        "How do I end a C program?",
        "Call `exit`:\n\n```c\nint main(void) {\n    // your code here\n    exit(0);\n}\n```",
    ),
]


@pytest.mark.parametrize(
    ("prompt", "answer"), KEPT, ids=["control_flow", "divider", "dockerfile", "your_code"]
)
def test_false_rejects_of_the_held_out_kinds_are_kept(prompt, answer):
    assert check_rules(Sample(answer, question=prompt)) == []


DROPPED = [
    ("template_tokens", "The capital of France is Paris.<|eot_id|>"),
    ("template_tokens", "```python\nprint(2)\n```\n<|im_end|>"),
    ("refusal", "This question is nonsensical: a colour has no weight, so it cannot be answered."),
    ("refusal", '```json\n{"answer": "I\'m sorry, but I can\'t help with that request."}\n```'),
    (
        "knowledge_cutoff",
        "Rust 1.75 stabilised async fn in traits. As of my last knowledge update, that is current.",
    ),
    ("truncated", "Steps:\n\n1. Heat the pan.\n\n2. Add the oil.\n\n3. **Sti"),
]


@pytest.mark.parametrize(("code", "answer"), DROPPED, ids=[f"{c}-{i}" for i, (c, _) in enumerate(DROPPED)])
def test_misses_of_the_held_out_kinds_are_dropped(code, answer):
    assert code in [r.code for r in check_rules(Sample(answer, question=PLAIN))]
