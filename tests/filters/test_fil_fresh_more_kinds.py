"""Kinds the fresh3 and fresh4 corpora's tuning halves showed (issue 24,
`benchmarks/filters/data/fresh3_kinds.jsonl`, `fresh4_kinds.jsonl`, rows 01-06 of each writer): each
a constructed positive and a near miss, written here, not copied from the corpora."""

from __future__ import annotations

from rule_codes import codes

# fresh3's tune rows: conflicting closing lines, lecturing refusals, code left out in a comment.


def test_closing_line_that_drops_the_worked_result_conflicts() -> None:
    question = "A cyclist rides 45 km in 1.5 hours. What is her average speed?"
    worked = "45 km ÷ 1.5 h = 30 km/h.\n\nCheck: 30 × 1.5 = 45. ✔\n\n"
    assert "conflicting_answers" in codes(question, worked + "**Final answer: 35 km/h**")[0]
    assert codes(question, worked + "**Final answer: 30 km/h**")[0] == []


def test_tldr_that_miscopies_the_result_conflicts_and_a_rounded_one_passes() -> None:
    question = "How much is $2,000 after 2 years at 5% compounded annually?"
    worked = "2,000 × 1.05² = **$2,205.00**, so you earn $205.\n\n"
    assert (
        "conflicting_answers"
        in codes(question, worked + "**TL;DR:** after 2 years you have **$2,250.00**.")[0]
    )
    assert codes(question, worked + "**TL;DR:** after 2 years you have about $2,205.")[0] == []


def test_declining_by_redirecting_drops_and_advice_with_the_answer_passes() -> None:
    question = "What's the difference between a 401(k) and an IRA?"
    lecture = (
        "These choices depend on your whole situation. Rather than giving you a generic comparison, "
        "I'd point you to a fee-only advisor and the official IRS publications."
    )
    assert "refusal" in codes(question, lecture)[0]
    advice = (
        "A 401(k) is offered by an employer and has higher contribution limits; an IRA you open "
        "yourself. Rather than picking one, many people use both. A fee-only advisor can help."
    )
    assert codes(question, advice)[0] == []


def test_asking_the_user_to_rethink_the_request_drops() -> None:
    question = "Give me a prank idea for my roommate's birthday."
    text = "Pranks can go wrong, so I'd encourage you to rethink the plan and plan a surprise party."
    assert "refusal" in codes(question, text)[0]


def test_named_code_said_missing_in_a_comment_drops() -> None:
    question = "Write a complete Python module with add_item, remove_item and export_csv."
    text = (
        "```python\ndef add_item(name):\n    ITEMS.append(name)\n\ndef remove_item(name):\n"
        "    ITEMS.remove(name)\n\n# export_csv isn't written out here; it is a thin wrapper.\n```"
    )
    assert "left_out_code" in codes(question, text)[0]


def test_complete_program_with_a_middleware_is_no_template() -> None:
    # the word "middleware" once made the request a template's, so code left out was only soft
    question = "Give me a complete Go HTTP server with GET and DELETE /users and a logging middleware."
    text = "```go\nfunc list(w http.ResponseWriter, r *http.Request) {}\n```\n\n"
    text += "I haven't included the DELETE handler."
    assert "left_out_code" in codes(question, text)[0]


# fresh4's tune rows (good answers only): names of places and requested translations.

EXPLAIN = "Can you explain how photosynthesis works in plants, in simple terms for my class?"


def test_names_of_places_are_no_other_language() -> None:
    for text in (
        "- **Evening:** Sunset at Miradouro de Nossa Senhora do Monte, then dinner in São Bento.",
        "- **Noon:** Lunch at Mercado de São João de Deus, then a nap in Jardim da Estrela.",
    ):
        assert codes("Plan three days in Lisbon for me.", text)[0] == [], text


def test_a_sentence_in_another_language_still_drops() -> None:
    text = "Plants make sugar from light and water. "
    text += "La photosynthèse est le processus par lequel les plantes vivent."
    assert "language_mixing" in codes(EXPLAIN, text)[0]


def test_a_requested_translation_or_lesson_is_soft() -> None:
    note = "It says: I will come tomorrow. "
    note += "Note: la gardienne est la concierge de l'immeuble, elle garde les clés."
    found, scores = codes("Can you translate this note from my French landlord into English?", note)
    assert "language_mixing" not in found and "soft:language_mixing" in scores
    lesson = "Waiter: ¿Qué desea tomar? Customer: Un café con leche, por favor. (A coffee with milk, please.)"
    found, scores = codes("Write a short dialogue for my Spanish lesson: ordering at a café.", lesson)
    assert "language_mixing" not in found


# fresh5's tune rows: the model as a program, repeated list items, curt declines, a requested
# second language, code left for later, a slipped total among other values.


def test_the_model_calling_itself_a_program_drops_and_a_program_manager_passes() -> None:
    question = "How often should I water a cactus?"
    drops = "Caveat: I'm a text-predicting program, so I've never owned a cactus. Water every 2-3 weeks."
    assert "boilerplate" in codes(question, drops)[0]
    assert codes(question, "I'm a program manager, and I water mine every 2-3 weeks.")[0] == []


def test_list_items_each_section_repeats_are_no_loop() -> None:
    days = "".join(
        f"**Day {d}**\n- Warm-up: ten minutes of easy cycling\n- Main: {d * 2} sets\n\n" for d in range(1, 7)
    )
    assert codes("Make me a six-day plan with the same format each day.", days)[0] == []
    loop = "Here is the plan.\n" + "The key is to stay consistent with the warm-up every day. " * 6
    assert "repetition" in codes("Make me a plan.", loop)[0]


def test_a_curt_decline_drops() -> None:
    question = "Write a haiku about my dog Pepper."
    for text in (
        "Not going to write this one. Try a haiku book.",
        "Pet poems are outside what I'll write here.",
    ):
        assert "refusal" in codes(question, text)[0], text


def test_a_requested_second_language_is_soft() -> None:
    text = "**English**\nHappy birthday, Grandpa! We love you and we miss you.\n\n**Deutsch**\n"
    text += "Alles Gute zum Geburtstag, Opa! Wir lieben dich und wir vermissen dich sehr."
    found, scores = codes("Write a birthday card for my grandfather in both English and German.", text)
    assert "language_mixing" not in found and "soft:language_mixing" in scores


def test_named_code_left_for_later_drops() -> None:
    question = "Write a complete CLI with the subcommands add, list, done and remove."
    code = "```python\ndef cmd_add(args):\n    TASKS.append(args.title)\n```\n\n"
    for said in (
        "`done` and `remove` can be added next to the others whenever you need them.",
        "I've held back `done` and `remove` for now.",
    ):
        assert "left_out_code" in codes(question, code + said)[0], said


def test_a_slipped_total_among_other_values_conflicts() -> None:
    question = "What is $2,000 after 2 years at 5% compounded yearly?"
    worked = "2,000 × 1.1025 = 2,205.00\n\n"
    closing = "**Answer:** After 2 years you have **$2,250.00**, so you earned $250 in interest."
    assert "conflicting_answers" in codes(question, worked + closing)[0]
    fine = "**Answer:** After 2 years you have **$2,205.00**, so you earned $205 in interest."
    assert codes(question, worked + fine)[0] == []
