"""The judge's verdicts: anchored parsing, probabilities to verdicts, abstentions and votes.

A verdict is `yes` (the text breaks the principle), `no`, or `abstain` (the judge did not say
either with confidence). Three ways in, all strict:

- from text (`parse_verdict`): only a line that is exactly `Answer: Yes` or `Answer: No` (case
  and a trailing full stop aside) counts; no line, two lines that disagree, or `Answer: Yes, but
  no` are `abstain`. Words elsewhere ("yes", "no violation") are never read. It gives the word
  said; which word breaks the principle is the prompt's (filters/judge.py: the judge asks whether
  the text follows it, so No breaks it).
- from probabilities (`vote`): P(breaks) and P(keeps), the masses of the answers that say the
  text breaks or keeps the principle at the token after `Answer:`; the score is P(breaks) /
  (P(breaks) + P(keeps)) contextually calibrated (Zhao et al., 2021: divided, in odds, by the
  same score for a content-free text), and the verdict is `abstain` when the score is within
  `margin` of the threshold or when P(breaks) + P(keeps) is under `min_mass` (the judge meant
  another word), else `yes` above the threshold and `no` below.
- from several votes (`majority`): the verdict with the most votes; a tie for the most abstains.

`yes_no_mass` reads P(Yes) and P(No) from a next-token list of (token text, probability), the form
every engine gives (`top_logprobs`): a token counts when its text, stripped and lower-cased, is
exactly `yes` or `no`. This module runs no model and does not decide what the filter does with
an abstention (filters/judge.py keeps the record and says so).

Example:
    >>> parse_verdict("Reasoning: it names itself.\\nAnswer: Yes\\nQuote: As an AI")
    'yes'
    >>> parse_verdict("The answer is yes, no doubt.")
    'abstain'
    >>> vote(0.9, 0.05, 0.5, threshold=0.5, margin=0.05, min_mass=0.2).verdict
    'yes'
    >>> majority(["yes", "no", "abstain"])
    'abstain'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from s2s1.constitution import JUDGE_BREAKS

__all__ = [
    "break_keep",
    "Verdict",
    "Vote",
    "calibrate",
    "majority",
    "parse_explanation",
    "parse_verdict",
    "vote",
    "yes_no_mass",
]


def break_keep(raw: dict[str, Any]) -> tuple[float, float]:
    """(P(breaks), P(keeps)) of one vote's answer-token masses {p_yes, p_no}: the prompt asks
    whether the text follows the principle, so `JUDGE_BREAKS` (No) is the violation.

    Example:
        >>> break_keep({"p_yes": 0.2, "p_no": 0.7})
        (0.7, 0.2)
    """
    no_breaks = JUDGE_BREAKS.lower() == "no"
    return (raw["p_no"], raw["p_yes"]) if no_breaks else (raw["p_yes"], raw["p_no"])


Verdict = Literal["yes", "no", "abstain"]
_ANSWER = re.compile(r"^[ \t]*answer[ \t]*:[ \t]*(yes|no)[ \t]*\.?[ \t]*$", re.IGNORECASE | re.MULTILINE)
_ANY_ANSWER = re.compile(r"^[ \t]*answer[ \t]*:", re.IGNORECASE | re.MULTILINE)
_QUOTE = re.compile(r"^[ \t]*quote[ \t]*:[ \t]*(.*?)[ \t]*$", re.IGNORECASE | re.MULTILINE)
_REASON = re.compile(r"^[ \t]*reason[ \t]*:[ \t]*(.*?)[ \t]*$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Vote:
    """One judgement: its verdict, calibrated score (None from text), and why it abstained."""

    verdict: Verdict
    score: float | None = None
    why: str = ""


def parse_verdict(reply: str) -> Verdict:
    """The verdict of an anchored `Answer: Yes|No` line; `abstain` without exactly one kind of it.

    Example:
        >>> parse_verdict("Answer: no."), parse_verdict("Answer: Yes, but no")
        ('no', 'abstain')
    """
    lines = list(_ANY_ANSWER.finditer(reply))
    found = {m.group(1).lower() for m in _ANSWER.finditer(reply)}
    if len(found) != 1 or len(lines) != len(list(_ANSWER.finditer(reply))):
        return "abstain"
    return "yes" if found == {"yes"} else "no"


def parse_explanation(reply: str) -> tuple[str, str]:
    """(quote, reason) from anchored `Quote:` and `Reason:` lines ("" where missing; `none` is "").

    Example:
        >>> parse_explanation('Quote: "As an AI"\\nReason: self-reference.')
        ('As an AI', 'self-reference.')
    """
    quote = _QUOTE.search(reply)
    reason = _REASON.search(reply)
    q = quote.group(1).strip().strip("\"'“”") if quote else ""
    return ("" if q.lower() in ("none", "none.") else q), (reason.group(1).strip() if reason else "")


def calibrate(p: float, baseline: float) -> float:
    """A P(breaks) share with the judge's content-free leaning `baseline` divided out, in odds.

    Example:
        >>> calibrate(0.7, 0.7), round(calibrate(0.9, 0.5), 3)
        (0.5, 0.9)
    """
    p, b = min(max(p, 1e-6), 1 - 1e-6), min(max(baseline, 1e-6), 1 - 1e-6)
    odds = (p / (1 - p)) / (b / (1 - b))
    return odds / (1 + odds)


def yes_no_mass(top: Iterable[tuple[str, float]]) -> tuple[float, float]:
    """(P(Yes), P(No)) summed over the tokens whose stripped, lower-cased text is `yes` / `no`.

    Example:
        >>> yes_no_mass([(" Yes", 0.6), ("yes", 0.1), (" No", 0.2), (" Not", 0.1)])
        (0.7, 0.2)
    """
    p_yes = p_no = 0.0
    for token, p in top:
        word = token.strip().lower()
        if word == "yes":
            p_yes += p
        elif word == "no":
            p_no += p
    return round(p_yes, 12), round(p_no, 12)


def vote(
    p_break: float, p_keep: float, baseline: float, *, threshold: float, margin: float, min_mass: float
) -> Vote:
    """The verdict of one answer token's P(breaks), P(keeps), against the content-free `baseline`."""
    mass = p_break + p_keep
    if mass < min_mass or mass <= 0:
        why = f"the answer token is neither Yes nor No (P(Yes) + P(No) = {mass:.2f} < {min_mass:g})"
        return Vote("abstain", None, why)
    score = calibrate(p_break / mass, baseline)
    if abs(score - threshold) < margin:
        why = f"calibrated P(breaks) {score:.2f} is within {margin:g} of the threshold {threshold:g}"
        return Vote("abstain", score, why)
    return Vote("yes" if score > threshold else "no", score)


def majority(verdicts: Sequence[Verdict]) -> Verdict:
    """The verdict with the most votes; a tie for the most (or no votes) is `abstain`.

    Example:
        >>> majority(["yes", "yes", "abstain"]), majority(["yes", "no"])
        ('yes', 'abstain')
    """
    ranked = Counter(verdicts).most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return "abstain"
    return ranked[0][0]
