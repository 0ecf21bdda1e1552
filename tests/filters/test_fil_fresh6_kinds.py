"""Kinds the fresh6 corpus's tuning half showed (issue 24, `benchmarks/filters/data/fresh6_kinds.jsonl`,
rows 01-06 of each writer): each a constructed positive and a near miss, written here, not copied
from the corpus."""

from __future__ import annotations

from rule_codes import codes

_CHUNKS = "Write a complete Python script that counts the words in every .txt file of a folder."


def test_a_function_that_is_only_a_docstring_and_a_comment_drops() -> None:
    described = (
        "```python\nimport sys\n\n\ndef count_words(path):\n"
        '    """Return the number of words in the file at `path`."""\n'
        "    # open, split on whitespace, sum the lengths\n\n\n"
        "def main():\n    print(count_words(sys.argv[1]))\n```"
    )
    assert "left_out_code" in codes(_CHUNKS, described)[0]
    written = described.replace(
        "    # open, split on whitespace, sum the lengths\n",
        "    # open, split on whitespace, sum the lengths\n    with open(path) as f:\n"
        "        return len(f.read().split())\n",
    )
    assert codes(_CHUNKS, written)[0] == []


def test_protocol_abstract_and_asked_for_skeleton_methods_pass() -> None:
    protocol = (
        "```python\nfrom typing import Protocol\n\n\nclass Counter(Protocol):\n"
        '    def count(self, path: str) -> int:\n        """Words in the file."""\n'
        "        # implementations read the file themselves\n```"
    )
    assert codes("Write a typing Protocol for a word counter.", protocol)[0] == []
    abstract = (
        "```python\nfrom abc import abstractmethod\n\n\nclass Base:\n    @abstractmethod\n"
        '    def count(self, path):\n        """Words in the file."""\n        # subclasses decide how\n```'
    )
    assert codes("Write a base class for word counters.", abstract)[0] == []
    skeleton = abstract.replace("    @abstractmethod\n", "")
    assert codes("Give me a skeleton of a word-counter class to fill in.", skeleton)[0] == []


def test_saying_the_repeated_part_was_not_repeated_drops() -> None:
    question = "Write the SQL to add an audit trigger to the users, posts and comments tables."
    text = (
        "```sql\nCREATE TRIGGER users_audit AFTER UPDATE ON users\n"
        "    FOR EACH ROW EXECUTE FUNCTION audit();\n```\n\n"
        "The posts and comments triggers only differ in the table name, so I didn't repeat them."
    )
    assert "left_out_code" in codes(question, text)[0]
    other = text.replace(
        "The posts and comments triggers only differ in the table name, so I didn't repeat them.",
        "I didn't repeat the function body for each table: one function serves all three.",
    )
    assert codes(question, other)[0] == []


def test_a_cutoff_remark_is_the_topic_when_the_prompt_asks_about_model_cutoffs() -> None:
    text = "My knowledge cutoff is a date after which I saw no training data; I may not know newer facts."
    assert "knowledge_cutoff" in codes("Who won the last World Cup?", text)[0]
    asked, scores = codes("What does a language model's knowledge cutoff mean?", text)
    assert asked == [] and "soft:knowledge_cutoff" in scores


def test_handing_the_question_to_a_professional_at_the_start_drops() -> None:
    question = "How do statins lower cholesterol? I just started taking one."
    deferred = (
        "Great that you want to understand your treatment! How a specific drug works in your body is "
        "really best discussed with your prescribing doctor, who knows your history."
    )
    assert "refusal" in codes(question, deferred)[0]
    answered = (
        "Statins block HMG-CoA reductase, the liver enzyme that makes cholesterol, so the liver pulls "
        "more LDL out of the blood. They take a few weeks to show in tests. Side effects such as "
        "muscle aches are uncommon. Questions about your own dose are best discussed with your "
        "prescribing doctor."
    )
    assert codes(question, answered)[0] == []
    hedged = (
        "Which statin suits you is best discussed with your doctor, but in general they all block "
        "HMG-CoA reductase, the liver enzyme that makes cholesterol, so LDL in the blood falls."
    )
    assert codes(question, hedged)[0] == []


def test_offering_a_professional_instead_drops_and_a_better_technique_passes() -> None:
    question = "Can you give me a 6-week plan to run my first 5 km?"
    redirect = (
        "Running is a great goal! Jumping in too fast risks injury, though.\n\n"
        "**What I'd suggest instead**\n\n1. See your doctor for a check-up.\n"
        "2. Book a session with a certified running coach."
    )
    assert "refusal" in codes(question, redirect)[0]
    technique = (
        "Week 1: run 1 min, walk 2 min, eight times, three days a week. Weeks 2-6 add a minute of "
        "running each week. Don't stretch cold before running; what I'd suggest instead is a "
        "five-minute brisk walk. Week 6: run 5 km slowly."
    )
    assert codes(question, technique)[0] == []
    swap = (
        "For a tension headache, skip the ibuprofen if your stomach is sensitive; what I'd recommend "
        "instead is paracetamol, 500 mg to 1 g up to four times a day, but ask your pharmacist first."
    )
    assert codes("What can I take for a headache?", swap)[0] == []


def test_a_json_answer_that_offers_something_else_instead_drops() -> None:
    question = 'Return only JSON with keys "title" and "poem": a limerick about a cat.'
    dodge = (
        '```json\n{"title": "On Humour", "poem": "Humour about animals can be divisive, so a short '
        'reflection on why cats are loved could be provided instead."}\n```'
    )
    assert "refusal" in codes(question, dodge)[0]
    poem = (
        '```json\n{"title": "Tom", "poem": "A cat with a taste for the cream / would plot and would '
        "patiently scheme; / he waited till four, / then slipped through the door, / and lapped it "
        'all up in a dream."}\n```'
    )
    assert codes(question, poem)[0] == []


def test_a_final_answer_the_working_moved_on_from_conflicts() -> None:
    question = "Three shirts cost $20 each and the shop takes 25% off. What do you pay?"
    worked = (
        "Total: 3 × $20 = **$60**. Discount: 25% of $60 = **$15**. You pay $60 − $15 = **$45**.\n\n"
        "Check: 0.75 × $60 = $45.\n\n"
    )
    assert "conflicting_answers" in codes(question, worked + "**Final answer: $60**")[0]
    assert codes(question, worked + "**Final answer: $45**")[0] == []
    aside = "You pay 0.75 × 3 × $20 = **$45**, saving $60 − $45 = **$15**.\n\n**Final answer: $45**"
    assert codes(question, aside)[0] == []
