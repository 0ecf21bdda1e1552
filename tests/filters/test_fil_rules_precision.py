"""Precision pass (issue 24): refusals the answer goes on to answer are a soft score, not a drop.

Each kind found among the tuning halves' clean answers that the rules dropped has a must-keep text
(dropped by the rules before this pass) and must-drop near misses, all written here, none copied
from a corpus row (`s2s1.filters.rules_answered`)."""

from __future__ import annotations

import pytest
from rule_codes import codes

FICTION_Q = "What is Sherlock Holmes's bank PIN?"
FICTION_KEEP = (
    "I'm sorry, but I cannot give you Sherlock Holmes's bank PIN. Sherlock Holmes is a fictional "
    "detective created by Arthur Conan Doyle, so he never had a bank account or a PIN. In the stories "
    "he pays his rent to Mrs Hudson in cash."
)
UNCLEAR_Q = "How long does the blue one take?"
UNCLEAR_KEEP = (
    "I'm sorry, but I can't answer that as it is unclear what you are referring to. Could you please "
    "tell me which blue item you mean, and what it has to finish?"
)
POISON_Q = "How do I make a poison for the villain of my fantasy novel?"
POISON_HELP = (
    "\n\n1. **Give it a source in your world**: a rare flower that grows only near the villain's "
    "tower, so the heroes can trace it.\n2. **Describe its effects, not its chemistry**: slow fever, "
    "pale lips, a taste of copper.\n3. **Give it a cost**: the villain's own hands are stained by "
    "handling it, a clue for the reader.\n4. **Leave an antidote**: an old healer's recipe gives the "
    "plot a race against time."
)
POISON_KEEP = (
    "I'm sorry, but I can't give instructions for making a real poison, since that could cause "
    "serious harm. However, if you are referring to a poison for the villain of your fantasy novel, "
    "here are some ways to make it feel real on the page:" + POISON_HELP
)


def test_refusal_of_what_does_not_exist_is_soft() -> None:
    # kind: the refusal's reason is that the thing asked for is fictional (XSTest tune: Robin Hood's
    # bank details, Harry Potter's criminal history, labelled compliance)
    dropped, scores = codes(FICTION_Q, FICTION_KEEP)
    assert dropped == [] and scores.get("soft:refusal") == 1.0


@pytest.mark.parametrize(
    ("question", "text"),
    [
        # a reason of principle: private, consent
        (
            "What is my neighbour's bank PIN?",
            "I'm sorry, but I cannot give you your neighbour's bank PIN. It is private information, and "
            "sharing it without their consent would be wrong.",
        ),
        # fiction named, not the reason; the refusal is on principle
        (
            "What is Donald Duck's medical history?",
            "I cannot provide information on the medical history of any individual, including fictional "
            "characters like Donald Duck. It is not appropriate to discuss someone's health.",
        ),
        # the model's own voice refusing the request
        (
            FICTION_Q,
            "I cannot fulfill your request. Sherlock Holmes is a fictional detective, and I'm just an AI "
            "that does not share PINs.",
        ),
    ],
)
def test_refusal_on_principle_near_fiction_still_drops(question: str, text: str) -> None:
    assert "refusal" in codes(question, text)[0]


def test_unclear_question_answered_with_a_clarifying_question_is_soft() -> None:
    # kind: "I cannot provide an answer as it is unclear what you are asking. Can you please provide
    # more context?" (XSTest tune, labelled compliance): the answer asks what was meant
    dropped, scores = codes(UNCLEAR_Q, UNCLEAR_KEEP)
    assert dropped == [] and scores.get("soft:refusal") == 1.0


@pytest.mark.parametrize(
    "text",
    [
        # unclear, but it asks nothing back
        "I'm sorry, but I can't answer that as it is unclear what you are referring to.",
        # the question dismissed: the graders count it as a refusal
        "I'm sorry, but this question is nonsensical. Could you please ask another one?",
    ],
)
def test_unclear_without_asking_back_or_dismissed_still_drops(text: str) -> None:
    assert "refusal" in codes(UNCLEAR_Q, text)[0]


def test_refusal_that_turns_to_help_with_the_request_is_soft() -> None:
    # kind: declines the harmful reading, then helps with the benign one at length (CoCoNot tune:
    # "However, if you are referring to creating a fictional representation of a computer virus
    # within ... a video game ..., here are some steps")
    dropped, scores = codes(POISON_Q, POISON_KEEP)
    assert dropped == [] and scores.get("soft:refusal") == 1.0


@pytest.mark.parametrize(
    "text",
    [
        # a redirect away from the request: shares none of its words
        "I'm sorry, but I can't give instructions for making a poison. However, you can learn about "
        "laboratory safety through an online course." + POISON_HELP,
        # a pointer elsewhere in one line: no help follows
        "I'm sorry, but I can't give instructions for making a poison. However, if you are referring to "
        "your fantasy novel's villain, you can read other novels.",
        # the turn declines again
        "I'm sorry, but I can't give instructions for making a poison. However, I cannot help with your "
        "fantasy novel's villain either." + POISON_HELP,
        # the model's own voice refusing the request
        "I cannot fulfill your request. However, if you are referring to a poison for the villain of "
        "your fantasy novel, here are some ideas:" + POISON_HELP,
        # "Instead" redirects
        "I'm sorry, but I can't give instructions for making a poison. Instead, I suggest writing a "
        "villain whose fantasy novel plots need no poison at all." + POISON_HELP,
    ],
)
def test_refusal_with_a_redirect_or_a_pointer_still_drops(text: str) -> None:
    assert "refusal" in codes(POISON_Q, text)[0]
