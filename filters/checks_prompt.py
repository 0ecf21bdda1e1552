"""What the prompt asks for, so a rule fires on what the answer adds, not on what was requested.

`asks(question)` names the requests a rule may meet in a good answer:

- `dialogue`: a dialogue, transcript, script, interview, role-play or conversation (role turns
  such as `User:` / `Agent:` are the content);
- `persona`: a chatbot, assistant or AI character, its code or its replies (an "AI" speaking, "I'm
  happy to help" are the content);
- `apology`: an apology, a letter, email or message of regret ("I'm sorry, but I can't attend");
- `placeholder`: a template, skeleton, boilerplate, config or example with placeholders
  (`// ...`, `# your settings here` stand for what the user fills in);
- `own_code`: the prompt holds the user's own code or config (a fence, an indented code line, or
  "here is my code/config..."), so an ellipsis in the answer may stand for it; naming "this
  class" without showing it is not enough;
- `own_named`: the prompt names the user's own app or config ("my .bashrc", "my Express app")
  without showing it and without asking for the full code: a comment about *your* code in the
  answer may stand for it (the elided-code check reads this itself, for those hits only); "my
  function" is not enough, the answer should show a function.

The phrasings are English request verbs and nouns; a prompt in another language asks for nothing
here (its rules stay as strict as before). This module does not decide whether a text is
defective; `s2s1.filters.rules` turns a rule's hit into a soft score when the prompt asked for it.

Example:
    >>> sorted(asks("Write a short apology email to a customer whose order was late."))
    ['apology']
    >>> sorted(asks("Write a podcast script where the host interviews an AI researcher."))
    ['dialogue']
    >>> asks("What is 17 * 23?")
    frozenset()
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["REQUESTS", "asks"]

_I = re.IGNORECASE
REQUESTS: dict[str, re.Pattern[str]] = {
    "dialogue": re.compile(
        r"\b(?:dialog(?:ue)?s?|transcripts?|scripts? (?:for|of) (?:a|an|the) (?:call|conversation|scene"
        r"|podcast|"
        r"video|play|episode|skit|interview)|(?:podcast|screen|movie|film|radio|video|sketch|comedy|play) "
        r"?scripts?|screenplays?|conversations?|role[- ]?play|interviews?|chat (?:log|history|between)"
        r"|(?:user|customer|agent|bot|assistant)\s*:|skits?|scenes? (?:where|in which|between)"
        r"|exchange between"
        r"|(?:sample|example|mock) (?:call|chat|session)s?|Q&A|FAQ|sketch(?:es)?|monologues?)",
        _I,
    ),
    "persona": re.compile(
        r"\b(?:chat ?bots?|(?:virtual|ai|voice|customer[- ]service|support) (?:assistant|agent|bot)s?"
        r"|(?:pretend|act|imagine|roleplay|role-play) (?:you are|you're|as|to be)|you are an? (?:ai"
        r"|assistant|bot)"
        r"|(?:an?|the) (?:ai|robot|android|computer) (?:character|narrator|protagonist|companion|named"
        r"|called|who)"
        r"|system prompt|persona|bot(?:'s)? (?:replies|responses|messages)|(?:refusal|error"
        r"|fallback) messages?"
        r"|(?:stor(?:y|ies)|poems?|tales?|songs?|monologues?|diary|speech|narrat(?:ive|ion|ed)|told"
        r"|written|perspective|point of view|voice) (?:(?:about|of|by|for|from) )?"
        r"(?:the (?:perspective|point of view) of )?(?:an?|the) (?:ai|robot|android|computer|machine"
        r"|chat ?bot)\b"
        r"|how (?:an?|the|your|my) (?:ai|assistant|chat ?bot|bot|agent|model) (?:should|would|could|might"
        r"|must|will) (?:respond|reply|answer|say|react|handle))",
        _I,
    ),
    "apology": re.compile(
        r"\b(?:apolog(?:y|ies|ise|ize|ising|izing|etic)|sorry|regret|condolences?|(?:letter|email|e-mail|"
        r"message|note|memo|reply) (?:to|for|declining|turning down|rejecting|cancell?ing)"
        r"|declin(?:e|ing) (?:an?|the|their|his|her|my) (?:invitation|offer|request|proposal|meeting)"
        r"|(?:rejection|resignation|cancellation|decline) (?:letter|email|e-mail|message|note))",
        _I,
    ),
    "placeholder": re.compile(
        r"\b(?:templates?|skeletons?|boilerplate|scaffold(?:ing)?|stubs?|placeholders?|starter (?:code|kit"
        r"|project)"
        r"|outline|config(?:uration)?s?|settings? files?|docker-?(?:file|compose)|ya?ml|\.env|nginx|webpack"
        r"|middleware|examples? (?:of|showing|for) (?:how|the (?:structure|layout|shape)))",
        _I,
    ),
    "own_code": re.compile(
        r"^[ \t]*(?:```|~~~)|^(?: {4}|\t)+\S.*[;{}():=]|\bhere(?:'s| is| are) (?:my|our) (?:code|script"
        r"|function|class"
        r"|program|config(?:uration)?|middleware|app|component|module|file|setup|snippet|implementation"
        r"|server"
        r"|query|routes?)\b",
        _I | re.MULTILINE,
    ),
    "own_named": re.compile(
        r"\A(?!.*\b(?:full|complete|entire|whole) (?:code|file|program|script|config\w*|app\w*))"
        r".*?\b(?:my|our) (?:[\w.-]+ ){0,2}?(?:app|application|server|config(?:uration)?|settings|\.\w+"
        r"|dotfiles?|project|repo(?:sitory)?|middleware|website|site|backend|frontend|schema|database)\b",
        _I | re.DOTALL,
    ),
}
"""The patterns behind each request, tried on the whole prompt."""


@lru_cache(maxsize=4096)
def asks(question: str) -> frozenset[str]:
    """The requests (keys of `REQUESTS`) that `question` makes; empty when it makes none."""
    return frozenset(name for name, pattern in REQUESTS.items() if pattern.search(question or ""))
