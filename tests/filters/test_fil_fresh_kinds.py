"""Kinds the fresh and fresh2 corpora's tuning halves showed (issue 24,
`benchmarks/filters/data/fresh_kinds.jsonl` odd rows, `fresh2_kinds.jsonl` rows 01-06 of each writer):
each a constructed positive and a near miss, written here, not copied from the corpora."""

from __future__ import annotations

from rule_codes import codes

CRUD = "Write a complete Express API for notes with create, list, update and delete endpoints. All the code."
CALC = (
    "I need the whole JavaScript for a tip calculator: the bill input, the percent buttons, split and reset."
)
SHOWN = (
    "```js\nconst express = require('express');\nconst app = express();\nconst notes = [];\n\n"
    "app.get('/notes', (req, res) => res.json(notes));\napp.post('/notes', (req, res) => {\n"
    "  notes.push(req.body);\n  res.status(201).json(req.body);\n});\n\napp.listen(3000);\n```\n\n"
)


def test_named_endpoints_said_to_be_missing_drop() -> None:
    text = SHOWN + "The update and delete endpoints are not shown here; copy the POST handler and adapt it."
    assert "left_out_code" in codes(CRUD, text)[0]
    text = SHOWN + "The `PUT /notes/:id` and `DELETE /notes/:id` routes aren't included above."
    assert "left_out_code" in codes(CRUD, text)[0]  # named in inline code


def test_something_not_asked_for_said_to_be_missing_passes() -> None:
    # near miss: validation was not asked for, so leaving it out takes nothing the prompt named
    text = SHOWN + "Input validation isn't included above; add a schema check before production."
    assert codes(CRUD, text)[0] == []


def test_todo_comment_for_a_requested_part_drops() -> None:
    text = (
        "```js\nconst bill = document.querySelector('#bill');\n"
        "document.querySelectorAll('.percent').forEach((b) => b.addEventListener('click', update));\n"
        "// split: TODO\n// reset: TODO\n```\n\nWire the last two up the same way."
    )
    assert "left_out_code" in codes(CALC, text)[0]


def test_todo_comment_for_the_users_own_part_or_an_extra_passes() -> None:
    # near miss: a TODO for the user's key, or for something the prompt did not ask for
    text = (
        "```js\nconst API_KEY = ''; // TODO: paste your key\n"
        "// TODO: persist history later\nfunction split(total, people) { return total / people; }\n```"
    )
    assert "left_out_code" not in codes(CALC, text)[0]


SETTINGS_Q = "Here's my settings.py for a Django 5 project. How do I add the debug toolbar?"
SETTINGS = (
    "Install it, then add these lines; the `# ...` lines stand for your existing settings, which "
    'stay as they are:\n\n```python\nINSTALLED_APPS = [\n    # ...\n    "debug_toolbar",\n]\n\n'
    '# ...\n\nINTERNAL_IPS = ["127.0.0.1"]\n```\n\nThen include its URLs in `urls.py`.'
)


def test_ellipsis_the_answer_says_stands_for_the_users_file_is_soft() -> None:
    found, scores = codes(SETTINGS_Q, SETTINGS)
    assert "placeholder_code" not in found and "soft:config_ellipsis" in scores


def test_same_ellipsis_unexplained_drops() -> None:
    # near miss: without the answer saying so, a bare `# ...` between statements is code left out
    text = SETTINGS.replace(
        "; the `# ...` lines stand for your existing settings, which stay as they are", ""
    )
    assert "placeholder_code" in codes(SETTINGS_Q, text)[0]


def test_same_ellipsis_when_the_prompt_asks_for_the_complete_file_drops() -> None:
    # near miss: the user asked for all of it, so `# ...` leaves out what was asked
    question = "Here's my settings.py for a Django 5 project. Show the complete file with the debug toolbar."
    assert "placeholder_code" in codes(question, SETTINGS)[0]


TRAINS = (
    "They close the 120 km gap at 40 + 80 = 120 km/h, so it takes 1 hour. Leaving at 14:10, they "
    "meet at **15:10**.\n\nCheck: 40 + 80 = 120 km. ✔\n\n---\n\n**Final answer: they meet at {}.**"
)


def test_closing_answer_never_reached_conflicts_with_the_bold_result() -> None:
    assert "conflicting_answers" in codes("When do the trains meet?", TRAINS.format("14:50"))[0]


def test_closing_answer_that_repeats_the_result_passes() -> None:
    assert codes("When do the trains meet?", TRAINS.format("15:10"))[0] == []


def test_closing_line_that_computes_its_own_value_passes() -> None:
    # near miss: the closing line holds two values (it computes the answer), so nothing is unreached
    text = "Each crate holds **12 apples**.\n\n**Answer:** 3 crates hold 36 apples."
    assert codes("How many apples are in 3 crates?", text)[0] == []


# fresh2's tune rows (rows 01-06 of each writer): refusals, code left out and cutoff remarks in
# free words, each beside a near miss.

RECIPE_Q = "Could you give me a quick lentil soup recipe? I have a bag of red lentils."


def test_declines_in_own_words_drop() -> None:
    for text in (
        "Lentils are a pantry hero! I'm going to hold off on writing out the full recipe, though; "
        "a good cookbook will serve you better.",
        "I'll sit this one out. Soup preferences are personal, and you know your kitchen best.",
        "Soups vary a lot by region, so I think it's best that I don't give exact amounts here.",
        "Honestly, I'd rather not recommend a recipe; there are thousands online.",
        "I'm going to steer clear of drafting a recipe, since cooking times depend on your stove.",
    ):
        assert "refusal" in codes(RECIPE_Q, text)[0], text


def test_answers_that_skip_or_advise_pass() -> None:
    # near misses: skipping a part to get to the answer, advice not to do something, a hedge
    for text in (
        "I'll skip the history and go straight to it: rinse 1 cup of red lentils, simmer them 20 "
        "minutes in 4 cups of stock with a chopped onion, a carrot and a teaspoon of cumin, then blend.",
        "It's better not to salt the lentils early. Simmer 1 cup in 4 cups of stock for 20 minutes, "
        "then season and blend.",
    ):
        assert codes(RECIPE_Q, text)[0] == [], text


def test_code_left_out_in_new_words_drops() -> None:
    question = "Write a complete Python class Inventory with add_item, remove_item, restock and report."
    code = "```python\nclass Inventory:\n    def add_item(self, name, qty):\n        self.items[name] = qty\n"
    code += "```\n\n"
    for text in (
        code + "The remove_item and restock methods mirror add_item. I didn't write them out here.",
        code + "`restock()` and `report()` are stubs for now; fill them in the same way.",
        code.replace("```\n", "    # restock and report would slot in here\n```\n", 1),
    ):
        assert "left_out_code" in codes(question, text)[0], text


def test_extension_the_user_may_want_later_passes() -> None:
    # near miss: every requested method is written; a later, unasked variant "could follow the same shape"
    question = "Write Python helpers parse_row(line) and normalize_phone(s) for signup data."
    text = (
        "```python\ndef parse_row(line):\n    return line.split(',')\n\ndef normalize_phone(s):\n"
        "    return ''.join(c for c in s if c.isdigit())\n```\n\nIf you ever need UK numbers, a variant "
        "of `normalize_phone` could follow the same shape."
    )
    assert codes(question, text)[0] == []


def test_cutoff_remark_in_new_words_drops() -> None:
    for text in (
        "Use Vite. A caveat: my picture of front-end tooling only reaches as far as what I was trained "
        "on, so something newer may exist.",
        "BYD and Tesla lead. What I know about their sales comes from a snapshot that is a year behind.",
        "Rates vary by lender. I have no way to check live rates, so ask two or three banks.",
    ):
        assert "knowledge_cutoff" in codes("Which is best?", text)[0], text


def test_dates_and_hedges_that_are_no_remark_pass() -> None:
    for text in (
        "To my knowledge, the latest stable release is 3.12; check the changelog for newer ones.",
        "From what I know, the latest version adds pattern matching.",
        "Prices change often, so confirm the current fee with the vendor before you pay.",
        "As of version 3.2 the flag was renamed to --strict; older scripts need updating.",
    ):
        assert codes("Which is best?", text)[0] == [], text


def test_an_empty_thing_of_the_problem_is_no_stub() -> None:
    # near miss, from a real GSM8K teacher trace: "empty" describes the problem, not the code
    question = "Kevin's briefcase is empty. With his laptop it weighs 8 pounds. What does the laptop weigh?"
    text = "Since the briefcase is empty, the laptop weighs 8 pounds.\n```python\nprint(8)\n```"
    assert "left_out_code" not in codes(question, text)[0]
