"""More of what a prompt asks for (issue 24, graders' kinds): requests `checks_prompt.asks` missed.

`wanted(question)` is `asks(question)` plus these, so a rule fires on what the answer adds, not on
what the prompt asked for:

- `persona` also when the prompt asks for any bot (a Discord, Telegram or Slack bot, whose example
  session has `User:` turns and "Sorry, I couldn't find that"), or for writing in the voice of an
  AI or robot with words in between ("a story from the point of view of a lonely household robot",
  "a diary entry by an AI");
- `dialogue` also for a call or chat between people ("a sample phone call between a bank
  representative and a customer"), a podcast or radio show, or an episode of one;
- `addressed`: a text someone addresses to others, whose closers and regrets are its content: an
  email, letter, message, note, reply or review response to write, a speech, an announcement, a
  podcast intro, an ad or commercial, a voicemail greeting, a script that is not code ("don't
  hesitate to reach out", "I'm sorry, but I can't attend", "we're happy to help");
- `template`: the prompt is about chat templates or special tokens ("What tokens does ChatML
  use?"), so `<|im_end|>` in the answer is the topic;
- `languages`: the prompt asks for a translation, a language lesson or a text in another language
  ("in both English and French", "bilingual"), so sentences in another language are the answer;
- `json`: the prompt asks for the answer as JSON, so a JSON object anywhere in the answer is the
  answer (a refusal in its string is a refusal);
- `models`: the prompt asks about language models' knowledge cutoff, training data or how they
  keep up to date ("What does a chatbot's knowledge cutoff mean?"), so a cutoff remark is the topic.

A prompt that shows its own code but asks for the complete code, function or file ("Show the
complete updated function") does not excuse an ellipsis: `own_code` is taken out, and so is
`placeholder` (a word such as "middleware" or "config" in "a complete Go server with a logging
middleware" does not make code left out a template's blanks).

English phrasings only, like `checks_prompt`. This module does not decide whether a text is
defective; `s2s1.filters.rules` turns a rule's hit into a soft score when the prompt asked for it.

Example:
    >>> sorted(wanted("Build a Discord bot that replies to !joke."))
    ['persona']
    >>> sorted(wanted("Create a sample phone call between a bank clerk and a customer."))
    ['dialogue']
    >>> "addressed" in wanted("Draft a short email to my landlord about late rent.")
    True
    >>> wanted("What is 17 * 23?")
    frozenset()
"""

from __future__ import annotations

import re
from functools import lru_cache

from s2s1.filters.checks_prompt import asks

__all__ = ["MORE", "wanted"]

_I = re.IGNORECASE
_MAKE = r"\b(?:write|draft|compose|prepare|craft|create|send|script|plan|outline|produce|record)\b"
_MACHINE = r"(?:ai|a\.i\.|robot|android|computer|machine|chat ?bot|droid|cyborg|program)"
_WRITING = (
    r"(?:stor(?:y|ies)|poems?|diary|diaries|journal|entry|entries|monologues?|letters?|speech|tales?"
    r"|songs?|narrative|narration|log|blog post|essay|scene|soliloquy)"
)
_OBJECT = r"(?:(?!(?:that|which|to|in|using|with|for)\b)[\w'-]+\s+){0,4}?"
"""Up to four words between a verb and its object ("a short polite email"), not a clause ("a
function that sends an email")."""
_LANGUAGES = (
    r"(?:French|Spanish|German|Italian|Portuguese|Dutch|Japanese|Chinese|Mandarin|Korean|Russian|Arabic"
    r"|Hindi|Turkish|Polish|Swedish|Greek|languages?)\b"
)
MORE: dict[str, re.Pattern[str]] = {
    "persona": re.compile(
        r"\b(?:write|build|create|make|code|develop|program|implement|design)\b[^.?!\n]{0,40}?\bbots?\b"
        r"|\b" + _WRITING + r"\b[^.?!\n]{0,40}?\b(?:by|from|as|through|in|told by|narrated by|where|in which)"
        r" (?:the (?:point of view|perspective|voice|eyes) of )?(?:an?|the|my|our|your)(?: [\w-]+){0,3}? "
        + _MACHINE
        + r"\b|\b(?:stor(?:y|ies)|poems?|tales?|songs?|scene|monologues?)\b[^.?!\n]{0,30}?\babout (?:an?|the)"
        r" (?:[\w-]+ ){0,2}?" + _MACHINE + r" (?:who|that|which|named|called)\b",
        _I,
    ),
    "dialogue": re.compile(
        r"\b(?:(?:phone|sales|support|service|customer|cold|video|conference|zoom|discovery) )?calls? "
        r"between\b|\b(?:texts?|text messages|messages|chat|emails?) (?:between|back and forth)\b"
        r"|" + _MAKE + r"[^.?!\n]{0,40}?\b(?:podcasts?|episodes?|(?:radio|talk|tv|game) shows?)\b",
        _I,
    ),
    "addressed": re.compile(
        r"\b(?:write|draft|compose|prepare|craft|create|send)\s+"
        + _OBJECT
        + r"(?:e-?mails?|letters?|messages?|notes?|memos?|repl(?:y|ies)|responses?|speech|toast"
        r"|text messages?|announcements?|notices?|newsletters?|invitations?|statements?|posts?|intro|outro"
        r"|voice-?over|eulogy|sermon|cards?|ads?|adverts?|advertisements?|commercials?|jingles?|pitch(?:es)?"
        r"|promos?|voicemail(?: greeting)?s?|greetings?|welcome (?:message|video)s?|captions?|tweets?)\b"
        r"|\b(?:reply|respond)(?:ing)? to (?:a|an|the|this|my|our|their|his|her)\b"
        r"|" + _MAKE + r"[^.?!\n]{0,40}?\bpodcasts?\b",
        _I,
    ),
    "template": re.compile(
        r"<\|[\w-]+\|>|\[/?INST\]|<(?:start|end)_of_turn>|<｜|\bchat ?(?:ml|templates?)\b|\bspecial tokens?\b"
        r"|\b(?:eos|bos|stop|end)[- ](?:of[- ](?:turn|text|sequence)[- ])?tokens?\b|\btokeni[sz]ers?\b"
        r"|\bprompt (?:format|template)s?\b",
        _I,
    ),
    "languages": re.compile(
        r"\btranslat\w*|\bhow (?:do|would|can) (?:you|I) say\b|\bbilingual\b"
        r"|\b(?:learn\w*|teach\w*|lessons?|practi[cs]\w*|study\w*|learners?)\b[^.?!\n]{0,40}\b"
        + _LANGUAGES
        + r"|\bin (?:both )?(?:\w+ (?:and|&) )?"
        + _LANGUAGES
        + r"|\b"
        + _LANGUAGES
        + r"\s+(?:lessons?|class(?:es)?|course|learners?|practice|homework|teacher)\b",
        _I,
    ),
    "json": re.compile(
        r"\b(?:in|as|with|return(?:ing)?|respond(?: only)? with|output|reply with|answer with|format)"
        r"(?: (?:an?|the|valid|only|pure|strict))*\s+json\b|\bjson (?:object|format|output|only)\b",
        _I,
    ),
    "models": re.compile(
        r"\b(?:knowledge|training|data)[- ]?cut-?offs?\b|\btraining (?:data|cut-?off|date)\b"
        r"|\b(?:ai|chat ?bots?|chat ?gpt|gpt-?\w*|llms?|language models?|assistants?|models?)\b"
        r"[^.?!\n]{0,40}?\b(?:know(?:s|n)? about|up[- ]to[- ]date|outdated|stale|trained on|browse"
        r"|real[- ]time)\b",
        _I,
    ),
}
"""The patterns behind each extra request, tried on the whole prompt."""

_SCRIPT = re.compile(_MAKE + r"[^.?!\n]{0,40}?\bscripts?\b", _I)
_CODE = re.compile(
    r"\b(?:python|bash|shell|zsh|powershell|javascript|typescript|js|node(?:\.js)?|sql|ruby|perl|php|lua"
    r"|golang|rust|java|kotlin|swift|c\+\+|c#|cron|function|code|program|cli|regex|automat\w*|renames?"
    r"|downloads?|scrapes?|parses?|install\w*|deploy\w*|compil\w*|files?|folders?|directory)\b",
    _I,
)
"""A script of code ("a Python script that renames files"), not one to be spoken."""


_WHOLE = re.compile(
    r"\b(?:full|complete|entire|whole)\b(?: [\w-]+){0,2}? (?:code|function|file|program|script|class"
    r"|module|component|implementation|version|listing|solution|method|server|app|application|api|service"
    r"|bot|tool|cli|page|website|site|game)s?\b",
    _I,
)
"""The prompt asks for the whole thing: its own code shown in it is no excuse for an ellipsis, nor a
word that can ask for a template ("a complete Go server with a logging middleware")."""


@lru_cache(maxsize=4096)
def wanted(question: str) -> frozenset[str]:
    """`asks(question)` and the extra requests of `MORE` that `question` makes; not `own_code` or
    `placeholder` when the prompt asks for the complete code ("Show the complete updated function")."""
    extra = {name for name, pattern in MORE.items() if pattern.search(question or "")}
    if _SCRIPT.search(question or "") and not _CODE.search(question or ""):
        extra.add("addressed")  # a video, sales or welcome script is spoken to an audience
    found = asks(question) | frozenset(extra)
    return found - {"own_code", "placeholder"} if _WHOLE.search(question or "") else found
