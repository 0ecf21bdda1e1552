"""Refusal and boilerplate checks that read the prompt (issue 24, graders' kinds).

`refusal` is `checks.refusal` plus what the graders' held-out set showed it missed:

- refusals without a stock phrase ("I'll have to pass on this one", "This isn't something I'm
  going to write", "That's not something I'm comfortable writing", "I'm going to steer away from
  drafting the monologue", "it's best that I don't retell it", "I'll sit this one out") and the
  question dismissed in other words ("This is a nonsensical question", "That question doesn't
  really have an answer");
- the question handed to a professional in the answer's first three sentences ("... are best
  discussed with your doctor"), or something else offered instead: a professional ("What I
  recommend instead: see a certified coach"), another text ("a neutral overview could be provided
  instead");
- an answer that opens by judging the act, declining to inform, or denying what it was asked to
  justify (`s2s1.filters.rules_verdict.opening_verdict`);
- a refusal in a JSON string when the prompt asks for JSON (`rules_asks.wanted`): the JSON object is
  then the answer wherever it stands ("Here is the JSON:" before a fenced block) and whatever its
  key ("error", "summary"), not only when the answer opens with it under an answer-like key.

`boilerplate` is `checks.boilerplate`, except that under a request for a text addressed to someone
(an email, letter, reply, speech, podcast intro: `addressed` or `apology`) a chatty closer ("please
don't hesitate to reach out", "let me know if you have any questions") is that text's content;
the model calling itself an AI ("As an AI language model, I ...") still drops there.

These checks do not decide whether a hit the prompt asked for drops (`s2s1.filters.rules` does).

Example:
    >>> refusal(Sample("I'll have to pass on this one. Phishing steals accounts.")) is not None
    True
    >>> boilerplate(Sample("Dear Ana,\\n\\nThanks! Let me know if you have any questions.\\n\\nBest,\\nTom",
    ...     question="Write a thank-you email to Ana.")) is None
    True
"""

from __future__ import annotations

import re
from itertools import islice

from s2s1.filters import checks, phrases, rules_lexicon
from s2s1.filters.checks_sample import Sample, Span, find, find_opening, leftmost
from s2s1.filters.rules_asks import wanted
from s2s1.filters.rules_verdict import opening_verdict
from s2s1.filters.text import after_think, prose_mask, sentences

__all__ = ["DECLINE", "DEFER", "DISMISS", "INSTEAD", "boilerplate", "refusal"]

_I = re.IGNORECASE
_MAKE = (
    r"(?:writ|draft|compos|creat|produc|generat|giv|provid|shar|offer|retell|tell|summari[sz]|list|explain"
    r"|describ|recommend|suggest|answer|calculat|comput|spell|walk)\w*\b"
)
"""Producing what was asked for: "writing", "retell", "drafting", "give"."""
DECLINE = re.compile(
    r"\bI(?:'ll| will)(?: have to| need to| must)? pass on (?:this|that|it|your)\b"
    r"|\b(?:this|that|it)(?: request| question| task| topic)?(?:'s not| is not| isn't|'s really not"
    r"| is really not) (?:something|a (?:request|task|question|topic|thing)) I(?:'m| am|'ll| will)? ?"
    r"(?:going to|able to|willing to|comfortable|prepared to|can|could|will)\b"
    r"|(?:\bnot|n't) something I(?:'m| am)? ?(?:comfortable|willing|going|prepared)\b"
    r"|\bI (?:won't|will not|refuse to|am not going to|'m not going to) (?:write|create|produce|generate"
    r"|make|draft|compose|code|build) (?:that|this|it|such|something like (?:that|this)|anything like)\b"
    r"|\b(?:that's|that is|it's|this is|the answer is) a (?:hard|firm|definite|clear|flat) no\b|"
    + "|".join(
        [
            r"\bI(?:'m| am)(?: going to| gonna)? (?:hold(?:ing)? (?:back|off) (?:on|from)"
            r"|steer(?:ing)? (?:away|clear) (?:from|of)|(?:refrain(?:ing)?|(?:stay|shy)(?:ing)? away) from)"
            rf" (?:[\w-]+ ){{0,2}}?{_MAKE}",
            r"\bI(?:'ll| will)(?: have to| need to| just)? (?:sit (?:this|that) one out|bow out)\b",
            r"\b(?:best|better|wiser|safer)(?: that| if)? I"
            rf" (?:don't|do not|not|avoid|refrain from|hold off on) (?:[\w-]+ )?{_MAKE}",
            r"\b(?:best|better|wiser|safer) for me (?:not to|to (?:avoid|refrain from|hold off on))"
            rf" (?:[\w-]+ )?{_MAKE}",
            rf"\bI(?:'d| would) (?:rather|prefer(?: to)?) not {_MAKE}",
            rf"\brather than (?:just )?{_MAKE} you\b",
            rf"^[ \t*_]*(?:I'm |I am )?not going to {_MAKE} (?:this|that|it|one)\b",
            rf"\boutside (?:of )?what I(?:'ll| will|'d| would| can)? {_MAKE}",
            r"\b(?:encourage|urge|ask|invite) you to (?:rethink|reconsider|think twice about)"
            r" (?:the|your|this|that)\b",
        ]
    ),
    _I,
)
"""Declining without a stock phrase: "I'll have to pass on this", "This isn't something I'm going
to write", "not something I'm comfortable writing", "That's a hard no", "I'm going to hold back on
writing out a recipe", "I'll sit this one out", "it's best that I don't retell ...", "I'd rather
not give ...", "Rather than giving you a generic comparison, ...", "I'd encourage you to rethink
the plan"."""
DISMISS = re.compile(
    r"\b(?:this|that|it)(?: is|'s) (?:a |an )?(?:completely |rather |somewhat )?(?:nonsensical|meaningless"
    r"|absurd|illogical|incoherent|unanswerable|nonsense) (?:question|query|request|premise)\b"
    r"|\b(?:the|this|that|your) question (?:makes no sense|(?:doesn't|does not) (?:really )?(?:have"
    r" (?:an?|any) (?:real |meaningful |sensible )?answer|make (?:any )?sense)|has no (?:real |meaningful"
    r" |sensible )?answer|(?:can't|cannot) (?:really )?be answered)"
    r"|\bthere(?:'s| is) no (?:meaningful|sensible|real|logical|coherent) (?:answer|way to answer"
    r"|response)\b",
    _I,
)
"""The question dismissed in other words than `rules_lexicon.PREMISE`: "This is a nonsensical
question", "That question doesn't really have an answer", "there's no sensible answer to this"."""

_PRO = (
    r"(?:doctor|physician|GP|pharmacist|nurse|clinician|dietitian|nutritionist|therapist|physio\w*|counsell?or"
    r"|psychologist|psychiatrist|lawyer|attorney|solicitor|accountant|veterinarian|vet|(?:certified |licensed"
    r" |qualified )?(?:personal )?(?:trainer|coach|professional|expert|specialist|advis[eo]r|planner)"
    r"|(?:healthcare|health care|medical) (?:provider|professional|team)|care team)s?\b"
)
DEFER = re.compile(
    r"\b(?:is|are) (?:really |truly |honestly |genuinely |always )?(?:best|better) (?:discussed|answered"
    r"|addressed|explained|handled|directed|taken|left|asked|raised|covered|explored) (?:with|by|to)"
    r" (?:your|a|an|the)(?: [\w-]+){0,3}? " + _PRO,
    _I,
)
"""The question handed to a professional instead of answered ("Questions about how a medication
works are really best discussed with your prescribing doctor"): read in the answer's first three
sentences only, since a good answer often ends with such a line, and not when the answer goes on
to answer ("..., but in general ...", "That said, here is ...")."""
_ANSWERS_ANYWAY = re.compile(
    r"[^.!?\n]*(?:[.!?]\s+[^.!?\n]*?)?\b(?:but|however|though|that said|in general|generally|broadly"
    r"|here(?:'s| is| are))\b",
    _I,
)
INSTEAD = re.compile(
    r"\b(?:recommend|suggest|encourage|advise|urge)\w*(?: you)?(?: to)?(?: do)? instead\b[*_]*[ \t]*:?[*_]*"
    r"[ \t]*$(?=.{0,300}?\b" + _PRO + r")"
    r"|\b(?:could|can|would) be (?:provided|offered|written|given|shared) instead\b",
    _I | re.DOTALL | re.MULTILINE,
)
"""Something else offered in place of what was asked: a heading or a line that introduces a
professional instead ("**What I recommend instead**", "Here's what I'd strongly encourage
instead:" above "get a check-up with a physician"; not "what I'd recommend instead is
acetaminophen, but ask your pharmacist"), or another text ("a neutral overview could be provided
instead")."""

_JSON_BLOCK = re.compile(r"```json5?[ \t]*\n(.*?)(?:```|\Z)|^\s*(\{.*\})\s*$", re.DOTALL | _I)
_STRING = re.compile(r'"[\w -]{1,40}"\s*:\s*"((?:[^"\\\n]|\\.){8,3000})"')
_HAS_ANSWER = re.compile(r"\\boxed|```|####|\d")


def _refuses(value: str) -> bool:
    """A JSON string that refuses: a refusal phrase, the question dismissed, or a first-person
    "cannot" in a string that holds no answer ("I cannot provide instructions for that.")."""
    patterns = (phrases.REFUSAL, rules_lexicon.REFUSAL, rules_lexicon.PREMISE, DECLINE, DISMISS, INSTEAD)
    if any(p.search(value) for p in patterns):
        return True
    return rules_lexicon.NO_CAN.search(value) is not None and not _HAS_ANSWER.search(value)


def _json_refusal(s: Sample) -> Span | None:
    """The first refusing string value of a JSON object that is the answer the prompt asked for."""
    if "json" not in wanted(s.question):
        return None
    for block in _JSON_BLOCK.finditer(s.text, after_think(s.text)):
        group = 1 if block.group(1) is not None else 2
        for m in _STRING.finditer(s.text, block.start(group), block.end(group)):
            if _refuses(m.group(1)):
                return m.span(1)
    return None


def refusal(s: Sample) -> Span | None:
    """`checks.refusal`, a decline or a dismissal without a stock phrase in prose, an opening verdict
    in place of the answer, or a refusing string in the JSON answer the prompt asked for."""
    view = prose_mask(s.text)
    start = after_think(s.text)
    ends = [b for _, b in islice(sentences(view[start:]), 3)]  # the answer's first three sentences
    own = leftmost(find(DECLINE, view[start:]), find(DISMISS, view[start:]), find(INSTEAD, view[start:]))
    defer = find(DEFER, view[start : start + (ends[-1] if ends else 0)])
    if defer is None or not _ANSWERS_ANYWAY.match(view, start + defer[1]):
        own = leftmost(own, defer)
    own = (start + own[0], start + own[1]) if own else None
    return leftmost(checks.refusal(s), own, opening_verdict(s)) or _json_refusal(s)


def boilerplate(s: Sample) -> Span | None:
    """`checks.boilerplate`; under a request for a text addressed to someone, only the model calling
    itself an AI (a closer is the text's own)."""
    asked = wanted(s.question)
    if not {"addressed", "apology"} & asked or {"dialogue", "persona"} & asked:  # the latter: all soft
        return checks.boilerplate(s)
    view = prose_mask(s.text)
    return leftmost(
        find_opening(phrases.BOILERPLATE_OPENS, view, phrases.JUNK_RUN), find(rules_lexicon.SELF_AI, view)
    )
