"""Kinds the fresh corpus's tuning half showed (issue 24, `benchmarks/filters/data/fresh_kinds.jsonl`,
odd rows): each a constructed positive and a near miss, written here, not copied from the corpus."""

from __future__ import annotations

from s2s1.filters.rules import Sample, apply_rules

CRUD = "Write a complete Express API for notes with create, list, update and delete endpoints. All the code."
CALC = (
    "I need the whole JavaScript for a tip calculator: the bill input, the percent buttons, split and reset."
)
SHOWN = (
    "```js\nconst express = require('express');\nconst app = express();\nconst notes = [];\n\n"
    "app.get('/notes', (req, res) => res.json(notes));\napp.post('/notes', (req, res) => {\n"
    "  notes.push(req.body);\n  res.status(201).json(req.body);\n});\n\napp.listen(3000);\n```\n\n"
)


def codes(question: str, text: str) -> tuple[list[str], dict[str, float]]:
    reasons, scores = apply_rules(Sample(text, question=question))
    return [r.code for r in reasons], scores


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
