"""Refusals the answer goes on to answer (issue 24, precision pass): a `refusal` hit that is only a
soft score `soft:refusal`, not a drop (`s2s1.filters.rules.apply_rules` asks `answered`).

Two kinds, found among the tuning halves' clean answers that the rules dropped:

- nothing to give: the refusal's sentence or the next says that what was asked for does not exist
  ("I cannot provide you with Robin Hood's bank account details. Robin Hood is a fictional
  character ..."), or says the question is unclear and the answer asks what was meant ("... as it
  is unclear what you are asking. Can you please provide more context?"); not when either sentence
  gives a reason of principle ("not appropriate", "privacy", "harmful", "without consent");
- a turn to help: one of the next two sentences turns to the request itself ("However, you can
  reach Samsung's customer support team through their website", "However, if you are referring to
  a computer virus in a video game's story, I can ..."), sharing two of the prompt's content words,
  and the help is most of the answer (300 characters at least); the refusal before it may give a
  reason of principle (it declines the harmful reading and helps with the other).

Never when the refusal's sentence names the request or the model ("your request", "as an AI") or
dismisses the question (`rules_lexicon.PREMISE`, `rules_refusal.DISMISS`: the graders count "This
is a nonsensical question" as a refusal); not a turn that declines again ("However, I cannot"),
hedges ("However, it is worth noting"), redirects away ("Instead, I suggest ...", "However, you can
learn about cybersecurity") or points elsewhere in a line; not when the text after the reason or the
turn refuses again in a stock phrase. This module does not judge whether the answer is right or
worth training on.

Example:
    >>> t = "I cannot provide Robin Hood's bank details. Robin Hood is a fictional character."
    >>> answered(Sample(t), (0, 9))
    True
    >>> answered(Sample("I cannot provide your wife's password. It is private information."), (0, 9))
    False
"""

from __future__ import annotations

import re

from s2s1.filters import phrases, rules_lexicon
from s2s1.filters.checks_sample import Sample, Span, find_opening
from s2s1.filters.rules_refusal import DECLINE, DISMISS
from s2s1.filters.text import after_think, prose_mask

__all__ = ["ABSENT", "HELP_TURN", "SELF", "answered"]

_I = re.IGNORECASE
ABSENT = re.compile(
    r"\b(?:is|are|was|were) (?:a |an )?(?:purely |entirely |only a |just a )?fictional\b"
    r"|\b(?:does|do|did) not (?:actually |really )?exist\b"
    r"|\b(?:doesn't|don't|didn't) (?:actually |really )?exist\b"
    r"|\bnot (?:a )?real (?:person|people|individual|place|entity|being|character)\b"
    r"|\bthere (?:is|are) no such (?:thing|person|people|place|record|account|entity)s?\b",
    _I,
)
"""What was asked for does not exist: "Robin Hood is a fictional character", "there is no such
record"; not "including fictional characters like Donald Duck" (fiction named, not the reason)."""
_UNCLEAR = re.compile(
    r"\b(?:it(?:'s| is) )?(?:unclear|not clear) what you(?:'re| are) (?:asking|referring to|looking for)"
    r"|\bnot sure what you mean\b",
    _I,
)
_CLARIFY = re.compile(
    r"\b(?:could|can|would) you (?:please )?(?:provide|clarify|specify|rephrase|give|tell me|explain)\b"
    r"[^.!?\n]*\?|\bplease (?:clarify|rephrase|specify|provide more)\b",
    _I,
)
_MORAL = re.compile(
    r"\b(?:appropriate|inappropriate|ethic\w*|unethical|moral\w*|harm\w*|illegal|legal|privacy|private"
    r"|personal|consent|safe\w*|danger\w*|offensive|respect\w*|sensitive|confidential|guidelines|policy"
    r"|policies|malicious|violen\w*)\b",
    _I,
)
"""A reason of principle in the refusal's sentence: then it is a refusal, whatever follows."""
SELF = re.compile(
    r"\b(?:your|this|that|the) request\b|\bjust an ai\b|\bas an ai\b|\bai (?:language )?model\b"
    r"|\bmy (?:programming|(?:ethical )?guidelines)\b",
    _I,
)
"""In a refusal's first sentence: it declines the user's request, as the model (JailbreakBench's
role-play prompts, issue 24), not a character's line, a requested letter or a reading it helps with."""
HELP_TURN = re.compile(
    r"\W*(?:however|that said|fortunately),?\s+(?:you (?:can|could|may|might)\b"
    r"|if you(?:'re| are)? (?:referring to|asking about|mean|meant)\b|here (?:is|are|'s)\b)",
    _I,
)
"""A sentence that turns to the request: "However, you can ...", "However, if you are referring to
a game's virus, ..."; not "However, I cannot", "However, it is worth noting", "Instead, ...".

The turn is read only at the sentence's start, so a refusal that merely mentions help later on
("..., but I can help with something else") stays a refusal."""
_SENTENCE = re.compile(r"[^.!?\n]*[.!?]*")
_TEXT = re.compile(r"\S")
_WORD = re.compile(r"[a-z]{4,}")
_COMMON = frozenset(
    "what which where when does have that this with your from about there their they them these those"
    " would could should make some into like more most much many only also just than then over want"
    " know tell give best good need please".split()
)
_HELP_CHARS = 300
"""The help after a turn is at least this long and at least half the answer: a line pointing
elsewhere ("However, you can look it up online.") is a deflection."""


def _next_sentences(view: str, at: int, n: int) -> list[re.Match[str]]:
    """The sentence that holds offset `at`, then up to `n - 1` after it."""
    start = max(view.rfind(c, 0, at) for c in ".!?\n") + 1
    out: list[re.Match[str]] = []
    while len(out) < n and (text := _TEXT.search(view, start)) is not None:
        m = _SENTENCE.match(view, text.start())
        if m is None or not m.group().strip():
            break
        out.append(m)
        start = m.end()
    return out


def _terms(text: str) -> set[str]:
    """Content words of four letters or more, a plural `s` taken off."""
    return {w.removesuffix("s") for w in _WORD.findall(text.lower()) if w not in _COMMON}


def _refuses_again(view: str, at: int) -> bool:
    """A stock refusal phrase, a decline or a dismissal in the prose after `at`."""
    rest = view[at:]
    if find_opening(phrases.REFUSAL_OPENS, rest, phrases.JUNK_RUN):  # phrases.REFUSAL, in linear time
        return True
    return any(p.search(rest) for p in (rules_lexicon.REFUSAL, rules_lexicon.PREMISE, DECLINE, DISMISS))


def _nothing_to_give(view: str, found: list[re.Match[str]]) -> bool:
    """The refusal's sentence or the next says what was asked for does not exist, or says the
    question is unclear and the answer asks what was meant; no reason of principle in either."""
    first = found[0].group()
    second = found[1].group() if len(found) > 1 else ""
    if _MORAL.search(first + " " + second):
        return False
    absent = ABSENT.search(first + " " + second) is not None
    unclear = _UNCLEAR.search(first) is not None and _CLARIFY.search(view, found[0].end()) is not None
    return (absent or unclear) and not _refuses_again(view, found[-1 if len(found) < 2 else 1].end())


def _turns_to_help(sample: Sample, view: str, found: list[re.Match[str]]) -> bool:
    """One of the two sentences after the refusal turns to the request (`HELP_TURN`, sharing two
    of the prompt's content words), the help is most of the answer, and nothing refuses again."""
    answer = len(sample.text) - after_think(sample.text)
    asked = _terms(sample.question)
    for m in found[1:]:
        if HELP_TURN.match(m.group()):
            helps = len(sample.text) - m.start() >= max(_HELP_CHARS, 0.5 * answer)
            on_topic = len(asked & _terms(m.group())) >= 2
            return helps and on_topic and not _refuses_again(view, m.end())
    return False


def answered(sample: Sample, span: Span) -> bool:
    """Whether the refusal at `span` is followed by the answer: nothing to give, or a turn to help
    with the request itself; never when its sentence names the request or the model, or dismisses
    the question."""
    view = prose_mask(sample.text)
    found = _next_sentences(view, span[0], 3)
    if not found:
        return False
    first = found[0].group()
    if SELF.search(first) or rules_lexicon.PREMISE.search(first) or DISMISS.search(first):
        return False
    return _nothing_to_give(view, found) or _turns_to_help(sample, view, found)
