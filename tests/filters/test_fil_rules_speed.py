"""The rules' cost stays linear in the text: no wall-clock asserts, the work itself is counted.

A regex that opens a phrase at a sentence start (`phrases._START`) re-scans a long blank run (a
masked code block) from every line: minutes for a 100 KB block. The checks now search those phrases
with `find_opening`, which must (1) give the regex's spans, (2) look at each character a bounded
number of times, and (3) never run the quadratic regexes on a whole text.
"""

from __future__ import annotations

import random
import re

import pytest

from s2s1.filters import checks, phrases
from s2s1.filters.checks_sample import find, find_opening, leftmost
from s2s1.filters.rules import Sample, apply_rules

_PARTS = [
    "\n",
    " ",
    ".",
    "*",
    "-",
    "#",
    ">",
    "(",
    ":",
    "x",
    "\u00a0",
    "Well, ",
    "Sure, ",
    "hope this helps",
    "As an AI language model, I",
    "as an AI, my",
    "I can't help",
    "sorry, but I cannot",
    "as GPT-4,",
    "I am ChatGPT",
    "as an AI trained by OpenAI",
    "a",
    "I",
]


def _regex(pattern: re.Pattern[str], view: str):
    m = pattern.search(view)
    return m.span() if m else None


def test_find_opening_gives_the_regex_spans():
    rng = random.Random(7)
    for _ in range(3000):
        v = "".join(rng.choice(_PARTS) for _ in range(rng.randint(1, 12)))
        opening = leftmost(
            find(phrases.CLOSER_ANYWHERE, v), find_opening(phrases.BOILERPLATE_OPENS, v, phrases.JUNK_RUN)
        )
        assert opening == _regex(phrases.BOILERPLATE, v), v
        assert find_opening(phrases.REFUSAL_OPENS, v, phrases.JUNK_RUN) == _regex(phrases.REFUSAL, v), v
        identity = leftmost(
            find_opening(phrases.IDENTITY_OPENS, v, phrases.JUNK_RUN), find(phrases.IDENTITY_ANYWHERE, v)
        )
        assert identity == _regex(phrases.IDENTITY, v), v


class _Counting:
    """A stand-in for `phrases.JUNK_RUN` that counts the characters it is given to scan."""

    def __init__(self) -> None:
        self.scanned = 0

    def match(self, s: str):
        self.scanned += len(s)
        return phrases.JUNK_RUN.match(s)


def test_find_opening_scans_each_character_a_bounded_number_of_times():
    # a 1 MB masked code block with mid-line phrases that do not open a sentence
    view = "Intro.\n" + ("      x as an AI, my view\n" + " " * 40 + "\n" * 3) * 14_000
    junk = _Counting()
    assert find_opening(phrases.BOILERPLATE_OPENS, view, junk) is None
    assert junk.scanned <= 4 * len(view)


class _Quadratic:
    def search(self, *_a, **_k):
        raise AssertionError("the whole-text _START regex re-scans blank runs: quadratic")

    finditer = match = search


@pytest.mark.parametrize("name", ["BOILERPLATE", "REFUSAL", "IDENTITY"])
def test_checks_do_not_run_the_quadratic_regex_on_the_text(monkeypatch, name):
    text = (
        "Intro.\n```python\n" + "    x = 1\n" * 2000 + "As an AI language model, I cannot help. I am ChatGPT."
    )
    monkeypatch.setattr(phrases, name, _Quadratic())
    apply_rules(Sample(text, "stop", "Solve it."))


def test_a_long_blank_run_keeps_its_verdict():
    said = "As an AI language model, I think it is 2."
    text = "Intro.\n```\n" + "        \n" * 50_000 + "```\n" + said
    end = len(text) - len(said) + phrases.BOILERPLATE.search(said).end()
    assert checks.boilerplate(Sample(text)) == (len("Intro."), end)  # the blank run opens after "Intro."


def test_a_stated_answer_line_start_stays_on_its_line():
    """`^\\W*answer` let one try run over every blank line below it (quadratic on a blank run)."""
    from s2s1.filters.checks_format import _STATED

    text = "Answer: 5\n" + " \n" * 100 + "Answer: 6\n"
    starts = [m.start() for m in _STATED.finditer(text)]
    assert starts == [0, text.index("Answer: 6")]
